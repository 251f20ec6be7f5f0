/**
 * Who is this? The matching order (pure, over any store):
 *   1. email (case-insensitive) — the person;
 *   2. the host's record id, when someone linked it to a customer before;
 *   3. the company domain (never a mailbox provider's) — the account, for B2B value;
 *   4. otherwise nothing, with name suggestions for a "link to customer" search.
 * One pipeline for the sidebar's single lookup and the list chips' batch (lib/lookup/lookup.ts, batch.ts).
 */
import type { StoredCustomer } from '../db/records';
import type { IdentityMessage } from '../messages/schema';
import { isCompanyDomain } from './freemail';

export interface MatchStore {
  byEmail(email: string): Promise<StoredCustomer | undefined>;
  byHostRecord(key: string): Promise<StoredCustomer | undefined>;
  byDomain(domain: string, limit: number): Promise<StoredCustomer[]>;
  byName(name: string, limit: number): Promise<StoredCustomer[]>;
  countByName(name: string): Promise<number>;
}

export type MatchResult =
  | { kind: 'customer'; customer: StoredCustomer; matchedBy: 'email' | 'host-record' | 'name' }
  | { kind: 'account'; domain: string; customers: StoredCustomer[] }
  /** `suggestions` for "link to customer" (a record); `sameName` for a list row whose name several customers share. */
  | { kind: 'none'; suggestions: StoredCustomer[]; sameName?: number };

/** How many customers of one domain an account view adds up, at most (the sidebar and list chips alike). */
export const ACCOUNT_LIMIT = 5000;

/**
 * Where the identity is read. A record page (`record`, the sidebar) and a list row (`list`, the tier
 * chips, issue 8) differ in two ways only: a list row counts as its company only when it is a company
 * row (no person's email or name: a person whose email is unknown is not their company), and a list
 * row that shows only a name matches when exactly one customer has that name (a record page offers the
 * names as suggestions instead, to link by hand).
 */
export type MatchPlace = 'record' | 'list';

/** "zendesk:1234": the key a host record is linked under (customers.hostIds). */
export function hostRecordKey(identity: Pick<IdentityMessage, 'host' | 'hostRecordId'>): string | undefined {
  return identity.hostRecordId ? `${identity.host}:${identity.hostRecordId}` : undefined;
}

function domainOf(identity: IdentityMessage, place: MatchPlace): string | undefined {
  if (place === 'list' && (identity.email || identity.name)) return undefined;
  const fromEmail = place === 'record' ? identity.email?.split('@')[1] : undefined;
  const domain = (identity.domain ?? fromEmail)?.trim().toLowerCase().replace(/^www\./, '');
  return isCompanyDomain(domain) ? domain : undefined;
}

/** A record page's match: never by name alone. */
export type RecordMatch = Exclude<MatchResult, { kind: 'customer' }> | { kind: 'customer'; customer: StoredCustomer; matchedBy: 'email' | 'host-record' };

export function matchIdentity(store: MatchStore, identity: IdentityMessage, place?: 'record'): Promise<RecordMatch>;
export function matchIdentity(store: MatchStore, identity: IdentityMessage, place: MatchPlace): Promise<MatchResult>;
export async function matchIdentity(store: MatchStore, identity: IdentityMessage, place: MatchPlace = 'record'): Promise<MatchResult> {
  const email = identity.email?.trim().toLowerCase();
  if (email) {
    const person = await store.byEmail(email);
    if (person) return { kind: 'customer', customer: person, matchedBy: 'email' };
  }
  const key = hostRecordKey(identity);
  if (key) {
    const linked = await store.byHostRecord(key);
    if (linked) return { kind: 'customer', customer: linked, matchedBy: 'host-record' };
  }
  const domain = domainOf(identity, place);
  if (domain) {
    const customers = await store.byDomain(domain, ACCOUNT_LIMIT);
    if (customers.length > 0) return { kind: 'account', domain, customers };
  }
  const name = identity.name?.trim();
  if (place === 'record') return { kind: 'none', suggestions: name ? await store.byName(name, 5) : [] };
  if (email || !name) return { kind: 'none', suggestions: [] };
  const named = await store.byName(name, 2);
  if (named.length === 1) return { kind: 'customer', customer: named[0]!, matchedBy: 'name' };
  return named.length > 1 ? { kind: 'none', suggestions: [], sameName: await store.countByName(name) } : { kind: 'none', suggestions: [] };
}
