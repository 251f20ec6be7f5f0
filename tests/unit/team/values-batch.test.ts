/**
 * lib/team/values.ts TeamValues with a fake team client: batches are bounded (at most two on their
 * way, the rest wait), identities already asked are not asked again, the rate limiter is respected
 * (over it, the cache answers), a failure keeps cached values and says why, and the team identity.
 */
import { describe, expect, it } from 'vitest';
import type { CacheEntry } from '~/lib/sources/cache';
import { RateLimiter } from '~/lib/sources/fetch-policy';
import { TeamError } from '~/lib/team/client';
import { TEAM_BATCH_CONCURRENCY, teamIdentity, teamLookupSource, TeamValues, teamWording } from '~/lib/team/values';

const connection = { url: 'https://centric.example.com', token: 'ctk_abcdefghijklmnopqrstuvwxyz', from: 'options' as const };

function world(options: { limiter?: RateLimiter; fail?: () => boolean } = {}) {
  let now = Date.parse('2026-12-08T10:00:00Z');
  const cache = new Map<string, CacheEntry>();
  const calls: { email?: string; id?: string; domain?: string }[][] = [];
  const open: (() => void)[] = [];
  let inFlight = 0;
  let most = 0;
  const later: (() => Promise<void>)[] = [];
  const values = new TeamValues({
    source: teamLookupSource(connection),
    client: {
      batch: async (identities) => {
        calls.push([...identities]);
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise<void>((resolve) => open.push(resolve));
        inFlight--;
        if (options.fail?.()) throw new TeamError('network', 'The team service at https://centric.example.com cannot be reached (fetch failed).');
        return { runAt: null, answers: identities.map((i) => (i.email?.startsWith('x') ? null : { tier: 'Gold', clv: 10, customerId: i.email ?? i.id ?? i.domain })) };
      },
    },
    readCache: async (keys) => keys.map((k) => cache.get(k)),
    writeCache: async (entries) => entries.forEach((e) => cache.set(e.key, e)),
    now: () => now,
    ...(options.limiter ? { limiter: options.limiter } : {}),
    later: (work) => void later.push(work),
  });
  /** Lets every waiting request answer, until none is left. */
  const drain = async () => {
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 0));
      open.splice(0).forEach((resolve) => resolve());
    }
  };
  return { values, cache, calls, drain, most: () => most, later, tick: (ms: number) => (now += ms) };
}

const emails = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ email: `p${from + i}@a.example` }));

describe('the team’s values for many identities', () => {
  it('at most two batches on their way; the same identities asked twice at once are asked once', async () => {
    const w = world();
    const asked = [w.values.values(emails(0, 200)), w.values.values(emails(200, 200)), w.values.values(emails(400, 200)), w.values.values(emails(0, 200))];
    await w.drain();
    const answers = await Promise.all(asked);
    expect(w.calls.map((c) => c.length)).toEqual([200, 200, 200]);
    expect(w.most()).toBe(TEAM_BATCH_CONCURRENCY);
    expect(answers[3]!.candidates.every((c) => c?.score?.tier === 'Gold')).toBe(true);
    // Only one identifier is sent for each.
    expect(w.calls[0]![0]).toEqual({ email: 'p0@a.example' });
  });

  it('answers fresh values from the cache, refreshes stale ones after answering, and remembers “not known”', async () => {
    const w = world();
    const first = w.values.values([...emails(0, 3), { email: 'x@nobody.example' }, undefined]);
    await w.drain();
    expect((await first).candidates.map((c) => (c ? (c.score ? c.score.tier : 'not known') : 'not asked'))).toEqual(['Gold', 'Gold', 'Gold', 'not known', 'not asked']);
    expect((await w.values.values(emails(0, 3))).candidates.every((c) => c?.stale === false)).toBe(true);
    expect(w.calls).toHaveLength(1);
    w.tick(11 * 60_000);
    const stale = await w.values.values(emails(0, 3));
    expect(stale.candidates.map((c) => c?.stale)).toEqual([true, true, true]);
    expect(w.calls).toHaveLength(1);
    expect(w.later).toHaveLength(1);
    const refresh = w.later[0]!();
    await w.drain();
    await refresh;
    expect(w.calls).toHaveLength(2);
  });

  it('over the rate, sends nothing and answers from the cache; a failed batch keeps the cached values and says why', async () => {
    let failing = false;
    const limiter = new RateLimiter(1, { now: () => 0, burst: 1 });
    const w = world({ limiter, fail: () => failing });
    const first = w.values.values(emails(0, 2));
    await w.drain();
    await first;
    const refused = await w.values.values(emails(5, 2));
    expect(w.calls).toHaveLength(1);
    expect(refused.candidates).toEqual([undefined, undefined]);
    expect(refused.problems[0]).toMatch(/^the team service: Centric asks this service at most 1 times a minute/);

    const free = world({ fail: () => failing });
    const ok = free.values.values(emails(0, 2));
    await free.drain();
    await ok;
    free.tick(31 * 86_400_000);
    failing = true;
    const kept = free.values.values(emails(0, 2));
    await free.drain();
    const answer = await kept;
    expect(answer.candidates.map((c) => [c?.score?.tier, c?.expired])).toEqual([['Gold', true], ['Gold', true]]);
    expect(answer.problems).toEqual(['the team service: The team service at https://centric.example.com cannot be reached (fetch failed).']);
    expect([...free.cache.values()][0]!.lastError).toMatchObject({ kind: 'network' });
  });
});

describe('who the team is asked about', () => {
  it('the email, else the id of the customer matched here, else the domain; never several', () => {
    expect(teamIdentity({ email: ' a@b.example ', domain: 'b.example' }, 'C-1')).toEqual({ email: 'a@b.example' });
    expect(teamIdentity({ domain: 'b.example' }, 'C-1')).toEqual({ id: 'C-1' });
    expect(teamIdentity({ domain: 'b.example' })).toEqual({ domain: 'b.example' });
    expect(teamIdentity({})).toBeUndefined();
  });

  it('the team source renders with empty placeholders and words errors for Options → Team', () => {
    const source = teamLookupSource(connection);
    expect(source.urlTemplate).toBe('https://centric.example.com/v1/lookup?email={email}&id={id}&domain={domain}');
    expect(source.headers).toEqual([{ name: 'Authorization', value: `Bearer ${connection.token}` }]);
    expect(teamWording('The service refused the API key (401). Check the API key in Options → Sources.')).toBe('The service refused your token (401). Check your token in Options → Team.');
  });
});
