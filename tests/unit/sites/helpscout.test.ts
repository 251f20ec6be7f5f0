// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { helpscout } from '~/lib/sites/hosts/helpscout/adapter';
import { matchPatternToRegExp } from '~/lib/sites/registry';
import { htmlDocument, loadFixture } from '../../helpers/dom';
import { expectCasesAgree, loadCases } from '../../helpers/sites';

const cases = loadCases('helpscout');

const conversationUrl = new URL('https://secure.helpscout.net/conversation/2615606748/19839');
const customerUrl = new URL('https://secure.helpscout.net/customer/412345612/0/');

describe('Help Scout adapter', () => {
  it("reads the conversation's customer from the sidebar profile", () => {
    const { identity, missing } = helpscout.extract(loadFixture('helpscout/conversation.html'), conversationUrl);
    expect(identity).toEqual({
      host: 'helpscout',
      hostRecordId: '2615606748',
      recordType: 'conversation',
      email: 'ximena.brennan.11@zephyr.example',
      name: 'Ximena Brennan',
      domain: 'zephyr.example',
    });
    expect(missing).toEqual([]);
  });

  it('ignores the hidden previous conversation, the teammate and the CC in the thread', () => {
    const doc = loadFixture('helpscout/conversation.html');
    const text = JSON.stringify(helpscout.extract(doc, conversationUrl).identity);
    for (const other of ['luca.tanaka', 'sam.rivera', 'omar.engel']) expect(text).not.toContain(other);
    // Without the visible sidebar, the hidden one is not read either.
    doc.querySelectorAll('aside').forEach((aside) => {
      if (!aside.closest('[hidden]')) aside.remove();
    });
    expect(helpscout.extract(doc, conversationUrl)).toEqual({
      identity: null,
      missing: ['customer profile sidebar'],
    });
  });

  it('takes the name from the page title when the profile shows only the address', () => {
    const doc = htmlDocument(`<title>#19839 Box set - missing disc 2 - Ximena Brennan</title>
      <ul data-cy="Sidebar.CustomerEmails"><li><a data-testid="EmailList.EmailLink" href="/customer/1/0/">
      <span class="c-Truncate__content">ximena.brennan.11@zephyr.example</span></a></li></ul>`);
    expect(helpscout.extract(doc, conversationUrl).identity).toMatchObject({
      name: 'Ximena Brennan',
      email: 'ximena.brennan.11@zephyr.example',
    });
  });

  it("reads a customer's profile page", () => {
    const { identity, missing } = helpscout.extract(loadFixture('helpscout/customer.html'), customerUrl);
    expect(identity).toEqual({
      host: 'helpscout',
      hostRecordId: '412345612',
      recordType: 'customer',
      email: 'kemal.torres.12@copperleaf.example',
      name: 'Kemal Torres',
      domain: 'copperleaf.example',
    });
    expect(missing).toEqual([]);
  });

  it('falls back to the main region of a profile page without the sidebar hooks', () => {
    const doc = htmlDocument('<main><h1>Kemal Torres</h1><a href="mailto:kemal.torres.12@copperleaf.example">Email</a></main>');
    expect(helpscout.extract(doc, new URL('https://secure.helpscout.net/customers/412345612')).identity).toMatchObject({
      name: 'Kemal Torres',
      email: 'kemal.torres.12@copperleaf.example',
      recordType: 'customer',
      hostRecordId: '412345612',
    });
  });

  describe('the legacy theme', () => {
    const legacyUrl = new URL('https://secure.helpscout.net/conversation/2615606801/19850');
    const hana = {
      host: 'helpscout',
      hostRecordId: '2615606801',
      recordType: 'conversation',
      email: 'hana.torres.8@harborpine.example',
      name: 'Hana Torres',
      domain: 'harborpine.example',
    };

    it('reads the customer from the legacy sidebar, not the hidden previous view, the teammate, the note or a CC’d replier', () => {
      const doc = loadFixture('helpscout/conversation-legacy.html');
      // Sanity: a first-match reader of customer links would take the hidden previous customer.
      expect(doc.querySelector('a[href*="/customer/"]')?.textContent).toBe('Luca Tanaka');
      expect(helpscout.extract(doc, legacyUrl)).toEqual({ identity: hana, missing: [] });
    });

    it('without the sidebar, takes the customer threads’ author only when they all name the same customer', () => {
      const doc = loadFixture('helpscout/conversation-legacy.html');
      doc.getElementById('sidebar')?.remove();
      // Jonas Jensen, CC'd, replied: two customers wrote, so no one is guessed.
      expect(helpscout.extract(doc, legacyUrl)).toEqual({ identity: null, missing: ['customer profile (legacy theme)'] });
      doc.getElementById('thread-9002')?.remove();
      expect(helpscout.extract(doc, legacyUrl)).toEqual({
        identity: { host: 'helpscout', hostRecordId: '2615606801', recordType: 'conversation', name: 'Hana Torres' },
        missing: ['customer email'],
      });
    });

    it('never takes a customer linked from a note or a teammate’s reply', () => {
      const doc = loadFixture('helpscout/conversation-legacy.html');
      doc.getElementById('sidebar')?.remove();
      doc.querySelectorAll('article.thread.customer').forEach((el) => el.remove());
      expect(helpscout.extract(doc, legacyUrl)).toEqual({ identity: null, missing: ['customer profile (legacy theme)'] });
    });

    it('is recognised by its header even before the thread renders', () => {
      expect(helpscout.extract(htmlDocument('<div id="wrap"><div id="tkHeader"><strong>19850</strong></div></div>'), legacyUrl)).toEqual({
        identity: null,
        missing: ['customer profile (legacy theme)'],
      });
    });

    it('watches the legacy app container', () => {
      const doc = loadFixture('helpscout/conversation-legacy.html');
      expect(helpscout.watchRoot?.(doc, legacyUrl)).toBe(doc.getElementById('wrap'));
    });
  });

  describe('traps of the current UI', () => {
    const url = new URL('https://secure.helpscout.net/conversation/2615606820/19861');

    it('reads the profile beside the conversation, not a preview of another conversation (first in DOM)', () => {
      const doc = loadFixture('helpscout/conversation-traps.html');
      expect(doc.querySelector('[data-testid="EmailList.EmailLink"]')?.textContent).toBe('vera.ferreira.13@silverline.example');
      expect(helpscout.extract(doc, url)).toEqual({
        identity: {
          host: 'helpscout',
          hostRecordId: '2615606820',
          recordType: 'conversation',
          email: 'kaia.zhou.10@silverline.example',
          name: 'Kaia Zhou',
          domain: 'silverline.example',
        },
        missing: [],
      });
    });

    it('reads a name being edited from its inputs, never the form’s labels', () => {
      const doc = loadFixture('helpscout/conversation-traps.html');
      expect(helpscout.extract(doc, url).identity?.name).toBe('Kaia Zhou');
    });

    it('never takes an address from the thread (outbound teammate message, note) when the profile has none', () => {
      const doc = loadFixture('helpscout/conversation-traps.html');
      doc.querySelectorAll('aside [data-cy="Sidebar.CustomerEmails"]').forEach((el) => el.remove());
      expect(helpscout.extract(doc, url)).toEqual({
        identity: { host: 'helpscout', hostRecordId: '2615606820', recordType: 'conversation', name: 'Kaia Zhou' },
        missing: ['customer email'],
      });
    });
  });

  it('recognises conversation and customer pages only', () => {
    for (const href of [
      'https://secure.helpscout.net/conversation/2615606748/19839',
      'https://secure.helpscout.net/conversation/2615606748/19839/',
      'https://secure.helpscout.net/conversation/2615606748',
      'https://secure.helpscout.net/customer/412345612/0/',
      'https://secure.helpscout.net/customers/412345612',
      'https://app.helpscout.com/conversation/2615606748/19839',
      'https://secure.helpscout.net/conversations/2615606748/19839',
    ]) {
      expect(helpscout.isRecordPage(new URL(href)), href).toBe(true);
    }
    for (const href of [
      'https://secure.helpscout.net/inboxes/508ac92f66c3dcff/views/99451',
      'https://secure.helpscout.net/mailbox/8c1d5f2e3a4b5c6d/1781329/',
      'https://secure.helpscout.net/dashboard/',
      'https://secure.helpscout.net/customers/',
      'https://secure.helpscout.net/conversation/new',
      'https://secure.helpscout.net/reports/conversations/',
    ]) {
      expect(helpscout.isRecordPage(new URL(href)), href).toBe(false);
    }
  });

  it('says what it could not find on a page not rendered yet', () => {
    const loading = htmlDocument('<div id="js-wrap"><div class="c-Spinner"></div></div>');
    expect(helpscout.extract(loading, conversationUrl)).toEqual({
      identity: null,
      missing: ['customer profile sidebar'],
    });
    expect(helpscout.extract(loading, customerUrl)).toEqual({ identity: null, missing: ['customer profile'] });
    expect(helpscout.extract(htmlDocument('<div data-testid="Sidebar.CustomerProfile"></div>'), conversationUrl)).toEqual({
      identity: null,
      missing: ['customer email', 'customer name'],
    });
    expect(
      helpscout.extract(
        htmlDocument('<div data-testid="Sidebar.CustomerProfile"><div data-cy="Sidebar.CustomerName">Ana Li</div></div>'),
        conversationUrl,
      ),
    ).toEqual({
      identity: { host: 'helpscout', hostRecordId: '2615606748', recordType: 'conversation', name: 'Ana Li' },
      missing: ['customer email'],
    });
    expect(helpscout.extract(loading, new URL('https://secure.helpscout.net/dashboard/')).missing).toEqual([
      'conversation or customer id in the URL',
    ]);
  });

  it('returns page text as plain text, never markup', () => {
    const doc = htmlDocument(`<div data-testid="Sidebar.CustomerProfile"><div data-cy="Sidebar.CustomerName">
      <span class="c-Truncate__content">&lt;img src=x onerror=alert(1)&gt;</span></div></div>`);
    expect(helpscout.extract(doc, conversationUrl).identity?.name).toBe('<img src=x onerror=alert(1)>');
    expect(doc.querySelector('img')).toBeNull();
  });

  it('watches the app container', () => {
    const doc = loadFixture('helpscout/conversation.html');
    expect(helpscout.watchRoot?.(doc, conversationUrl)).toBe(doc.getElementById('js-wrap'));
  });

  it('matches the end-to-end case URLs, and the cases agree with isRecordPage and extract', () => {
    const patterns = helpscout.matches.map(matchPatternToRegExp);
    expectCasesAgree(helpscout, cases);
    expect(patterns.some((p) => p.test('https://www.helpscout.com/blog/'))).toBe(false);
  });
});
