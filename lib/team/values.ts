/**
 * The team's values in the extension (issue 19; docs/team.md "Team values in the extension"): when a
 * team connection exists, the team service is a source of values ahead of every other — the sidebar
 * asks it as a lookup service derived from the connection (never stored among the sources: it holds
 * the token), list chips ask it one batch per screenful, and both keep its answers in the same
 * lookupCache entries (same key per customer), so a chip and its record's sidebar agree, and both
 * show the cached value, "as of" its time, when the service cannot be reached.
 *
 * Pure: the network (the team client), the cache, the clock and the rate limiter are passed in.
 */
import { cacheKey, cacheState, nextCacheEntry, shouldRefresh, type CacheEntry } from '../sources/cache';
import { TEAM_SOURCE_PREFIX, type LookupServiceSource } from '../sources/config';
import { networkError, rateLimitError, statusError, type SourceError } from '../sources/errors';
import type { RateLimiter } from '../sources/fetch-policy';
import type { ScoreCandidate } from '../sources/precedence';
import { scoreFromJson, type RemoteScore } from '../sources/response';
import { identityValues, type LookupIdentity } from '../sources/url';
import { candidateOf } from '../lookup/remote';
import { TeamError, type TeamClient } from './client';
import type { TeamConnection } from './connection';

/** How the sidebar names the team in messages ("the team service: …"). */
export const TEAM_NAME = 'the team service';
/** Most identities in one POST /v1/lookup/batch (the service's limit). */
export const TEAM_BATCH_MAX = 200;
/** Most batch requests on their way at once; further ones wait their turn (no storm on a fast scroll). */
export const TEAM_BATCH_CONCURRENCY = 2;

/**
 * The team service as a lookup-service source: `GET /v1/lookup?email=…&id=…&domain=…` with the token.
 * Answers are fresh 10 minutes (a new upload shows within that), then shown while refreshed for 30
 * days: a person offline keeps the team's values, marked stale, "as of" when they were fetched.
 */
export function teamLookupSource(connection: TeamConnection): LookupServiceSource {
  return {
    id: `${TEAM_SOURCE_PREFIX}${connection.url}`,
    kind: 'lookup-service',
    name: TEAM_NAME,
    enabled: true,
    // Empty placeholders are allowed in the query (lib/sources/url.ts renderLookupUrl): whichever is known is sent.
    urlTemplate: `${connection.url}/v1/lookup?email={email}&id={id}&domain={domain}`,
    headers: [{ name: 'Authorization', value: `Bearer ${connection.token}` }],
    format: { kind: 'centric' },
    timeoutMs: 5000,
    retries: 1,
    // The service allows 600 a minute per token; chips' batches and the sidebar share this.
    ratePerMinute: 300,
    ttlSeconds: 600,
    staleSeconds: 30 * 86_400,
  };
}

/**
 * Who to ask the team about: the email (the page's, else the matched customer's); else the id of the
 * customer matched in this browser; else the company domain (the service answers its most valuable
 * customer). One identifier only: the service tries an id before an email, and an id of this browser's
 * data (the sample's, a page's record id) must not pick another customer of the team's. The sidebar
 * and the chips use this one function, so they share cache entries.
 */
export function teamIdentity(page: { email?: string | undefined; domain?: string | undefined }, localCustomerId?: string): LookupIdentity | undefined {
  const email = page.email?.trim();
  if (email) return { email };
  if (localCustomerId?.trim()) return { id: localCustomerId.trim() };
  const domain = page.domain?.trim();
  return domain ? { domain } : undefined;
}

/** The cache key of an identity's team answer (the one askLookupServices uses for the team source). */
export function teamCacheKey(source: LookupServiceSource, identity: LookupIdentity): string {
  return cacheKey(source.id, identity, source.urlTemplate);
}

/** A source error's message, worded for the team connection (Options → Team, the person's token). */
export function teamWording(message: string): string {
  return message
    .replace(/ Raise the request rate in Options → Sources if this happens often\./, '')
    .replace(/the API key/g, 'your token')
    .replace(/Options → Sources/g, 'Options → Team');
}

/** A team client's failure as a source error (the cache records it beside the value it keeps). */
function sourceErrorOf(error: unknown, url: string): SourceError {
  if (error instanceof TeamError) {
    if (error.code === 'network') return { ...networkError(url), message: error.message };
    if (error.status !== undefined) return { ...(statusError(error.status) ?? networkError(url)), message: `${error.message} (${error.status})` };
    return { kind: 'wrong-shape', retryable: false, message: error.message };
  }
  return networkError(url, (error as Error)?.message);
}

export interface TeamValuesDeps {
  source: LookupServiceSource;
  client: Pick<TeamClient, 'batch'>;
  readCache(keys: readonly string[]): Promise<(CacheEntry | undefined)[]>;
  writeCache(entries: readonly CacheEntry[]): Promise<void>;
  now(): number;
  /** The team source's rate limiter (shared with the sidebar's lookups). */
  limiter?: RateLimiter;
  /** Runs work after the answer was given (the refresh of stale values). */
  later(work: () => Promise<void>): void;
}

/** The team's values for many identities: a candidate (or none) per identity, in order, and problems in words. */
export interface TeamValuesAnswer {
  candidates: (ScoreCandidate<RemoteScore> | undefined)[];
  problems: string[];
}

/**
 * Many identities at once (list chips): fresh cached answers as they are; missing or expired ones in
 * one POST /v1/lookup/batch; stale ones shown at once and refreshed in one batch after. Identities
 * asked already (by another screenful, another tab) wait for that answer instead of asking again; at
 * most TEAM_BATCH_CONCURRENCY batches are on their way, and the rate limiter is respected (over it,
 * the cache answers). A failed batch keeps every cached value (marked with the error) and says why.
 */
export class TeamValues {
  private readonly pending = new Map<string, Promise<CacheEntry | undefined>>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Batch requests sent (for tests and the bench). */
  readonly stats = { requests: 0, identities: 0 };

  constructor(private readonly deps: TeamValuesDeps) {}

  async values(identities: readonly (LookupIdentity | undefined)[]): Promise<TeamValuesAnswer> {
    const { deps } = this;
    const keys = identities.map((identity) => (identity && Object.keys(identityValues(identity)).length > 0 ? teamCacheKey(deps.source, identity) : undefined));
    const unique = new Map<string, LookupIdentity>();
    keys.forEach((key, i) => key && !unique.has(key) && unique.set(key, identities[i]!));
    const uniqueKeys = [...unique.keys()];
    const cached = new Map<string, CacheEntry | undefined>();
    const read = await deps.readCache(uniqueKeys).catch(() => uniqueKeys.map(() => undefined));
    uniqueKeys.forEach((key, i) => cached.set(key, read[i]));

    const now = deps.now();
    const askNow: string[] = [];
    const askLater: string[] = [];
    const waitFor = new Map<string, Promise<CacheEntry | undefined>>();
    for (const key of uniqueKeys) {
      const entry = cached.get(key);
      const state = cacheState(entry, now);
      const inFlight = this.pending.get(key);
      if (state === 'fresh') continue;
      if (inFlight && state !== 'stale') waitFor.set(key, inFlight);
      else if (!shouldRefresh(entry, now) || inFlight) continue;
      else if (state === 'stale') askLater.push(key);
      else askNow.push(key);
    }
    const problems: string[] = [];
    if (askNow.length > 0) {
      const asked = this.ask(askNow.map((key) => [key, unique.get(key)!] as const), cached, problems);
      for (const key of askNow) waitFor.set(key, asked.then((entries) => entries.get(key)));
    }
    if (askLater.length > 0) {
      const later = askLater.map((key) => [key, unique.get(key)!] as const);
      deps.later(async () => void (await this.ask(later, cached, [])));
    }
    for (const [key, promise] of waitFor) cached.set(key, await promise);

    const at = deps.now();
    const candidates = keys.map((key) => {
      const entry = key ? cached.get(key) : undefined;
      return entry ? candidateOf(entry, at) : undefined;
    });
    return { candidates, problems: [...new Set(problems)] };
  }

  /** One batch (or several of at most TEAM_BATCH_MAX) for these keys; the entries stored after. */
  private ask(items: readonly (readonly [string, LookupIdentity])[], cached: ReadonlyMap<string, CacheEntry | undefined>, problems: string[]): Promise<Map<string, CacheEntry | undefined>> {
    const parts: (readonly (readonly [string, LookupIdentity])[])[] = [];
    for (let i = 0; i < items.length; i += TEAM_BATCH_MAX) parts.push(items.slice(i, i + TEAM_BATCH_MAX));
    const done = Promise.all(parts.map((part) => this.askPart(part, cached, problems))).then((maps) => new Map(maps.flatMap((m) => [...m])));
    for (const [key] of items) {
      const mine = done.then((m) => m.get(key));
      this.pending.set(key, mine);
      void mine.finally(() => this.pending.get(key) === mine && this.pending.delete(key));
    }
    return done;
  }

  private async askPart(part: readonly (readonly [string, LookupIdentity])[], cached: ReadonlyMap<string, CacheEntry | undefined>, problems: string[]): Promise<Map<string, CacheEntry | undefined>> {
    const { deps } = this;
    const { source } = deps;
    const out = new Map<string, CacheEntry | undefined>();
    await this.turn();
    let outcome: { ok: true; answers: unknown[] } | { ok: false; error: SourceError };
    try {
      const slot = deps.limiter?.reserve(0);
      if (slot && !slot.ok) outcome = { ok: false, error: rateLimitError(deps.limiter!.ratePerMinute, slot.retryInMs) };
      else {
        this.stats.requests++;
        this.stats.identities += part.length;
        const body = part.map(([, identity]) => {
          const v = identityValues(identity);
          return { ...(v.email ? { email: v.email } : {}), ...(v.id ? { id: v.id } : {}), ...(!v.email && !v.id && v.domain ? { domain: v.domain } : {}) };
        });
        const answer = await deps.client.batch(body);
        outcome = Array.isArray(answer?.answers) && answer.answers.length === part.length
          ? { ok: true, answers: answer.answers }
          : { ok: false, error: { kind: 'wrong-shape', retryable: false, message: `The team service answered a batch of ${part.length} with ${Array.isArray(answer?.answers) ? answer.answers.length : 'no'} answers.` } };
      }
    } catch (error) {
      outcome = { ok: false, error: sourceErrorOf(error, source.urlTemplate.replace(/\/v1\/lookup.*$/, '')) };
    } finally {
      this.release();
    }
    const now = deps.now();
    const writes: CacheEntry[] = [];
    part.forEach(([key], i) => {
      const previous = cached.get(key);
      let next: CacheEntry | undefined;
      if (outcome.ok) {
        const json = outcome.answers[i];
        if (json === null || json === undefined) next = nextCacheEntry(previous, { ok: false, error: { kind: 'not-found', retryable: false, message: 'Not in the team’s scores.' } }, source, now, key);
        else {
          const read = scoreFromJson(json, source.format);
          if (!read.ok) problems.push(`${TEAM_NAME}: ${teamWording(read.error.message)}`);
          next = nextCacheEntry(previous, read.ok ? { ok: true, score: read.score } : { ok: false, error: read.error }, source, now, key);
        }
      } else {
        next = nextCacheEntry(previous, { ok: false, error: outcome.error }, source, now, key);
      }
      out.set(key, next);
      if (next) writes.push(next);
    });
    if (!outcome.ok) problems.push(`${TEAM_NAME}: ${teamWording(outcome.error.message)}`);
    if (writes.length > 0) await deps.writeCache(writes).catch(() => {});
    return out;
  }

  private async turn(): Promise<void> {
    if (this.running < TEAM_BATCH_CONCURRENCY) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
