/**
 * The team's data in (issue 19): transactions and customers as CSV files, and per-customer summaries
 * exported from a warehouse.
 *
 * Transactions and customers are read by the extension's import wizard's own reader and rules
 * (lib/import: the preset detected from the header, the columns it maps, a person's choices on top,
 * readImport's checks), all or nothing: one problem in one row and nothing is stored, the answer
 * listing the problems (line, column, value, reason). A good file is written in ONE transaction, in
 * chunks of CHUNK rows per statement: customers upserted, transactions keyed by the reader's key
 * (lib/db/keys.ts), so sending the same file again adds nothing.
 *
 * Summaries are what `centric sql --output summary` makes a warehouse produce (read by the command
 * line's reader, lib/csv/summary-file.ts), stored whole in place of the previous ones.
 *
 * Every customer's rows carry `shard` = shardOf(customer id), so scoring can take a slice at a time.
 */
import { DAYS_PER, TIME_UNITS, type TimeUnit, isTimeUnit } from '../clv/time';
import { CsvError, type CsvIssue, dateFormatFromName, findColumnByName, readColumns, readHeader, resolveColumn } from '../csv';
import { isSummaryHeader, readSummaryFile } from '../csv/summary-file';
import { chooseColumns, fileProblem, missingFields, previewFile } from '../import/mapping';
import { type MappingField, type ImportKind, PRESETS, presetById } from '../import/presets';
import { MAX_ID_CHARS, SHOWN_ISSUES, readImport, type ImportBatch, type ImportIssue } from '../import/read';
import { recordAudit } from './audit';
import type { Sql } from './database';
import { ApiError } from './errors';
import type { Caller } from './tokens';

/** Number of shards: customer ids are spread over 0 … SHARDS − 1. */
export const SHARDS = 1024;
/** Rows written per statement (each statement sends one array per column). */
export const CHUNK = 5000;

const utf8 = new TextEncoder();

/** FNV-1a, 32 bits, of a text's UTF-8 bytes (offset basis 2166136261, prime 16777619). */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of utf8.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * A customer's shard: FNV-1a 32-bit of the UTF-8 bytes of the id (as stored, not normalised), modulo
 * 1024. Stable across processes, machines and versions: any other program (a warehouse job, the
 * scoring worker) can compute it. SQL has no FNV-1a built in, so it is computed here on the way in.
 */
export function shardOf(customerId: string): number {
  return fnv1a32(customerId) % SHARDS;
}

/** Query parameters that name a column, per kind of file: parameter → field of the mapping. */
const COLUMN_PARAMETERS: Record<'transactions' | 'customers', Record<string, MappingField>> = {
  transactions: { customer: 'customer', date: 'date', amount: 'amount', order: 'orderId', email: 'email', name: 'name', company: 'company', status: 'status', refunded: 'refunded' },
  customers: { customer: 'customer', name: 'name', email: 'email', company: 'company' },
};
const OTHER_PARAMETERS = { transactions: ['file', 'preset', 'dateFormat', 'mode'], customers: ['file', 'preset'], summaries: ['file', 'unit'] } as const;

/** The parameters each upload takes (for OpenAPI and the "unknown parameter" answer). */
export function dataParameters(kind: 'transactions' | 'customers' | 'summaries'): string[] {
  return [...OTHER_PARAMETERS[kind], ...(kind === 'summaries' ? [] : Object.keys(COLUMN_PARAMETERS[kind]))];
}

/** One text value per parameter; refuses unknown parameters, repeated ones and runaway values. */
function readQuery(kind: 'transactions' | 'customers' | 'summaries', query: unknown): Record<string, string> {
  const known = dataParameters(kind);
  const entries = Object.entries((query ?? {}) as Record<string, unknown>);
  const unknown = entries.map(([k]) => k).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new ApiError(400, 'unknown-parameter', `Unknown query parameter${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')}. This upload takes: ${known.join(', ')}. Nothing was changed.`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (typeof v !== 'string') throw new ApiError(400, 'invalid-request', `The query parameter ${k} is given more than once. Nothing was changed.`);
    if (v.length > 200) throw new ApiError(400, 'invalid-request', `The query parameter ${k} is longer than 200 characters. Nothing was changed.`);
    out[k] = v;
  }
  return out;
}

function fileNameOf(query: Record<string, string>, fallback: string): string {
  const name = query.file?.trim();
  return name ? name : fallback;
}

/** The problems of a refused file, as the answer lists them (the first SHOWN_ISSUES; all are counted). */
function invalidFile(what: string, issues: readonly (ImportIssue | CsvIssue)[], total: number, extra: Record<string, unknown> = {}): ApiError {
  const shown = issues.slice(0, SHOWN_ISSUES);
  return new ApiError(400, 'invalid-file', `${what} was not stored (nothing was changed): ${total.toLocaleString('en-US')} problem${total === 1 ? '' : 's'}${shown.length < total ? `, the first ${shown.length} listed` : ''}.`, {
    problems: shown.map(({ line, field, value, message }) => ({ line, field, value, message })),
    problemCount: total,
    ...extra,
  });
}

/** The first part of a file, as the wizard reads it to propose a mapping. */
const HEAD_CHARS = 256 * 1024;

/** How a file's columns were read: the preset, each field's column, the date layout. */
export interface MappingUsed {
  preset: string | null;
  columns: Partial<Record<MappingField, string>>;
  dateFormat: string | null;
}

/** The mapping for a file: the wizard's proposal (preset from the header), with the caller's choices on top. */
function mappingFor(kind: 'transactions' | 'customers', text: string, query: Record<string, string>) {
  const head = text.slice(0, HEAD_CHARS);
  const unusable = fileProblem(head);
  if (unusable) throw new ApiError(400, 'invalid-file', `${unusable} Nothing was changed.`);
  let presetId: string | undefined;
  if (query.preset !== undefined) {
    const preset = presetById(query.preset);
    if (!preset || preset.kind !== kind) {
      const ids = PRESETS.filter((p) => p.kind === kind).map((p) => p.id);
      throw new ApiError(400, 'invalid-request', `There is no ${kind} preset "${query.preset}": one of ${ids.join(', ')}. Nothing was changed.`);
    }
    presetId = preset.id;
  }
  // Up to 200 records, as previewFile reads to detect the date layout (the rows serve a re-detection).
  const preview = previewFile(head, kind as ImportKind, presetId, 200);
  const chosen: Partial<Record<MappingField, number>> = {};
  for (const [parameter, field] of Object.entries(COLUMN_PARAMETERS[kind])) {
    const spec = query[parameter];
    if (spec === undefined) continue;
    try {
      chosen[field] = resolveColumn(preview.header, spec, `${parameter} (?${parameter}=)`);
    } catch (error) {
      throw new ApiError(400, 'invalid-request', `${(error as Error).message} Nothing was changed.`);
    }
  }
  const { mapping, dateCandidates } = chooseColumns(preview, chosen);
  const missing = missingFields(mapping);
  if (missing.length > 0) {
    const parameters = Object.entries(COLUMN_PARAMETERS[kind]).filter(([, f]) => missing.includes(f)).map(([p]) => p);
    throw new ApiError(
      400,
      'missing-columns',
      `Which column holds the ${missing.join(', ')}? ${preview.preset ? `The ${preview.preset.label} preset finds none` : 'No preset fits this header'} (columns: ${preview.header.map((h) => `"${h}"`).join(', ')}). ` +
        `Name ${missing.length === 1 ? 'it' : 'them'} in the address, e.g. ?${parameters.map((p) => `${p}=<column>`).join('&')}. Nothing was changed.`,
      { columns: preview.header, missing: parameters },
    );
  }
  if (kind === 'transactions') {
    if (query.dateFormat !== undefined) {
      const format = dateFormatFromName(query.dateFormat);
      if (!format) throw new ApiError(400, 'invalid-request', `dateFormat must be YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY or MM/DD/YYYY (got "${query.dateFormat}"). Nothing was changed.`);
      mapping.dateFormat = format;
    } else if (dateCandidates.length > 1) {
      throw new ApiError(400, 'ambiguous-dates', `The dates of column "${preview.header[mapping.columns.date as number]}" fit several layouts (${dateCandidates.join(', ')}): say which with ?dateFormat=…. Nothing was changed.`, {
        candidates: dateCandidates,
      });
    }
  }
  const used: MappingUsed = {
    preset: mapping.presetId ?? null,
    columns: Object.fromEntries(Object.entries(mapping.columns).map(([field, index]) => [field, preview.header[index] ?? `column ${index + 1}`])),
    dateFormat: kind === 'transactions' ? mapping.dateFormat : null,
  };
  return { mapping, used };
}

export interface DataUploadResult {
  file: string;
  kind: 'transactions' | 'customers';
  mode: 'merge' | 'replace';
  mapping: MappingUsed;
  /** Data rows read. */
  rows: number;
  /** Distinct customers in the file. */
  customers: number;
  customersAdded: number;
  /** Customers already stored whose name, email or company the file changed. */
  customersUpdated: number;
  /** Purchases in the file (after folding line items). */
  transactions: number;
  transactionsAdded: number;
  /** Purchases already stored under the same key whose day or amount the file changed (an order refunded since). */
  transactionsUpdated: number;
  /** Purchases already stored exactly so. */
  alreadyPresent: number;
  /** With mode=replace: the purchases stored before, removed. */
  removed: number;
  /** Rows left out on purpose, by status (e.g. failed payments). */
  excludedByStatus: Record<string, number>;
  excluded: number;
  /** Line-item rows folded into their order. */
  foldedRows: number;
}

type Counts = { added: number; updated: number };

/** Runs a chunked write whose statement returns added/updated counts for one chunk. */
async function writeChunks<T>(tx: Sql, items: readonly T[], statement: string, columns: (chunk: readonly T[]) => unknown[]): Promise<Counts> {
  const total: Counts = { added: 0, updated: 0 };
  for (let from = 0; from < items.length; from += CHUNK) {
    const chunk = items.slice(from, from + CHUNK);
    const { rows } = await tx.query<{ added: string | number | null; updated: string | number | null }>(statement, columns(chunk));
    total.added += Number(rows[0]?.added ?? 0);
    total.updated += Number(rows[0]?.updated ?? 0);
  }
  return total;
}

/** A statement's written rows counted: `inserted` is true for a new row (xmax = 0), false for an updated one. */
const counted = (insert: string) => `WITH written AS (${insert} RETURNING (xmax = 0) AS inserted) SELECT count(*) FILTER (WHERE inserted) AS added, count(*) FILTER (WHERE NOT inserted) AS updated FROM written`;

/**
 * Customers: a name, email or company in the file replaces the stored one; an empty cell keeps it
 * (like the wizard's merge). Unchanged rows are not rewritten.
 */
const UPSERT_CUSTOMERS = counted(`INSERT INTO customers AS c (customer_id, shard, name, email, company)
  SELECT * FROM unnest($1::text[], $2::smallint[], $3::text[], $4::text[], $5::text[])
  ON CONFLICT (customer_id) DO UPDATE SET
    name = COALESCE(EXCLUDED.name, c.name), email = COALESCE(EXCLUDED.email, c.email), company = COALESCE(EXCLUDED.company, c.company), updated_at = now()
  WHERE (c.name, c.email, c.company) IS DISTINCT FROM (COALESCE(EXCLUDED.name, c.name), COALESCE(EXCLUDED.email, c.email), COALESCE(EXCLUDED.company, c.company))`);

/**
 * Transactions by key. ON CONFLICT DO UPDATE, not DO NOTHING: a key without an order id holds the
 * day and amount, so the same key is the same purchase and nothing changes; but an order's key is
 * customer + order id, and an order's net amount changes when it is refunded later: the newer
 * export's amount wins, as in the extension's own store. Rows that would not change are not touched.
 */
const UPSERT_TRANSACTIONS = counted(`INSERT INTO transactions AS t (key, customer_id, shard, day, amount, order_id)
  SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[], $4::date[], $5::float8[], $6::text[])
  ON CONFLICT (key) DO UPDATE SET day = EXCLUDED.day, amount = EXCLUDED.amount, order_id = EXCLUDED.order_id
  WHERE (t.day, t.amount, t.order_id) IS DISTINCT FROM (EXCLUDED.day, EXCLUDED.amount, EXCLUDED.order_id)`);

/**
 * Reads a transactions or customers CSV file (the body) and stores it, all or nothing (see the top of
 * this file). `query` holds the request's parameters: file, preset, column names, dateFormat, mode.
 * Throws ApiError for a refusal (nothing changed).
 */
export async function uploadData(db: Sql, caller: Caller, kind: 'transactions' | 'customers', text: string, rawQuery: unknown, options: { now?: () => Date } = {}): Promise<DataUploadResult> {
  const query = readQuery(kind, rawQuery);
  const file = fileNameOf(query, `${kind}.csv`);
  const mode = query.mode ?? 'merge';
  if (mode !== 'merge' && mode !== 'replace') throw new ApiError(400, 'invalid-request', `mode must be merge (the default: add to the stored history) or replace (the file becomes the whole history), not "${mode}". Nothing was changed.`);
  const { mapping, used } = mappingFor(kind, text, query);
  const batch: ImportBatch = readImport(text, mapping, { now: options.now });
  if (batch.rows === 0) throw new ApiError(400, 'invalid-file', `${file} has no data rows. Nothing was changed.`);
  if (batch.rejectedRows > 0 || batch.issues.length > 0) {
    throw invalidFile(file, batch.issues, batch.issues.length, { rows: batch.rows, rejectedRows: batch.rejectedRows, mapping: used });
  }
  if (kind === 'transactions' && batch.transactions.length === 0 && mode === 'replace') {
    throw new ApiError(400, 'invalid-file', `${file} has no purchase to keep (every row was left out by its status), so it cannot replace the history. Nothing was changed.`);
  }
  const shards = new Map<string, number>();
  const shard = (id: string) => {
    let s = shards.get(id);
    if (s === undefined) shards.set(id, (s = shardOf(id)));
    return s;
  };
  const excluded = Object.values(batch.excludedByStatus).reduce((a, b) => a + b, 0);
  return db.transaction(async (tx) => {
    let removed = 0;
    if (mode === 'replace') {
      const { rows } = await tx.query<{ n: string | number }>('WITH gone AS (DELETE FROM transactions RETURNING 1) SELECT count(*) AS n FROM gone');
      removed = Number(rows[0]?.n ?? 0);
    }
    const customers = await writeChunks(tx, batch.customers, UPSERT_CUSTOMERS, (chunk) => [
      chunk.map((c) => c.id),
      chunk.map((c) => shard(c.id)),
      chunk.map((c) => c.name ?? null),
      chunk.map((c) => c.email ?? null),
      chunk.map((c) => c.company ?? null),
    ]);
    const transactions = await writeChunks(tx, batch.transactions, UPSERT_TRANSACTIONS, (chunk) => [
      chunk.map((t) => t.key),
      chunk.map((t) => t.customerId),
      chunk.map((t) => shard(t.customerId)),
      chunk.map((t) => t.date),
      chunk.map((t) => t.amount),
      chunk.map((t) => t.orderId ?? null),
    ]);
    const result: DataUploadResult = {
      file,
      kind,
      mode,
      mapping: used,
      rows: batch.rows,
      customers: batch.customers.length,
      customersAdded: customers.added,
      customersUpdated: customers.updated,
      transactions: batch.transactions.length,
      transactionsAdded: transactions.added,
      transactionsUpdated: transactions.updated,
      alreadyPresent: batch.transactions.length - transactions.added - transactions.updated,
      removed,
      excludedByStatus: batch.excludedByStatus,
      excluded,
      foldedRows: batch.foldedRows,
    };
    const { mapping: _mapping, excludedByStatus: _byStatus, ...counts } = result;
    await recordAudit(tx, caller, { action: `upload-${kind}`, target: kind, outcome: 'done', after: counts });
    return result;
  });
}

export interface SummaryUploadResult {
  file: string;
  unit: TimeUnit;
  /** Customers stored (the previous summaries are gone). */
  customers: number;
  /** Summaries stored before, replaced. */
  replaced: number;
  /** The column read for each value. */
  columns: Record<string, string>;
  /** The file has a holdout (x_star): its t_x and T end at the calibration end, not the observation end. */
  holdout: boolean;
  notes: string[];
}

/** Day numbers of a date column (YYYY-MM-DD), NaN where empty or unreadable (the check below is then skipped). */
function firstDays(text: string, columns: readonly string[], dialect: ReturnType<typeof readHeader>['dialect']): Float64Array | null {
  const k = findColumnByName(columns, ['first', 'firstpurchase', 'firstday']);
  if (k < 0) return null;
  const read = readColumns(text, [{ index: k, name: columns[k] as string, type: { kind: 'date', format: 'YYYY-MM-DD' }, optional: true }], dialect);
  const column = read.columns[0];
  return column?.kind === 'date' ? column.values : null;
}

/**
 * The units in which T agrees with the `first` column: a summary's T is (end − first day) / unit,
 * with the same end for everyone, so first + T × unit must be one day for all customers.
 */
function unitsFitting(first: Float64Array, T: Float64Array): TimeUnit[] {
  return TIME_UNITS.filter((unit) => {
    let end = NaN;
    for (let i = 0; i < T.length; i++) {
      const f = first[i] as number;
      if (Number.isNaN(f)) continue;
      const e = f + (T[i] as number) * DAYS_PER[unit];
      if (Number.isNaN(end)) end = e;
      else if (Math.abs(e - end) > 1e-6) return false;
    }
    return true;
  });
}

/**
 * Reads a warehouse summary CSV (the body) and stores it in place of the previous summaries, in one
 * transaction. `query`: unit (required: the --unit the SQL was made with), file. Throws ApiError for
 * a refusal (nothing changed).
 */
export async function uploadSummaries(db: Sql, caller: Caller, text: string, rawQuery: unknown): Promise<SummaryUploadResult> {
  const query = readQuery('summaries', rawQuery);
  const file = fileNameOf(query, 'summary.csv');
  const unit = query.unit;
  if (!isTimeUnit(unit)) {
    throw new ApiError(400, 'invalid-request', `${unit === undefined ? 'Say' : `unit must be day, week or month (got "${unit}"): say`} in which unit t_x and T are counted, the --unit of \`centric sql\`: ?unit=day|week|month. Nothing was changed.`);
  }
  const unusable = fileProblem(text.slice(0, HEAD_CHARS));
  if (unusable) throw new ApiError(400, 'invalid-file', `${unusable} Nothing was changed.`);
  const head = readHeader(text);
  if (head.sample.length === 0) throw new ApiError(400, 'invalid-file', `${file} has no data rows. Nothing was changed.`);
  if (!head.dialect.header || !isSummaryHeader(head.columns)) {
    throw new ApiError(400, 'invalid-file', `${file} is not a per-customer summary: it needs the columns id, x, t_x and T (and m) that \`centric sql --output summary\` writes; columns found: ${head.columns.map((c) => `"${c}"`).join(', ')}. Nothing was changed.`);
  }
  let summary: ReturnType<typeof readSummaryFile>;
  let first: Float64Array | null;
  try {
    summary = readSummaryFile(text, head.dialect, head.columns);
    first = firstDays(text, head.columns, head.dialect);
  } catch (error) {
    if (error instanceof CsvError) {
      if (error.issues.length === 0) throw new ApiError(400, 'invalid-file', `${error.message} Nothing was changed.`);
      throw invalidFile(file, error.issues, error.total);
    }
    throw error;
  }
  const { roles, ids, x, tx, T, m, xStar, lines } = summary;
  const name = (role: number) => head.columns[role] as string;
  if (roles.weight >= 0) {
    throw new ApiError(400, 'invalid-file', `${file} has a "${name(roles.weight)}" column: it is a histogram of customers (\`centric sql --output histogram\`), not one row per customer. Export --output summary. Nothing was changed.`);
  }
  if (!ids) throw new ApiError(400, 'invalid-file', `${file} has no customer id column (id, customer_id, …): each row must say whose summary it is. Nothing was changed.`);
  // Ids: present, of sane length, each once.
  const issues: CsvIssue[] = [];
  let total = 0;
  const bad = (i: number, value: string, message: string) => {
    total++;
    if (issues.length < SHOWN_ISSUES) issues.push({ line: lines[i] as number, field: name(roles.id), value: value.length > 80 ? `${value.slice(0, 77)}…` : value, message });
  };
  const seen = new Map<string, number>();
  ids.forEach((raw, i) => {
    const id = raw.trim();
    if (id === '') return bad(i, id, 'empty: a customer id is needed');
    if (id.length > MAX_ID_CHARS) return bad(i, id, `too long: ${id.length.toLocaleString('en-US')} characters, at most ${MAX_ID_CHARS}`);
    const before = seen.get(id);
    if (before !== undefined) return bad(i, id, `the same customer as line ${lines[before]}: one row per customer`);
    seen.set(id, i);
  });
  if (total > 0) throw invalidFile(file, issues, total);
  // The unit said must be the one the file was made in, where the file can tell (its first column).
  const fitting = first ? unitsFitting(first, T) : [...TIME_UNITS];
  if (fitting.length > 0 && !fitting.includes(unit)) {
    throw new ApiError(400, 'unit-mismatch', `T in ${file} is counted in ${fitting.join(' or ')}s, not ${unit}s (first + T must be the same day for every customer): send ?unit=${fitting[0]}, the --unit of \`centric sql\`. Nothing was changed.`, {
      fitting,
    });
  }
  const notes: string[] = [];
  if (xStar) notes.push(`The file has a holdout (${name(roles.xStar)}): its t_x and T end at the calibration end, so scores made from it leave the holdout's purchases out. For scoring, run \`centric sql\` without --calibration-end.`);
  if (!m) notes.push('The file has no m column (mean spend): scores from it can rank by purchases, not by value.');
  const columns = Object.fromEntries((['id', 'x', 'tx', 'T', 'm', 'xStar'] as const).filter((r) => roles[r] >= 0).map((r) => [r === 'tx' ? 't_x' : r === 'xStar' ? 'x_star' : r, name(roles[r])]));
  const n = ids.length;
  const order = Array.from({ length: n }, (_, i) => i);
  return db.transaction(async (tx2) => {
    const { rows } = await tx2.query<{ n: string | number }>('WITH gone AS (DELETE FROM summaries RETURNING 1) SELECT count(*) AS n FROM gone');
    const replaced = Number(rows[0]?.n ?? 0);
    const statement = `INSERT INTO summaries (customer_id, shard, x, t_x, t, m, unit)
      SELECT id, shard, x, t_x, t, m, $7 FROM unnest($1::text[], $2::smallint[], $3::float8[], $4::float8[], $5::float8[], $6::float8[]) AS u (id, shard, x, t_x, t, m)`;
    for (let from = 0; from < n; from += CHUNK) {
      const chunk = order.slice(from, from + CHUNK);
      const id = chunk.map((i) => (ids[i] as string).trim());
      await tx2.query(statement, [
        id,
        id.map(shardOf),
        chunk.map((i) => x[i]),
        chunk.map((i) => tx[i]),
        chunk.map((i) => T[i]),
        chunk.map((i) => (m && Number.isFinite(m[i]) ? m[i] : null)),
        unit,
      ]);
    }
    await recordAudit(tx2, caller, { action: 'upload-summaries', target: 'summaries', outcome: 'done', after: { file, unit, customers: n, replaced, holdout: xStar !== null } });
    return { file, unit, customers: n, replaced, columns, holdout: xStar !== null, notes };
  });
}
