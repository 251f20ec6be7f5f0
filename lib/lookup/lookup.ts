/**
 * One lookup: from the identity a site adapter read to the view the sidebar shows, matched in the
 * order of lib/match (email, linked host record, company domain, name suggestions) against the
 * Dexie store; plus the "link to customer" search and link.
 */
import type { CentricDb } from '../db/db';
import type { CustomerRecord } from '../db/records';
import { hostRecordKey, matchIdentity, type MatchStore } from '../match/match';
import type { CustomerView, IdentityMessage, LookupResult, SearchResult, Suggestion } from '../messages/schema';
import { treatmentForTier } from '../treatments/by-tier';

export function toCustomerView(record: CustomerRecord, matchedBy?: CustomerView['matchedBy']): CustomerView {
  const v = record.value;
  return {
    id: record.id,
    name: record.name,
    email: record.emails[0],
    company: record.company,
    facts: record.facts,
    value: v && {
      tier: v.tier,
      tierColor: v.tierColor,
      tierForeground: v.tierForeground,
      rank: v.rank,
      clv: v.clv,
      next12Months: v.next12Months,
      pAlive: v.pAlive,
      expectedTransactions: v.expectedTransactions,
      explanation: v.explanation,
      flags: v.flags,
      flagExplanations: v.flagExplanations,
      model: v.model,
      scoredAt: v.scoredAt,
    },
    treatment: v && treatmentForTier(v.tierIndex, v.tierCount ?? 4, v.flags),
    matchedBy,
    currency: 'USD',
    asOf: record.importedAt,
    source: record.source,
  };
}

const money = (n: number) => n.toLocaleString('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

/** A company's customers added up: the account's value for B2B (matched by domain). */
export function accountView(domain: string, customers: readonly CustomerRecord[]): CustomerView {
  const sorted = [...customers].sort((a, b) => (b.value?.clv ?? 0) - (a.value?.clv ?? 0));
  const best = sorted[0]!;
  const company = customers.find((c) => c.company)?.company;
  let orders = 0;
  let cents = 0;
  let first = '';
  let last = '';
  for (const c of customers) {
    orders += c.facts.orders;
    cents += Math.round(c.facts.totalSpent * 100);
    if (c.facts.firstPurchase && (!first || c.facts.firstPurchase < first)) first = c.facts.firstPurchase;
    if (c.facts.lastPurchase > last) last = c.facts.lastPurchase;
  }
  const scored = customers.filter((c) => c.value);
  const sum = (pick: (c: CustomerRecord) => number) => scored.reduce((s, c) => s + pick(c), 0);
  const bestValue = best.value;
  const view = toCustomerView(best, 'domain');
  return {
    ...view,
    id: `domain:${domain}`,
    name: company ?? domain,
    email: undefined,
    company: company ?? domain,
    facts: { orders, totalSpent: cents / 100, firstPurchase: first, lastPurchase: last },
    account: { domain, customers: customers.length },
    value: bestValue && {
      ...view.value!,
      clv: sum((c) => c.value!.clv),
      next12Months: sum((c) => c.value!.next12Months),
      expectedTransactions: sum((c) => c.value!.expectedTransactions),
      pAlive: Math.max(...scored.map((c) => c.value!.pAlive)),
      explanation:
        `Account: ${customers.length.toLocaleString('en-US')} customer${customers.length === 1 ? '' : 's'} at ${domain} together hold ` +
        `${money(sum((c) => c.value!.clv))} of predicted value; the most valuable, ${best.name}, is ${bestValue.tier}.`,
      flags: [],
      flagExplanations: [],
    },
  };
}

function dexieStore(db: CentricDb): MatchStore {
  return {
    byEmail: (email) => db.customers.where('emails').equals(email).first(),
    byHostRecord: (key) => db.customers.where('hostIds').equals(key).first(),
    byDomain: (domain, limit) => db.customers.where('domain').equals(domain).limit(limit).toArray(),
    byName: (name, limit) => db.customers.where('name').equalsIgnoreCase(name).limit(limit).toArray(),
  };
}

export function toSuggestion(record: CustomerRecord): Suggestion {
  return { id: record.id, name: record.name, email: record.emails[0], company: record.company, tier: record.value?.tier };
}

export async function lookup(db: CentricDb, identity: IdentityMessage): Promise<LookupResult> {
  const match = await matchIdentity(dexieStore(db), identity);
  switch (match.kind) {
    case 'customer':
      return { status: 'found', customer: toCustomerView(match.customer, match.matchedBy) };
    case 'account':
      return { status: 'found', customer: accountView(match.domain, match.customers) };
    case 'none':
      return { status: 'not-found', suggestions: match.suggestions.map(toSuggestion) };
  }
}

/** Customers whose name, email or company starts with the query (case-insensitive), best first. */
export async function searchCustomers(db: CentricDb, query: string, limit = 8): Promise<SearchResult> {
  const q = query.trim();
  if (q.length < 2) return { results: [] };
  const [byName, byEmail, byId] = await Promise.all([
    db.customers.where('name').startsWithIgnoreCase(q).limit(limit).toArray(),
    db.customers.where('emails').startsWith(q.toLowerCase()).limit(limit).toArray(),
    db.customers.where('id').equals(q).toArray(),
  ]);
  const seen = new Set<string>();
  const results = [...byId, ...byName, ...byEmail].filter((c) => !seen.has(c.id) && seen.add(c.id));
  results.sort((a, b) => (b.value?.clv ?? 0) - (a.value?.clv ?? 0));
  return { results: results.slice(0, limit).map(toSuggestion) };
}

/** Remembers (or forgets, with null) which customer a host record is, then looks it up again. */
export async function linkHostRecord(db: CentricDb, identity: IdentityMessage, customerId: string | null): Promise<LookupResult> {
  const key = hostRecordKey(identity);
  if (!key) return { status: 'error', message: 'This page has no record id to remember the link by.' };
  await db.transaction('rw', db.customers, async () => {
    const previous = await db.customers.where('hostIds').equals(key).toArray();
    for (const c of previous) await db.customers.update(c.id, { hostIds: c.hostIds.filter((k) => k !== key) });
    if (customerId !== null) {
      const target = await db.customers.get(customerId);
      if (!target) throw new Error(`There is no customer ${customerId}.`);
      await db.customers.update(customerId, { hostIds: [...target.hostIds.filter((k) => k !== key), key] });
    }
  });
  return lookup(db, { ...identity, email: customerId === null ? identity.email : undefined });
}
