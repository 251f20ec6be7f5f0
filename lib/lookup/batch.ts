/**
 * Many lookups at once, for the tier chips of a list view (issue 8): one screenful of rows is one
 * message and one read transaction, answered compactly (the chip and the worklist need the tier,
 * CLV, P(alive), flags and the treatment's title and priority — not the full customer view).
 *
 * Matching per identity follows lib/match (email, linked host record, company domain) with two
 * differences for lists: a company domain is used only for a company row (a row without a person's
 * email or name: a person whose email is unknown is not their company), and a row that only shows a
 * name (Zendesk and Freshdesk ticket lists) matches when exactly one customer has that name.
 * Remote sources are not asked (a list of 200 rows would be 200 remote requests): chips show the
 * local scores, the sidebar of the record shows the remote ones.
 */
import type { CentricDb } from '../db/db';
import type { CustomerRecord, StoredCustomer } from '../db/records';
import { latestRun as readLatestRun, withValues } from '../db/values';
import { isCompanyDomain } from '../match/freemail';
import { hostRecordKey } from '../match/match';
import type { BatchAnswer, IdentityMessage } from '../messages/schema';
import { DEFAULT_RULES } from '../rules/defaults';
import type { Rule } from '../rules/schema';
import type { LookupContext } from './lookup';
import { ruleSubjectOf } from './rule-subject';
import { recommendTreatment } from './treatment';

/** At most this many identities per batch (a screenful is far fewer). */
export const BATCH_LIMIT = 200;
/** An account chip adds up at most this many customers of a domain. */
const ACCOUNT_CUSTOMERS = 500;

type Matched =
  | { kind: 'customer'; customer: StoredCustomer; matchedBy: 'email' | 'host-record' | 'name' }
  | { kind: 'account'; domain: string; customers: StoredCustomer[] }
  | { kind: 'none'; ambiguous?: number };

function companyDomain(identity: IdentityMessage): string | undefined {
  if (identity.email || identity.name) return undefined;
  const domain = identity.domain?.trim().toLowerCase().replace(/^www\./, '');
  return isCompanyDomain(domain) ? domain : undefined;
}

async function matchOne(db: CentricDb, identity: IdentityMessage): Promise<Matched> {
  const email = identity.email?.trim().toLowerCase();
  if (email) {
    const person = await db.customers.where('emails').equals(email).first();
    if (person) return { kind: 'customer', customer: person, matchedBy: 'email' };
  }
  const key = hostRecordKey(identity);
  if (key) {
    const linked = await db.customers.where('hostIds').equals(key).first();
    if (linked) return { kind: 'customer', customer: linked, matchedBy: 'host-record' };
  }
  const domain = companyDomain(identity);
  if (domain) {
    const customers = await db.customers.where('domain').equals(domain).limit(ACCOUNT_CUSTOMERS).toArray();
    if (customers.length > 0) return { kind: 'account', domain, customers };
  }
  const name = identity.name?.trim();
  if (!email && name) {
    const named = await db.customers.where('name').equalsIgnoreCase(name).limit(2).toArray();
    if (named.length === 1) return { kind: 'customer', customer: named[0]!, matchedBy: 'name' };
    if (named.length > 1) return { kind: 'none', ambiguous: await db.customers.where('name').equalsIgnoreCase(name).count() };
  }
  return { kind: 'none' };
}

function answerFor(customer: CustomerRecord, matchedBy: 'email' | 'host-record' | 'name', rules: readonly Rule[], page: { host: string; site?: string }, dataEnd?: string): BatchAnswer {
  const v = customer.value;
  const t = recommendTreatment(rules, ruleSubjectOf(customer, page, dataEnd));
  return {
    status: 'found',
    id: customer.id,
    name: customer.name.slice(0, 200),
    matchedBy,
    value: v && {
      tier: v.tier,
      tierColor: v.tierColor,
      tierForeground: v.tierForeground,
      clv: v.clv,
      ...(v.horizonMonths === undefined ? {} : { horizonMonths: v.horizonMonths }),
      pAlive: v.pAlive,
      flags: v.flags,
    },
    treatment: t && { title: t.title, priority: t.priority, color: t.color },
  };
}

function accountAnswer(domain: string, customers: readonly CustomerRecord[], rules: readonly Rule[], page: { host: string; site?: string }, dataEnd?: string): BatchAnswer {
  const scored = customers.filter((c) => c.value);
  const best = customers.reduce((a, b) => ((b.value?.clv ?? 0) > (a.value?.clv ?? 0) ? b : a));
  const clv = scored.reduce((s, c) => s + c.value!.clv, 0);
  const pAlive = scored.length ? Math.max(...scored.map((c) => c.value!.pAlive)) : undefined;
  const company = customers.find((c) => c.company)?.company ?? domain;
  const subject = { ...ruleSubjectOf(best, page, dataEnd), id: undefined, name: company, email: undefined, company, domain, flags: [], clv: best.value ? clv : undefined, pAlive };
  const t = recommendTreatment(rules, subject);
  return {
    status: 'found',
    id: `domain:${domain}`,
    name: company.slice(0, 200),
    matchedBy: 'domain',
    customers: customers.length,
    value:
      best.value && pAlive !== undefined
        ? {
            tier: best.value.tier,
            tierColor: best.value.tierColor,
            tierForeground: best.value.tierForeground,
            clv,
            ...(best.value.horizonMonths === undefined ? {} : { horizonMonths: best.value.horizonMonths }),
            pAlive,
            flags: [],
          }
        : undefined,
    treatment: t && { title: t.title, priority: t.priority, color: t.color },
  };
}

/**
 * Answers each identity (in order) from one read transaction. The context (rules, page) may still be
 * on its way while the store is read.
 */
export async function lookupBatch(
  db: CentricDb,
  identities: readonly IdentityMessage[],
  context: LookupContext | Promise<LookupContext> = { rules: DEFAULT_RULES },
): Promise<BatchAnswer[]> {
  if (identities.length > BATCH_LIMIT) throw new RangeError(`At most ${BATCH_LIMIT} identities per batch, got ${identities.length}.`);
  const { matches, joined, dataEnd } = await db.transaction('r', [db.customers, db.modelRuns, db.valueBuckets], async () => {
    const [matches, latestRun] = await Promise.all([Promise.all(identities.map((i) => matchOne(db, i))), readLatestRun(db)]);
    const unique = new Map<string, StoredCustomer>();
    for (const m of matches) for (const c of m.kind === 'customer' ? [m.customer] : m.kind === 'account' ? m.customers : []) unique.set(c.id, c);
    const joined = new Map((await withValues(db, [...unique.values()], latestRun ?? null)).map((c) => [c.id, c]));
    return { matches, joined, dataEnd: latestRun?.dataEnd };
  });
  const { rules, site } = await context;
  return matches.map((m, i): BatchAnswer => {
    const page = { host: identities[i]!.host, site };
    switch (m.kind) {
      case 'customer':
        return answerFor(joined.get(m.customer.id)!, m.matchedBy, rules, page, dataEnd);
      case 'account':
        return accountAnswer(m.domain, m.customers.map((c) => joined.get(c.id)!), rules, page, dataEnd);
      case 'none':
        return m.ambiguous ? { status: 'not-found', sameName: m.ambiguous } : { status: 'not-found' };
    }
  });
}
