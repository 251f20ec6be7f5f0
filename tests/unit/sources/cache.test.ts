import { describe, expect, it } from 'vitest';
import {
  CLOCK_SKEW_MS,
  FAILURE_RETRY_MS,
  NEGATIVE_TTL_MS,
  type SourceError,
  cacheEntryFor,
  cacheKey,
  cacheState,
  negativeEntryFor,
  nextCacheEntry,
  shouldRefresh,
} from '../../../lib/sources';

const T0 = Date.parse('2025-03-12T10:42:00Z');
const SOURCE = { id: 'acme', ttlSeconds: 3600, staleSeconds: 86_400 };
const GOLD = { tier: 'Gold', clv: 1200 };
const SERVER: SourceError = { kind: 'server', status: 503, retryable: true, message: 'The service had a problem of its own (503). Try again later.' };
const NOT_FOUND: SourceError = { kind: 'not-found', status: 404, retryable: false, message: 'The service does not know this customer (404).' };

describe('cache states', () => {
  const entry = cacheEntryFor(GOLD, SOURCE, T0, 'k');

  it('an entry for a score: fresh for the TTL, then stale for the stale period', () => {
    expect(entry).toEqual({ key: 'k', sourceId: 'acme', score: GOLD, fetchedAt: T0, expiresAt: T0 + 3_600_000, staleUntil: T0 + 3_600_000 + 86_400_000 });
  });

  it('at the boundaries: fresh until expiresAt, stale from it until staleUntil, then expired', () => {
    expect(cacheState(undefined, T0)).toBe('missing');
    expect(cacheState(entry, T0)).toBe('fresh');
    expect(cacheState(entry, entry.expiresAt - 1)).toBe('fresh');
    expect(cacheState(entry, entry.expiresAt)).toBe('stale');
    expect(cacheState(entry, entry.staleUntil - 1)).toBe('stale');
    expect(cacheState(entry, entry.staleUntil)).toBe('expired');
  });

  it('an entry from a clock that went back is stale (refreshed), within a small tolerance fresh', () => {
    expect(cacheState(entry, T0 - CLOCK_SKEW_MS)).toBe('fresh');
    expect(cacheState(entry, T0 - CLOCK_SKEW_MS - 1)).toBe('stale');
  });

  it('a TTL of 0 is stale at once; no stale period means expired at once', () => {
    expect(cacheState(cacheEntryFor(GOLD, { ...SOURCE, ttlSeconds: 0 }, T0), T0)).toBe('stale');
    expect(cacheState(cacheEntryFor(GOLD, { ...SOURCE, staleSeconds: 0 }, T0), T0 + 3_600_000)).toBe('expired');
  });
});

describe('negative cache (404: not known to the service)', () => {
  it('lives at most 10 minutes and never longer than the TTL, without a stale period', () => {
    const negative = negativeEntryFor(SOURCE, T0, 'k');
    expect(negative).toEqual({ key: 'k', sourceId: 'acme', score: null, fetchedAt: T0, expiresAt: T0 + NEGATIVE_TTL_MS, staleUntil: T0 + NEGATIVE_TTL_MS });
    expect(cacheState(negative, T0 + NEGATIVE_TTL_MS - 1)).toBe('fresh');
    expect(cacheState(negative, T0 + NEGATIVE_TTL_MS)).toBe('expired');
    expect(negativeEntryFor({ ...SOURCE, ttlSeconds: 60 }, T0).expiresAt).toBe(T0 + 60_000);
  });
});

describe('what to store after asking', () => {
  const old = cacheEntryFor(GOLD, SOURCE, T0, 'k');
  const later = T0 + 2 * 86_400_000;

  it('a new score replaces the entry', () => {
    expect(nextCacheEntry(old, { ok: true, score: { tier: 'Iron' } }, SOURCE, later)).toEqual(cacheEntryFor({ tier: 'Iron' }, SOURCE, later, 'k'));
  });

  it('a failure keeps the cached value and its time, recording the error', () => {
    const kept = nextCacheEntry(old, { ok: false, error: SERVER }, SOURCE, later);
    expect(kept).toEqual({ ...old, lastError: { kind: 'server', message: SERVER.message, at: later } });
    expect(nextCacheEntry(undefined, { ok: false, error: SERVER }, SOURCE, later)).toBeUndefined();
  });

  it('a 404 stores a negative entry, but never replaces a known score', () => {
    expect(nextCacheEntry(undefined, { ok: false, error: NOT_FOUND }, SOURCE, later, 'k')).toEqual(negativeEntryFor(SOURCE, later, 'k'));
    expect(nextCacheEntry(old, { ok: false, error: NOT_FOUND }, SOURCE, later)?.score).toEqual(GOLD);
    const negative = negativeEntryFor(SOURCE, T0, 'k');
    expect(nextCacheEntry(negative, { ok: false, error: NOT_FOUND }, SOURCE, later)).toEqual(negativeEntryFor(SOURCE, later, 'k'));
  });

  it('refreshes missing, stale and expired entries, but not again right after a failure', () => {
    expect(shouldRefresh(undefined, T0)).toBe(true);
    expect(shouldRefresh(old, T0 + 1000)).toBe(false);
    expect(shouldRefresh(old, old.expiresAt)).toBe(true);
    const failed = nextCacheEntry(old, { ok: false, error: SERVER }, SOURCE, later) ?? old;
    expect(shouldRefresh(failed, later + FAILURE_RETRY_MS - 1)).toBe(false);
    expect(shouldRefresh(failed, later + FAILURE_RETRY_MS)).toBe(true);
  });
});

describe('cache keys', () => {
  it('lower-case email, domain and id; the source id keeps entries apart', () => {
    expect(cacheKey('acme', { email: ' Ann@Acme.COM ', id: 'C-7' })).toBe('acme|email=ann%40acme.com|domain=acme.com|id=c-7');
    expect(cacheKey('acme', { email: 'ann@acme.com', id: 'c-7' })).toBe(cacheKey('acme', { email: 'ANN@acme.com', id: 'C-7' }));
    expect(cacheKey('other', { email: 'ann@acme.com' })).not.toBe(cacheKey('acme', { email: 'ann@acme.com' }));
  });

  it('with the template, only the values the URL uses count', () => {
    const template = 'https://api.example.com/c/{email}';
    expect(cacheKey('acme', { email: 'ann@acme.com', name: 'Ann', id: '1' }, template)).toBe(cacheKey('acme', { email: 'Ann@acme.com', name: 'Ann Lee' }, template));
    expect(cacheKey('acme', { email: 'ann@acme.com', id: '1' })).not.toBe(cacheKey('acme', { email: 'ann@acme.com', id: '2' }));
  });

  it('a value cannot forge another key', () => {
    expect(cacheKey('acme', { email: 'a|id=1' })).not.toBe(cacheKey('acme', { email: 'a', id: '1' }));
  });
});
