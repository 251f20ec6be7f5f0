/**
 * Remote score sources, as configured in Options → Sources: lookup services (one request per
 * customer) and shared score files (a whole `centric score` file, synced on a schedule). Validated
 * with zod; stored in the extension's local storage.
 *
 * Secrets: header values (an API key, a bearer token) are secrets. They stay in the background and
 * in local storage; anything shown in a page, sent to a content script or logged goes through
 * publicView(), which hides them (and secret-looking query parameters of an address).
 *
 * Precedence: which source speaks for a customer when several know them. `precedence` lists source
 * ids and 'local' (the scores imported in this browser), first = preferred. effectivePrecedence() adds
 * what the list leaves out: enabled sources not listed come after the listed ones in configuration
 * order, then 'local' if it is not listed; disabled sources are dropped.
 */
import { formatPath, plainMessage } from '../rules/transfer';
import { z } from 'zod';
import { addressProblems } from './url';

/** The precedence id of the extension's own scores (imported and scored in this browser). */
export const LOCAL_SOURCE_ID = 'local';
/**
 * The precedence id of the team service (issue 19; lib/team/values.ts) starts with this, followed by
 * the service's address: derived from the connection, never stored in the configuration (it carries
 * the token), and no configured source can take it (ids are lower-case letters, digits and dashes).
 * The address in the id keeps the cached answers of one service from being shown for another.
 */
export const TEAM_SOURCE_PREFIX = '@team:';
export const isTeamSourceId = (id: string): boolean => id.startsWith(TEAM_SOURCE_PREFIX);
/** The configuration version this code reads and writes. */
export const SOURCES_VERSION = 1;
/** Most sources in a configuration. */
export const MAX_SOURCES = 20;
/** Most headers on one source. */
export const MAX_HEADERS = 10;
/** What publicView() shows instead of a header value. */
export const HIDDEN_VALUE = '••••••';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const LINE_BREAKS = /[\r\n\u2028\u2029]/;
const CONTROL_CHARS = /[\u0000-\u0008\u000a-\u001f\u007f]/;
/** A path into a JSON answer: `data.customer.ltv`, `scores[0].tier`, `[0].tier`, `data["tier name"]` is not supported. */
const JSON_PATH = /^(?:[^.[\]\s]+|\[\d+\])(?:\[\d+\]|\.[^.[\]\s]+)*$/;
/** Header names a browser's fetch refuses to set (they would be dropped silently). */
const FORBIDDEN_HEADERS = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);
/** Query parameters whose values publicView() hides. */
const SECRET_PARAM = /key|token|secret|pass|auth|sig|credential|session/i;

/** A trimmed one-line text of 1..max characters. */
function lineText(max: number) {
  return z
    .string()
    .trim()
    .min(1, 'This cannot be empty.')
    .max(max, `Use at most ${max} characters.`)
    .refine((s) => !LINE_BREAKS.test(s), 'Use a single line.');
}

const sourceId = z
  .string()
  .regex(SLUG, 'Use lower-case letters, digits and dashes (e.g. "acme-api"), at most 64 characters.')
  .refine((id) => id !== LOCAL_SOURCE_ID, `"${LOCAL_SOURCE_ID}" is reserved for the scores in this browser; choose another id.`);

/** One request header, e.g. {name: "Authorization", value: "Bearer …"}; the value is a secret. */
export const HeaderSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'Enter the header name, e.g. Authorization or X-API-Key.')
    .max(100, 'Use at most 100 characters.')
    .regex(HEADER_NAME, 'A header name is letters, digits and dashes, e.g. Authorization or X-API-Key.')
    .refine((name) => {
      const lower = name.toLowerCase();
      return !FORBIDDEN_HEADERS.has(lower) && !lower.startsWith('proxy-') && !lower.startsWith('sec-');
    }, 'Browsers do not let extensions set this header; put the API key in Authorization or a header such as X-API-Key.'),
  value: z
    .string()
    .min(1, 'Enter the value (e.g. the API key, or "Bearer " and the token).')
    .max(8192, 'Use at most 8,192 characters.')
    .refine((value) => !CONTROL_CHARS.test(value), 'A header value cannot contain line breaks or control characters (check what was pasted).'),
});

const headers = z
  .array(HeaderSchema)
  .max(MAX_HEADERS, `Use at most ${MAX_HEADERS} headers.`)
  .default([])
  .superRefine((list, ctx) => {
    const seen = new Map<string, number>();
    list.forEach((header, i) => {
      const lower = header.name.toLowerCase();
      const earlier = seen.get(lower);
      if (earlier !== undefined) ctx.addIssue({ code: 'custom', message: `The header ${header.name} is set twice (also in line ${earlier + 1}).`, path: [i, 'name'] });
      else seen.set(lower, i);
    });
  });

/** A path into the answer; `requiredMessage` is said when it is missing. */
function jsonPath(requiredMessage?: string) {
  return z
    .string(requiredMessage ? { error: (issue) => (issue.input === undefined ? requiredMessage : undefined) } : undefined)
    .trim()
    .min(1, 'Enter where the value is in the answer, e.g. data.customer.tier.')
    .max(200, 'Use at most 200 characters.')
    .regex(JSON_PATH, 'Write a path such as data.customer.ltv or scores[0].tier (names separated by dots, list positions in [ ]).');
}

/** Fields of RemoteScore that a mapping can fill. */
export const MAPPED_FIELDS = ['tier', 'clv', 'next12Months', 'lifetimeValue', 'pAlive', 'expectedTransactions', 'segment', 'treatment', 'updatedAt', 'tierColor', 'customerId'] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

/** How to read the answer: the documented Centric JSON, or paths into another service's JSON. */
export const ResponseFormatSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('centric') }),
  z.strictObject({
    kind: z.literal('mapping'),
    /** Where each value is in the answer; `tier` is required (the sidebar shows a tier). */
    fields: z.strictObject({
      tier: jsonPath('Say where the tier is in the answer (e.g. data.tier): the sidebar shows a tier.'),
      clv: jsonPath().optional(),
      next12Months: jsonPath().optional(),
      lifetimeValue: jsonPath().optional(),
      pAlive: jsonPath().optional(),
      expectedTransactions: jsonPath().optional(),
      segment: jsonPath().optional(),
      treatment: jsonPath().optional(),
      updatedAt: jsonPath().optional(),
      tierColor: jsonPath().optional(),
      customerId: jsonPath().optional(),
    }),
  }),
]);

const lookupUrl = z
  .string()
  .trim()
  .max(2000, 'Use at most 2,000 characters.')
  .superRefine((url, ctx) => {
    for (const message of addressProblems(url, true)) ctx.addIssue({ code: 'custom', message });
  });

/** A file picked by the manager and kept by the extension: "local:" and its name. */
const LOCAL_FILE = /^local:[^\r\n/\\]{1,255}$/;

const fileUrl = z
  .string()
  .trim()
  .max(2000, 'Use at most 2,000 characters.')
  .superRefine((url, ctx) => {
    if (url.startsWith('local:')) {
      if (!LOCAL_FILE.test(url)) ctx.addIssue({ code: 'custom', message: 'A local file is written "local:" and its name, e.g. local:scores.csv.' });
      return;
    }
    for (const message of addressProblems(url, false)) ctx.addIssue({ code: 'custom', message });
  });

const integer = (min: number, max: number, unit: string) =>
  z
    .number()
    .int(`Use a whole number of ${unit}.`)
    .min(min, `Use at least ${min.toLocaleString('en-US')} ${unit}.`)
    .max(max, `Use at most ${max.toLocaleString('en-US')} ${unit}.`);

/** A service Centric asks about one customer at a time. */
export const LookupServiceSourceSchema = z.strictObject({
  id: sourceId,
  kind: z.literal('lookup-service'),
  /** Shown in the sidebar: "From <name>, as of …". */
  name: lineText(80),
  enabled: z.boolean().default(true),
  /** https: (or http: on 127.0.0.1 / localhost) with {email}, {domain}, {id}, {name} after the host. */
  urlTemplate: lookupUrl,
  /** Sent with every request; values are secrets (see publicView). */
  headers,
  format: ResponseFormatSchema.default({ kind: 'centric' }),
  /** Time limit of one attempt. */
  timeoutMs: integer(500, 30_000, 'milliseconds').default(3000),
  /** Further attempts after a timeout, network error or 5xx (never after a 4xx). */
  retries: integer(0, 5, 'retries').default(2),
  /** Most requests a minute to this service (the retries included). */
  ratePerMinute: integer(1, 600, 'requests a minute').default(60),
  /** How long an answer is fresh (shown without asking again). */
  ttlSeconds: integer(0, 7 * 86_400, 'seconds').default(3600),
  /** How long after that an answer is still shown at once while Centric asks again in the background. */
  staleSeconds: integer(0, 30 * 86_400, 'seconds').default(86_400),
});

/** A scores file written by `centric score --out` (CSV or JSON), synced on a schedule. */
export const ScoreFileSourceSchema = z.strictObject({
  id: sourceId,
  kind: z.literal('score-file'),
  name: lineText(80),
  enabled: z.boolean().default(true),
  /** https: (or http: on 127.0.0.1 / localhost), or "local:<file name>" for a file the manager picked. */
  url: fileUrl,
  /** 'auto': by the file name (.json / .csv), then by the first character. */
  format: z.enum(['auto', 'csv', 'json']).default('auto'),
  /** How often to check for a new file (with ETag / If-Modified-Since). */
  syncMinutes: integer(5, 1440, 'minutes').default(60),
  /** Sent when downloading the file (e.g. a token); values are secrets. */
  headers,
});

export const SourceSchema = z.discriminatedUnion('kind', [LookupServiceSourceSchema, ScoreFileSourceSchema]);

/** Every configured source, and which one wins when several know a customer. */
export const SourcesConfigSchema = z
  .strictObject({
    version: z.literal(SOURCES_VERSION),
    sources: z.array(SourceSchema).max(MAX_SOURCES, `Use at most ${MAX_SOURCES} sources.`),
    /** Source ids and "local", preferred first. */
    precedence: z.array(z.string()).max(MAX_SOURCES + 1, `List at most ${MAX_SOURCES + 1} sources.`),
  })
  .superRefine((config, ctx) => {
    for (const issue of crossProblems(config)) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  });

export type SourceHeader = z.output<typeof HeaderSchema>;
export type ResponseFormat = z.output<typeof ResponseFormatSchema>;
export type MappingFields = Extract<ResponseFormat, { kind: 'mapping' }>['fields'];
export type LookupServiceSource = z.output<typeof LookupServiceSourceSchema>;
export type ScoreFileSource = z.output<typeof ScoreFileSourceSchema>;
export type Source = z.output<typeof SourceSchema>;
export type SourceInput = z.input<typeof SourceSchema>;
export type SourcesConfig = z.output<typeof SourcesConfigSchema>;

/** No remote sources: only the scores in this browser. */
export const DEFAULT_SOURCES_CONFIG: SourcesConfig = { version: SOURCES_VERSION, sources: [], precedence: [LOCAL_SOURCE_ID] };

/** One problem: where (e.g. "sources[1].urlTemplate") and what. */
export interface ConfigIssue {
  path: string;
  message: string;
}

export type ParseSourcesResult = { ok: true; config: SourcesConfig } | { ok: false; errors: ConfigIssue[] };

/** Validates a sources configuration (e.g. from storage or an imported file), listing every problem. */
export function parseSourcesConfig(input: unknown): ParseSourcesResult {
  const result = SourcesConfigSchema.safeParse(input, { error: plainMessage });
  const issues: ConfigIssue[] = result.success ? [] : result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  // The cross checks also run on data with other problems (zod skips them then), so every problem is listed.
  if (!result.success) issues.push(...crossProblems(input).map((issue) => ({ path: formatPath(issue.path), message: issue.message })));
  const unique = new Map<string, ConfigIssue>();
  for (const issue of issues) unique.set(`${issue.path}\u0000${issue.message}`, issue);
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, errors: [...unique.values()] };
}

/** Validates one source (the options page's editor), listing every problem with its path inside the source. */
export function sourceIssues(input: unknown): ConfigIssue[] {
  const result = SourceSchema.safeParse(input, { error: plainMessage });
  return result.success ? [] : result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

/** The order in which sources speak for a customer: the listed ids, then unlisted enabled sources, then 'local'. */
export function effectivePrecedence(config: SourcesConfig): string[] {
  const enabled = new Set(config.sources.filter((s) => s.enabled).map((s) => s.id));
  const order: string[] = [];
  for (const id of config.precedence) {
    if ((id === LOCAL_SOURCE_ID || enabled.has(id)) && !order.includes(id)) order.push(id);
  }
  for (const source of config.sources) if (source.enabled && !order.includes(source.id)) order.push(source.id);
  if (!order.includes(LOCAL_SOURCE_ID)) order.push(LOCAL_SOURCE_ID);
  return order;
}

/**
 * A source without its secrets, for anything shown in a page, sent to a content script or logged:
 * header values become HIDDEN_VALUE, and so do values of secret-looking query parameters
 * (api_key=…, token=…) in the address.
 */
export function publicView<S extends Source>(source: S): S {
  const copy = structuredClone(source);
  copy.headers = source.headers.map((h) => ({ name: h.name, value: HIDDEN_VALUE }));
  if (copy.kind === 'lookup-service') copy.urlTemplate = hideSecretParams(copy.urlTemplate);
  else copy.url = hideSecretParams(copy.url);
  return copy;
}

/** The configuration without secrets (every source through publicView). */
export function publicConfig(config: SourcesConfig): SourcesConfig {
  return { ...config, sources: config.sources.map((s) => publicView(s)), precedence: [...config.precedence] };
}

/**
 * A source edited from its public view, with the secrets put back: a header whose value is still
 * HIDDEN_VALUE keeps the stored value of the header of the same name (case-insensitive); hidden query
 * parameters keep the stored values when the address is otherwise unchanged.
 */
export function restoreSecrets<S extends Source>(edited: S, stored: Source | undefined): S {
  if (!stored) return edited;
  const copy = structuredClone(edited);
  copy.headers = edited.headers.map((h) => {
    if (h.value !== HIDDEN_VALUE) return h;
    const old = stored.headers.find((s) => s.name.toLowerCase() === h.name.toLowerCase());
    return old ? { name: h.name, value: old.value } : h;
  });
  const storedAddress = stored.kind === 'lookup-service' ? stored.urlTemplate : stored.url;
  if (copy.kind === 'lookup-service') {
    if (copy.urlTemplate === hideSecretParams(storedAddress)) copy.urlTemplate = storedAddress;
  } else if (copy.url === hideSecretParams(storedAddress)) copy.url = storedAddress;
  return copy;
}

/** An address with the values of secret-looking query parameters replaced by HIDDEN_VALUE. */
export function hideSecretParams(address: string): string {
  const q = address.indexOf('?');
  if (q < 0) return address;
  const hash = address.indexOf('#', q);
  const query = address.slice(q + 1, hash < 0 ? undefined : hash);
  const hidden = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (!SECRET_PARAM.test(safeDecode(name)) || /^\{[^{}]*\}$/.test(value)) return pair;
      return `${name}=${HIDDEN_VALUE}`;
    })
    .join('&');
  return `${address.slice(0, q + 1)}${hidden}${hash < 0 ? '' : address.slice(hash)}`;
}

// ---------------------------------------------------------------------------------------------

interface RawIssue {
  path: (string | number)[];
  message: string;
}

/** Duplicate ids and precedence entries that name no source, found on raw data. */
function crossProblems(data: unknown): RawIssue[] {
  if (typeof data !== 'object' || data === null) return [];
  const { sources, precedence } = data as { sources?: unknown; precedence?: unknown };
  const issues: RawIssue[] = [];
  const ids = new Map<string, number>();
  if (Array.isArray(sources)) {
    sources.forEach((source, i) => {
      const id = typeof source === 'object' && source !== null ? (source as { id?: unknown }).id : undefined;
      if (typeof id !== 'string') return;
      const earlier = ids.get(id);
      if (earlier !== undefined) issues.push({ path: ['sources', i, 'id'], message: `The id "${id}" is used twice (also by sources[${earlier}]); each source needs its own id.` });
      else ids.set(id, i);
    });
  }
  if (Array.isArray(precedence)) {
    const seen = new Set<string>();
    const known = [LOCAL_SOURCE_ID, ...ids.keys()];
    precedence.forEach((id, i) => {
      if (typeof id !== 'string') return;
      if (id !== LOCAL_SOURCE_ID && !ids.has(id)) {
        issues.push({ path: ['precedence', i], message: `No source has the id "${id}"; use one of: ${known.map((k) => `"${k}"`).join(', ')}.` });
      } else if (seen.has(id)) {
        issues.push({ path: ['precedence', i], message: `"${id}" is listed twice.` });
      }
      seen.add(id);
    });
  }
  return issues;
}


function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

