/**
 * Asking the team's lookup services about a customer (issue 7): for each enabled service, the cached
 * answer when fresh; a stale answer at once with a refresh after (stale-while-revalidate); otherwise
 * a request now (lib/sources/fetch-policy.ts: timeout, retries, rate limit), whose failure keeps the
 * cached answer. Pure of extension APIs: the cache and the network are passed in.
 */
import type { CacheEntry } from '../sources/cache';
import { cacheKey, cacheState, nextCacheEntry, shouldRefresh } from '../sources/cache';
import type { LookupServiceSource, SourcesConfig } from '../sources/config';
import type { FetchDeps } from '../sources/fetch-policy';
import { fetchScore } from '../sources/fetch-policy';
import type { ScoreCandidate } from '../sources/precedence';
import type { RemoteScore } from '../sources/response';
import type { LookupIdentity } from '../sources/url';

export interface RemoteLookupDeps {
  /** The network, clock and rate limiter for one source. */
  fetchDeps(source: LookupServiceSource): FetchDeps;
  readCache(key: string): Promise<CacheEntry | undefined>;
  writeCache(entry: CacheEntry): Promise<void>;
  now(): number;
  /** Runs work after the answer was given (a background refresh). */
  later(work: () => Promise<void>): void;
}

/** What the services said: a candidate per service that has a value, and the problems worth showing. */
export interface RemoteAnswers {
  candidates: ScoreCandidate<RemoteScore>[];
  /** Per service whose answer could not be had (or refreshed): its message for a person. */
  problems: { sourceId: string; message: string }[];
}

/** A cached answer as a candidate for the precedence (stale past its fresh time, expired past its stale period). */
export function candidateOf(entry: CacheEntry, now: number): ScoreCandidate<RemoteScore> {
  const state = cacheState(entry, now);
  return { sourceId: entry.sourceId, score: entry.score, asOf: entry.fetchedAt, stale: state !== 'fresh', expired: state === 'expired' };
}

/** Asks one service (or its cache) about one identity. */
async function askOne(source: LookupServiceSource, identity: LookupIdentity, deps: RemoteLookupDeps, answers: RemoteAnswers): Promise<void> {
  const key = cacheKey(source.id, identity, source.urlTemplate);
  const now = deps.now();
  const cached = await deps.readCache(key).catch(() => undefined);
  const state = cacheState(cached, now);
  const refresh = async (): Promise<CacheEntry | undefined> => {
    const result = await fetchScore(deps.fetchDeps(source), source, identity);
    if (!result.ok && result.error.kind === 'no-identity') return cached;
    const next = nextCacheEntry(cached, result.ok ? { ok: true, score: result.score } : { ok: false, error: result.error }, source, deps.now(), key);
    if (next) await deps.writeCache(next).catch(() => {});
    if (!result.ok && result.error.kind !== 'not-found') answers.problems.push({ sourceId: source.id, message: `${source.name}: ${result.error.message}` });
    return next;
  };

  if (state === 'fresh' && cached) {
    answers.candidates.push(candidateOf(cached, now));
    return;
  }
  if (state === 'stale' && cached) {
    answers.candidates.push(candidateOf(cached, now));
    if (shouldRefresh(cached, now)) deps.later(async () => void (await refresh()));
    return;
  }
  // Missing or expired: ask now (unless a refresh failed moments ago), and fall back on what is cached.
  if (!shouldRefresh(cached, now)) {
    if (cached) answers.candidates.push(candidateOf(cached, now));
    if (cached?.lastError) answers.problems.push({ sourceId: source.id, message: `${source.name}: ${cached.lastError.message}` });
    return;
  }
  const entry = await refresh();
  if (entry) answers.candidates.push(candidateOf(entry, deps.now()));
}

/** Asks every enabled lookup service about the identity, in parallel. */
export async function askLookupServices(config: SourcesConfig, identity: LookupIdentity, deps: RemoteLookupDeps): Promise<RemoteAnswers> {
  const answers: RemoteAnswers = { candidates: [], problems: [] };
  const services = config.sources.filter((s): s is LookupServiceSource => s.kind === 'lookup-service' && s.enabled);
  await Promise.all(services.map((s) => askOne(s, identity, deps, answers)));
  return answers;
}
