/**
 * The team's values in the extension (issue 19), end to end in Node: the team service in-process
 * (PGlite in memory, listening on a local port, a score file uploaded), the extension connected through
 * the TEAM setting (WXT's fake browser storage), and the extension's own code paths — the background's
 * remote context (lib/background/remote-context.ts), the lookup, the list chips' batch and the popup's
 * search — over real HTTP. Then the service stops: what was fetched is still shown, "as of" its time.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { remoteContextProvider } from '~/lib/background/remote-context';
import { CentricDb } from '~/lib/db/db';
import { latestRun, withValues } from '~/lib/db/values';
import { lookupBatch } from '~/lib/lookup/batch';
import { lookup, searchCustomers, type RemoteContext } from '~/lib/lookup/lookup';
import { chipDescription } from '~/lib/lists/rank';
import { lookupBatchResultSchema, lookupResultSchema, searchResultSchema, type IdentityMessage } from '~/lib/messages/schema';
import { DEFAULT_RULES } from '~/lib/rules/defaults';
import { ensureSampleData } from '~/lib/sample/install';
import { buildApp } from '~/lib/server/app';
import { openDatabase, type Sql } from '~/lib/server/database';
import { migrate } from '~/lib/server/migrations';
import { createToken } from '~/lib/server/tokens';
import type { CacheEntry } from '~/lib/sources/cache';
import { SOURCES, TEAM } from '~/lib/settings/items';
import { writeSetting } from '~/lib/settings/storage';
import { isTeamSourceId, LOCAL_SOURCE_ID } from '~/lib/sources/config';
import { DEFAULT_TIER_CONFIG } from '~/lib/tiers/config';
import { teamApi, teamSources } from '../../helpers/team-sources';
import { readBundledSample } from '../../helpers/sample';

let server: Sql;
let app: FastifyInstance;
let url = '';
let agent = '';
let db: CentricDb;
/** The service's request log: "GET /v1/lookup 200", "POST /v1/lookup/batch 200". */
const requests: string[] = [];
const count = (what: string) => requests.filter((line) => line.startsWith(what)).length;
/** Sample customers the team scores differently (their emails), and the team's own customers. */
let known: { id: string; email: string; localTier: string }[] = [];
const teamOnly = (i: number) => `team${i}@acme.example`;
const rules = DEFAULT_RULES;

beforeAll(async () => {
  fakeBrowser.reset();
  db = new CentricDb('centric-team-values');
  await ensureSampleData(db, async () => readBundledSample());
  const customers = await db.customers.limit(400).toArray();
  const run = await latestRun(db);
  const values = new Map((await withValues(db, customers, run ?? null)).map((c) => [c.id, c]));
  known = customers.filter((c) => c.emails[0] && values.get(c.id)?.value).slice(0, 300).map((c) => ({ id: c.id, email: c.emails[0]!, localTier: values.get(c.id)!.value!.tier }));
  // The team scores the first 150 of them "Team Gold" (no local tier is called that), and 250 customers of its own.
  const lines = ['id,tier,clv,pAlive,email'];
  known.slice(0, 150).forEach((c, i) => lines.push(`T-${i},Team Gold,${(500 + i).toFixed(2)},0.7,${c.email}`));
  for (let i = 0; i < 250; i++) lines.push(`N-${i},Team Silver,${(100 + i).toFixed(2)},0.4,${teamOnly(i)}`);

  server = await openDatabase({});
  await migrate(server);
  const manager = (await createToken(server, { name: 'Mia manager', role: 'manager' })).token;
  agent = (await createToken(server, { name: 'Al agent', role: 'agent' })).token;
  app = await buildApp({ db: server, log: (line) => requests.push(line.split(' ').slice(1, 4).join(' ')), ratePerMinute: 10_000 });
  const uploaded = await app.inject({ method: 'PUT', url: '/v1/scores?name=team.csv', headers: { authorization: `Bearer ${manager}`, 'content-type': 'text/csv' }, payload: `${lines.join('\n')}\n` });
  expect(uploaded.statusCode).toBe(200);
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  await writeSetting(TEAM, { url, token: agent });
});
afterAll(async () => {
  await app?.close();
  await server?.close();
  await db?.delete();
});

/**
 * The background's remote context, built as the background builds it (a new one: nothing in memory).
 * WXT's fake browser has no permissions API: a host permission check on the team's requests would throw
 * here, so these tests also hold that the team service is asked without one (docs/team.md).
 */
const context = async (): Promise<RemoteContext> => (await remoteContextProvider(db, async () => DEFAULT_TIER_CONFIG)())!;
const page = (email: string): IdentityMessage => ({ host: 'zendesk', email });

describe('the team service as the first source of values', () => {
  it('a lookup shows the team’s value, said to be the team’s, as of when it was fetched', async () => {
    const c = known[0]!;
    const before = count('GET /v1/lookup');
    const result = await lookup(db, page(c.email), { rules, remote: await context() });
    expect(lookupResultSchema.safeParse(result).success).toBe(true);
    expect(result).toMatchObject({ status: 'found', customer: { id: c.id, remote: { tier: 'Team Gold', clv: 500, pAlive: 0.7, stale: false }, valueSource: expect.stringMatching(/^Team value, as of \d{1,2} [A-Z][a-z]{2} \d\d:\d\d$/) } });
    expect(count('GET /v1/lookup')).toBe(before + 1);
    // Asked again: from the cache (fresh), no request.
    await lookup(db, page(c.email.toUpperCase()), { rules, remote: await context() });
    expect(count('GET /v1/lookup')).toBe(before + 1);
  });

  it('a customer only the team knows is shown; one the team does not know shows this browser’s value', async () => {
    const only = await lookup(db, page(teamOnly(7)), { rules, remote: await context() });
    expect(only).toMatchObject({ status: 'found', customer: { source: 'remote', remote: { tier: 'Team Silver', clv: 107 }, valueSource: expect.stringMatching(/^Team value/) } });
    const c = known[200]!;
    const local = await lookup(db, page(c.email), { rules, remote: await context() });
    expect(local).toMatchObject({ status: 'found', customer: { value: { tier: c.localTier }, valueSource: expect.stringMatching(/^From the scores in this browser/) } });
    expect(local.status === 'found' && local.customer.remote).toBeUndefined();
  });

  it('comes before the configured sources and this browser’s scores; not connected, everything is as before', async () => {
    await writeSetting(SOURCES, teamSources(teamApi('https://api.example.com/c?email={email}', 'k')));
    const ctx = await context();
    expect(isTeamSourceId(ctx.precedence[0]!)).toBe(true);
    expect(ctx.precedence.slice(1)).toEqual(['team-api', LOCAL_SOURCE_ID]);
    expect(ctx.names.get(ctx.precedence[0]!)).toBe('the team service');
    await writeSetting(SOURCES, undefined);
    await writeSetting(TEAM, undefined);
    expect(await remoteContextProvider(db, async () => DEFAULT_TIER_CONFIG)()).toBeUndefined();
    const alone = await lookup(db, page(known[1]!.email), { rules });
    expect(alone).toMatchObject({ status: 'found', customer: { value: { tier: known[1]!.localTier } } });
    await writeSetting(TEAM, { url, token: agent });
  });

  it('says in words when the service refuses the token (Options → Team), and still shows this browser’s value', async () => {
    await writeSetting(TEAM, { url, token: 'ctk_nottherightoneatallxxxxxxxx' });
    const c = known[2]!;
    const result = await lookup(db, page(c.email), { rules, remote: await context() });
    expect(result).toMatchObject({ status: 'found', customer: { value: { tier: c.localTier }, sourceProblems: [expect.stringMatching(/^the team service: .*your token.*Options → Team/)] } });
    await writeSetting(TEAM, { url, token: agent });
  });
});

describe('list chips with the team connected', () => {
  const rows = () => [...known.slice(0, 150).map((c) => page(c.email)), ...Array.from({ length: 50 }, (_, i) => page(teamOnly(100 + i)))];

  it('200 chips are one batch request; the chips show the team’s values, and the record’s sidebar agrees without asking', async () => {
    const before = count('POST /v1/lookup/batch');
    const ctx = await context();
    // Two screens asking at once (two tabs, a fast scroll): still one request.
    const [answers, again] = await Promise.all([lookupBatch(db, rows(), { rules, remote: ctx }), lookupBatch(db, rows(), { rules, remote: ctx })]);
    expect(count('POST /v1/lookup/batch')).toBe(before + 1);
    expect(again).toEqual(answers);
    expect(lookupBatchResultSchema.safeParse({ status: 'ok', answers }).success).toBe(true);
    expect(answers).toHaveLength(200);
    expect(answers[0]).toMatchObject({ status: 'found', id: known[0]!.id, value: { tier: 'Team Gold', clv: 500 }, valueSource: expect.stringMatching(/^Team value, as of/), stale: false });
    expect(answers[150]).toMatchObject({ status: 'found', name: teamOnly(100), value: { tier: 'Team Silver', clv: 200 } });
    expect(chipDescription(answers[150]!)).toMatch(/^Team Silver customer, .*\(Team value, as of .*\)$/);
    // Scrolling back: from the cache, no request.
    await lookupBatch(db, rows(), { rules, remote: await context() });
    expect(count('POST /v1/lookup/batch')).toBe(before + 1);
    // The sidebar of a chip's record: the same value, from the same cache entry.
    const lookups = count('GET /v1/lookup');
    const sidebar = await lookup(db, page(teamOnly(120)), { rules, remote: await context() });
    expect(sidebar).toMatchObject({ status: 'found', customer: { remote: { tier: 'Team Silver', clv: 220 } } });
    expect(count('GET /v1/lookup')).toBe(lookups);
  });

  it('rows the team does not know keep this browser’s value', async () => {
    const c = known[250]!;
    const [answer] = await lookupBatch(db, [page(c.email)], { rules, remote: await context() });
    expect(answer).toMatchObject({ status: 'found', id: c.id, value: { tier: c.localTier } });
    expect(answer!.status === 'found' && answer!.valueSource).toBeUndefined();
  });
});

describe('the popup’s search with the team connected', () => {
  it('shows the team’s tier for a customer found here, and asks the team about an email typed whole', async () => {
    const c = known[3]!;
    const found = await searchCustomers(db, c.email, 8, { rules, remote: await context() });
    expect(searchResultSchema.safeParse(found).success).toBe(true);
    expect(found.results[0]).toMatchObject({ id: c.id, tier: 'Team Gold', valueSource: expect.stringMatching(/^Team value/) });
    const typed = await searchCustomers(db, teamOnly(9), 8, { rules, remote: await context() });
    expect(typed.results).toEqual([expect.objectContaining({ id: 'team:N-9', email: teamOnly(9), tier: 'Team Silver', valueSource: expect.stringMatching(/^Team value/) })]);
  });
});

describe('when the service cannot be reached', () => {
  /** Moves every cached team answer `ms` into the past (as if fetched that long ago). */
  const age = async (ms: number) => {
    const all = await db.lookupCache.toArray();
    for (const record of all) {
      const entry = record.value as CacheEntry;
      if (!isTeamSourceId(entry.sourceId)) continue;
      await db.lookupCache.put({ ...record, value: { ...entry, fetchedAt: entry.fetchedAt - ms, expiresAt: entry.expiresAt - ms, staleUntil: entry.staleUntil - ms } });
    }
  };

  it('the sidebar and the chips show the cached team value, marked stale, as of when it was fetched', async () => {
    await app.close();
    await age(20 * 60_000); // past its 10 minutes fresh: stale
    const c = known[0]!;
    const sidebar = await lookup(db, page(c.email), { rules, remote: await context() });
    expect(sidebar).toMatchObject({ status: 'found', customer: { remote: { tier: 'Team Gold', stale: true }, valueSource: expect.stringMatching(/^Team value, as of/) } });
    const [chip, unknownHere] = await lookupBatch(db, [page(c.email), page(known[260]!.email)], { rules, remote: await context() });
    expect(chip).toMatchObject({ status: 'found', value: { tier: 'Team Gold' }, stale: true });
    expect(chipDescription(chip!)).toMatch(/, cached\)$/);
    // Never asked of the team before: this browser's value.
    expect(unknownHere).toMatchObject({ status: 'found', value: { tier: known[260]!.localTier } });
  });

  it('past its stale period, the old value is still shown (could not refresh) with why, when nothing better is known', async () => {
    await age(31 * 86_400_000);
    const only = await lookup(db, page(teamOnly(7)), { rules, remote: await context() });
    expect(only).toMatchObject({
      status: 'found',
      customer: { remote: { tier: 'Team Silver', stale: true }, valueSource: expect.stringMatching(/^Team value, as of .* \(could not refresh\)$/), sourceProblems: [expect.stringMatching(/^the team service: /)] },
    });
  });
});
