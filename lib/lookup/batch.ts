/**
 * Many lookups at once, for the tier chips of a list view (issue 8): one screenful of rows is one
 * message and one read transaction, answered compactly (the chip and the worklist need the tier,
 * CLV, P(alive), flags and the treatment's title and priority — not the full customer view).
 *
 * The same pipeline as the sidebar's lookup (lib/match `matchIdentity` with place "list", the same
 * account limit; an account's view and rule subject from lib/lookup/lookup.ts), so a row's chip and
 * its record's sidebar recommend the same treatment. Configured lookup services are not asked (a list
 * of 200 rows would be 200 remote requests). The team service is (issue 19; lib/team/values.ts): one
 * batch request per screenful, its answers in the same cache as the sidebar's, and its value wins over
 * the local one as in the sidebar (the team first; an expired team value only when nothing else is
 * known) — a chip says "Team value, as of …" in its title, and whether it came from the cache.
 */
import type { CentricDb } from '../db/db';
import type { CustomerWithValue, StoredCustomer } from '../db/records';
import { latestRun as readLatestRun, withValues } from '../db/values';
import { runFormat } from '../tiers/value-view';
import type { DisplayFormat } from '../format/money';
import { matchIdentity } from '../match/match';
import type { BatchAnswer, IdentityMessage } from '../messages/schema';
import { DEFAULT_RULES } from '../rules/defaults';
import type { Rule } from '../rules/schema';
import { accountSubject, accountView, chooseTeamOrLocal, dexieStore, remoteBase, remoteSubject, teamIdentityOf, valueSourceLabel, type LookupContext } from './lookup';
import { isTeamSourceId } from '../sources/config';
import type { RemoteScore } from '../sources/response';
import { remoteValueView } from '../sources/view';
import { ruleSubjectOf } from './rule-subject';
import { recommendTreatment } from './treatment';

/** At most this many identities per batch (a screenful is far fewer). */
export const BATCH_LIMIT = 200;

type ChipValue = NonNullable<Extract<BatchAnswer, { status: 'found' }>['value']>;

/** What a chip shows of a value: the tier, its colours, the value and P(alive), in the run's currency. */
function chipValue(v: Pick<ChipValue, 'tier' | 'tierColor' | 'tierForeground' | 'clv' | 'horizonMonths' | 'pAlive'>, flags: string[], display: DisplayFormat): ChipValue {
  return {
    tier: v.tier,
    tierColor: v.tierColor,
    tierForeground: v.tierForeground,
    clv: v.clv,
    ...(v.horizonMonths === undefined ? {} : { horizonMonths: v.horizonMonths }),
    pAlive: v.pAlive,
    flags,
    currency: display.currency,
    locale: display.locale,
  };
}

function answerFor(customer: CustomerWithValue, matchedBy: 'email' | 'host-record' | 'name', rules: readonly Rule[], page: { host: string; site?: string }, display: DisplayFormat, dataEnd?: string): BatchAnswer {
  const v = customer.value;
  const t = recommendTreatment(rules, ruleSubjectOf(customer, page, dataEnd));
  return {
    status: 'found',
    id: customer.id,
    name: customer.name.slice(0, 200),
    matchedBy,
    value: v && chipValue(v, v.flags, display),
    treatment: t && { title: t.title, priority: t.priority, color: t.color },
  };
}

function accountAnswer(domain: string, customers: readonly CustomerWithValue[], rules: readonly Rule[], page: { host: string; site?: string }, display: DisplayFormat, dataEnd?: string): BatchAnswer {
  const view = accountView(domain, customers); // the chip shows numbers, not the view's sentences
  const t = recommendTreatment(rules, accountSubject(view, customers, domain, page, dataEnd));
  const v = view.value;
  return {
    status: 'found',
    id: view.id,
    name: view.name.slice(0, 200),
    matchedBy: 'domain',
    customers: customers.length,
    value: v && chipValue(v, [], display),
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
  const { matches, joined, dataEnd, display } = await db.transaction('r', [db.customers, db.modelRuns, db.valueBuckets], async () => {
    const store = dexieStore(db);
    const [matches, latestRun] = await Promise.all([Promise.all(identities.map((i) => matchIdentity(store, i, 'list'))), readLatestRun(db)]);
    const unique = new Map<string, StoredCustomer>();
    for (const m of matches) for (const c of m.kind === 'customer' ? [m.customer] : m.kind === 'account' ? m.customers : []) unique.set(c.id, c);
    const joined = new Map((await withValues(db, [...unique.values()], latestRun ?? null)).map((c) => [c.id, c]));
    return { matches, joined, dataEnd: latestRun?.dataEnd, display: runFormat(latestRun) };
  });
  const { rules, site, remote } = await context;
  const local = matches.map((m, i): BatchAnswer => {
    const page = { host: identities[i]!.host, site };
    switch (m.kind) {
      case 'customer':
        return answerFor(joined.get(m.customer.id)!, m.matchedBy, rules, page, display, dataEnd);
      case 'account':
        return accountAnswer(m.domain, m.customers.map((c) => joined.get(c.id)!), rules, page, display, dataEnd);
      case 'none':
        return m.sameName ? { status: 'not-found', sameName: m.sameName } : { status: 'not-found' };
    }
  });
  if (!remote?.teamValues) return local;
  // The team's values: one batch for the rows not answered by the cache. An account row (customers of
  // a company added up here) keeps the local sum, as its sidebar does.
  const asked = matches.map((m, i) => (m.kind === 'account' ? undefined : teamIdentityOf(identities[i]!, m.kind === 'customer' ? m.customer : undefined)));
  const team = await remote.teamValues(asked);
  return local.map((answer, i) => {
    const candidate = team.candidates[i];
    if (!candidate) return answer;
    const m = matches[i]!;
    const customer = m.kind === 'customer' ? joined.get(m.customer.id) : undefined;
    const chosen = chooseTeamOrLocal(candidate, customer?.value, remote);
    if (!chosen || !isTeamSourceId(chosen.sourceId)) return answer;
    const identity = identities[i]!;
    const score = chosen.score as RemoteScore;
    const shown = remoteValueView(score, remote.tiers);
    const base = remoteBase(identity, customer, chosen.asOf);
    const page = { host: identity.host, site };
    const t = score.treatment ? undefined : recommendTreatment(rules, remoteSubject(base, score, page, dataEnd, customer !== undefined));
    const found: BatchAnswer = {
      status: 'found',
      id: customer?.id ?? (score.customerId ? `team:${score.customerId}` : base.id).slice(0, 128),
      name: base.name.slice(0, 200),
      matchedBy: m.kind === 'customer' ? m.matchedBy : asked[i]?.email ? 'email' : 'domain',
      value: {
        tier: shown.tier.slice(0, 40),
        tierColor: shown.tierColor,
        tierForeground: shown.tierForeground,
        ...(shown.clv !== undefined && Number.isFinite(shown.clv) ? { clv: shown.clv } : {}),
        ...(shown.pAlive !== undefined && Number.isFinite(shown.pAlive) ? { pAlive: shown.pAlive } : {}),
        flags: [],
        currency: display.currency,
        locale: display.locale,
      },
      treatment: score.treatment ? { title: score.treatment.title.slice(0, 80), color: shown.tierColor } : t && { title: t.title, priority: t.priority, color: t.color },
      valueSource: valueSourceLabel(chosen, remote.names, (remote.now ?? Date.now)()),
      stale: chosen.stale,
    };
    return found;
  });
}

