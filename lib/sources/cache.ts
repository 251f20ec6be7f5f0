/**
 * The cache of lookup-service answers (stored by the background in IndexedDB), with a time to live and
 * stale-while-revalidate. Times are milliseconds since the epoch.
 *
 * An entry's life, for a source with ttlSeconds T and staleSeconds S, fetched at F:
 * - 'fresh'   F ≤ now < F+T:      shown, not asked again.
 * - 'stale'   F+T ≤ now < F+T+S:  shown at once, and asked again in the background.
 * - 'expired' now ≥ F+T+S:        asked again first; if that fails, still shown, marked "as of F".
 * - 'missing' no entry:           asked.
 * An entry from the future (the clock went back by more than CLOCK_SKEW_MS) is 'stale'.
 *
 * Negative entries (the service answered 404/410/204: it does not know the customer) hold no score and
 * live NEGATIVE_TTL_MS at most (and no longer than the source's TTL), without a stale period: the
 * customer may be created in the service any time, but a page visited often does not ask every time.
 *
 * Failures never lose a value: a failed refresh keeps the entry and records the error (recordFailure);
 * a 404 replaces only a negative or missing entry — a score already known stays, marked with the error.
 */
import type { LookupServiceSource } from './config';
import type { SourceError } from './errors';
import type { RemoteScore } from './response';
import { type LookupIdentity, type UrlPlaceholder, URL_PLACEHOLDERS, identityValues, knownPlaceholdersIn } from './url';

/** Longest life of a "not known to the service" answer. */
export const NEGATIVE_TTL_MS = 10 * 60_000;
/** An entry fetched later than now by more than this is from a clock that went back. */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** After a failed refresh, how long before a stale or expired entry is refreshed again. */
export const FAILURE_RETRY_MS = 60_000;

/** One cached answer. */
export interface CacheEntry {
  /** cacheKey(sourceId, identity, …). */
  key: string;
  sourceId: string;
  /** The score; null = the service does not know this customer (negative entry). */
  score: RemoteScore | null;
  fetchedAt: number;
  expiresAt: number;
  staleUntil: number;
  /** The last failed refresh, kept beside the value it could not replace. */
  lastError?: { kind: SourceError['kind']; message: string; at: number };
}

export type CacheState = 'fresh' | 'stale' | 'expired' | 'missing';

/** Where an entry is in its life (see the top of this file). */
export function cacheState(entry: Pick<CacheEntry, 'fetchedAt' | 'expiresAt' | 'staleUntil'> | undefined, now: number): CacheState {
  if (!entry) return 'missing';
  if (entry.fetchedAt - now > CLOCK_SKEW_MS) return 'stale';
  if (now < entry.expiresAt) return 'fresh';
  if (now < entry.staleUntil) return 'stale';
  return 'expired';
}

/**
 * The key of a customer's answer from a source: the source id and the identity's values (email,
 * domain, id lower-cased; name lower-cased with spaces collapsed). With `urlTemplate`, only the
 * placeholders the template uses count, so the same email on two pages is one entry.
 */
export function cacheKey(sourceId: string, identity: LookupIdentity, urlTemplate?: string): string {
  const values = identityValues(identity);
  const used: readonly UrlPlaceholder[] = urlTemplate !== undefined ? knownPlaceholdersIn(urlTemplate) : URL_PLACEHOLDERS;
  const parts = [encodeURIComponent(sourceId)];
  for (const name of URL_PLACEHOLDERS) {
    const value = values[name];
    if (value !== undefined && used.includes(name)) parts.push(`${name}=${encodeURIComponent(value.toLowerCase())}`);
  }
  return parts.join('|');
}

/** The entry for a score just fetched from `source`. */
export function cacheEntryFor(score: RemoteScore, source: Pick<LookupServiceSource, 'id' | 'ttlSeconds' | 'staleSeconds'>, now: number, key = ''): CacheEntry {
  const expiresAt = now + source.ttlSeconds * 1000;
  return { key, sourceId: source.id, score, fetchedAt: now, expiresAt, staleUntil: expiresAt + source.staleSeconds * 1000 };
}

/** The entry for "the service does not know this customer": no score, a short life, no stale period. */
export function negativeEntryFor(source: Pick<LookupServiceSource, 'id' | 'ttlSeconds'>, now: number, key = ''): CacheEntry {
  const expiresAt = now + Math.min(NEGATIVE_TTL_MS, source.ttlSeconds * 1000);
  return { key, sourceId: source.id, score: null, fetchedAt: now, expiresAt, staleUntil: expiresAt };
}

/** The entry after a failed refresh: the same value and times, with the error recorded. */
export function recordFailure(entry: CacheEntry, error: SourceError, now: number): CacheEntry {
  return { ...entry, lastError: { kind: error.kind, message: error.message, at: now } };
}

/**
 * What to store after asking: the new score; for "not known" a negative entry unless a score is
 * already cached (then that score stays, with the error); for any other failure the old entry with the
 * error (nothing to store when there was none).
 */
export function nextCacheEntry(
  previous: CacheEntry | undefined,
  outcome: { ok: true; score: RemoteScore } | { ok: false; error: SourceError },
  source: Pick<LookupServiceSource, 'id' | 'ttlSeconds' | 'staleSeconds'>,
  now: number,
  key = previous?.key ?? '',
): CacheEntry | undefined {
  if (outcome.ok) return cacheEntryFor(outcome.score, source, now, key);
  if (outcome.error.kind === 'not-found' && (!previous || previous.score === null)) return negativeEntryFor(source, now, key);
  return previous ? recordFailure(previous, outcome.error, now) : undefined;
}

/**
 * Whether to ask the service now: when missing, or stale/expired — but not again within
 * FAILURE_RETRY_MS of a failed refresh (the cached value is shown meanwhile).
 */
export function shouldRefresh(entry: CacheEntry | undefined, now: number): boolean {
  const state = cacheState(entry, now);
  if (state === 'missing') return true;
  if (state === 'fresh') return false;
  const failedAt = entry?.lastError?.at;
  return failedAt === undefined || now - failedAt >= FAILURE_RETRY_MS || failedAt > now;
}
