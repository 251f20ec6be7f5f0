import { describe, expect, it } from 'vitest';
import type { CustomerWithValue } from '~/lib/db/records';
import { isCompanyDomain } from '~/lib/match/freemail';
import { hostRecordKey, matchIdentity, type MatchStore } from '~/lib/match/match';

function customer(id: string, email: string, extra: Partial<CustomerWithValue> = {}): CustomerWithValue {
  return {
    id, name: `Customer ${id}`, emails: [email], domain: email.split('@')[1], hostIds: [],
    facts: { orders: 1, totalSpent: 10, firstPurchase: '2024-01-01', lastPurchase: '2024-01-01' },
    source: 'local', importedAt: '2024-01-02T00:00:00Z', ...extra,
  };
}

const base = [
  customer('1', 'ana@acme.example', { name: 'Ana Li', hostIds: ['zendesk:77'] }),
  customer('2', 'bo@acme.example', { name: 'Bo Ek' }),
  customer('3', 'cy@gmail.com', { name: 'Ana Li' }),
];

const store: MatchStore = {
  byEmail: async (email) => base.find((c) => c.emails.includes(email)),
  byHostRecord: async (key) => base.find((c) => c.hostIds.includes(key)),
  byDomain: async (domain, limit) => base.filter((c) => c.domain === domain).slice(0, limit),
  byName: async (name, limit) => base.filter((c) => c.name.toLowerCase() === name.toLowerCase()).slice(0, limit),
  countByName: async (name) => base.filter((c) => c.name.toLowerCase() === name.toLowerCase()).length,
};

describe('matching order', () => {
  it('1. email, whatever its case', async () => {
    expect(await matchIdentity(store, { host: 'x', email: 'BO@acme.example' })).toMatchObject({ kind: 'customer', matchedBy: 'email', customer: { id: '2' } });
  });

  it('2. a host record an agent linked', async () => {
    expect(await matchIdentity(store, { host: 'zendesk', hostRecordId: '77', email: 'new@other.example' })).toMatchObject({
      kind: 'customer', matchedBy: 'host-record', customer: { id: '1' },
    });
    expect(await matchIdentity(store, { host: 'hubspot', hostRecordId: '77' })).toMatchObject({ kind: 'none' });
  });

  it('3. the company domain, as an account of all its customers', async () => {
    const result = await matchIdentity(store, { host: 'x', email: 'new.person@acme.example' });
    expect(result.kind).toBe('account');
    if (result.kind === 'account') expect(result.customers.map((c) => c.id)).toEqual(['1', '2']);
    expect((await matchIdentity(store, { host: 'x', domain: 'www.acme.example' })).kind).toBe('account');
  });

  it('never treats a mailbox provider as a company', async () => {
    expect(await matchIdentity(store, { host: 'x', email: 'stranger@gmail.com' })).toEqual({ kind: 'none', suggestions: [] });
    expect(isCompanyDomain('gmail.com')).toBe(false);
    expect(isCompanyDomain('acme.example')).toBe(true);
    expect(isCompanyDomain(undefined)).toBe(false);
  });

  it('4. nothing found: suggestions by name', async () => {
    const result = await matchIdentity(store, { host: 'x', name: 'ana li', email: 'ana.li@elsewhere.org' });
    expect(result.kind).toBe('none');
    if (result.kind === 'none') expect(result.suggestions.map((c) => c.id)).toEqual(['1', '3']);
  });

  it('keys host records by host and id', () => {
    expect(hostRecordKey({ host: 'zendesk', hostRecordId: '5' })).toBe('zendesk:5');
    expect(hostRecordKey({ host: 'zendesk' })).toBeUndefined();
  });
});

describe('a list row (the tier chips) and a record page: one pipeline, two places', () => {
  it('a person whose email is unknown is their company on a record page, not in a list', async () => {
    const person = { host: 'x', email: 'new.person@acme.example', name: 'New Person' };
    expect(await matchIdentity(store, person)).toMatchObject({ kind: 'account', domain: 'acme.example' });
    expect(await matchIdentity(store, person, 'list')).toEqual({ kind: 'none', suggestions: [] });
    expect(await matchIdentity(store, { host: 'x', domain: 'acme.example' }, 'list')).toMatchObject({ kind: 'account', domain: 'acme.example' });
  });

  it('a name alone: suggestions on a record page; in a list, the one customer of that name, else how many share it', async () => {
    expect(await matchIdentity(store, { host: 'x', name: 'bo ek' })).toMatchObject({ kind: 'none', suggestions: [{ id: '2' }] });
    expect(await matchIdentity(store, { host: 'x', name: 'bo ek' }, 'list')).toMatchObject({ kind: 'customer', matchedBy: 'name', customer: { id: '2' } });
    expect(await matchIdentity(store, { host: 'x', name: 'Ana Li' }, 'list')).toEqual({ kind: 'none', suggestions: [], sameName: 2 });
    expect(await matchIdentity(store, { host: 'x', name: 'Nobody' }, 'list')).toEqual({ kind: 'none', suggestions: [] });
  });
});
