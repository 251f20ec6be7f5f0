// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { INTERCOM_SELECTORS, intercom } from '~/lib/sites/hosts/intercom/adapter';
import { matchPatternToRegExp } from '~/lib/sites/registry';
import { htmlDocument, loadFixture } from '../../helpers/dom';
import { expectSelectorsAsData } from '../../helpers/selectors';
import { loadCases } from '../../helpers/sites';

const cases = loadCases('intercom');

const conversationUrl = new URL('https://app.intercom.com/a/inbox/abc123/inbox/shared/all/conversation/456');
const userUrl = new URL('https://app.intercom.com/a/apps/abc123/users/5f1a2b3c4d5e6f7081920a1b/all-conversations');

describe('Intercom adapter', () => {
  it("reads the open conversation's user from the details panel", () => {
    const { identity, missing } = intercom.extract(loadFixture('intercom/inbox-conversation.html'), conversationUrl);
    expect(identity).toEqual({
      host: 'intercom',
      hostRecordId: '456',
      recordType: 'conversation',
      email: 'tara.ivanova.4@harborpine.example',
      name: 'Tara Ivanova',
      company: 'Harbor & Pine',
      domain: 'harborpine.example',
    });
    expect(missing).toEqual([]);
  });

  it('ignores the other conversations of the list and the teammate in the stream', () => {
    const doc = loadFixture('intercom/inbox-conversation.html');
    const text = JSON.stringify(intercom.extract(doc, conversationUrl).identity);
    for (const other of ['gael.okafor', 'pablo.dimitrov', 'sam.rivera']) expect(text).not.toContain(other);
    // The agent closed the details panel: the header still names the contact; no address is guessed
    // from the list or the stream.
    doc.querySelector('.inbox2__conversation-details-sidebar')?.remove();
    expect(intercom.extract(doc, conversationUrl)).toEqual({
      identity: { host: 'intercom', hostRecordId: '456', recordType: 'conversation', name: 'Tara Ivanova' },
      missing: ['customer email'],
    });
  });

  it('a lead, with Copilot open in the right sidebar: the header’s address, not Copilot’s quote, the stream or the list', () => {
    const doc = loadFixture('intercom/inbox-conversation-lead.html');
    const url = new URL('https://app.intercom.com/a/inbox/abc123/inbox/shared/all/conversation/812');
    // The header and the stream are in an open shadow root (declarative in the fixture; loadFixture
    // attaches it as Chromium's parser does).
    expect(doc.querySelectorAll('template[shadowrootmode]')).toHaveLength(0);
    expect(doc.querySelector('.inbox-2__conversation-header')).toBeNull();
    expect(intercom.extract(doc, url)).toEqual({
      identity: {
        host: 'intercom',
        hostRecordId: '812',
        recordType: 'conversation',
        email: 'bela.gupta.17@copperleaf.example',
        name: 'Bela Gupta',
        domain: 'copperleaf.example',
      },
      missing: [],
    });
    // A lead who left no address: name only, said in `missing` (never Copilot's or a teammate's address).
    const shadow = doc.getElementById('teammate-app-react')!.shadowRoot!;
    shadow.querySelectorAll('.inbox-2__conversation-header span').forEach((el) => {
      if (el.textContent?.includes('@')) el.remove();
    });
    expect(intercom.extract(doc, url)).toEqual({
      identity: { host: 'intercom', hostRecordId: '812', recordType: 'conversation', name: 'Bela Gupta' },
      missing: ['customer email'],
    });
  });

  it('skips a hidden details panel left from the previous conversation', () => {
    const doc = htmlDocument(`
      <div class="inbox-2__conversation-details-sidebar" hidden>
        <div data-key="email"><span class="t__solo-link">luca.tanaka.2@harborpine.example</span></div></div>
      <div class="inbox-2__conversation-details-sidebar">
        <div data-key="name"><span>Name</span> <span class="t__solo-link">Tara Ivanova</span></div>
        <div data-key="email"><span>Email</span> <span class="t__solo-link">tara.ivanova.4@harborpine.example</span></div></div>`);
    expect(intercom.extract(doc, conversationUrl).identity).toMatchObject({
      email: 'tara.ivanova.4@harborpine.example',
      name: 'Tara Ivanova',
    });
  });

  it('finds the details panel inside an open shadow root', () => {
    const doc = htmlDocument('<div id="teammate-app-react"></div>');
    const host = doc.getElementById('teammate-app-react')!;
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = `<div class="inbox2__conversation-details-sidebar">
      <a href="/a/apps/abc123/users/5f1a2b3c4d5e6f7081920a1c">Tara Ivanova</a>
      <div data-key="email"><span class="t__solo-link">tara.ivanova.4@harborpine.example</span></div></div>`;
    expect(intercom.extract(doc, conversationUrl)).toEqual({
      identity: {
        host: 'intercom',
        hostRecordId: '456',
        recordType: 'conversation',
        email: 'tara.ivanova.4@harborpine.example',
        name: 'Tara Ivanova',
        domain: 'harborpine.example',
      },
      missing: [],
    });
  });

  it("falls back to the conversation header's title for the name", () => {
    const doc = htmlDocument(`<div data-intercom-target="conversation-space">
        <div data-inbox-conversation-header-title><span>Tara Ivanova</span></div></div>
      <div class="inbox2__conversation-details-sidebar"><div data-key="email">tara@example.org</div></div>`);
    expect(intercom.extract(doc, conversationUrl).identity).toMatchObject({ name: 'Tara Ivanova', email: 'tara@example.org' });
  });

  it("reads a contact's page", () => {
    const { identity, missing } = intercom.extract(loadFixture('intercom/user-profile.html'), userUrl);
    expect(identity).toEqual({
      host: 'intercom',
      hostRecordId: '5f1a2b3c4d5e6f7081920a1b',
      recordType: 'contact',
      email: 'goran.abbott.7@tidewater.example',
      name: 'Goran Abbott',
      company: 'Tidewater Foods',
      domain: 'tidewater.example',
    });
    expect(missing).toEqual([]);
  });

  it('recognises conversation and contact pages only', () => {
    for (const href of [
      'https://app.intercom.com/a/inbox/abc123/inbox/conversation/456',
      'https://app.intercom.com/a/inbox/abc123/inbox/shared/all/conversation/456',
      'https://app.intercom.com/a/inbox/abc123/inbox/admin/5001/conversation/456',
      'https://app.eu.intercom.com/a/inbox/abc123/inbox/view/77/conversation/456/',
      'https://app.intercom.com/a/apps/abc123/inbox/conversation/456',
      'https://app.intercom.com/a/apps/abc123/conversations/456',
      'https://app.intercom.com/a/apps/abc123/users/5f1a2b3c4d5e6f7081920a1b',
      'https://app.intercom.com/a/apps/abc123/users/5f1a2b3c4d5e6f7081920a1b/all-conversations',
    ]) {
      expect(intercom.isRecordPage(new URL(href)), href).toBe(true);
    }
    for (const href of [
      'https://app.intercom.com/a/inbox/abc123/inbox/shared/all',
      'https://app.intercom.com/a/inbox/abc123/inbox/admin/5001',
      'https://app.intercom.com/a/apps/abc123/users/segments/all',
      'https://app.intercom.com/a/apps/abc123/home',
      'https://app.intercom.com/a/apps/abc123/settings/general',
      'https://app.intercom.com/a/inbox/abc123/inbox/conversation/new',
    ]) {
      expect(intercom.isRecordPage(new URL(href)), href).toBe(false);
    }
  });

  it('says what it could not find on a page not rendered yet', () => {
    const loading = htmlDocument('<div class="ember-view"><div class="loading"></div></div>');
    expect(intercom.extract(loading, conversationUrl)).toEqual({
      identity: null,
      missing: ['conversation details panel'],
    });
    expect(intercom.extract(loading, userUrl)).toEqual({ identity: null, missing: ['contact details'] });
    expect(intercom.extract(htmlDocument('<div class="inbox2__conversation-details-sidebar"></div>'), conversationUrl)).toEqual({
      identity: null,
      missing: ['customer email', 'customer name'],
    });
    expect(
      intercom.extract(htmlDocument('<div class="inbox2__conversation-details-sidebar"><div data-key="email">a@b.org</div></div>'), conversationUrl),
    ).toEqual({
      identity: { host: 'intercom', hostRecordId: '456', recordType: 'conversation', email: 'a@b.org', domain: 'b.org' },
      missing: ['customer name'],
    });
    expect(intercom.extract(loading, new URL('https://app.intercom.com/a/apps/abc123/home')).missing).toEqual([
      'conversation or contact id in the URL',
    ]);
  });

  it('returns page text as plain text, never markup', () => {
    const doc = htmlDocument(`<div class="inbox2__conversation-details-sidebar">
      <a href="/a/apps/abc123/users/5f1a2b3c4d5e6f7081920a1c">&lt;img src=x onerror=alert(1)&gt;</a></div>`);
    expect(intercom.extract(doc, conversationUrl).identity?.name).toBe('<img src=x onerror=alert(1)>');
    expect(doc.querySelector('img')).toBeNull();
  });

  it('watches the container of the conversation and its details panel', () => {
    const doc = loadFixture('intercom/inbox-conversation.html');
    const root = intercom.watchRoot?.(doc, conversationUrl);
    expect(root?.querySelector('[data-intercom-target="conversation-space"]')).not.toBeNull();
    expect(root?.querySelector('.inbox2__conversation-details-sidebar')).not.toBeNull();
    expect(root).not.toBe(doc.body);
    expect(intercom.watchRoot?.(loadFixture('intercom/user-profile.html'), userUrl)).not.toBeNull();
  });

  it('matches the end-to-end case URLs, and the cases agree with isRecordPage and extract', () => {
    const patterns = intercom.matches.map(matchPatternToRegExp);
    // As in Chromium, loadFixture attaches declarative shadow roots before reading.
    for (const c of cases) {
      const url = new URL(c.url);
      expect(patterns.some((p) => p.test(url.origin + url.pathname)), c.url).toBe(true);
      expect(intercom.isRecordPage(url), c.url).toBe(c.expect !== null);
      const doc = loadFixture(`intercom/${c.fixture}`);
      const { identity } = intercom.extract(doc, url);
      if (c.expect) expect(identity, c.url).toMatchObject(c.expect);
      else expect(identity, c.url).toBeNull();
    }
    expect(cases.length).toBeGreaterThanOrEqual(3);
    expect(patterns.some((p) => p.test('https://www.intercom.com/help/en/'))).toBe(false);
  });

  it('keeps every selector and path pattern as plain data', () => {
    expectSelectorsAsData(INTERCOM_SELECTORS, htmlDocument('<p></p>'));
  });
});
