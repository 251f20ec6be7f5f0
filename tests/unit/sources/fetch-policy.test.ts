import { describe, expect, it } from 'vitest';
import {
  type FetchDeps,
  type LookupServiceSource,
  type RequestInitLike,
  type ResponseLike,
  LookupServiceSourceSchema,
  RateLimiter,
  RateLimiters,
  backoffDelay,
  fetchScore,
} from '../../../lib/sources';

const SOURCE: LookupServiceSource = LookupServiceSourceSchema.parse({
  id: 'acme',
  kind: 'lookup-service',
  name: 'Acme warehouse API',
  urlTemplate: 'https://api.example.com/v1/customers/{email}',
  headers: [{ name: 'Authorization', value: 'Bearer t0ken' }],
});
const ANN = { email: 'ann@acme.com', name: 'Ann Lee' };
const ANN_URL = 'https://api.example.com/v1/customers/ann%40acme.com';
const GOLD = '{"tier":"Gold","clv":1200}';

function res(status: number, body = '', headers: Record<string, string> = {}, extra: Partial<ResponseLike> = {}): ResponseLike {
  return { status, headers: new Headers(headers), text: async () => body, ...extra };
}

function timeoutError(): DOMException {
  return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}

type Step = ResponseLike | Error | ((init: RequestInitLike) => Promise<ResponseLike>);

/** A fake world: scripted answers, a clock that only moves when slept, a fixed random. */
function harness(script: Step[], options: { random?: number; limiter?: (now: () => number) => RateLimiter; hasPermission?: (origin: string) => Promise<boolean> } = {}) {
  let clock = Date.parse('2025-03-12T10:00:00Z');
  const sleeps: number[] = [];
  const calls: { url: string; init: RequestInitLike }[] = [];
  const now = () => clock;
  const deps: FetchDeps = {
    fetch: async (url, init) => {
      calls.push({ url, init });
      const step = script.shift();
      if (!step) throw new Error(`unexpected request ${calls.length} to ${url}`);
      if (step instanceof Error) throw step;
      return typeof step === 'function' ? step(init) : step;
    },
    now,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    random: () => options.random ?? 0.5,
    timeout: () => new AbortController().signal,
    ...(options.limiter ? { limiter: options.limiter(now) } : {}),
    ...(options.hasPermission ? { hasPermission: options.hasPermission } : {}),
  };
  return { deps, sleeps, calls, advance: (ms: number) => (clock += ms), remaining: () => script.length };
}

describe('fetchScore', () => {
  it('asks the rendered URL with the source headers, no cookies and manual redirects', async () => {
    const h = harness([res(200, GOLD, { 'content-type': 'application/json' })]);
    const result = await fetchScore(h.deps, SOURCE, ANN);
    expect(result).toEqual({ ok: true, score: { tier: 'Gold', clv: 1200 }, attempts: 1, fetchedAt: Date.parse('2025-03-12T10:00:00Z') });
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]?.url).toBe(ANN_URL);
    expect(h.calls[0]?.init).toMatchObject({
      method: 'GET',
      headers: { Accept: 'application/json', Authorization: 'Bearer t0ken' },
      redirect: 'manual',
      credentials: 'omit',
      cache: 'no-store',
    });
    expect(h.sleeps).toEqual([]);
  });

  it('401 and 404 are not retried', async () => {
    for (const status of [401, 403, 404, 400]) {
      const h = harness([res(status), res(200, GOLD)]);
      const result = await fetchScore(h.deps, SOURCE, ANN);
      expect(result.ok).toBe(false);
      expect(result.attempts).toBe(1);
      expect(h.remaining()).toBe(1);
      expect(h.sleeps).toEqual([]);
    }
  });

  it('500 then success after a retry, waiting the backoff', async () => {
    const h = harness([res(500, 'oops'), res(200, GOLD)]);
    const result = await fetchScore(h.deps, SOURCE, ANN);
    expect(result).toMatchObject({ ok: true, score: { tier: 'Gold' }, attempts: 2 });
    expect(h.sleeps).toEqual([375]);
  });

  it('gives up after the configured retries, with growing delays', async () => {
    const h = harness([res(503), res(502), res(500), res(200, GOLD)]);
    const result = await fetchScore(h.deps, SOURCE, ANN);
    expect(result).toMatchObject({ ok: false, attempts: 3, error: { kind: 'server', status: 500, retryable: true } });
    expect(h.sleeps).toEqual([375, 750]);
    expect(h.remaining()).toBe(1);
  });

  it('a timeout is an error of its own, and retried', async () => {
    const h = harness([timeoutError(), res(200, GOLD)]);
    expect(await fetchScore(h.deps, SOURCE, ANN)).toMatchObject({ ok: true, attempts: 2 });

    const once = harness([timeoutError()]);
    const result = await fetchScore(once.deps, { ...SOURCE, retries: 0 }, ANN);
    expect(result).toEqual({
      ok: false,
      attempts: 1,
      error: {
        kind: 'timeout',
        retryable: true,
        message: 'The service did not answer within 3 seconds. It may be slow or down; try again later, or raise the time limit in Options → Sources.',
      },
    });
  });

  it('the time limit is the source’s, and covers reading the body too', async () => {
    const asked: number[] = [];
    const h = harness([res(200, '', {}, { text: () => Promise.reject(timeoutError()) })]);
    h.deps.timeout = (ms) => {
      asked.push(ms);
      return AbortSignal.abort(timeoutError());
    };
    const result = await fetchScore(h.deps, { ...SOURCE, retries: 0, timeoutMs: 1500 }, ANN);
    expect(result).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    expect(asked).toEqual([1500]);
  });

  it('an abort from the timeout signal counts as a timeout', async () => {
    const h = harness([new DOMException('This operation was aborted', 'AbortError')]);
    h.deps.timeout = () => AbortSignal.abort(timeoutError());
    expect(await fetchScore(h.deps, { ...SOURCE, retries: 0 }, ANN)).toMatchObject({ ok: false, error: { kind: 'timeout' } });
  });

  it('a network failure is retried, then reported with the origin only', async () => {
    const h = harness([new TypeError('Failed to fetch'), new TypeError('Failed to fetch'), new TypeError('Failed to fetch')]);
    const result = await fetchScore(h.deps, SOURCE, ANN);
    expect(result).toMatchObject({ ok: false, attempts: 3, error: { kind: 'network', retryable: true } });
    if (!result.ok) {
      expect(result.error.message).toContain('Could not reach https://api.example.com.');
      expect(result.error.message).not.toContain('ann');
    }
  });

  it('invalid JSON, a wrong shape and an HTML page are not retried', async () => {
    for (const [answer, kind] of [
      [res(200, '{"tier": "Gold",}'), 'invalid-json'],
      [res(200, '{"clv": 3}'), 'wrong-shape'],
      [res(200, '<!doctype html><title>Log in</title><form><input type=password></form>', { 'content-type': 'text/html' }), 'html'],
    ] as const) {
      const h = harness([answer, res(200, GOLD)]);
      expect(await fetchScore(h.deps, SOURCE, ANN)).toMatchObject({ ok: false, attempts: 1, error: { kind } });
    }
  });

  it('follows one redirect within the same origin, with the same headers', async () => {
    const h = harness([res(302, '', { location: '/v2/customers/ann%40acme.com' }), res(200, GOLD)]);
    expect(await fetchScore(h.deps, SOURCE, ANN)).toMatchObject({ ok: true, score: { tier: 'Gold' }, attempts: 1 });
    expect(h.calls.map((c) => c.url)).toEqual([ANN_URL, 'https://api.example.com/v2/customers/ann%40acme.com']);
    expect(h.calls[1]?.init.headers.Authorization).toBe('Bearer t0ken');
  });

  it('refuses a redirect to another origin without asking it', async () => {
    const h = harness([res(307, '', { location: 'https://evil.example/steal' }), res(200, GOLD)]);
    const result = await fetchScore(h.deps, SOURCE, ANN);
    expect(result).toMatchObject({ ok: false, attempts: 1, error: { kind: 'redirect', retryable: false } });
    if (!result.ok) expect(result.error.message).toContain('The service redirected to another site (https://evil.example), which Centric refuses.');
    expect(h.calls).toHaveLength(1);
  });

  it('does not follow a second redirect, nor a browser’s opaque one', async () => {
    const twice = harness([res(302, '', { location: '/a' }), res(302, '', { location: '/b' }), res(200, GOLD)]);
    expect(await fetchScore(twice.deps, SOURCE, ANN)).toMatchObject({ ok: false, error: { kind: 'redirect' } });
    expect(twice.calls).toHaveLength(2);

    const opaque = harness([res(0, '', {}, { type: 'opaqueredirect' }), res(200, GOLD)]);
    expect(await fetchScore(opaque.deps, SOURCE, ANN)).toMatchObject({ ok: false, attempts: 1, error: { kind: 'redirect' } });
  });

  it('does not ask when the page does not show what the URL needs', async () => {
    const h = harness([res(200, GOLD)]);
    const result = await fetchScore(h.deps, SOURCE, { name: 'Ann Lee' });
    expect(result).toMatchObject({ ok: false, attempts: 0, error: { kind: 'no-identity', retryable: false } });
    if (!result.ok) expect(result.error.message).toBe('Not asked: Acme warehouse API looks customers up by email, which this page does not show (missing email).');
    expect(h.calls).toHaveLength(0);
  });

  it('does not ask an origin Centric has no permission for', async () => {
    const origins: string[] = [];
    const h = harness([res(200, GOLD)], {
      hasPermission: async (origin) => {
        origins.push(origin);
        return false;
      },
    });
    expect(await fetchScore(h.deps, SOURCE, ANN)).toMatchObject({ ok: false, error: { kind: 'permission' } });
    expect(origins).toEqual(['https://api.example.com']);
    expect(h.calls).toHaveLength(0);
  });

  it('waits the Retry-After of a 503 when it is longer than the backoff, and gives up when it is too long', async () => {
    const h = harness([res(503, '', { 'retry-after': '2' }), res(200, GOLD)]);
    expect(await fetchScore(h.deps, SOURCE, ANN)).toMatchObject({ ok: true });
    expect(h.sleeps).toEqual([2000]);

    const long = harness([res(503, '', { 'retry-after': '60' }), res(200, GOLD)]);
    expect(await fetchScore(long.deps, SOURCE, ANN)).toMatchObject({ ok: false, attempts: 1, error: { kind: 'server', retryAfterMs: 60_000 } });
    expect(long.sleeps).toEqual([]);
  });

  it('a 429 is not retried, and pauses the source’s limiter for the asked time', async () => {
    const h = harness([res(429, '', { 'retry-after': '30' }), res(200, GOLD)], { limiter: (now) => new RateLimiter(60, { now }) });
    expect(await fetchScore(h.deps, SOURCE, ANN)).toMatchObject({ ok: false, attempts: 1, error: { kind: 'rate-limited', retryAfterMs: 30_000 } });
    const next = await fetchScore(h.deps, SOURCE, ANN);
    expect(next).toMatchObject({ ok: false, attempts: 0, error: { kind: 'rate-limited', retryAfterMs: 30_000 } });
    expect(h.calls).toHaveLength(1);
    h.advance(30_000);
    expect(await fetchScore(h.deps, SOURCE, ANN)).toMatchObject({ ok: true });
  });

  it('the rate limit makes a request wait a little, or fail fast', async () => {
    const h = harness([res(200, GOLD), res(200, GOLD), res(200, GOLD)], { limiter: (now) => new RateLimiter(60, { now, burst: 1 }) });
    expect(await fetchScore(h.deps, SOURCE, ANN)).toMatchObject({ ok: true });
    expect(await fetchScore(h.deps, SOURCE, ANN)).toMatchObject({ ok: true });
    expect(h.sleeps).toEqual([1000]);
    const result = await fetchScore(h.deps, SOURCE, ANN, { maxRateWaitMs: 0 });
    expect(result).toMatchObject({ ok: false, attempts: 0, error: { kind: 'rate-limited', retryable: false, retryAfterMs: 1000 } });
    if (!result.ok) expect(result.error.message).toMatch(/^Centric asks this service at most 60 times a minute/);
    expect(h.calls).toHaveLength(2);
  });
});

describe('backoff', () => {
  it('doubles from the base, capped, with half of it jittered', () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, () => 0))).toEqual([250, 500, 1000, 2000, 4000, 4000]);
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, () => 0.999999))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(backoffDelay(1, () => 0.5, { baseMs: 100, maxMs: 1000 })).toBe(150);
  });
});

describe('RateLimiter', () => {
  it('allows a burst, then one request per interval; reservations queue up', () => {
    let t = 0;
    const limiter = new RateLimiter(60, { now: () => t, burst: 3 });
    expect([limiter.reserve(), limiter.reserve(), limiter.reserve()]).toEqual([
      { ok: true, waitMs: 0 },
      { ok: true, waitMs: 0 },
      { ok: true, waitMs: 0 },
    ]);
    expect(limiter.reserve()).toEqual({ ok: false, retryInMs: 1000 });
    expect(limiter.reserve(2500)).toEqual({ ok: true, waitMs: 1000 });
    expect(limiter.reserve(2500)).toEqual({ ok: true, waitMs: 2000 });
    expect(limiter.reserve(2500)).toEqual({ ok: false, retryInMs: 3000 });
    t += 3000;
    expect(limiter.reserve()).toEqual({ ok: true, waitMs: 0 });
    expect(limiter.reserve()).toEqual({ ok: false, retryInMs: 1000 });
  });

  it('refills to the burst at most, and a clock that goes back gives no tokens', () => {
    let t = 1_000_000;
    const limiter = new RateLimiter(120, { now: () => t, burst: 2 });
    limiter.reserve();
    limiter.reserve();
    t -= 60_000;
    expect(limiter.reserve()).toEqual({ ok: false, retryInMs: 500 });
    t += 3_600_000;
    expect([limiter.reserve(), limiter.reserve(), limiter.reserve()].map((r) => r.ok)).toEqual([true, true, false]);
  });

  it('one limiter per source, rebuilt when the rate changes', () => {
    const limiters = new RateLimiters(() => 0);
    const a = limiters.get({ id: 'a', ratePerMinute: 60 });
    expect(limiters.get({ id: 'a', ratePerMinute: 60 })).toBe(a);
    expect(limiters.get({ id: 'b', ratePerMinute: 60 })).not.toBe(a);
    const faster = limiters.get({ id: 'a', ratePerMinute: 120 });
    expect(faster).not.toBe(a);
    expect(faster.ratePerMinute).toBe(120);
    expect(() => new RateLimiter(0, { now: () => 0 })).toThrow(/more than 0/);
  });
});
