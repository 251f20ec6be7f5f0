/**
 * How Centric asks a remote source: one GET with the source's headers, no cookies, no automatic
 * redirects, a time limit per attempt, retries with exponential backoff and jitter for the errors that
 * may pass (5xx, timeout, network — never a 4xx), and a request rate limit per source (token bucket).
 *
 * Everything the outside world provides is injected (fetch, clock, sleep, random, the timeout signal,
 * the permission check), so this runs in Node tests with fakes and in the background service worker
 * with the real ones:
 *
 * ```ts
 * const deps = { fetch: (url, init) => fetch(url, init), now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
 *   random: Math.random, limiter: limiters.get(source),
 *   hasPermission: (origin) => chrome.permissions.contains({ origins: [permissionPatternFor(origin)!] }) };
 * ```
 *
 * Redirects: requests use redirect: 'manual'. Where the Location header is visible (Node, tests) a
 * redirect to the same origin is followed once and one to another origin is refused. In a browser a
 * manual redirect arrives as an opaque response (type 'opaqueredirect', no Location): Centric cannot see
 * where it leads, so it is refused with a message asking for the service's final address.
 */
import type { LookupServiceSource, Source } from './config';
import { type SourceError, networkError, permissionError, rateLimitError, timeoutError } from './errors';
import { type HttpAnswer, type RemoteScore, interpretResponse, redirectTarget } from './response';
import { type LookupIdentity, originOf, renderLookupUrl } from './url';

/** The part of a fetch Response that Centric reads. */
export interface ResponseLike {
  status: number;
  /** 'opaqueredirect' for a manual redirect in a browser. */
  type?: string;
  url?: string;
  redirected?: boolean;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** What Centric passes to fetch. */
export interface RequestInitLike {
  method: 'GET';
  headers: Record<string, string>;
  redirect: 'manual';
  credentials: 'omit';
  cache: 'no-store';
  signal: AbortSignal;
}

export type FetchLike = (url: string, init: RequestInitLike) => Promise<ResponseLike>;

/** The outside world, injected. */
export interface FetchDeps {
  fetch: FetchLike;
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1), for jitter. */
  random(): number;
  /** A signal that aborts after `ms` with a TimeoutError (default AbortSignal.timeout). */
  timeout?(ms: number): AbortSignal;
  /** The source's rate limiter (see RateLimiters); without one, requests are not limited. */
  limiter?: RateLimiter;
  /** Whether Centric may contact this origin (chrome.permissions.contains); without it, assumed. */
  hasPermission?(origin: string): Promise<boolean>;
}

/** Tuning of fetchScore; the defaults suit a sidebar that waits for the answer. */
export interface FetchOptions {
  /** Longest wait for the rate limiter before failing fast with 'rate-limited' (default 2 s). */
  maxRateWaitMs?: number;
  /** First backoff delay (default 500 ms), doubled on each retry. */
  backoffBaseMs?: number;
  /** Longest backoff delay (default 8 s); a Retry-After longer than this ends the retries. */
  backoffMaxMs?: number;
}

const DEFAULTS = { maxRateWaitMs: 2000, backoffBaseMs: 500, backoffMaxMs: 8000 };

// ---------------------------------------------------------------------------------------------
// Rate limit

/** A token bucket: `ratePerMinute` requests a minute on average, up to `burst` at once. */
export class RateLimiter {
  readonly ratePerMinute: number;
  readonly burst: number;
  private readonly now: () => number;
  private tokens: number;
  private last: number;
  private pausedUntil = 0;

  constructor(ratePerMinute: number, options: { now: () => number; burst?: number }) {
    if (!(ratePerMinute > 0)) throw new Error(`The request rate must be more than 0 a minute (got ${ratePerMinute}).`);
    this.ratePerMinute = ratePerMinute;
    this.burst = Math.max(1, options.burst ?? Math.min(ratePerMinute, 10));
    this.now = options.now;
    this.tokens = this.burst;
    this.last = this.now();
  }

  private get msPerToken(): number {
    return 60_000 / this.ratePerMinute;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.last);
    this.tokens = Math.min(this.burst, this.tokens + elapsed / this.msPerToken);
    this.last = Math.max(this.last, now);
  }

  /**
   * Takes a token: at once (waitMs 0), or reserved for later (wait waitMs, then send) when the wait is
   * at most `maxWaitMs`; otherwise nothing is taken and retryInMs says when a token will be there.
   */
  reserve(maxWaitMs = 0): { ok: true; waitMs: number } | { ok: false; retryInMs: number } {
    const now = this.now();
    this.refill(now);
    const pause = Math.max(0, this.pausedUntil - now);
    const wait = Math.max(pause, this.tokens >= 1 ? 0 : (1 - this.tokens) * this.msPerToken);
    if (wait > maxWaitMs) return { ok: false, retryInMs: Math.ceil(wait) };
    this.tokens -= 1;
    return { ok: true, waitMs: Math.ceil(wait) };
  }

  /** Sends nothing before `time` (ms), e.g. after a 429 with Retry-After. */
  pauseUntil(time: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, time);
  }
}

/** One RateLimiter per source, rebuilt when the source's rate changes. */
export class RateLimiters {
  private readonly limiters = new Map<string, RateLimiter>();
  constructor(private readonly now: () => number) {}

  /** The limiter of this source. */
  get(source: Pick<LookupServiceSource, 'id' | 'ratePerMinute'>): RateLimiter {
    const existing = this.limiters.get(source.id);
    if (existing && existing.ratePerMinute === source.ratePerMinute) return existing;
    const limiter = new RateLimiter(source.ratePerMinute, { now: this.now });
    this.limiters.set(source.id, limiter);
    return limiter;
  }
}

// ---------------------------------------------------------------------------------------------
// Backoff

/**
 * The wait before retry number `attempt + 1` (attempt 0 = after the first failure): base × 2^attempt,
 * capped at maxMs, with "equal jitter" (half fixed, half random) so clients do not retry in step.
 */
export function backoffDelay(attempt: number, random: () => number, options: { baseMs?: number; maxMs?: number } = {}): number {
  const base = options.baseMs ?? DEFAULTS.backoffBaseMs;
  const max = options.maxMs ?? DEFAULTS.backoffMaxMs;
  const full = Math.min(max, base * 2 ** attempt);
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(full / 2 + (full / 2) * r);
}

// ---------------------------------------------------------------------------------------------
// Requests

/** The headers of a request to a source: Accept JSON (unless set), then the configured ones. */
export function requestHeaders(source: Pick<Source, 'headers'>, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!source.headers.some((h) => h.name.toLowerCase() === 'accept')) headers.Accept = 'application/json';
  for (const [name, value] of Object.entries(extra)) headers[name] = value;
  for (const h of source.headers) headers[h.name] = h.value;
  return headers;
}

/** What one request produced: an answer to interpret, or an error before any answer. */
export type AttemptResult = { ok: true; answer: HttpAnswer } | { ok: false; error: SourceError };

/**
 * One request with a time limit, following one same-origin redirect (when its Location is visible).
 * The body is read only when `readBody(status)` says so (2xx by default), within the same time limit.
 */
export async function requestOnce(
  deps: FetchDeps,
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  readBody: (status: number) => boolean = (status) => status >= 200 && status < 300,
): Promise<AttemptResult> {
  const origin = originOf(url);
  let current = url;
  for (let hop = 0; ; hop++) {
    const signal = (deps.timeout ?? ((ms: number) => AbortSignal.timeout(ms)))(timeoutMs);
    let response: ResponseLike;
    try {
      response = await deps.fetch(current, { method: 'GET', headers, redirect: 'manual', credentials: 'omit', cache: 'no-store', signal });
    } catch (error) {
      return { ok: false, error: thrownError(error, signal, timeoutMs, origin) };
    }
    if (hop === 0 && response.status >= 300 && response.status < 400 && response.status !== 304) {
      const target = redirectTarget(current, response.headers.get('location') ?? undefined);
      if (target.kind === 'same-origin') {
        current = target.url;
        continue;
      }
    }
    let bodyText = '';
    if (readBody(response.status)) {
      try {
        bodyText = await response.text();
      } catch (error) {
        return { ok: false, error: thrownError(error, signal, timeoutMs, origin) };
      }
    }
    const answer: HttpAnswer = {
      requestUrl: url,
      status: response.status,
      headers: response.headers,
      bodyText,
      now: deps.now(),
      ...(response.type !== undefined ? { type: response.type } : {}),
      ...(response.redirected !== undefined ? { redirected: response.redirected } : {}),
      ...(response.url ? { finalUrl: response.url } : {}),
    };
    return { ok: true, answer };
  }
}

/** Timeout or network error from what fetch (or reading the body) threw. */
function thrownError(error: unknown, signal: AbortSignal, timeoutMs: number, origin: string | undefined): SourceError {
  const name = (error as { name?: unknown } | null)?.name;
  const reason = (signal.reason as { name?: unknown } | undefined)?.name;
  if (name === 'TimeoutError' || (signal.aborted && (reason === 'TimeoutError' || name === 'AbortError'))) return timeoutError(timeoutMs);
  return networkError(origin);
}

/**
 * Repeats `attempt` while it fails with a retryable error, up to `retries` more times, waiting
 * backoffDelay (or the service's Retry-After, when longer and within backoffMaxMs) between tries.
 * Each try first takes a token from the limiter (waiting up to maxRateWaitMs, else failing fast).
 */
export async function withRetries<T>(
  deps: FetchDeps,
  retries: number,
  attempt: () => Promise<{ ok: true; value: T } | { ok: false; error: SourceError }>,
  options: FetchOptions = {},
): Promise<{ ok: true; value: T; attempts: number } | { ok: false; error: SourceError; attempts: number }> {
  const o = { ...DEFAULTS, ...options };
  let attempts = 0;
  for (;;) {
    if (deps.limiter) {
      const slot = deps.limiter.reserve(o.maxRateWaitMs);
      if (!slot.ok) return { ok: false, error: rateLimitError(deps.limiter.ratePerMinute, slot.retryInMs), attempts };
      if (slot.waitMs > 0) await deps.sleep(slot.waitMs);
    }
    attempts++;
    const result = await attempt();
    if (result.ok) return { ok: true, value: result.value, attempts };
    const { error } = result;
    if (error.kind === 'rate-limited' && error.retryAfterMs !== undefined) deps.limiter?.pauseUntil(deps.now() + error.retryAfterMs);
    if (!error.retryable || attempts > retries) return { ok: false, error, attempts };
    let delay = backoffDelay(attempts - 1, deps.random, { baseMs: o.backoffBaseMs, maxMs: o.backoffMaxMs });
    if (error.retryAfterMs !== undefined) {
      if (error.retryAfterMs > o.backoffMaxMs) return { ok: false, error, attempts };
      delay = Math.max(delay, error.retryAfterMs);
    }
    await deps.sleep(delay);
  }
}

/** The result of asking a lookup service about one customer. */
export type FetchScoreResult =
  | { ok: true; score: RemoteScore; attempts: number; fetchedAt: number }
  | { ok: false; error: SourceError; attempts: number };

/**
 * Asks a lookup service for one customer's score: renders the URL (a customer the template cannot
 * name is not requested: 'no-identity'), checks the host permission, then requests with the source's
 * time limit, retries and rate limit, and reads the answer (interpretResponse).
 */
export async function fetchScore(deps: FetchDeps, source: LookupServiceSource, identity: LookupIdentity, options: FetchOptions = {}): Promise<FetchScoreResult> {
  const rendered = renderLookupUrl(source.urlTemplate, identity);
  if (!rendered.ok) {
    return {
      ok: false,
      attempts: 0,
      error: { kind: 'no-identity', retryable: false, message: `Not asked: ${source.name} looks customers up by ${rendered.missing.join(' and ')}, which this page does not show (${rendered.reason}).` },
    };
  }
  const origin = originOf(rendered.url);
  if (!origin) return { ok: false, attempts: 0, error: networkError(undefined, 'the address is not a web address') };
  if (deps.hasPermission && !(await deps.hasPermission(origin))) return { ok: false, attempts: 0, error: permissionError(origin) };
  const headers = requestHeaders(source);
  const result = await withRetries(
    deps,
    source.retries,
    async () => {
      const sent = await requestOnce(deps, rendered.url, headers, source.timeoutMs);
      if (!sent.ok) return sent;
      const read = interpretResponse(sent.answer, source.format);
      return read.ok ? { ok: true as const, value: read.score } : read;
    },
    options,
  );
  if (result.ok) return { ok: true, score: result.value, attempts: result.attempts, fetchedAt: deps.now() };
  return result;
}
