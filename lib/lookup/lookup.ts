/**
 * One lookup: from the identity a site adapter read to the view the sidebar shows, matched in the
 * order of lib/match (email, linked host record, company domain, name suggestions) against the
 * Dexie store; plus the "link to customer" search and link.
 */
import type { CentricDb } from '../db/db';
import type { CustomerWithValue, CustomerValue } from '../db/records';
import { hostRecordKey, matchIdentity, type MatchStore, type RecordMatch } from '../match/match';
import type { CustomerView, IdentityMessage, LookupResult, SearchResult, Suggestion } from '../messages/schema';
import { DEFAULT_RULES } from '../rules/defaults';
import type { Rule } from '../rules/schema';
import { recencyDays, ruleSubjectOf, type PageContext } from './rule-subject';
import type { RuleSubject } from '../rules/subject';
import { recommendTreatment } from './treatment';
import type { RemoteAnswers } from './remote';
import type { LookupIdentity } from '../sources/url';
import type { TierConfig } from '../tiers/config';
import { isTeamSourceId, LOCAL_SOURCE_ID } from '../sources/config';
import { chooseScore, sourceLabel, teamLabel, type ScoreCandidate } from '../sources/precedence';
import { teamIdentity, type TeamValuesAnswer } from '../team/values';
import type { RemoteScore } from '../sources/response';
import { remoteValueView } from '../sources/view';
import { latestRun as readLatestRun, withValues } from '../db/values';
import { expandValue, runFormat } from '../tiers/value-view';
import { readByEmail } from '../db/email-read';
import { countText, DEFAULT_DISPLAY, wholeMoneyText, type DisplayFormat } from '../format/money';

export function toCustomerView(record: CustomerWithValue, matchedBy?: CustomerView['matchedBy'], treatment?: CustomerView['treatment'], display: DisplayFormat = DEFAULT_DISPLAY): CustomerView {
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
      ...(v.lifetimeValue === undefined ? {} : { lifetimeValue: v.lifetimeValue }),
      ...(v.horizonMonths === undefined ? {} : { horizonMonths: v.horizonMonths }),
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
    currency: display.currency,
    locale: display.locale,
    asOf: record.importedAt,
    source: record.source,
  };
}

/** A company's customers added up: the account's value for B2B (matched by domain). */
export function accountView(domain: string, customers: readonly CustomerWithValue[], display: DisplayFormat = DEFAULT_DISPLAY): CustomerView {
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
  const sum = (pick: (c: CustomerWithValue) => number) => scored.reduce((s, c) => s + pick(c), 0);
  const bestValue = best.value;
  const view = toCustomerView(best, 'domain', undefined, display);
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
      lifetimeValue: scored.every((c) => c.value!.lifetimeValue !== undefined) ? sum((c) => c.value!.lifetimeValue ?? 0) : undefined,
      expectedTransactions: sum((c) => c.value!.expectedTransactions),
      pAlive: Math.max(...scored.map((c) => c.value!.pAlive)),
      explanation:
        `Account: ${countText(customers.length, display)} customer${customers.length === 1 ? '' : 's'} at ${domain} together hold ` +
        `${wholeMoneyText(sum((c) => c.value!.clv), display)} of predicted value; the most valuable, ${best.name}, is ${bestValue.tier}.`,
      flags: [],
      flagExplanations: [],
    },
  };
}

/** The matching's reads on the store (lib/match), inside the caller's transaction. */
export function dexieStore(db: CentricDb): MatchStore {
  return {
    byEmail: (email) => db.customers.where('emails').equals(email).first(),
    byHostRecord: (key) => db.customers.where('hostIds').equals(key).first(),
    byDomain: (domain, limit) => db.customers.where('domain').equals(domain).limit(limit).toArray(),
    byName: (name, limit) => db.customers.where('name').equalsIgnoreCase(name).limit(limit).toArray(),
    countByName: (name) => db.customers.where('name').equalsIgnoreCase(name).count(),
  };
}

/**
 * What the treatment rules see of an account (customers matched by their company domain): the
 * account's sums (value, orders, total spent) and its latest purchase, with the most valuable
 * customer's tier — the same for the sidebar and a list's chip.
 */
export function accountSubject(view: CustomerView, customers: readonly CustomerWithValue[], domain: string, page: PageContext, dataEnd?: string): RuleSubject {
  const best = customers.reduce((a, b) => ((b.value?.clv ?? 0) > (a.value?.clv ?? 0) ? b : a));
  return {
    ...ruleSubjectOf(best, page, dataEnd),
    id: undefined,
    name: view.name,
    email: undefined,
    company: view.company,
    domain,
    flags: [],
    clv: view.value?.clv,
    lifetimeValue: view.value?.lifetimeValue,
    next12Months: view.value?.next12Months,
    expectedTransactions: view.value?.expectedTransactions,
    pAlive: view.value?.pAlive,
    recencyDays: recencyDays(view.facts.lastPurchase, dataEnd ?? best.value?.scoredAt),
    totalSpent: view.facts.totalSpent,
    frequency: Math.max(0, view.facts.orders - 1),
  };
}

export function toSuggestion(record: CustomerWithValue, treatment?: Suggestion['treatment']): Suggestion {
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
  /** The team's remote sources, when any are configured (issue 7). */
  remote?: RemoteContext;
}

/** Remote sources for a lookup: ask them, and decide between their values and the local one. */
export interface RemoteContext {
  /** Asks the configured services about `identity`, and the team service (when connected) about `team` (lib/team/values.ts teamIdentity). */
  ask(identity: LookupIdentity, team?: LookupIdentity): Promise<RemoteAnswers>;
  /** The team's values for many identities at once (list chips, the popup): set when a team connection exists. */
  teamValues?(identities: readonly (LookupIdentity | undefined)[]): Promise<TeamValuesAnswer>;
  /** Source ids, best first ('local' = the scores computed in this browser). */
  precedence: readonly string[];
  /** Source id → name, for "From <name>, as of …". */
  names: ReadonlyMap<string, string>;
  /** The tier configuration, for the badge colours of remote tiers of the same name. */
  tiers?: TierConfig;
  now?: () => number;
}

/**
 * The store's part of a lookup in one read transaction (one round of transaction set-up instead of
 * three): the match, the latest model run (its value bucket count and data end), and the values of
 * the customers found (the customer, the account's customers, or the name suggestions).
 */
async function readMatch(db: CentricDb, identity: IdentityMessage) {
  return db.transaction('r', [db.customers, db.modelRuns, db.valueBuckets], async () => {
    const [match, latestRun] = await Promise.all([matchIdentity(dexieStore(db), identity), readLatestRun(db)]);
    const found = match.kind === 'customer' ? [match.customer] : match.kind === 'account' ? match.customers : match.suggestions;
    const joined = await withValues(db, found, latestRun ?? null);
    return { match, latestRun, joined };
  });
}

/**
 * The common case first: the page shows a stored customer's email (lib/db/email-read.ts). Otherwise
 * Dexie's general path, told when the email is known to match nobody (it keeps the email's domain
 * for the account match).
 */
async function readStore(db: CentricDb, identity: IdentityMessage): Promise<Awaited<ReturnType<typeof readMatch>>> {
  const email = identity.email?.trim().toLowerCase();
  if (!email) return readMatch(db, identity);
  const read = await readByEmail(db, email);
  if (read === null) return readMatch(db, identity);
  if (read === undefined) return readMatch(db, { ...identity, email: undefined, domain: identity.domain ?? email.split('@')[1] });
  const { customer, run, value } = read;
  const match: RecordMatch = { kind: 'customer', customer, matchedBy: 'email' };
  return { match, latestRun: run, joined: [value ? { ...customer, value: expandValue(value, run) } : { ...customer }] };
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
  const { match, latestRun, joined } = await readStore(db, identity);
  const dataEnd = latestRun?.dataEnd;
  // Amounts in the run's display currency and locale, in every view this lookup gives.
  const display = runFormat(latestRun);
  const shown = (result: LookupResult): LookupResult =>
    result.status === 'found' ? { ...result, customer: { ...result.customer, currency: display.currency, locale: display.locale } } : result;
  switch (match.kind) {
    case 'customer': {
      const customer = joined[0]!;
      const ctx = await context;
      const page = { host: identity.host, site: ctx.site };
      if (ctx.remote) return shown(await withRemote(identity, customer, match.matchedBy, ctx.rules, page, dataEnd, ctx.remote));
      const treatment = recommendTreatment(ctx.rules, ruleSubjectOf(customer, page, dataEnd));
      return { status: 'found', customer: toCustomerView(customer, match.matchedBy, treatment, display) };
    }
    case 'account': {
      const { rules, site } = await context;
      const view = accountView(match.domain, joined, display);
      const subject = accountSubject(view, joined, match.domain, { host: identity.host, site }, dataEnd);
      return { status: 'found', customer: { ...view, treatment: recommendTreatment(rules, subject) } };
    }
    case 'none': {
      const ctx = await context;
      const suggestions = joined.map((c) => toSuggestion(c));
      if (ctx.remote) {
        const found = await withRemote(identity, undefined, undefined, ctx.rules, { host: identity.host, site: ctx.site }, dataEnd, ctx.remote);
        if (found.status === 'found') return shown(found);
        // Not stored here, and a source that might know the customer failed: say which and why.
        if (found.status === 'not-found' && found.sourceProblems) return { status: 'not-found', suggestions, sourceProblems: found.sourceProblems };
      }
      return { status: 'not-found', suggestions };
    }
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
  const dataEnd = (await readLatestRun(db))?.dataEnd;
  const local = best.map((c) => {
    const t = recommendTreatment(context.rules, ruleSubjectOf(c, { site: context.site }, dataEnd));
    return toSuggestion(c, t && { title: t.title, guidance: t.guidance, color: t.color });
  });
  return context.remote?.teamValues ? { results: await withTeamValues(q, best, local, context, context.remote, dataEnd) } : { results: local };
}

/**
 * The popup's search when a team connection exists (issue 19): each customer found here shows the
 * team's tier when the team has one (the same precedence and cache as the sidebar, one batch for all),
 * and an email typed whole that this browser does not know is asked of the team too.
 */
async function withTeamValues(query: string, found: readonly CustomerWithValue[], local: Suggestion[], context: LookupContext, remote: RemoteContext, dataEnd: string | undefined): Promise<Suggestion[]> {
  const typedEmail = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(query) && !found.some((c) => c.emails.includes(query.toLowerCase())) ? query.toLowerCase() : undefined;
  const asked = [...found.map((c) => teamIdentityOf({}, c)), ...(typedEmail ? [teamIdentity({ email: typedEmail })] : [])];
  const team = await remote.teamValues!(asked);
  const now = (remote.now ?? Date.now)();
  const shown = (candidate: ScoreCandidate<RemoteScore> | undefined, customer: CustomerWithValue | undefined, fallback: Suggestion | undefined): Suggestion | undefined => {
    const chosen = candidate && chooseTeamOrLocal(candidate, customer?.value, remote);
    if (!chosen || !isTeamSourceId(chosen.sourceId)) return fallback;
    const score = chosen.score as RemoteScore;
    const view = remoteValueView(score, remote.tiers);
    const base = remoteBase({ email: typedEmail, name: customer?.name ?? score.customerId }, customer, chosen.asOf);
    const t = score.treatment ? { title: score.treatment.title, guidance: score.treatment.guidance ?? '', color: view.tierColor } : recommendTreatment(context.rules, remoteSubject(base, score, { site: context.site }, dataEnd, customer !== undefined));
    return {
      id: (customer?.id ?? (score.customerId ? `team:${score.customerId}` : base.id)).slice(0, 128),
      name: base.name.slice(0, 200),
      email: base.emails[0],
      company: base.company,
      tier: view.tier.slice(0, 40),
      tierColor: view.tierColor,
      tierForeground: view.tierForeground,
      treatment: t && { title: t.title.slice(0, 80), guidance: t.guidance.slice(0, 400), color: t.color },
      valueSource: valueSourceLabel(chosen, remote.names, now),
    };
  };
  const results = found.map((c, i) => shown(team.candidates[i], c, local[i]) ?? local[i]!);
  const extra = typedEmail ? shown(team.candidates[found.length], undefined, undefined) : undefined;
  return extra ? [extra, ...results] : results;
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

type Candidate = ScoreCandidate<RemoteScore | CustomerValue>;

/** The identity a remote service is asked about: the page's email, domain and name, the customer's id. */
function remoteIdentity(identity: IdentityMessage, customer: CustomerWithValue | undefined): LookupIdentity {
  return { email: identity.email ?? customer?.emails[0], domain: identity.domain, id: customer?.id ?? identity.hostRecordId, name: identity.name ?? customer?.name };
}

/** Who the team service is asked about for a page's identity and the customer matched here (if any). */
export function teamIdentityOf(identity: Pick<IdentityMessage, 'email' | 'domain'>, customer: Pick<CustomerWithValue, 'id' | 'emails'> | undefined): LookupIdentity | undefined {
  return teamIdentity({ email: identity.email ?? customer?.emails[0], domain: identity.domain }, customer?.id);
}

/** The team's value or the local one, by the lookup's precedence (lib/sources/precedence.ts chooseScore): for chips and the popup. */
export function chooseTeamOrLocal(team: ScoreCandidate<RemoteScore>, local: CustomerValue | undefined, remote: Pick<RemoteContext, 'precedence'>) {
  const candidates: Candidate[] = [team];
  if (local) candidates.push({ sourceId: LOCAL_SOURCE_ID, score: local, asOf: Date.parse(local.scoredAt), stale: false });
  return chooseScore(candidates, remote.precedence);
}

/** Where a chosen value comes from, in words: "Team value, as of …", "From Acme API, as of …". */
export function valueSourceLabel(chosen: Pick<ScoreCandidate, 'sourceId' | 'asOf'> & { fallback: boolean }, names: ReadonlyMap<string, string>, now: number): string {
  if (isTeamSourceId(chosen.sourceId)) return teamLabel(chosen.asOf, { now, fallback: chosen.fallback });
  return sourceLabel(chosen.sourceId === LOCAL_SOURCE_ID ? LOCAL_SOURCE_ID : { name: names.get(chosen.sourceId) ?? chosen.sourceId }, chosen.asOf, { now, fallback: chosen.fallback }).slice(0, 200);
}

/** The customer a remote value is shown for: the one matched here, else one made of what the page shows. */
export function remoteBase(identity: Pick<IdentityMessage, 'email' | 'hostRecordId' | 'name' | 'company' | 'domain'>, customer: CustomerWithValue | undefined, asOf: number): CustomerWithValue {
  return (
    customer ?? {
      id: `remote:${identity.email ?? identity.hostRecordId ?? identity.name ?? 'customer'}`.slice(0, 128),
      name: (identity.name ?? identity.email ?? 'Customer').slice(0, 200),
      emails: identity.email ? [identity.email.toLowerCase()] : [],
      company: identity.company,
      domain: identity.domain,
      hostIds: [],
      facts: { orders: 0, totalSpent: 0, firstPurchase: '', lastPurchase: '' },
      source: 'local',
      importedAt: new Date(asOf).toISOString(),
    }
  );
}

/** What the treatment rules see of a customer whose shown value is a remote one: the remote tier and numbers, the purchases known here. */
export function remoteSubject(base: CustomerWithValue, score: RemoteScore, page: PageContext, dataEnd: string | undefined, known: boolean): RuleSubject {
  return {
    ...ruleSubjectOf({ ...base, value: undefined }, page, dataEnd),
    tier: score.tier,
    clv: score.clv,
    lifetimeValue: score.lifetimeValue,
    next12Months: score.next12Months,
    pAlive: score.pAlive,
    expectedTransactions: score.expectedTransactions,
    totalSpent: known ? base.facts.totalSpent : undefined,
  };
}

/**
 * The lookup's answer when remote sources are configured: the local value and the services' values
 * are candidates, the precedence chooses, and the view says which source it shows. A customer only a
 * service knows is shown too (no purchase facts: they are not in this browser).
 */
async function withRemote(
  identity: IdentityMessage,
  customer: CustomerWithValue | undefined,
  matchedBy: CustomerView['matchedBy'],
  rules: readonly Rule[],
  page: PageContext,
  dataEnd: string | undefined,
  remote: RemoteContext,
): Promise<LookupResult> {
  const answers = await remote.ask(remoteIdentity(identity, customer), teamIdentityOf(identity, customer));
  const candidates: Candidate[] = [...answers.candidates];
  if (customer?.value) candidates.push({ sourceId: LOCAL_SOURCE_ID, score: customer.value, asOf: Date.parse(customer.value.scoredAt), stale: false });
  const chosen = chooseScore(candidates, remote.precedence);
  const now = (remote.now ?? Date.now)();
  const problems = answers.problems.slice(0, 5).map((p) => p.message.slice(0, 400));
  const label = chosen && valueSourceLabel(chosen, remote.names, now);
  const extras = { valueSource: label, sourceProblems: problems.length > 0 ? problems : undefined };

  if (!chosen || chosen.sourceId === LOCAL_SOURCE_ID) {
    if (!customer) return { status: 'not-found', sourceProblems: extras.sourceProblems };
    const treatment = recommendTreatment(rules, ruleSubjectOf(customer, page, dataEnd));
    return { status: 'found', customer: { ...toCustomerView(customer, matchedBy, treatment), ...extras } };
  }

  const score = chosen.score as RemoteScore;
  const shown = remoteValueView(score, remote.tiers);
  const remoteValue = {
    tier: shown.tier.slice(0, 40),
    tierColor: shown.tierColor,
    tierForeground: shown.tierForeground,
    clv: shown.clv,
    next12Months: shown.next12Months,
    lifetimeValue: shown.lifetimeValue,
    pAlive: shown.pAlive,
    expectedTransactions: shown.expectedTransactions,
    segment: shown.segment?.slice(0, 80),
    stale: chosen.stale,
  };
  const base = remoteBase(identity, customer, chosen.asOf);
  // The service's own treatment when it gives one; otherwise the rules, on the service's tier and numbers.
  const subject = remoteSubject(base, score, page, dataEnd, customer !== undefined);
  const treatment = score.treatment
    ? {
        title: score.treatment.title.slice(0, 80),
        guidance: (score.treatment.guidance ?? '').slice(0, 400),
        ruleName: `From ${remote.names.get(chosen.sourceId) ?? chosen.sourceId}`.slice(0, 120),
        color: shown.tierColor,
        links: [],
        snippets: [],
        tags: [],
        why: [],
        otherMatches: [],
      }
    : recommendTreatment(rules, subject);
  const view = toCustomerView({ ...base, value: undefined }, customer ? matchedBy : 'email', treatment);
  return {
    status: 'found',
    customer: { ...view, source: customer ? view.source : 'remote', asOf: customer ? view.asOf : new Date(chosen.asOf).toISOString(), remote: remoteValue, ...extras },
  };
}
