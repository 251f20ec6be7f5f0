// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { gorgias } from '~/lib/sites/hosts/gorgias/adapter';
import { matchPatternToRegExp } from '~/lib/sites/registry';
import { htmlDocument, loadFixture } from '../../helpers/dom';
import { expectCasesAgree, loadCases } from '../../helpers/sites';

const cases = loadCases('gorgias');

const ticketUrl = new URL('https://acme.gorgias.com/app/ticket/123');
const viewTicketUrl = new URL('https://acme.gorgias.com/app/views/1384557/124');
const customerUrl = new URL('https://acme.gorgias.com/app/customer/9010');

describe('Gorgias adapter', () => {
  it("reads the ticket's customer from the customer sidebar", () => {
    const { identity, missing } = gorgias.extract(loadFixture('gorgias/ticket.html'), ticketUrl);
    expect(identity).toEqual({
      host: 'gorgias',
      hostRecordId: '123',
      recordType: 'ticket',
      email: 'hana.torres.8@harborpine.example',
      name: 'Hana Torres',
      domain: 'harborpine.example',
    });
    expect(missing).toEqual([]);
    expect(JSON.stringify(identity)).not.toContain('sam.rivera');
  });

  it("reads the open ticket beside a view's list, not the other tickets of the list", () => {
    const doc = loadFixture('gorgias/views-ticket.html');
    const { identity, missing } = gorgias.extract(doc, viewTicketUrl);
    expect(identity).toEqual({
      host: 'gorgias',
      hostRecordId: '124',
      recordType: 'ticket',
      email: 'uma.brennan.9@northwind.example',
      name: 'Uma Brennan',
      domain: 'northwind.example',
    });
    expect(missing).toEqual([]);
    // Without the sidebar and the header, the list alone gives no customer.
    doc.querySelector('.infobar-panel')?.remove();
    doc.querySelector('[aria-label="Breadcrumbs"]')?.remove();
    expect(gorgias.extract(doc, viewTicketUrl)).toEqual({ identity: null, missing: ['customer sidebar'] });
  });

  it('reads a customer page', () => {
    const { identity, missing } = gorgias.extract(loadFixture('gorgias/customer.html'), customerUrl);
    expect(identity).toEqual({
      host: 'gorgias',
      hostRecordId: '9010',
      recordType: 'customer',
      email: 'kaia.zhou.10@silverline.example',
      name: 'Kaia Zhou',
      domain: 'silverline.example',
    });
    expect(missing).toEqual([]);
  });

  it('uses the header breadcrumbs when the sidebar shows no profile (Helpdesk V2 layout)', () => {
    const doc = htmlDocument(`<nav aria-label="Breadcrumbs"><a href="/app/tickets">Tickets</a>
      <a href="/app/customer/9008">Hana Torres</a></nav>
      <div class="infobar infobar-panel"><div data-candu-id="infobar-widgets-list-view"><div>Shopify</div></div></div>`);
    expect(gorgias.extract(doc, ticketUrl)).toEqual({
      identity: { host: 'gorgias', hostRecordId: '123', recordType: 'ticket', name: 'Hana Torres' },
      missing: ['customer email'],
    });
  });

  it('skips a hidden sidebar', () => {
    const doc = htmlDocument(`
      <div class="infobar-panel" hidden><a href="/app/customer/1">Luca Tanaka</a><a href="mailto:luca.tanaka.2@harborpine.example" id="address-copied-1">x</a></div>
      <div class="infobar-panel"><a href="/app/customer/9008">Hana Torres</a><a href="mailto:hana.torres.8@harborpine.example" id="address-copied-2">x</a></div>`);
    expect(gorgias.extract(doc, ticketUrl).identity).toMatchObject({
      name: 'Hana Torres',
      email: 'hana.torres.8@harborpine.example',
    });
  });

  describe('traps', () => {
    const splitUrl = new URL('https://acme.gorgias.com/app/tickets/1384557/126');
    const kemal = { host: 'gorgias', hostRecordId: '126', recordType: 'ticket', email: 'kemal.torres.12@copperleaf.example', name: 'Kemal Torres', domain: 'copperleaf.example' };

    it('reads the split view’s open ticket: its sidebar’s customer, not the list, the thread or the sidebar’s search results', () => {
      const doc = loadFixture('gorgias/ticket-traps-fr.html');
      // Sanity: the first customer link and channel of the sidebar are search results.
      expect(doc.querySelector('.infobar-panel a[href^="/app/customer/"]')?.textContent).toBe('Freya Abbott');
      expect(gorgias.extract(doc, splitUrl)).toEqual({ identity: kemal, missing: [] });
    });

    it('takes the sidebar’s customer only when it is the one the ticket header names', () => {
      const doc = loadFixture('gorgias/ticket-traps-fr.html');
      doc.querySelector('nav[aria-label="Fil d\'Ariane"]')!.setAttribute('aria-label', 'Breadcrumbs');
      expect(gorgias.extract(doc, splitUrl).identity).toEqual(kemal);
      // The sidebar shows only the search results: the header's name, and no one's address.
      doc.querySelector('[data-candu-id="infobar-widgets-list-view"]')?.remove();
      expect(gorgias.extract(doc, splitUrl)).toEqual({
        identity: { host: 'gorgias', hostRecordId: '126', recordType: 'ticket', name: 'Kemal Torres' },
        missing: ['customer email'],
      });
    });

    it('does not take a search result for the customer when the header cannot be read (localised labels)', () => {
      const doc = loadFixture('gorgias/ticket-traps-fr.html');
      doc.querySelector('[data-candu-id="infobar-widgets-list-view"]')?.remove();
      expect(gorgias.extract(doc, splitUrl)).toEqual({ identity: null, missing: ['customer email', 'customer name'] });
    });

    it('never reads the thread (Cc, the agent’s signature, an internal note’s customer) or the ticket list', () => {
      const doc = loadFixture('gorgias/ticket-traps-fr.html');
      doc.querySelector('.infobar-panel')?.remove();
      expect(gorgias.extract(doc, splitUrl)).toEqual({ identity: null, missing: ['customer sidebar'] });
      const named = loadFixture('gorgias/ticket-traps-fr.html');
      named.querySelector('nav[aria-label="Fil d\'Ariane"]')!.setAttribute('aria-label', 'Breadcrumbs');
      named.querySelector('.infobar-panel')?.remove();
      expect(gorgias.extract(named, splitUrl)).toEqual({
        identity: { host: 'gorgias', hostRecordId: '126', recordType: 'ticket', name: 'Kemal Torres' },
        missing: ['customer email'],
      });
    });
  });

  it('recognises ticket and customer pages only', () => {
    for (const href of [
      'https://acme.gorgias.com/app/ticket/123',
      'https://acme.gorgias.com/app/ticket/123/',
      'https://acme.gorgias.com/app/views/1384557/124',
      'https://acme.gorgias.com/app/tickets/1384557/126',
      'https://acme.gorgias.com/app/customer/9010',
      'https://acme.gorgias.com/app/customers/9010',
    ]) {
      expect(gorgias.isRecordPage(new URL(href)), href).toBe(true);
    }
    for (const href of [
      'https://acme.gorgias.com/app/views/1384557',
      'https://acme.gorgias.com/app/tickets',
      'https://acme.gorgias.com/app/tickets/1384557',
      'https://acme.gorgias.com/app/tickets/new/public',
      'https://acme.gorgias.com/app/customers',
      'https://acme.gorgias.com/app/ticket/new',
      'https://acme.gorgias.com/app/ticket/123/print',
      'https://acme.gorgias.com/app/settings/rules',
    ]) {
      expect(gorgias.isRecordPage(new URL(href)), href).toBe(false);
    }
  });

  it('says what it could not find on a page not rendered yet', () => {
    const loading = htmlDocument('<div id="app-root"><div class="Loader--loader--x1"></div></div>');
    expect(gorgias.extract(loading, ticketUrl)).toEqual({ identity: null, missing: ['customer sidebar'] });
    expect(gorgias.extract(htmlDocument('<div class="infobar infobar-panel"></div>'), ticketUrl)).toEqual({
      identity: null,
      missing: ['customer email', 'customer name'],
    });
    expect(gorgias.extract(loading, new URL('https://acme.gorgias.com/app/tickets')).missing).toEqual([
      'ticket or customer id in the URL',
    ]);
  });

  it('returns page text as plain text, never markup', () => {
    const doc = htmlDocument(`<div class="infobar-panel">
      <a href="/app/customer/9008">&lt;img src=x onerror=alert(1)&gt;</a></div>`);
    expect(gorgias.extract(doc, ticketUrl).identity?.name).toBe('<img src=x onerror=alert(1)>');
    expect(doc.querySelector('img')).toBeNull();
  });

  it('watches the React root', () => {
    const doc = loadFixture('gorgias/ticket.html');
    expect(gorgias.watchRoot?.(doc, ticketUrl)).toBe(doc.getElementById('app-root'));
  });

  it('matches the end-to-end case URLs, and the cases agree with isRecordPage and extract', () => {
    const patterns = gorgias.matches.map(matchPatternToRegExp);
    expectCasesAgree(gorgias, cases);
    expect(patterns.some((p) => p.test('https://gorgias.com.evil.example/app/ticket/1'))).toBe(false);
  });
});
