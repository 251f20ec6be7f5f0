/**
 * Who is this? The matching order (pure, over any store):
 *   1. email (case-insensitive) — the person;
 *   2. the host's record id, when someone linked it to a customer before;
 *   3. the company domain (never a mailbox provider's) — the account, for B2B value;
 *   4. otherwise nothing, with name suggestions for a "link to customer" search.
 */
import type { StoredCustomer } from '../db/records';
import type { IdentityMessage } from '../messages/schema';
import { isCompanyDomain } from './freemail';

export interface MatchStore {
  byEmail(email: string): Promise<StoredCustomer | undefined>;
  byHostRecord(key: string): Promise<StoredCustomer | undefined>;
  byDomain(domain: string, limit: number): Promise<StoredCustomer[]>;
  byName(name: string, limit: number): Promise<StoredCustomer[]>;
}

export type MatchResult =
  | { kind: 'customer'; customer: StoredCustomer; matchedBy: 'email' | 'host-record' }
  | { kind: 'account'; domain: string; customers: StoredCustomer[] }
  | { kind: 'none'; suggestions: StoredCustomer[] };

/** How many customers of one domain an account view adds up, at most. */
export const ACCOUNT_LIMIT = 5000;

/** "zendesk:1234": the key a host record is linked under (customers.hostIds). */
export function hostRecordKey(identity: Pick<IdentityMessage, 'host' | 'hostRecordId'>): string | undefined {
  return identity.hostRecordId ? `${identity.host}:${identity.hostRecordId}` : undefined;
}

function domainOf(identity: IdentityMessage): string | undefined {
  const fromEmail = identity.email?.split('@')[1];
  const domain = (identity.domain ?? fromEmail)?.trim().toLowerCase().replace(/^www\./, '');
  return isCompanyDomain(domain) ? domain : undefined;
}

export async function matchIdentity(store: MatchStore, identity: IdentityMessage): Promise<MatchResult> {
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
  const domain = domainOf(identity);
  if (domain) {
    const customers = await store.byDomain(domain, ACCOUNT_LIMIT);
    if (customers.length > 0) return { kind: 'account', domain, customers };
  }
  const name = identity.name?.trim();
  return { kind: 'none', suggestions: name ? await store.byName(name, 5) : [] };
}
