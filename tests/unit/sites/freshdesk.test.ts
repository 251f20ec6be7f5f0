// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { freshdesk } from '~/lib/sites/hosts/freshdesk/adapter';
import { matchPatternToRegExp } from '~/lib/sites/registry';
import { htmlDocument, loadFixture } from '../../helpers/dom';
import { attachDeclarativeShadowRoots, withChromeDom } from '../../helpers/shadow';
import { expectCasesAgree, loadCases } from '../../helpers/sites';

const cases = loadCases('freshdesk');

const ticketUrl = new URL('https://acme.freshdesk.com/a/tickets/42');
const contactUrl = new URL('https://acme.freshdesk.com/a/contacts/19000000003');

describe('Freshdesk adapter', () => {
  it('reads the contact of the visible ticket from the contact details panel', () => {
    const { identity, missing } = freshdesk.extract(loadFixture('freshdesk/agent-ticket.html'), ticketUrl);
    expect(identity).toEqual({
      host: 'freshdesk',
      hostRecordId: '42',
      recordType: 'ticket',
      email: 'carmen.vasquez.1@harborpine.example',
      name: 'Carmen Vasquez',
      company: 'Harbor & Pine',
      domain: 'harborpine.example',
    });
    expect(missing).toEqual([]);
  });

  it('ignores the hidden previous ticket view and the agent in the conversation', () => {
    const doc = loadFixture('freshdesk/agent-ticket.html');
    const text = JSON.stringify(freshdesk.extract(doc, ticketUrl).identity);
    expect(text).not.toContain('luca.tanaka');
    expect(text).not.toContain('sam.rivera');
    // Without the visible ticket, the hidden one is not read either.
    doc.querySelector('main > section:not([hidden])')?.remove();
    expect(freshdesk.extract(doc, ticketUrl)).toEqual({ identity: null, missing: ['contact details panel'] });
  });

  it('reads the contact page', () => {
    const { identity, missing } = freshdesk.extract(loadFixture('freshdesk/contact.html'), contactUrl);
    expect(identity).toEqual({
      host: 'freshdesk',
      hostRecordId: '19000000003',
      recordType: 'contact',
      email: 'chidi.quispe.3@northwind.example',
      name: 'Chidi Quispe',
      company: 'Northwind Traders',
      domain: 'northwind.example',
    });
    expect(missing).toEqual([]);
  });

  it('falls back to a mailto link in the main region of a contact page without the widget', () => {
    const doc = htmlDocument(`<main><h1><span data-test-id="user-name">Ana Li</span></h1>
      <a href="mailto:Ana.Li@Example.org?subject=hi">write</a></main>`);
    expect(freshdesk.extract(doc, contactUrl).identity).toMatchObject({
      email: 'ana.li@example.org',
      name: 'Ana Li',
      recordType: 'contact',
    });
  });

  it('recognises ticket and contact pages only', () => {
    for (const href of [
      'https://acme.freshdesk.com/a/tickets/42',
      'https://acme.freshdesk.com/a/tickets/42/',
      'https://acme.freshdesk.com/helpdesk/tickets/42',
      'https://support.acme.example/a/contacts/19000000003',
    ]) {
      expect(freshdesk.isRecordPage(new URL(href)), href).toBe(true);
    }
    for (const href of [
      'https://acme.freshdesk.com/a/tickets/filters/all_tickets',
      'https://acme.freshdesk.com/a/tickets/new',
      'https://acme.freshdesk.com/a/dashboard/default',
      'https://acme.freshdesk.com/a/contacts',
      'https://acme.freshdesk.com/a/contacts/filters/all',
      'https://acme.freshdesk.com/a/companies/19000000500',
      'https://acme.freshdesk.com/support/tickets/42',
    ]) {
      expect(freshdesk.isRecordPage(new URL(href)), href).toBe(false);
    }
  });

  it('says what it could not find on a page not rendered yet', () => {
    const loading = htmlDocument('<div id="ember-app"><div class="loading">Loading…</div></div>');
    expect(freshdesk.extract(loading, ticketUrl)).toEqual({ identity: null, missing: ['contact details panel'] });
    expect(freshdesk.extract(loading, contactUrl)).toEqual({ identity: null, missing: ['contact details'] });
    const empty = htmlDocument('<div class="info-details-widget"></div>');
    expect(freshdesk.extract(empty, ticketUrl)).toEqual({
      identity: null,
      missing: ['customer email', 'customer name'],
    });
    const nameOnly = htmlDocument('<div class="info-details-widget"><div class="widget-requestor-info">Ana Li</div></div>');
    expect(freshdesk.extract(nameOnly, ticketUrl)).toEqual({
      identity: { host: 'freshdesk', hostRecordId: '42', recordType: 'ticket', name: 'Ana Li' },
      missing: ['customer email'],
    });
    expect(freshdesk.extract(loading, new URL('https://acme.freshdesk.com/a/dashboard/default'))).toEqual({
      identity: null,
      missing: ['ticket or contact id in the URL'],
    });
  });

  it('returns page text as plain text, never markup', () => {
    const doc = htmlDocument(`<div class="info-details-widget">
      <div class="widget-requestor-info"><a href="/a/contacts/1">&lt;img src=x onerror=alert(1)&gt;</a></div>
      <div data-test-id="requester-info-contact-email"><div class="info-details-content">x@example.org</div></div></div>`);
    const { identity } = freshdesk.extract(doc, ticketUrl);
    expect(identity?.name).toBe('<img src=x onerror=alert(1)>');
    expect(doc.querySelector('img')).toBeNull();
  });

  it('watches the Ember application root', () => {
    const doc = loadFixture('freshdesk/agent-ticket.html');
    expect(freshdesk.watchRoot?.(doc, ticketUrl)).toBe(doc.body);
    expect(freshdesk.watchRoot?.(htmlDocument('<p>x</p>'), ticketUrl)).toBeNull();
  });

  it('matches the end-to-end case URLs, and the cases agree with isRecordPage and extract', () => {
    const patterns = freshdesk.matches.map(matchPatternToRegExp);
    expectCasesAgree(freshdesk, cases);
    expect(patterns.some((p) => p.test('https://freshdesk.com.evil.example/a/tickets/1'))).toBe(false);
  });

  describe('2026 layout: the contact panel is a micro-frontend in an open shadow root', () => {
    const url = new URL('https://acme.freshdesk.com/a/tickets/5120');
    const CHIDI = {
      host: 'freshdesk',
      hostRecordId: '5120',
      recordType: 'ticket',
      email: 'chidi.quispe.1165@copperleaf.example',
      name: 'Chidi Quispe',
      company: 'Copperleaf Studio',
      domain: 'copperleaf.example',
    };

    it('reads the contact, email and company from inside the panel’s shadow root', () => {
      const doc = loadFixture('freshdesk/ticket-2026.html');
      // Nothing of the panel is in the page's own DOM: only a reader of shadow roots finds the email.
      expect(doc.querySelector('p.break-all, a[href*="/a/companies/19000000700"]')).toBeNull();
      expect(freshdesk.extract(doc, url)).toEqual({ identity: CHIDI, missing: [] });
    });

    it('never takes the agent’s reply or signature, the CC’d person who replied first, the private note, the hidden previous ticket or the preview', () => {
      const text = JSON.stringify(freshdesk.extract(loadFixture('freshdesk/ticket-2026.html'), url));
      for (const other of ['sam.rivera', 'Sam Rivera', 'Luca', 'luca.tanaka', 'Hana', 'hana.torres', 'Farah', 'farah.ueda', 'Tidewater', 'acme-support']) {
        expect(text).not.toContain(other);
      }
    });

    it('without the panel, reads no one from the conversation, the preview or the hidden view', () => {
      const doc = loadFixture('freshdesk/ticket-2026.html');
      doc.querySelectorAll('.ticket-view:not([hidden]) mfe-application').forEach((app) => app.remove());
      expect(freshdesk.extract(doc, url)).toEqual({ identity: null, missing: ['contact details panel'] });
    });

    it('says so when the panel’s shadow root is closed', () => {
      const doc = htmlDocument(`<div class="ember-application"><aside><mfe-application app-id="fw-unified-mfe--contact-info"><template shadowrootmode="closed">
        <a href="/a/contacts/1">Chidi Quispe</a><p class="break-all">chidi.quispe.1165@copperleaf.example</p></template></mfe-application></aside></div>`);
      attachDeclarativeShadowRoots(doc);
      expect(withChromeDom(() => freshdesk.extract(doc, url))).toEqual({
        identity: null,
        missing: ['contact details panel (in a closed shadow root, which Centric cannot read)'],
      });
      // Where the browser cannot tell a closed root apart, the panel is named plainly.
      expect(freshdesk.extract(doc, url)).toEqual({ identity: null, missing: ['contact details panel'] });
    });

    it('says which panel it took when two are shown', () => {
      const panel = (name: string, email: string) => `<mfe-application app-id="fw-unified-mfe--contact-info"><template shadowrootmode="open">
        <a href="/a/contacts/1">${name}</a><p class="break-all">${email}</p></template></mfe-application>`;
      const doc = htmlDocument(`<div class="ember-application">${panel('Chidi Quispe', 'chidi.quispe.3@northwind.example')}${panel('Tara Ivanova', 'tara.ivanova.4@harborpine.example')}</div>`);
      attachDeclarativeShadowRoots(doc);
      expect(freshdesk.extract(doc, url).identity).toEqual({
        host: 'freshdesk',
        hostRecordId: '5120',
        recordType: 'ticket',
        email: 'chidi.quispe.3@northwind.example',
        name: 'Chidi Quispe',
        domain: 'northwind.example',
        note: 'first of 2 contact panels on the page',
      });
    });

    it('reads a panel nested in another micro-frontend’s shadow root once, and a contact shown by address only', () => {
      const doc = htmlDocument(`<div class="ember-application"><mfe-application app-id="fw-unified-mfe--contact-info"><template shadowrootmode="open">
        <fw-unified-mfe--contact-info><template shadowrootmode="open"><a href="/a/contacts/1">Ana.Li@Example.org</a></template></fw-unified-mfe--contact-info>
        </template></mfe-application></div>`);
      attachDeclarativeShadowRoots(doc);
      expect(freshdesk.extract(doc, url)).toEqual({
        identity: { host: 'freshdesk', hostRecordId: '5120', recordType: 'ticket', email: 'ana.li@example.org', domain: 'example.org' },
        missing: ['customer name'],
      });
    });
  });

  describe('mid-2026 layout: contact links in the page’s own DOM (German UI)', () => {
    const url = new URL('https://acme.freshdesk.com/a/tickets/5121');

    it('reads the sidebar’s contact and company, never the CC’d contact whose reply comes first', () => {
      const doc = loadFixture('freshdesk/ticket-2026-light-de.html');
      // Sanity: the first contact link of the page is the CC'd person's, in the conversation.
      expect(doc.querySelector('a[href*="/a/contacts/"]')?.textContent).toBe('Luca Tanaka');
      expect(freshdesk.extract(doc, url)).toEqual({
        identity: { host: 'freshdesk', hostRecordId: '5121', recordType: 'ticket', name: 'Carmen Vasquez', company: 'Harbor & Pine' },
        missing: ['customer email'],
      });
    });

    it('without the sidebar, takes no one from the conversation', () => {
      const doc = loadFixture('freshdesk/ticket-2026-light-de.html');
      doc.querySelector('.contact-details')?.remove();
      expect(freshdesk.extract(doc, url)).toEqual({ identity: null, missing: ['contact details panel'] });
    });
  });
});
