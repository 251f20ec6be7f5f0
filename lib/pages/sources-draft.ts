/**
 * What the Sources editors edit: a draft of one source as the form holds it (numbers as typed text,
 * cache times in minutes or hours, header rows with keys), turned back into a source and checked with
 * sourceIssues (lib/sources/config.ts). A draft of a saved source starts from its public view: header
 * values (and secret-looking query parameters) are HIDDEN_VALUE and keep the stored secret on save
 * (restoreSecrets) unless the manager types a new one.
 */
import { horizonValueLabel, VALUE_WORDS } from '~/lib/labels/value';
import {
  HIDDEN_VALUE,
  LOCAL_SOURCE_ID,
  MAPPED_FIELDS,
  SourceSchema,
  hideSecretParams,
  publicView,
  restoreSecrets,
  sourceIssues,
  type LookupServiceSource,
  type MappedField,
  type ScoreFileSource,
  type Source,
} from '~/lib/sources/config';

/** The unit a cache time is shown in. */
export type TimeUnit = 'minutes' | 'hours';
export const UNIT_SECONDS: Record<TimeUnit, number> = { minutes: 60, hours: 3600 };

export interface HeaderDraft {
  /** Stable key of the row (for rendering and focus), not saved. */
  key: number;
  name: string;
  value: string;
}

export interface LookupDraft {
  kind: 'lookup-service';
  name: string;
  enabled: boolean;
  urlTemplate: string;
  headers: HeaderDraft[];
  format: 'centric' | 'mapping';
  /** Paths of the mapping, '' = not mapped. Kept while the format is 'centric', so switching back loses nothing. */
  fields: Record<MappedField, string>;
  timeoutMs: string;
  retries: string;
  ratePerMinute: string;
  ttl: string;
  ttlUnit: TimeUnit;
  stale: string;
  staleUnit: TimeUnit;
}

export interface FileDraft {
  kind: 'score-file';
  name: string;
  enabled: boolean;
  url: string;
  format: ScoreFileSource['format'];
  syncMinutes: string;
  headers: HeaderDraft[];
}

export type SourceDraft = LookupDraft | FileDraft;

/** One problem of a draft, at a path of the form ("urlTemplate", "headers[1].value", "format.fields.tier", "ttl"). */
export interface DraftIssue {
  path: string;
  message: string;
}

let headerKeys = 0;
export const newHeaderRow = (name = '', value = ''): HeaderDraft => ({ key: ++headerKeys, name, value });

const emptyFields = (): Record<MappedField, string> => Object.fromEntries(MAPPED_FIELDS.map((f) => [f, ''])) as Record<MappedField, string>;

/** Seconds as an amount in the unit that reads best: whole hours in hours, anything else in minutes. */
export function secondsToAmount(seconds: number): { amount: string; unit: TimeUnit } {
  if (seconds > 0 && seconds % 3600 === 0) return { amount: String(seconds / 3600), unit: 'hours' };
  return { amount: String(Math.round((seconds / 60) * 1000) / 1000), unit: 'minutes' };
}

/** A new lookup service with the schema's defaults. */
export function newLookupDraft(): LookupDraft {
  return {
    kind: 'lookup-service',
    name: '',
    enabled: true,
    urlTemplate: '',
    headers: [],
    format: 'centric',
    fields: emptyFields(),
    timeoutMs: '3000',
    retries: '2',
    ratePerMinute: '60',
    ttl: '1',
    ttlUnit: 'hours',
    stale: '24',
    staleUnit: 'hours',
  };
}

/** A new score file with the schema's defaults. */
export function newFileDraft(): FileDraft {
  return { kind: 'score-file', name: '', enabled: true, url: '', format: 'auto', syncMinutes: '60', headers: [] };
}

/** The draft of a saved source, from its public view (no secret reaches the form). */
export function sourceToDraft(source: Source): SourceDraft {
  const shown = publicView(source);
  const headers = shown.headers.map((h) => newHeaderRow(h.name, h.value));
  if (shown.kind === 'score-file') {
    return { kind: 'score-file', name: shown.name, enabled: shown.enabled, url: shown.url, format: shown.format, syncMinutes: String(shown.syncMinutes), headers };
  }
  const fields = emptyFields();
  if (shown.format.kind === 'mapping') {
    for (const field of MAPPED_FIELDS) fields[field] = shown.format.fields[field] ?? '';
  }
  const ttl = secondsToAmount(shown.ttlSeconds);
  const stale = secondsToAmount(shown.staleSeconds);
  return {
    kind: 'lookup-service',
    name: shown.name,
    enabled: shown.enabled,
    urlTemplate: shown.urlTemplate,
    headers,
    format: shown.format.kind,
    fields,
    timeoutMs: String(shown.timeoutMs),
    retries: String(shown.retries),
    ratePerMinute: String(shown.ratePerMinute),
    ttl: ttl.amount,
    ttlUnit: ttl.unit,
    stale: stale.amount,
    staleUnit: stale.unit,
  };
}

/** A number typed in a field: the number, or why it is not one. */
function readNumber(text: string): { ok: true; value: number } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'Enter a number.' };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { ok: false, message: 'Enter a number, in digits (e.g. 60).' };
  return { ok: true, value };
}

const MAX_TTL_SECONDS = 7 * 86_400;
const MAX_STALE_SECONDS = 30 * 86_400;

/** A cache time in its unit, as seconds, or why not (in the unit the manager sees). */
function readDuration(text: string, unit: TimeUnit, maxSeconds: number, maxWords: string): { ok: true; seconds: number } | { ok: false; message: string } {
  const n = readNumber(text);
  if (!n.ok) return n;
  if (n.value < 0) return { ok: false, message: 'Use 0 or more (0 = not kept).' };
  const seconds = Math.round(n.value * UNIT_SECONDS[unit]);
  if (seconds > maxSeconds) {
    const inUnit = maxSeconds / UNIT_SECONDS[unit];
    return { ok: false, message: `Use at most ${maxWords} (${inUnit.toLocaleString('en-US')} ${unit}).` };
  }
  return { ok: true, seconds };
}

/** The stored address of a source. */
const addressOf = (source: Source) => (source.kind === 'lookup-service' ? source.urlTemplate : source.url);

/**
 * The draft as the input of SourceSchema: fully empty header rows are left out (their draft row index
 * is kept in `headerRows`, so problems can be shown next to the right row), empty mapping paths are
 * left out, cache times in seconds. Numbers that are not numbers are reported in `local` and replaced by
 * a valid stand-in, so the schema still checks everything else.
 */
function draftToInput(draft: SourceDraft, id: string): { input: Record<string, unknown>; local: DraftIssue[]; headerRows: number[] } {
  const local: DraftIssue[] = [];
  const headerRows: number[] = [];
  const headers: { name: string; value: string }[] = [];
  draft.headers.forEach((h, i) => {
    if (h.name.trim() === '' && h.value === '') return;
    headerRows.push(i);
    headers.push({ name: h.name, value: h.value });
  });
  const number = (path: string, text: string, standIn: number): number => {
    const n = readNumber(text);
    if (n.ok) return n.value;
    local.push({ path, message: n.message });
    return standIn;
  };
  if (draft.kind === 'score-file') {
    return {
      input: { id, kind: 'score-file', name: draft.name, enabled: draft.enabled, url: draft.url, format: draft.format, syncMinutes: number('syncMinutes', draft.syncMinutes, 60), headers },
      local,
      headerRows,
    };
  }
  const fields: Partial<Record<MappedField, string>> = {};
  for (const field of MAPPED_FIELDS) if (draft.fields[field].trim() !== '') fields[field] = draft.fields[field];
  const duration = (path: 'ttl' | 'stale', text: string, unit: TimeUnit, max: number, words: string, standIn: number) => {
    const d = readDuration(text, unit, max, words);
    if (d.ok) return d.seconds;
    local.push({ path, message: d.message });
    return standIn;
  };
  return {
    input: {
      id,
      kind: 'lookup-service',
      name: draft.name,
      enabled: draft.enabled,
      urlTemplate: draft.urlTemplate,
      headers,
      format: draft.format === 'centric' ? { kind: 'centric' } : { kind: 'mapping', fields },
      timeoutMs: number('timeoutMs', draft.timeoutMs, 3000),
      retries: number('retries', draft.retries, 2),
      ratePerMinute: number('ratePerMinute', draft.ratePerMinute, 60),
      ttlSeconds: duration('ttl', draft.ttl, draft.ttlUnit, MAX_TTL_SECONDS, '7 days', 3600),
      staleSeconds: duration('stale', draft.stale, draft.staleUnit, MAX_STALE_SECONDS, '30 days', 86_400),
    },
    local,
    headerRows,
  };
}

/** A schema path with the header index of the input turned into the draft row index. */
function toDraftPath(path: string, headerRows: readonly number[]): string {
  if (path === 'ttlSeconds') return 'ttl';
  if (path === 'staleSeconds') return 'stale';
  return path.replace(/^headers\[(\d+)\]/, (_, i: string) => `headers[${headerRows[Number(i)] ?? Number(i)}]`);
}

export interface DraftValidation {
  issues: DraftIssue[];
  /** The source to save (secrets restored from `stored`), when the draft has no problem. */
  source?: Source;
}

/**
 * Checks a draft: sourceIssues, plus what the form adds — numbers that are not numbers, cache times in
 * the unit shown, and hidden values (HIDDEN_VALUE) that would be saved as they are because there is no
 * stored secret behind them (a header renamed, a hidden query parameter in a changed address).
 */
export function validateDraft(draft: SourceDraft, id: string, stored?: Source): DraftValidation {
  const { input, local, headerRows } = draftToInput(draft, id);
  const issues: DraftIssue[] = [...local];
  const localPaths = new Set(local.map((i) => i.path));
  for (const issue of sourceIssues(input)) {
    const path = toDraftPath(issue.path, headerRows);
    // The form's own words win for the fields it reads itself (units, "Enter a number.").
    if (localPaths.has(path)) continue;
    if (!issues.some((i) => i.path === path && i.message === issue.message)) issues.push({ path, message: issue.message });
  }
  draft.headers.forEach((h, i) => {
    if (!h.value.includes('•')) return;
    const keeps = h.value === HIDDEN_VALUE && stored?.headers.some((s) => s.name.toLowerCase() === h.name.trim().toLowerCase());
    if (keeps) return;
    issues.push({
      path: `headers[${i}].value`,
      message:
        h.value === HIDDEN_VALUE
          ? 'Type the value again: the saved value belonged to a header with another name.'
          : 'Type the whole value again (it still contains the hidden marker •).',
    });
  });
  const address = draft.kind === 'lookup-service' ? draft.urlTemplate : draft.url;
  const addressPath = draft.kind === 'lookup-service' ? 'urlTemplate' : 'url';
  if (address.includes(HIDDEN_VALUE) && !(stored && address.trim() === hideSecretParams(addressOf(stored)))) {
    issues.push({ path: addressPath, message: `The address still holds a hidden value (${HIDDEN_VALUE}): type the key again, or better, send it in a header.` });
  }
  if (issues.length > 0) return { issues };
  const parsed = SourceSchema.parse(input);
  return { issues, source: restoreSecrets(parsed, stored) };
}

/** Messages whose path is `path` or lies under it. */

const FIELD_WORDS: Record<string, string> = {
  id: 'Id',
  name: 'Name',
  enabled: 'On',
  urlTemplate: 'URL template',
  url: 'File address',
  headers: 'Headers',
  format: 'Response format',
  timeoutMs: 'Time limit',
  retries: 'Retries',
  ratePerMinute: 'Requests a minute',
  ttl: 'Keep answers for',
  stale: 'Then show old answers for',
  syncMinutes: 'Check for a new file every',
};

/** Labels of the mapped fields, as the form shows them. */
export const MAPPED_FIELD_LABELS: Record<MappedField, string> = {
  tier: 'Tier',
  clv: horizonValueLabel(),
  next12Months: VALUE_WORDS.next12Months,
  lifetimeValue: VALUE_WORDS.lifetimeValue,
  pAlive: 'P(alive), 0 to 1',
  expectedTransactions: 'Expected purchases',
  segment: 'Segment',
  treatment: 'Treatment',
  updatedAt: 'Scored at',
  tierColor: 'Tier colour',
  customerId: 'Customer id',
};

/** A path in words, for the summary by Save: "headers[1].value" → "Header 2 value". */
export function describePath(path: string): string {
  const direct = FIELD_WORDS[path];
  if (direct) return direct;
  const header = /^headers\[(\d+)\](?:\.(name|value))?$/.exec(path);
  if (header) return `Header ${Number(header[1]) + 1}${header[2] ? ` ${header[2]}` : ''}`;
  const mapped = /^format\.fields\.(\w+)$/.exec(path);
  if (mapped) return `Where the ${(MAPPED_FIELD_LABELS[mapped[1] as MappedField] ?? mapped[1] ?? '').toLowerCase()} is`;
  return path || 'Source';
}

// ---------------------------------------------------------------------------------------------
// Ids

/** An id for a new source from its name ("Acme warehouse API" → "acme-warehouse-api"), unique among `taken`. */
export function newSourceId(name: string, kind: Source['kind'], taken: Iterable<string>): string {
  const used = new Set(taken);
  used.add(LOCAL_SOURCE_ID);
  let base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 56)
    .replace(/-+$/, '');
  if (base === '') base = kind;
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** The kind in words. */
export const KIND_WORDS: Record<Source['kind'], string> = { 'lookup-service': 'Lookup service', 'score-file': 'Score file' };

/** True when the source is a lookup service (a type guard for the list). */
export const isLookup = (source: Source): source is LookupServiceSource => source.kind === 'lookup-service';
