/**
 * What can go wrong when Centric asks a remote source, in words for the person in front of the
 * sidebar. Every error says what happened and what to check; none of them carries a secret (no API
 * key, no full request URL: at most an origin such as https://api.example.com).
 *
 * `retryable` says whether the request may be repeated right away (5xx, timeout, network): fetchScore
 * retries those, with backoff, and never a 4xx.
 */

/** Kinds of source error. */
export const SOURCE_ERROR_KINDS = [
  'auth',
  'not-found',
  'bad-request',
  'timeout',
  'server',
  'rate-limited',
  'invalid-json',
  'wrong-shape',
  'html',
  'redirect',
  'network',
  'permission',
  'no-identity',
] as const;
export type SourceErrorKind = (typeof SOURCE_ERROR_KINDS)[number];

/** One failed request or sync, explained. */
export interface SourceError {
  kind: SourceErrorKind;
  /** A sentence or two for a person: what happened and what to check. */
  message: string;
  /** True when repeating the same request soon may succeed (5xx, timeout, network). */
  retryable: boolean;
  /** The HTTP status, when there was an answer. */
  status?: number;
  /** How long the service asked us to wait (Retry-After), in milliseconds. */
  retryAfterMs?: number;
}

/** Where to fix a source's settings, as written in messages. */
export const SETTINGS_PLACE = 'Options → Sources';

/** What a request was for: one customer's score (lookup service) or a whole scores file. */
export type RequestSubject = 'customer' | 'file';

/** The error for an HTTP status that is not a success (undefined for 2xx and 3xx). */
export function statusError(status: number, subject: RequestSubject = 'customer', retryAfterMs?: number): SourceError | undefined {
  const wait = retryAfterMs !== undefined ? { retryAfterMs } : {};
  if (status === 401) {
    return { kind: 'auth', status, retryable: false, message: `The service refused the API key (401). Check the API key in ${SETTINGS_PLACE}.` };
  }
  if (status === 403) {
    return {
      kind: 'auth',
      status,
      retryable: false,
      message: `The service refused access (403): the API key may be wrong or not allowed to read ${subject === 'file' ? 'this file' : 'scores'}. Check the API key in ${SETTINGS_PLACE}.`,
    };
  }
  if (status === 404 || status === 410) {
    return subject === 'file'
      ? { kind: 'not-found', status, retryable: false, message: `The scores file was not found (${status}). Check its address in ${SETTINGS_PLACE}.` }
      : { kind: 'not-found', status, retryable: false, message: `The service does not know this customer (${status}).` };
  }
  if (status === 408) {
    return { kind: 'timeout', status, retryable: true, message: 'The service took too long to answer (408).' };
  }
  if (status === 429) {
    return {
      kind: 'rate-limited',
      status,
      retryable: false,
      ...wait,
      message: `The service says Centric asks too often (429)${retryAfterMs !== undefined ? `; it asks to wait ${durationText(retryAfterMs)}` : ''}. Lower the request rate in ${SETTINGS_PLACE} if this keeps happening.`,
    };
  }
  if (status >= 400 && status < 500) {
    return {
      kind: 'bad-request',
      status,
      retryable: false,
      message: `The service did not accept the request (${status}). Check the ${subject === 'file' ? 'file address' : 'URL template'} in ${SETTINGS_PLACE}.`,
    };
  }
  if (status >= 500 && status < 600) {
    return { kind: 'server', status, retryable: true, ...wait, message: `The service had a problem of its own (${status}). Try again later.` };
  }
  if (status < 200 || status >= 600) {
    return { kind: 'server', status, retryable: true, message: `The service sent an answer Centric does not understand (status ${status}).` };
  }
  return undefined;
}

/** The error for a request that took longer than the source's time limit. */
export function timeoutError(timeoutMs: number): SourceError {
  return {
    kind: 'timeout',
    retryable: true,
    message: `The service did not answer within ${durationText(timeoutMs)}. It may be slow or down; try again later, or raise the time limit in ${SETTINGS_PLACE}.`,
  };
}

/** The error for a request that never got an answer (offline, DNS, refused connection, blocked by CORS). */
export function networkError(origin: string | undefined, detail?: string): SourceError {
  return {
    kind: 'network',
    retryable: true,
    message: `Could not reach ${origin ?? 'the service'}${detail ? ` (${detail})` : ''}. Check the connection and the address, and that Centric is allowed to contact it in ${SETTINGS_PLACE}.`,
  };
}

/** The error for an origin Centric has no host permission for. */
export function permissionError(origin: string): SourceError {
  return {
    kind: 'permission',
    retryable: false,
    message: `Centric is not allowed to contact ${origin} yet. Allow it in ${SETTINGS_PLACE}.`,
  };
}

/** "500 ms", "3 seconds", "2 minutes". */
export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.round(seconds / 60);
  return `${minutes} minutes`;
}

/** The error when Centric itself holds a request back: the source's request rate is used up. */
export function rateLimitError(ratePerMinute: number, retryInMs: number): SourceError {
  return {
    kind: 'rate-limited',
    retryable: false,
    retryAfterMs: retryInMs,
    message: `Centric asks this service at most ${ratePerMinute} times a minute and has reached that; it will ask again in ${durationText(retryInMs)}. Raise the request rate in ${SETTINGS_PLACE} if this happens often.`,
  };
}
