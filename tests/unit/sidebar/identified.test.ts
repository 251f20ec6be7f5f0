// @vitest-environment happy-dom
/**
 * Issue 17: the sidebar always says how the customer was identified, on every site; a record page
 * whose customer cannot be read is still linkable by its record, and each reading's outcome is what
 * the site health counts.
 */
import { describe, expect, it, vi } from 'vitest';
import type { CustomerView, IdentityMessage, LookupResult } from '~/lib/messages/schema';
import { pageIdentified } from '~/lib/sidebar/identified';
import { outcomeOf } from '~/lib/sidebar/outcome';
import { resolveSidebarState, stateFor } from '~/lib/sidebar/resolve';
import { freshdesk } from '~/lib/sites/hosts/freshdesk/adapter';
import { zendesk } from '~/lib/sites/hosts/zendesk/adapter';

const view = (extra: Partial<CustomerView> = {}): CustomerView => ({
  id: '7', name: 'Ana Li', currency: 'USD', asOf: '2026-01-01', source: 'local',
  facts: { orders: 1, totalSpent: 10, firstPurchase: '2020-01-01', lastPurchase: '2020-01-01' },
  ...extra,
});
const found = (extra: Partial<CustomerView> = {}): LookupResult => ({ status: 'found', customer: view(extra) });
const notFound: LookupResult = { status: 'not-found', suggestions: [] };
const page = (extra: Partial<IdentityMessage>): IdentityMessage => ({ host: 'hubspot', hostRecordId: '51', recordType: 'deal', ...extra });

describe('pageIdentified: one line for every way a customer is identified', () => {
  it('says each case in words', () => {
    const cases: [IdentityMessage, LookupResult | undefined, string, string][] = [
      [page({ email: 'ana@li.example' }), found({ matchedBy: 'email' }), 'email', 'Identified by the email on the page'],
      [page({ email: 'ana@li.example' }), notFound, 'email', 'Identified by the email on the page'],
      [page({ name: 'Ana Li' }), found({ matchedBy: 'host-record' }), 'link', 'Linked to this record by hand'],
      [page({ email: 'ana@li.example' }), found({ matchedBy: 'domain', account: { domain: 'li.example', customers: 3 } }), 'domain', 'Identified by the company domain li.example'],
      [page({ company: 'Li & Co', domain: 'li.example' }), found({ matchedBy: 'domain', account: { domain: 'li.example', customers: 3 } }), 'domain', 'Identified by the company domain li.example'],
      [page({ name: 'Ana Li' }), found({ matchedBy: 'email', source: 'remote' }), 'source', 'Identified by your team’s source'],
      [page({ name: 'Ana Li' }), notFound, 'name', 'Name only: the page shows no email to tell customers apart'],
      [page({ company: 'Li & Co' }), notFound, 'company', 'Company only: the page shows no person'],
      [page({}), found({ matchedBy: 'host-record' }), 'record', 'Linked to this record by hand: nothing could be read from the page'],
      [page({}), notFound, 'record', 'Nothing read from the page'],
    ];
    for (const [identity, result, by, text] of cases) expect(pageIdentified(identity, result), text).toEqual({ by, text });
  });

  it('adds the adapter’s note on how it chose among several candidates', () => {
    expect(pageIdentified(page({ email: 'ana@li.example', note: 'first of 3 associated contacts' }), found({ matchedBy: 'email' })).text).toBe(
      'Identified by the email on the page (first of 3 associated contacts)',
    );
  });
});

describe('stateFor: every site says how, and a page read for nothing keeps its record', () => {
  const freshdeskTicket = { hostRecordId: '4242', recordType: 'ticket' };

  it('derives the words where the site’s API is not asked, and keeps an API’s words where it is', async () => {
    const identity = { host: 'freshdesk', email: 'ana@li.example', hostRecordId: '4242', recordType: 'ticket' };
    expect(await stateFor(freshdesk, { identity, missing: [] }, async () => found({ matchedBy: 'email' }))).toMatchObject({
      kind: 'customer',
      identified: { by: 'email', text: 'Identified by the email on the page' },
    });
    const api = { by: 'host-api' as const, text: 'Identified by Zendesk’s API' };
    expect(await stateFor(zendesk, { identity, missing: [] }, async () => found({ matchedBy: 'email' }), api)).toMatchObject({ identified: api });
    // What was not found comes along (for the site health counts), only when something was not.
    const nameOnly = await stateFor(freshdesk, { identity: { host: 'freshdesk', name: 'Ana Li' }, missing: ['contact email'] }, async () => notFound);
    expect(nameOnly).toMatchObject({ kind: 'not-found', missing: ['contact email'], identified: { by: 'name' } });
    expect(await stateFor(freshdesk, { identity, missing: [] }, async () => notFound)).not.toHaveProperty('missing');
  });

  it('looks up the record alone when nothing was read: a customer someone linked to it is shown', async () => {
    const lookup = vi.fn(async () => found({ matchedBy: 'host-record' }));
    const state = await stateFor(freshdesk, { identity: null, missing: ['contact details panel'], record: freshdeskTicket }, lookup);
    expect(lookup).toHaveBeenCalledWith({ host: 'freshdesk', hostRecordId: '4242', recordType: 'ticket' });
    expect(state).toEqual({
      kind: 'customer',
      customer: view({ matchedBy: 'host-record' }),
      identity: { host: 'freshdesk', hostRecordId: '4242', recordType: 'ticket' },
      identified: { by: 'record', text: 'Linked to this record by hand: nothing could be read from the page' },
      missing: ['contact details panel'],
    });
  });

  it('says "no customer", with the record and what was not found, when the record is not linked (or the answer is anything else)', async () => {
    const expected = { kind: 'no-customer', site: 'Freshdesk', missing: ['contact details panel'], identity: { host: 'freshdesk', hostRecordId: '4242', recordType: 'ticket' } };
    const extraction = { identity: null, missing: ['contact details panel'], record: freshdeskTicket };
    expect(await stateFor(freshdesk, extraction, async () => notFound)).toEqual(expected);
    // A team source's customer "found" by the record id alone is not a link: not shown.
    expect(await stateFor(freshdesk, extraction, async () => found({ matchedBy: 'email', source: 'remote' }))).toEqual(expected);
    expect(await stateFor(freshdesk, extraction, async () => ({ status: 'error', message: 'disk full' }))).toEqual(expected);
    expect(
      await stateFor(freshdesk, extraction, async () => {
        throw new Error('Extension context invalidated.');
      }),
    ).toEqual(expected);
    // Without a record id, nothing is asked.
    const lookup = vi.fn();
    expect(await stateFor(freshdesk, { identity: null, missing: ['x'] }, lookup)).toEqual({ kind: 'no-customer', site: 'Freshdesk', missing: ['x'], identity: { host: 'freshdesk' } });
    expect(lookup).not.toHaveBeenCalled();
  });

  it('reads the record from the URL of a page the adapter cannot read', async () => {
    document.body.innerHTML = '<main><p>Ana Li, ana@li.example</p></main>';
    const lookup = vi.fn(async () => notFound);
    const state = await resolveSidebarState(freshdesk, document, new URL('https://acme.freshdesk.com/a/tickets/4242'), { lookup, timeoutMs: 20 });
    expect(state).toMatchObject({ kind: 'no-customer', identity: { host: 'freshdesk', hostRecordId: '4242', recordType: 'ticket' } });
    expect(lookup).toHaveBeenCalledWith({ host: 'freshdesk', hostRecordId: '4242', recordType: 'ticket' });
    document.body.innerHTML = '';
  });
});

describe('outcomeOf: what the site health counts', () => {
  const identity = { host: 'freshdesk', hostRecordId: '4242', recordType: 'ticket' };
  it('counts a reading by what it gave, with names of parts only', () => {
    expect(outcomeOf({ kind: 'customer', customer: view(), identity: { ...identity, email: 'ana@li.example' }, identified: { by: 'email', text: '' } })).toEqual({ outcome: 'identified', missing: [], recordType: 'ticket' });
    // An account page read whole (a company and its website) is identified; a name without the expected email is part of it.
    expect(outcomeOf({ kind: 'not-found', identity: { ...identity, company: 'Li & Co', domain: 'li.example' }, suggestions: [] })).toMatchObject({ outcome: 'identified' });
    expect(outcomeOf({ kind: 'not-found', identity: { ...identity, name: 'Ana Li' }, suggestions: [], missing: ['contact email'] })).toEqual({ outcome: 'partial', missing: ['contact email'], recordType: 'ticket' });
    // The site's API gave the email: identified, whatever the page missed.
    expect(outcomeOf({ kind: 'customer', customer: view(), identity: { ...identity, email: 'ana@li.example' }, missing: ['requester email'] })).toMatchObject({ outcome: 'identified' });
    expect(outcomeOf({ kind: 'no-customer', site: 'Freshdesk', missing: ['contact details panel'], identity })).toEqual({ outcome: 'failed', missing: ['contact details panel'], recordType: 'ticket' });
    // Found only through a link made by hand: the page still gave nothing.
    expect(outcomeOf({ kind: 'customer', customer: view(), identity, identified: { by: 'record', text: '' }, missing: ['contact details panel'] })).toMatchObject({ outcome: 'failed' });
  });

  it('counts nothing for a page that is not a record, while loading, or on an error', () => {
    expect(outcomeOf({ kind: 'no-customer', site: 'Freshdesk', missing: [] })).toBeNull();
    expect(outcomeOf({ kind: 'loading' })).toBeNull();
    expect(outcomeOf({ kind: 'error', message: 'x' })).toBeNull();
  });
});
