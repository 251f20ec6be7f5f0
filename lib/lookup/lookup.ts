/**
 * One lookup: from the identity a site adapter read to the view the sidebar shows, matched in the
 * order of lib/match (email, linked host record, company domain, name suggestions) against the
 * Dexie store; plus the "link to customer" search and link.
 */
import type { CentricDb } from '../db/db';
import type { CustomerRecord } from '../db/records';
import { hostRecordKey, matchIdentity, type MatchStore } from '../match/match';
import type { CustomerView, IdentityMessage, LookupResult, SearchResult, Suggestion } from '../messages/schema';
import { DEFAULT_RULES } from '../rules/defaults';
import type { Rule } from '../rules/schema';
import { ruleSubjectOf, type PageContext } from './rule-subject';
import { recommendTreatment } from './treatment';
import { withValue, withValues } from '../db/values';

export function toCustomerView(record: CustomerRecord, matchedBy?: CustomerView['matchedBy'], treatment?: CustomerView['treatment']): CustomerView {
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
    treatment,
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

export function toSuggestion(record: CustomerRecord, treatment?: Suggestion['treatment']): Suggestion {
  return {
    id: record.id,
    name: record.name,
    email: record.emails[0],
    company: record.company,
    tier: record.value?.tier,
    tierColor: record.value?.tierColor,
    tierForeground: record.value?.tierForeground,
    treatment,
  };
}

/** What a lookup needs besides the identity: the treatment rules in effect and the page's hostname. */
export interface LookupContext {
  rules: readonly Rule[];
  /** Hostname of the page asking (from the message's sender, not from the page). */
  site?: string;
}

/**
 * Looks up the identity. The context may still be on its way (the background reads the rules while
 * the store is searched): it is awaited only once a customer was found.
 */
export async function lookup(
  db: CentricDb,
  identity: IdentityMessage,
  context: LookupContext | Promise<LookupContext> = { rules: DEFAULT_RULES },
): Promise<LookupResult> {
  const [match, latestRun] = await Promise.all([matchIdentity(dexieStore(db), identity), db.modelRuns.orderBy('at').last()]);
  const buckets = latestRun?.valueBuckets;
  const dataEnd = latestRun?.dataEnd;
  switch (match.kind) {
    case 'customer': {
      const [customer, { rules, site }] = await Promise.all([withValue(db, match.customer, buckets), context]);
      const treatment = recommendTreatment(rules, ruleSubjectOf(customer, { host: identity.host, site }, dataEnd));
      return { status: 'found', customer: toCustomerView(customer, match.matchedBy, treatment) };
    }
    case 'account': {
      const [customers, { rules, site }] = await Promise.all([withValues(db, match.customers, buckets), context]);
      const view = accountView(match.domain, customers);
      const best = customers.reduce((a, b) => ((b.value?.clv ?? 0) > (a.value?.clv ?? 0) ? b : a));
      const subject = {
        ...ruleSubjectOf(best, { host: identity.host, site }, dataEnd),
        id: undefined,
        name: view.name,
        email: undefined,
        company: view.company,
        domain: match.domain,
        flags: [],
        clv: view.value?.clv,
        next12Months: view.value?.next12Months,
        expectedTransactions: view.value?.expectedTransactions,
        pAlive: view.value?.pAlive,
        totalSpent: view.facts.totalSpent,
        frequency: Math.max(0, view.facts.orders - 1),
      };
      return { status: 'found', customer: { ...view, treatment: recommendTreatment(rules, subject) } };
    }
    case 'none':
      return { status: 'not-found', suggestions: (await withValues(db, match.suggestions, buckets)).map((c) => toSuggestion(c)) };
  }
}

/**
 * Customers whose name, email or id starts with the query (case-insensitive), best first; with
 * `context`, each with the treatment the rules recommend (the popup's quick search).
 */
export async function searchCustomers(db: CentricDb, query: string, limit = 8, context?: LookupContext): Promise<SearchResult> {
  const q = query.trim();
  if (q.length < 2) return { results: [] };
  const [byName, byEmail, byId] = await Promise.all([
    db.customers.where('name').startsWithIgnoreCase(q).limit(limit).toArray(),
    db.customers.where('emails').startsWith(q.toLowerCase()).limit(limit).toArray(),
    db.customers.where('id').equals(q).toArray(),
  ]);
  const seen = new Set<string>();
  const results = await withValues(db, [...byId, ...byName, ...byEmail].filter((c) => !seen.has(c.id) && seen.add(c.id)));
  results.sort((a, b) => (b.value?.clv ?? 0) - (a.value?.clv ?? 0));
  const best = results.slice(0, limit);
  if (!context) return { results: best.map((c) => toSuggestion(c)) };
  const dataEnd = (await db.modelRuns.orderBy('at').last())?.dataEnd;
  return {
    results: best.map((c) => {
      const t = recommendTreatment(context.rules, ruleSubjectOf(c, { site: context.site }, dataEnd));
      return toSuggestion(c, t && { title: t.title, guidance: t.guidance, color: t.color });
    }),
  };
}

/** Remembers (or forgets, with null) which customer a host record is, then looks it up again. */
export async function linkHostRecord(db: CentricDb, identity: IdentityMessage, customerId: string | null, context?: LookupContext | Promise<LookupContext>): Promise<LookupResult> {
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
  return lookup(db, { ...identity, email: customerId === null ? identity.email : undefined }, context);
}
