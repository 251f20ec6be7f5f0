// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { freshdesk } from '~/lib/sites/freshdesk';
import { matchPatternToRegExp } from '~/lib/sites/registry';
import { htmlDocument, loadFixture } from '../../helpers/dom';
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
});
