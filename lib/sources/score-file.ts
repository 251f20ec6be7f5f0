/**
 * Shared score files: the file `centric score --out` writes (lib/dashboard/export.ts defines it), read
 * from a URL on a schedule (with ETag / If-Modified-Since) or from a file the manager picked.
 *
 * Formats:
 * - CSV: a header line, then one line per customer; comma-separated, quoted where needed, '\n' line
 *   ends. Columns (by name, any order): `id` and `tier` are required; `x, t_x, T, monetary, pAlive,
 *   expectedTransactions, expectedSpend, clv, lifetimeValue` are read as numbers (empty = unknown); optional extra
 *   columns `email, next12Months, segment, treatment, updatedAt, tierColor`; other columns are ignored.
 * - JSON: what `centric score --json` (or `--out x.json`) writes — an array of row objects with the same
 *   names, numbers or null (numeric strings are read too) — or an object {"scores": [rows…]}, which may
 *   carry "count": the number of rows, checked so a cut-off file is caught. Problems are located by row
 *   position and id ("scores[3] (id "C-9"), "clv"") rather than by line.
 *
 * All or nothing: one bad row makes the whole file unusable, and every problem is listed (line, column
 * and reason; capped at MAX_LISTED_ERRORS with a count of the rest), so the caller keeps the previous
 * scores until a complete and valid file arrives. A row with an empty tier is a customer that was not
 * scored: it is skipped, not an error. A file with a header and no rows is refused (it would replace
 * every score with nothing).
 *
 * Truncation: `centric score` ends every line with '\n'. A CSV whose last line has no line end AND
 * fewer fields than the header, or ends inside quotes, is incomplete. (A last line cut inside its last
 * field cannot be told from a complete one; it usually fails as a number or tier anyway.) A JSON file
 * that does not parse, or whose "count" differs from its rows, is incomplete.
 */
import { recordFields, scanText } from '../csv/scan';
import { locateJsonError } from '../rules/transfer';
import type { ScoreFileSource, Source } from './config';
import { type SourceError, SETTINGS_PLACE, statusError } from './errors';
import { type FetchDeps, type FetchOptions, requestHeaders, requestOnce, withRetries } from './fetch-policy';
import { fromSpreadsheetSafe } from '../csv/write';
import { type RemoteScore, headerValue, htmlError, looksLikeHtml, redirectError } from './response';
import type { LookupIdentity } from './url';

/** Most problems listed for one file (the rest are counted). */
export const MAX_LISTED_ERRORS = 100;
/** Time limit of one download of a scores file. */
export const FILE_TIMEOUT_MS = 60_000;
/** Further attempts after a timeout, network error or 5xx. */
export const FILE_RETRIES = 2;

/** Numeric columns of the `centric score` file. */
const NUMBER_COLUMNS = ['x', 't_x', 'T', 'monetary', 'pAlive', 'expectedTransactions', 'expectedSpend', 'clv', 'lifetimeValue', 'next12Months'] as const;
const TEXT_COLUMNS = ['email', 'segment', 'treatment', 'updatedAt', 'tierColor'] as const;
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** One customer from a scores file. */
export interface ScoreFileEntry extends RemoteScore {
  customerId: string;
  email?: string;
}

/** A scores file read: every scored customer by lower-cased id (and by email), or every problem. */
export type ParsedScoreFile =
  | {
      ok: true;
      format: 'csv' | 'json';
      /** By lower-cased, trimmed id. */
      scores: Map<string, ScoreFileEntry>;
      /** By lower-cased email (the email column, or an id that is an email address). */
      byEmail: Map<string, ScoreFileEntry>;
      /** Data rows in the file (scored or not). */
      rows: number;
      /** Rows with an empty tier (not scored), left out of `scores`. */
      unscored: number;
    }
  | { ok: false; errors: string[]; errorCount: number };

export interface ScoreFileOptions {
  format: 'auto' | 'csv' | 'json';
  /** The file name or URL: ".json" / ".csv" decide the format for 'auto'. */
  fileName?: string;
  /** The download's content-type, used by 'auto' when the name does not say. */
  contentType?: string;
}

/** Reads a scores file (CSV or JSON, see the top of this file): all of it, or every problem. */
export function parseScoreFile(text: string, options: ScoreFileOptions): ParsedScoreFile {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return failed(['The file is empty.']);
  const format = detectFormat(body, options);
  return format === 'json' ? parseJsonScores(body) : parseCsvScores(body);
}

/** 'csv' or 'json': as configured, else by the file name, the content-type, then the first character. */
export function detectFormat(text: string, options: ScoreFileOptions): 'csv' | 'json' {
  if (options.format !== 'auto') return options.format;
  const name = (options.fileName ?? '').toLowerCase().replace(/[?#].*$/, '');
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.csv')) return 'csv';
  if (/json/i.test(options.contentType ?? '')) return 'json';
  if (/csv/i.test(options.contentType ?? '')) return 'csv';
  const first = text.trimStart()[0];
  return first === '[' || first === '{' ? 'json' : 'csv';
}

/** The customer in a scores file for this identity: by id, then by email. */
export function findInScoreFile(file: Extract<ParsedScoreFile, { ok: true }>, identity: LookupIdentity): ScoreFileEntry | undefined {
  const id = identity.id?.trim().toLowerCase();
  if (id) {
    const found = file.scores.get(id);
    if (found) return found;
  }
  const email = identity.email?.trim().toLowerCase();
  if (email) return file.byEmail.get(email) ?? file.scores.get(email);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Rows (shared by CSV and JSON)

/** Collects problems, listing the first MAX_LISTED_ERRORS. */
class Problems {
  readonly listed: string[] = [];
  count = 0;
  add(message: string): void {
    this.count++;
    if (this.listed.length < MAX_LISTED_ERRORS) this.listed.push(message);
  }
}

function failed(errors: string[], count = errors.length): ParsedScoreFile {
  const listed = [...errors];
  if (count > listed.length) listed.push(`…and ${(count - listed.length).toLocaleString('en-US')} more problems.`);
  return { ok: false, errors: listed, errorCount: count };
}

/** Builds the maps from rows; `where(i)` names a row in messages ("Line 5", "scores[3]"). */
class Collector {
  readonly scores = new Map<string, ScoreFileEntry>();
  readonly byEmail = new Map<string, ScoreFileEntry>();
  private readonly firstSeen = new Map<string, string>();
  rows = 0;
  unscored = 0;
  constructor(readonly problems: Problems) {}

  /** Adds one row of raw values (strings from CSV, JSON values from JSON). */
  add(where: string, cell: (column: string) => { value: unknown; at: string } | undefined): void {
    this.rows++;
    const before = this.problems.count;
    const idCell = cell('id');
    const rawId = idCell?.value;
    const id = typeof rawId === 'number' && Number.isFinite(rawId) ? String(rawId) : typeof rawId === 'string' ? rawId.trim() : undefined;
    if (!id) this.problems.add(`${idCell?.at ?? where}: the customer id is ${rawId === undefined || rawId === null || rawId === '' ? 'empty' : 'not text'}.`);

    const numbers: Partial<Record<(typeof NUMBER_COLUMNS)[number], number>> = {};
    for (const column of NUMBER_COLUMNS) {
      const c = cell(column);
      if (!c) continue;
      const n = readNumber(c.value);
      if (n === 'bad') this.problems.add(`${c.at}: ${shown(c.value)} is not a number.`);
      else if (n !== null) numbers[column] = n;
    }
    if (numbers.pAlive !== undefined && (numbers.pAlive < 0 || numbers.pAlive > 1)) this.problems.add(`${cell('pAlive')?.at}: pAlive is ${numbers.pAlive}; it should be between 0 and 1.`);
    if (numbers.expectedTransactions !== undefined && numbers.expectedTransactions < 0) {
      this.problems.add(`${cell('expectedTransactions')?.at}: expectedTransactions is ${numbers.expectedTransactions}; it cannot be negative.`);
    }
    const texts: Partial<Record<(typeof TEXT_COLUMNS)[number], string>> = {};
    for (const column of TEXT_COLUMNS) {
      const c = cell(column);
      if (!c || c.value === null || c.value === undefined || c.value === '') continue;
      if (typeof c.value !== 'string') this.problems.add(`${c.at}: ${column} should be text (found ${shown(c.value)}).`);
      else if (c.value.trim() !== '') texts[column] = c.value.trim();
    }
    if (texts.tierColor !== undefined && !HEX_COLOR.test(texts.tierColor)) this.problems.add(`${cell('tierColor')?.at}: ${shown(texts.tierColor)} is not a colour such as #facc15.`);
    if (texts.updatedAt !== undefined && (!ISO_DATE.test(texts.updatedAt) || Number.isNaN(Date.parse(texts.updatedAt)))) {
      this.problems.add(`${cell('updatedAt')?.at}: ${shown(texts.updatedAt)} is not an ISO date such as 2025-03-12T10:42:00Z.`);
    }
    const tierCell = cell('tier');
    const tierValue = tierCell?.value;
    if (tierValue !== undefined && tierValue !== null && typeof tierValue !== 'string') this.problems.add(`${tierCell?.at}: the tier should be text (found ${shown(tierValue)}).`);
    const tier = typeof tierValue === 'string' ? tierValue.trim() : '';
    if (tier.length > 40) this.problems.add(`${tierCell?.at}: the tier is longer than 40 characters.`);

    if (id) {
      const key = id.toLowerCase();
      const earlier = this.firstSeen.get(key);
      if (earlier !== undefined) this.problems.add(`${where}: the customer id "${id}" appears twice (first at ${earlier.toLowerCase()}).`);
      else this.firstSeen.set(key, where);
    }
    if (this.problems.count > before || !id) return;
    if (tier === '') {
      this.unscored++;
      return;
    }
    const entry: ScoreFileEntry = { customerId: id, tier };
    if (numbers.clv !== undefined) entry.clv = numbers.clv;
    if (numbers.next12Months !== undefined) entry.next12Months = numbers.next12Months;
    if (numbers.lifetimeValue !== undefined) entry.lifetimeValue = numbers.lifetimeValue;
    if (numbers.pAlive !== undefined) entry.pAlive = numbers.pAlive;
    if (numbers.expectedTransactions !== undefined) entry.expectedTransactions = numbers.expectedTransactions;
    if (texts.segment !== undefined) entry.segment = texts.segment.slice(0, 80);
    if (texts.treatment !== undefined) entry.treatment = { title: texts.treatment.slice(0, 80) };
    if (texts.updatedAt !== undefined) entry.updatedAt = texts.updatedAt;
    if (texts.tierColor !== undefined) entry.tierColor = normalizeColor(texts.tierColor);
    const email = (texts.email ?? (id.includes('@') ? id : undefined))?.toLowerCase();
    if (email !== undefined) entry.email = email;
    this.scores.set(id.toLowerCase(), entry);
    if (email !== undefined && !this.byEmail.has(email)) this.byEmail.set(email, entry);
  }

  result(format: 'csv' | 'json'): ParsedScoreFile {
    if (this.problems.count > 0) return failed(this.problems.listed, this.problems.count);
    if (this.rows === 0) return failed(['The file has no customers (only a header). The previous scores are kept.']);
    return { ok: true, format, scores: this.scores, byEmail: this.byEmail, rows: this.rows, unscored: this.unscored };
  }
}

/** A number cell: null when empty, 'bad' when not a finite number. */
function readNumber(value: unknown): number | null | 'bad' {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : 'bad';
  if (typeof value !== 'string') return 'bad';
  const text = value.trim();
  if (text === '') return null;
  return NUMBER.test(text) ? Number(text) : 'bad';
}

function normalizeColor(color: string): string {
  return (color.length === 4 ? `#${color[1]}${color[1]}${color[2]}${color[2]}${color[3]}${color[3]}` : color).toLowerCase();
}

function shown(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? `"${value.slice(0, 39)}…"` : JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

// ---------------------------------------------------------------------------------------------
// CSV

interface CsvRecord {
  fields: string[];
  /** 1-based line of the record's start. */
  line: number;
}

/**
 * Splits CSV text into records with lib/csv's scanner (the importer's); says whether it ended inside
 * quotes (the unfinished record's line) and whether it ended with a line end: a score file cut off in
 * transfer is refused whole.
 */
export function splitCsv(text: string): { records: CsvRecord[]; openQuoteLine?: number; endsWithNewline: boolean } {
  const records: CsvRecord[] = [];
  let openQuoteLine: number | undefined;
  scanText(text, ',', (r) => {
    records.push({ fields: recordFields(r), line: r.line });
    if (r.unterminated) openQuoteLine = r.line;
  });
  const last = text[text.length - 1];
  if (openQuoteLine !== undefined) return { records, openQuoteLine, endsWithNewline: false };
  return { records, endsWithNewline: last === '\n' || last === '\r' };
}

function parseCsvScores(text: string): ParsedScoreFile {
  const { records, openQuoteLine, endsWithNewline } = splitCsv(text);
  const header = records[0];
  if (!header) return failed(['The file is empty.']);
  const names = header.fields.map((f) => f.trim());
  const index = new Map<string, number>();
  const problems = new Problems();
  names.forEach((name, i) => {
    if (name === '') return;
    if (index.has(name)) problems.add(`Line ${header.line}, column ${i + 1}: the column "${name}" appears twice in the header.`);
    else index.set(name, i);
  });
  const missing = ['id', 'tier'].filter((c) => !index.has(c));
  if (missing.length > 0) {
    return failed([
      `Line ${header.line}: the first line should be the header of a scores file (id, x, t_x, T, monetary, pAlive, expectedTransactions, expectedSpend, clv, tier); ${missing.map((m) => `"${m}"`).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing (found ${shown(header.fields.slice(0, 6).join(','))}).`,
    ]);
  }
  const width = names.length;
  const lastIndex = records.length - 1;
  if (openQuoteLine !== undefined) {
    problems.add(`Line ${openQuoteLine}: the file ends inside quotes: it is incomplete (still being written, or cut off in transfer). The previous scores are kept.`);
  } else if (lastIndex > 0 && !endsWithNewline) {
    const last = records[lastIndex] as CsvRecord;
    if (last.fields.length < width) {
      problems.add(
        `Line ${last.line}: the file ends in the middle of this line (${last.fields.length} of ${width} fields): it is incomplete (still being written, or cut off in transfer). The previous scores are kept.`,
      );
    }
  }
  const collector = new Collector(problems);
  const truncatedLast = openQuoteLine !== undefined || (!endsWithNewline && (records[lastIndex]?.fields.length ?? width) < width);
  for (let r = 1; r < records.length; r++) {
    if (r === lastIndex && truncatedLast) break;
    const record = records[r] as CsvRecord;
    if (record.fields.length !== width) {
      collector.rows++;
      problems.add(`Line ${record.line}: ${record.fields.length} field${record.fields.length === 1 ? '' : 's'}, but the header has ${width}.`);
      continue;
    }
    collector.add(`Line ${record.line}`, (column) => {
      const i = index.get(column);
      if (i === undefined) return undefined;
      return { value: fromSpreadsheetSafe(record.fields[i] ?? ''), at: `Line ${record.line}, column ${i + 1} (${column})` };
    });
  }
  return collector.result('csv');
}

// ---------------------------------------------------------------------------------------------
// JSON

function parseJsonScores(text: string): ParsedScoreFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    const located = locateJsonError(text);
    const where = located ? `line ${located.line}, column ${located.column}: ${located.message.replace(/\.$/, '')}` : 'it does not parse';
    const incomplete = located && /ends before/i.test(located.message);
    return failed([
      incomplete
        ? `The file is incomplete (${where}): it is still being written, or was cut off in transfer. The previous scores are kept.`
        : `The file is not valid JSON (${where}). The previous scores are kept.`,
    ]);
  }
  let rows: unknown[];
  let count: unknown;
  let base = '';
  if (Array.isArray(data)) rows = data;
  else if (typeof data === 'object' && data !== null && Array.isArray((data as { scores?: unknown }).scores)) {
    rows = (data as { scores: unknown[] }).scores;
    count = (data as { count?: unknown }).count;
    base = 'scores';
  } else {
    return failed(['A JSON scores file is a list of rows (as written by centric score --json) or an object with "scores": [rows…].']);
  }
  const problems = new Problems();
  if (count !== undefined && count !== rows.length) {
    problems.add(`The file says it holds ${shown(count)} customers but has ${rows.length}: it is incomplete or damaged. The previous scores are kept.`);
  }
  const collector = new Collector(problems);
  rows.forEach((row, i) => {
    const where = `${base}[${i}]`;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      collector.rows++;
      problems.add(`${where}: each row should be an object with "id" and "tier" (found ${shown(row)}).`);
      return;
    }
    const record = row as Record<string, unknown>;
    const id = typeof record.id === 'string' || typeof record.id === 'number' ? ` (id ${shown(record.id)})` : '';
    collector.add(`${where}${id}`, (column) => (Object.hasOwn(record, column) ? { value: record[column], at: `${where}${id}, "${column}"` } : undefined));
    if (!Object.hasOwn(record, 'tier')) problems.add(`${where}${id}: "tier" is missing.`);
  });
  return collector.result('json');
}

// ---------------------------------------------------------------------------------------------
// Sync

/** Validators remembered from the last download. */
export interface FileValidators {
  etag?: string | undefined;
  lastModified?: string | undefined;
}

/** The headers that ask "only if changed": If-None-Match (ETag) and If-Modified-Since. */
export function conditionalHeaders(previous: FileValidators | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (previous?.etag) headers['If-None-Match'] = previous.etag;
  if (previous?.lastModified) headers['If-Modified-Since'] = previous.lastModified;
  return headers;
}

/** What a sync's HTTP status means: a new file, the same file (304), or an error. */
export function syncOutcome(status: number): 'changed' | 'unchanged' | SourceError {
  if (status === 304) return 'unchanged';
  if (status === 204) return { kind: 'wrong-shape', status, retryable: false, message: 'The address answered with no file (204). Check it in Options → Sources.' };
  if (status >= 200 && status < 300) return 'changed';
  if (status >= 300 && status < 400) {
    return { kind: 'redirect', status, retryable: false, message: `The file address redirected (${status}); Centric follows one redirect within the same site. Use the file's final address in ${SETTINGS_PLACE}.` };
  }
  return statusError(status, 'file') ?? { kind: 'server', status, retryable: true, message: `Unexpected status ${status}.` };
}

/** Whether a scores file is due for a sync (never synced, or syncMinutes passed; a clock gone back counts as due). */
export function syncDue(lastSyncAt: number | undefined, source: Pick<ScoreFileSource, 'syncMinutes'>, now: number): boolean {
  if (lastSyncAt === undefined) return true;
  return now - lastSyncAt >= source.syncMinutes * 60_000 || lastSyncAt > now;
}

/** The result of syncing a scores file. On 'failed', keep the previous scores. */
export type ScoreFileSync =
  | { status: 'unchanged' }
  | { status: 'changed'; file: Extract<ParsedScoreFile, { ok: true }>; validators: FileValidators; fetchedAt: number }
  | { status: 'failed'; error: SourceError; problems: string[] };

/** What downloading a file produced: its text and validators, the same file as before (304), or why not. */
export type FileDownload =
  | { status: 'unchanged' }
  | { status: 'changed'; bodyText: string; contentType?: string; validators: FileValidators; fetchedAt: number }
  | { status: 'failed'; error: SourceError };

/**
 * Downloads a file from `url` if it changed since `previous` (ETag / If-Modified-Since), with
 * FILE_TIMEOUT_MS per attempt, FILE_RETRIES retries, one same-origin redirect at most and the given
 * headers. An HTML page where a file was expected (a sign-in page) is an error. Shared by the scores
 * files (below) and the site definitions file (lib/background/site-definitions-sync.ts): one piece of
 * code downloads files.
 */
export async function downloadFile(deps: FetchDeps, url: string, source: Pick<Source, 'headers'>, previous: FileValidators | undefined, options: FetchOptions = {}): Promise<FileDownload> {
  const headers = requestHeaders(source, conditionalHeaders(previous));
  const result = await withRetries(
    deps,
    FILE_RETRIES,
    async () => {
      const sent = await requestOnce(deps, url, headers, FILE_TIMEOUT_MS);
      if (!sent.ok) return sent;
      const redirect = redirectError(sent.answer);
      if (redirect) return { ok: false as const, error: redirect };
      const outcome = syncOutcome(sent.answer.status);
      if (typeof outcome !== 'string') return { ok: false as const, error: outcome };
      return { ok: true as const, value: { outcome, answer: sent.answer } };
    },
    options,
  );
  if (!result.ok) return { status: 'failed', error: result.error };
  const { outcome, answer } = result.value;
  if (outcome === 'unchanged') return { status: 'unchanged' };
  if (looksLikeHtml(answer.bodyText)) return { status: 'failed', error: htmlError(answer.bodyText) };
  const contentType = headerValue(answer.headers, 'content-type');
  const etag = headerValue(answer.headers, 'etag');
  const lastModified = headerValue(answer.headers, 'last-modified');
  return {
    status: 'changed',
    bodyText: answer.bodyText,
    ...(contentType ? { contentType } : {}),
    validators: { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) },
    fetchedAt: deps.now(),
  };
}

/**
 * Downloads a scores file if it changed (ETag / If-Modified-Since), with a time limit, retries and the
 * source's headers, and reads it; 'changed' only for a complete, valid file. A 'local:' file is not
 * downloaded: the caller reads it and calls parseScoreFile.
 */
export async function syncScoreFile(deps: FetchDeps, source: ScoreFileSource, previous: FileValidators | undefined, options: FetchOptions = {}): Promise<ScoreFileSync> {
  if (source.url.startsWith('local:')) {
    return { status: 'failed', problems: [], error: { kind: 'bad-request', retryable: false, message: 'A local scores file is read from the file the manager picked, not downloaded.' } };
  }
  const download = await downloadFile(deps, source.url, source, previous, options);
  if (download.status === 'failed') return { status: 'failed', error: download.error, problems: [] };
  if (download.status === 'unchanged') return download;
  const { contentType } = download;
  const parsed = parseScoreFile(download.bodyText, { format: source.format, fileName: source.url, ...(contentType ? { contentType } : {}) });
  if (!parsed.ok) {
    return {
      status: 'failed',
      problems: parsed.errors,
      error: {
        kind: 'wrong-shape',
        retryable: false,
        message: `The new scores file cannot be used (${parsed.errorCount.toLocaleString('en-US')} problem${parsed.errorCount === 1 ? '' : 's'}; first: ${parsed.errors[0] ?? ''}). The previous scores are kept.`,
      },
    };
  }
  return { status: 'changed', file: parsed, validators: download.validators, fetchedAt: download.fetchedAt };
}
