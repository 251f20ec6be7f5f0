import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CentricDb } from '~/lib/db/db';
import { lookup, type RemoteContext } from '~/lib/lookup/lookup';
import { askLookupServices, type RemoteLookupDeps } from '~/lib/lookup/remote';
import { lookupResultSchema } from '~/lib/messages/schema';
import { DEFAULT_RULES } from '~/lib/rules/defaults';
import type { CacheEntry } from '~/lib/sources/cache';
import { parseSourcesConfig, type SourcesConfig } from '~/lib/sources/config';
import { ensureSampleData } from '~/lib/sample/install';
import { readBundledSample } from '../../helpers/sample';

function config(patch: Record<string, unknown> = {}): SourcesConfig {
  const parsed = parseSourcesConfig({
    version: 1,
    sources: [{ id: 'api', kind: 'lookup-service', name: 'Team API', enabled: true, urlTemplate: 'https://scores.example.com/c?email={email}', ttlSeconds: 60, staleSeconds: 600, retries: 0, ...patch }],
    precedence: ['api', 'local'],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.config;
}

/** A fake network and cache with a clock the test moves. */
function world(answer: () => Response) {
  let now = Date.parse('2026-11-22T10:00:00Z');
  const cache = new Map<string, CacheEntry>();
  const pending: (() => Promise<void>)[] = [];
  const fetch = vi.fn(async () => answer());
  const deps: RemoteLookupDeps = {
    now: () => now,
    fetchDeps: () => ({ fetch, now: () => now, sleep: async () => {}, random: () => 0.5 }),
    readCache: async (key) => cache.get(key),
    writeCache: async (entry) => void cache.set(entry.key, entry),
    later: (work) => void pending.push(work),
  };
  return { deps, cache, fetch, pending, tick: (ms: number) => (now += ms) };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('asking lookup services', () => {
  it('asks once, then answers from the cache while fresh', async () => {
    const w = world(() => json({ tier: 'Gold', clv: 100 }));
    const first = await askLookupServices(config(), { email: 'ana@li.example' }, w.deps);
    expect(first.candidates).toMatchObject([{ sourceId: 'api', score: { tier: 'Gold', clv: 100 }, stale: false }]);
    w.tick(30_000);
    const second = await askLookupServices(config(), { email: 'ANA@li.example' }, w.deps);
    expect(second.candidates[0]?.stale).toBe(false);
    expect(w.fetch).toHaveBeenCalledTimes(1);
  });

  it('serves a stale answer at once and refreshes it after; a failed refresh keeps it', async () => {
    let status = 200;
    const w = world(() => (status === 200 ? json({ tier: 'Gold' }) : json({ error: 'x' }, 500)));
    await askLookupServices(config(), { email: 'ana@li.example' }, w.deps);
    w.tick(61_000);
    status = 500;
    const stale = await askLookupServices(config(), { email: 'ana@li.example' }, w.deps);
    expect(stale.candidates).toMatchObject([{ score: { tier: 'Gold' }, stale: true, expired: false }]);
    expect(w.pending).toHaveLength(1);
    await w.pending[0]!();
    expect([...w.cache.values()][0]).toMatchObject({ score: { tier: 'Gold' }, lastError: { kind: 'server' } });
  });

  it('past the stale period asks now; when that fails the old answer is shown as expired, with the problem', async () => {
    let status = 200;
    const w = world(() => (status === 200 ? json({ tier: 'Gold' }) : new Response('<html><body>Sign in</body></html>', { status: 200, headers: { 'content-type': 'text/html' } })));
    await askLookupServices(config(), { email: 'ana@li.example' }, w.deps);
    w.tick(61_000 + 600_000);
    status = 0;
    const answers = await askLookupServices(config(), { email: 'ana@li.example' }, w.deps);
    expect(answers.candidates).toMatchObject([{ score: { tier: 'Gold' }, expired: true }]);
    expect(answers.problems[0]?.message).toMatch(/^Team API: .*HTML/);
  });

  it('skips disabled services and services the identity cannot be asked by', async () => {
    const w = world(() => json({ tier: 'Gold' }));
    expect((await askLookupServices(config({ enabled: false }), { email: 'ana@li.example' }, w.deps)).candidates).toEqual([]);
    expect((await askLookupServices(config(), { name: 'Ana' }, w.deps)).candidates).toEqual([]);
    expect(w.fetch).not.toHaveBeenCalled();
  });
});

describe('a lookup with remote sources', () => {
  let db: CentricDb;
  beforeAll(async () => {
    db = new CentricDb('centric-lookup-remote');
    await ensureSampleData(db, async () => readBundledSample());
  });
  afterAll(async () => {
    await db.delete();
  });

  const remote = (precedence: string[], answer: () => Response): RemoteContext => {
    const w = world(answer);
    return { precedence, names: new Map([['api', 'Team API']]), ask: (identity) => askLookupServices(config(), identity, w.deps) };
  };
  const email = async () => (await db.customers.get('1981'))!.emails[0]!;

  it('shows the service’s tier first when precedence says so, and the local one otherwise', async () => {
    const first = await lookup(db, { host: 'demo', email: await email() }, { rules: DEFAULT_RULES, remote: remote(['api', 'local'], () => json({ tier: 'Gold', clv: 7 })) });
    expect(lookupResultSchema.safeParse(first).success).toBe(true);
    expect(first).toMatchObject({ status: 'found', customer: { remote: { tier: 'Gold', clv: 7 }, valueSource: expect.stringMatching(/^From Team API, as of/) } });
    const second = await lookup(db, { host: 'demo', email: await email() }, { rules: DEFAULT_RULES, remote: remote(['local', 'api'], () => json({ tier: 'Gold' })) });
    expect(second).toMatchObject({ status: 'found', customer: { value: { tier: 'Platinum' }, valueSource: expect.stringMatching(/^From the scores in this browser/) } });
    expect(second.status === 'found' && second.customer.remote).toBeUndefined();
  });

  it('uses the service’s treatment when it gives one, and the rules on its tier otherwise', async () => {
    const given = await lookup(db, { host: 'demo', email: 'new@person.example' }, { rules: DEFAULT_RULES, remote: remote(['api', 'local'], () => json({ tier: 'Gold', treatment: { title: 'Call them', guidance: 'Today.' } })) });
    expect(given).toMatchObject({ status: 'found', customer: { source: 'remote', treatment: { title: 'Call them', ruleName: 'From Team API' } } });
    const ruled = await lookup(db, { host: 'demo', email: 'other@person.example' }, { rules: DEFAULT_RULES, remote: remote(['api', 'local'], () => json({ tier: 'Gold' })) });
    expect(ruled).toMatchObject({ status: 'found', customer: { treatment: { ruleId: 'second-tier' } } });
  });

  it('says not found when neither knows the customer, and shows the problem when the service fails', async () => {
    const unknown = await lookup(db, { host: 'demo', email: 'nobody@x.example' }, { rules: DEFAULT_RULES, remote: remote(['api', 'local'], () => json({ error: 'no' }, 404)) });
    expect(unknown.status).toBe('not-found');
    const failing = await lookup(db, { host: 'demo', email: await email() }, { rules: DEFAULT_RULES, remote: remote(['api', 'local'], () => json({ error: 'no' }, 401)) });
    expect(failing).toMatchObject({ status: 'found', customer: { value: { tier: 'Platinum' }, sourceProblems: [expect.stringMatching(/^Team API: .*API key/)] } });
  });

  it('says which source failed, and how, when the customer is not stored here either (issue 16)', async () => {
    const failing = await lookup(db, { host: 'demo', email: 'nobody@x.example' }, { rules: DEFAULT_RULES, remote: remote(['api', 'local'], () => json({ error: 'down' }, 503)) });
    expect(lookupResultSchema.safeParse(failing).success).toBe(true);
    expect(failing).toMatchObject({ status: 'not-found', sourceProblems: [expect.stringMatching(/^Team API: .*(server|5\d\d)/i)] });
    // A plain "not known" (404) is no problem: nothing to report.
    const unknown = await lookup(db, { host: 'demo', email: 'nobody2@x.example' }, { rules: DEFAULT_RULES, remote: remote(['api', 'local'], () => json({ error: 'no' }, 404)) });
    expect(unknown).toEqual({ status: 'not-found', suggestions: [] });
  });
});
