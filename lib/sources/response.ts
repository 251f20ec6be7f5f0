/**
 * Reading a lookup service's answer: the HTTP status, redirects, HTML instead of JSON, and the JSON
 * itself — the documented Centric JSON, or a mapping of fields from an existing service's JSON.
 *
 * ## The Centric JSON (what a lookup service answers for one customer)
 *
 * A JSON object; only `tier` is required, `null` counts as absent, other fields are ignored:
 *
 * ```json
 * {
 *   "tier": "Gold",                     // string, 1..40 characters (shown as the badge)
 *   "clv": 1234.5,                      // number: value over the scoring horizon (12 months), discounted
 *   "next12Months": 310.2,              // number: predicted value over the next 12 months, undiscounted
 *   "lifetimeValue": 2890.1,            // number: residual lifetime value (rest of the customer's life, discounted)
 *   "pAlive": 0.82,                     // number 0..1: probability the customer is still active
 *   "expectedTransactions": 2.4,        // number ≥ 0: expected purchases over the model's horizon
 *   "segment": "Wholesale",             // string, at most 80 characters
 *   "treatment": "Call back today",     // string (a title, ≤ 80) or {"title": "…", "guidance": "… ≤ 400"}
 *   "updatedAt": "2025-03-12T10:42:00Z",// ISO 8601 date-time (with Z or an offset) or date: when scored
 *   "tierColor": "#facc15",             // #rgb or #rrggbb: badge colour (else the tier's colour in Centric)
 *   "customerId": "C-1042"              // string (or number): the service's id for the customer
 * }
 * ```
 *
 * A mapping reads the same fields from other places, by paths such as `data.customer.ltv` or
 * `scores[0].tier`; there numbers may also be numeric strings ("1234.50") and `updatedAt` may be a
 * Unix time in seconds or milliseconds.
 *
 * Status: 401/403 → 'auth', 404/410/204 → 'not-found', 429 → 'rate-limited', 408 → 'timeout', other
 * 4xx → 'bad-request', 5xx → 'server' (retryable). A redirect to another origin is refused; a
 * same-origin redirect is followed once by fetchScore (see fetch-policy). A valid JSON body is accepted
 * whatever its content-type; an HTML page (often a login page) is reported as such.
 */
import { z } from 'zod';
import { locateJsonError } from '../rules/transfer';
import type { MappingFields, ResponseFormat } from './config';
import { type RequestSubject, type SourceError, SETTINGS_PLACE, statusError } from './errors';
import { originOf } from './url';

/** One customer's score as a remote source gives it. */
export interface RemoteScore {
  tier: string;
  clv?: number;
  next12Months?: number;
  lifetimeValue?: number;
  pAlive?: number;
  expectedTransactions?: number;
  segment?: string;
  treatment?: { title: string; guidance?: string };
  /** ISO 8601: when the source scored the customer. */
  updatedAt?: string;
  /** #rrggbb (lower case). */
  tierColor?: string;
  customerId?: string;
}

/** Largest answer read for one customer, in characters. */
export const MAX_ANSWER_CHARS = 1_000_000;

const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

/** Absent or null → undefined; otherwise `schema`. */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null ? undefined : v), schema.optional());
}

const A_NUMBER = 'a number';

/** Numbers: JSON numbers; with `lenient`, numeric strings too ("1234.50"). */
function number(lenient: boolean, message = A_NUMBER) {
  const base = z.number({ error: message });
  if (!lenient) return base;
  return z.preprocess((v) => (typeof v === 'string' && /^\s*-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\s*$/.test(v) ? Number(v) : v), base);
}

/** An ISO date-time (with Z or an offset) or date; with `lenient`, a Unix time in seconds or milliseconds too. */
function timestamp(lenient: boolean) {
  const message = 'an ISO date and time such as 2025-03-12T10:42:00Z';
  const iso = z.union([z.iso.datetime({ offset: true }), z.iso.date()], { error: message });
  if (!lenient) return iso;
  return z.preprocess((v) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return v;
    const ms = v < 1e11 ? v * 1000 : v;
    const date = new Date(ms);
    return Number.isNaN(date.getTime()) ? v : date.toISOString();
  }, iso);
}

const text = (max: number, what = 'a string') => z.string({ error: what }).trim().min(1, `${what}, not empty`).max(max, `${what} of at most ${max} characters`);

/** The fields of a score, each validated; `lenient` for mapped answers of other services. */
function scoreShape(lenient: boolean) {
  return {
    tier: text(40),
    clv: optional(number(lenient)),
    next12Months: optional(number(lenient)),
    lifetimeValue: optional(number(lenient)),
    pAlive: optional(number(lenient, 'a number between 0 and 1').pipe(z.number().min(0, 'a number between 0 and 1').max(1, 'a number between 0 and 1'))),
    expectedTransactions: optional(number(lenient, 'a number of at least 0').pipe(z.number().min(0, 'a number of at least 0'))),
    segment: optional(text(80)),
    treatment: optional(
      z.union(
        [
          text(80).transform((title) => ({ title })),
          z.object({ title: text(80), guidance: optional(z.string().trim().max(400)) }).transform((t) => (t.guidance ? { title: t.title, guidance: t.guidance } : { title: t.title })),
        ],
        { error: 'a string (the title) or an object with "title" and "guidance"' },
      ),
    ),
    updatedAt: optional(timestamp(lenient)),
    tierColor: optional(
      z
        .string({ error: 'a colour such as #facc15' })
        .trim()
        .regex(HEX_COLOR, 'a colour such as #facc15')
        .transform((c) => (c.length === 4 ? `#${c[1]}${c[1]}${c[2]}${c[2]}${c[3]}${c[3]}` : c).toLowerCase()),
    ),
    customerId: optional(z.union([z.string().trim().min(1).max(128), z.number().transform(String)], { error: 'a string' })),
  };
}

/** The documented Centric JSON (see the top of this file); extra fields are allowed and ignored. */
export const CentricResponseSchema = z.looseObject(scoreShape(false));
/** A mapped answer: the same fields, read leniently (numeric strings, Unix times). */
const MappedScoreSchema = z.object(scoreShape(true));

/** What each field should be, for "is missing" messages. */
const EXPECTED: Record<string, string> = {
  tier: 'a string',
  clv: A_NUMBER,
  next12Months: A_NUMBER,
  lifetimeValue: A_NUMBER,
  pAlive: 'a number between 0 and 1',
  expectedTransactions: 'a number of at least 0',
  segment: 'a string',
  treatment: 'a string or an object with "title"',
  updatedAt: 'an ISO date and time',
  tierColor: 'a colour such as #facc15',
  customerId: 'a string',
};

/** The RemoteScore without the fields that are undefined. */
function compact(score: Record<string, unknown>): RemoteScore {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(score)) if (value !== undefined && key in EXPECTED) out[key] = value;
  return out as unknown as RemoteScore;
}

// ---------------------------------------------------------------------------------------------
// Paths into JSON

/** A path as steps: "scores[0].tier" → ["scores", 0, "tier"]; undefined when it is not a valid path. */
export function parseJsonPath(path: string): (string | number)[] | undefined {
  const steps: (string | number)[] = [];
  const re = /\[(\d+)\]|\.?([^.[\]\s]+)/gy;
  let match: RegExpExecArray | null;
  let at = 0;
  const text = path.trim();
  if (text === '' || text.startsWith('.')) return undefined;
  while (at < text.length && (match = re.exec(text)) !== null) {
    if (match.index !== at) return undefined;
    if (match[1] !== undefined) steps.push(Number(match[1]));
    else if (match[2] !== undefined) {
      if (steps.length > 0 && !match[0].startsWith('.')) return undefined;
      steps.push(match[2]);
    }
    at = re.lastIndex;
  }
  return at === text.length && steps.length > 0 ? steps : undefined;
}

/** The value at `path` in `json` (undefined when any step is missing). */
export function readPath(json: unknown, path: string): unknown {
  const steps = parseJsonPath(path);
  if (!steps) return undefined;
  let value: unknown = json;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(value)) return undefined;
      value = value[step];
    } else {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, step)) return undefined;
      value = (value as Record<string, unknown>)[step];
    }
  }
  return value;
}

/** The raw values a mapping points at, by RemoteScore field (fields not mapped or not found are absent). */
export function readMapped(json: unknown, fields: Partial<MappingFields>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, path] of Object.entries(fields)) {
    if (typeof path !== 'string') continue;
    const value = readPath(json, path);
    if (value !== undefined) out[field] = value;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading JSON into a score

export type ScoreResult = { ok: true; score: RemoteScore } | { ok: false; error: SourceError };

/** A JSON value read as a score, in the Centric JSON or through a mapping. */
export function scoreFromJson(json: unknown, format: ResponseFormat): ScoreResult {
  if (format.kind === 'centric') {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      return shapeError(`The answer should be a JSON object with "tier" (it is ${describe(json)}).`);
    }
    const result = CentricResponseSchema.safeParse(json);
    if (result.success) return { ok: true, score: compact(result.data) };
    return shapeError(shapeMessage(result.error.issues, json as Record<string, unknown>, (field) => field));
  }
  const mapped = readMapped(json, format.fields);
  const result = MappedScoreSchema.safeParse(mapped);
  if (result.success) return { ok: true, score: compact(result.data) };
  const fields = format.fields as Record<string, string | undefined>;
  return shapeError(shapeMessage(result.error.issues, mapped, (field) => fields[field] ?? field, true));
}

function shapeError(message: string): ScoreResult {
  return { ok: false, error: { kind: 'wrong-shape', retryable: false, message } };
}

/** 'The answer is missing "tier" (a string).', 'In the answer, "pAlive" is 1.7; it should be a number between 0 and 1.' */
function shapeMessage(issues: readonly z.core.$ZodIssue[], values: Record<string, unknown>, label: (field: string) => string, mapped = false): string {
  const sentences: string[] = [];
  const done = new Set<string>();
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '');
    if (done.has(field)) continue;
    done.add(field);
    const where = label(field);
    const what = mapped ? `the ${field}, ${EXPECTED[field] ?? 'a value'}` : (EXPECTED[field] ?? 'a value');
    const value = values[field];
    if (value === undefined || value === null) sentences.push(`The answer is missing "${where}" (${what}).`);
    else sentences.push(`In the answer, "${where}" is ${shown(value)}; it should be ${firstMessage(issue) ?? EXPECTED[field] ?? 'something else'}.`);
    if (sentences.length === 5) break;
  }
  return sentences.join(' ');
}

function firstMessage(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'invalid_union' && issue.message) return issue.message;
  return issue.message || undefined;
}

/** A value as a person reads it in a message: 1.7, "abc", a list, an object. */
function shown(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? `"${value.slice(0, 39)}…"` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return describe(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'true or false';
  return 'an object';
}

// ---------------------------------------------------------------------------------------------
// The HTTP answer

/** Response headers: a fetch Headers object or a plain object (any case of names). */
export type HeaderBag = { get(name: string): string | null } | Readonly<Record<string, string | undefined>>;

/** An HTTP answer as fetchScore saw it. */
export interface HttpAnswer {
  /** The URL that was requested (before any redirect). */
  requestUrl: string;
  status: number;
  headers?: HeaderBag;
  bodyText: string;
  /** fetch's Response.redirected / Response.url, when the fetch followed a redirect itself. */
  redirected?: boolean;
  finalUrl?: string;
  /** fetch's Response.type: 'opaqueredirect' for a redirect with redirect: 'manual' in a browser. */
  type?: string;
  /** Now, in ms: reads a Retry-After given as a date. */
  now?: number;
}

/** A header's value (case-insensitive), or undefined. */
export function headerValue(headers: HeaderBag | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, string | undefined>)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** Retry-After in ms: seconds ("120") or an HTTP date (needs `now`); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now?: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (now === undefined) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Where a 3xx answer points, judged against the requested URL. */
export type RedirectTarget =
  | { kind: 'same-origin'; url: string }
  | { kind: 'other-origin'; origin: string }
  | { kind: 'unknown' };

/** Where a redirect leads: the same origin (may be followed once), another origin (refused), or unknown. */
export function redirectTarget(requestUrl: string, location: string | undefined): RedirectTarget {
  if (!location) return { kind: 'unknown' };
  let target: URL;
  try {
    target = new URL(location, requestUrl);
  } catch {
    return { kind: 'unknown' };
  }
  const from = originOf(requestUrl);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return { kind: 'other-origin', origin: `${target.protocol}…` };
  if (from !== undefined && target.origin === from) return { kind: 'same-origin', url: target.href };
  return { kind: 'other-origin', origin: target.origin };
}

/** The refused redirect to another origin. */
export function redirectRefused(origin: string): SourceError {
  return {
    kind: 'redirect',
    retryable: false,
    message: `The service redirected to another site (${origin}), which Centric refuses. If the service has moved, update its address in ${SETTINGS_PLACE}.`,
  };
}

function redirectUnknown(status?: number): SourceError {
  return {
    kind: 'redirect',
    retryable: false,
    ...(status ? { status } : {}),
    message: `The service redirected${status ? ` (${status})` : ''} without Centric being able to see where, so Centric did not follow. Check the address in ${SETTINGS_PLACE}: use the final address of the service.`,
  };
}

function redirectAgain(status: number): SourceError {
  return {
    kind: 'redirect',
    retryable: false,
    status,
    message: `The service redirected more than once (${status}); Centric follows one redirect within the same site. Use the final address of the service in ${SETTINGS_PLACE}.`,
  };
}

/**
 * The error for a redirect answer, or undefined when the answer is not a redirect: an opaque redirect
 * (browser, redirect: 'manual') or a 3xx is an error here — fetchScore follows one same-origin redirect
 * before calling interpretResponse; a fetch that followed by itself to another origin is refused.
 */
export function redirectError(answer: HttpAnswer): SourceError | undefined {
  if (answer.type === 'opaqueredirect') return redirectUnknown();
  if (answer.redirected && answer.finalUrl) {
    const target = redirectTarget(answer.requestUrl, answer.finalUrl);
    if (target.kind === 'other-origin') return redirectRefused(target.origin);
  }
  if (answer.status >= 300 && answer.status < 400 && answer.status !== 304) {
    const target = redirectTarget(answer.requestUrl, headerValue(answer.headers, 'location'));
    if (target.kind === 'other-origin') return { ...redirectRefused(target.origin), status: answer.status };
    if (target.kind === 'same-origin') return redirectAgain(answer.status);
    return redirectUnknown(answer.status);
  }
  return undefined;
}

/** The error for a non-success status, or undefined (statusError with Retry-After read). */
export function httpStatusError(answer: HttpAnswer, subject: RequestSubject = 'customer'): SourceError | undefined {
  if (answer.status === 304) {
    return { kind: 'server', status: 304, retryable: false, message: 'The service answered "not modified" (304) to a request that did not ask for it.' };
  }
  return statusError(answer.status, subject, parseRetryAfter(headerValue(answer.headers, 'retry-after'), answer.now));
}

/** The JSON in a body, or the error saying why there is none (empty, HTML page, invalid JSON, too large). */
export function parseJsonBody(answer: Pick<HttpAnswer, 'bodyText' | 'headers'>, subject: RequestSubject = 'customer'): { ok: true; json: unknown } | { ok: false; error: SourceError } {
  const body = answer.bodyText.charCodeAt(0) === 0xfeff ? answer.bodyText.slice(1) : answer.bodyText;
  if (body.length > MAX_ANSWER_CHARS && subject === 'customer') {
    return { ok: false, error: { kind: 'invalid-json', retryable: false, message: `The answer is too large (over ${MAX_ANSWER_CHARS.toLocaleString('en-US')} characters) for one customer's score. Check the URL in ${SETTINGS_PLACE}.` } };
  }
  if (body.trim() === '') return { ok: false, error: { kind: 'invalid-json', retryable: false, message: 'The answer is empty (no JSON).' } };
  try {
    return { ok: true, json: JSON.parse(body) };
  } catch (error) {
    const contentType = headerValue(answer.headers, 'content-type')?.toLowerCase() ?? '';
    if (/html/.test(contentType) || looksLikeHtml(body)) return { ok: false, error: htmlError(body) };
    return { ok: false, error: { kind: 'invalid-json', retryable: false, message: `The answer is not valid JSON (${jsonProblem(body, error)}).` } };
  }
}

/**
 * A lookup service's answer read as a score, or the error for a person. The order: redirects, then
 * the status (a 401 with a login page is an API key problem), then the body: valid JSON is accepted
 * whatever the content-type; an HTML page is named as such; then the format.
 */
export function interpretResponse(answer: HttpAnswer, format: ResponseFormat): ScoreResult {
  const redirect = redirectError(answer);
  if (redirect) return { ok: false, error: redirect };
  const status = httpStatusError(answer);
  if (status) return { ok: false, error: status };
  if (answer.status === 204) {
    return { ok: false, error: { kind: 'not-found', status: 204, retryable: false, message: 'The service has no score for this customer (204).' } };
  }
  const body = parseJsonBody(answer);
  if (!body.ok) return { ok: false, error: { ...body.error, status: answer.status } };
  return scoreFromJson(body.json, format);
}

/** True when a body is an HTML page (a doctype, <html>, or head/body/title/form tags near the start). */
export function looksLikeHtml(body: string): boolean {
  const start = body.trimStart().slice(0, 200).toLowerCase();
  return start.startsWith('<!doctype html') || start.startsWith('<html') || /<(head|body|title|form)[\s>]/.test(body.slice(0, 4000).toLowerCase());
}

/** The error for an HTML page where JSON (or a scores file) was expected; names a login page as such. */
export function htmlError(body: string): SourceError {
  const sample = body.slice(0, 20_000);
  const login = /type\s*=\s*["']?password|log\s?-?in|sign\s?-?in|single sign-on|\bsso\b|authenticat/i.test(sample);
  if (login) {
    return {
      kind: 'html',
      retryable: false,
      message: `The answer is not JSON: the service sent an HTML page — probably a login page. Check the URL and the API key in ${SETTINGS_PLACE}.`,
    };
  }
  const title = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(sample)?.[1]?.replace(/\s+/g, ' ').trim();
  return {
    kind: 'html',
    retryable: false,
    message: `The answer is not JSON: the service sent an HTML page${title ? ` ("${title.slice(0, 60)}")` : ''}. Check the URL in ${SETTINGS_PLACE}.`,
  };
}

/** Where JSON.parse failed, in words: "line 2, column 5: A comma too many before \"}\"." */
function jsonProblem(body: string, error: unknown): string {
  const located = locateJsonError(body);
  if (located) return `line ${located.line}, column ${located.column}: ${located.message.replace(/^The file\b/, 'The answer').replace(/\.$/, '')}`;
  return (error instanceof Error ? error.message : String(error)).slice(0, 120);
}
