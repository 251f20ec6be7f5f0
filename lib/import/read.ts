/**
 * Reads a whole file (streamed in chunks) into import drafts, row by row, collecting every problem
 * with its line, field and reason instead of stopping at the first. What it returns is all the
 * import will write; the store is touched only by commit.ts.
 */
import { normalizeName } from '../csv/columns';
import { type DateFormat, formatDay, parseDateAt } from '../csv/dates';
import { parseNumberAt } from '../csv/numbers';
import { CsvScanner, type RecordView, fieldText } from '../csv/scan';
import type { TextSource } from '../csv/table';
import { csvText } from '../csv/write';
import { OccurrenceCounter, transactionKey } from '../db/keys';
import type { ImportMapping } from './mapping';
import type { MappingField } from './presets';

export interface ImportIssue {
  line: number;
  field: string;
  value: string;
  message: string;
}

export interface CustomerDraft {
  id: string;
  name?: string;
  email?: string;
  company?: string;
}

export interface TransactionDraft {
  key: string;
  customerId: string;
  date: string;
  amount: number;
  orderId?: string;
}

export interface SubscriptionDraft {
  key: string;
  customerId: string;
  start: string;
  end?: string;
  revenue: number;
}

export interface ImportBatch {
  kind: ImportMapping['kind'];
  /** Data rows read. */
  rows: number;
  /** Rows that had a problem (each listed in issues, up to MAX_ISSUES). */
  rejectedRows: number;
  issues: ImportIssue[];
  /** Rows left out on purpose (status not counted, e.g. failed payments), by status. */
  excludedByStatus: Record<string, number>;
  /** Line-item rows folded into their order. */
  foldedRows: number;
  customers: CustomerDraft[];
  transactions: TransactionDraft[];
  subscriptions: SubscriptionDraft[];
}

/** The most problems kept for the report (the count goes on beyond it). */
export const MAX_ISSUES = 100_000;

/** The most problems shown to a person at once (the wizard's screen, the team service's answer); all are counted. */
export const SHOWN_ISSUES = 200;

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

interface RowContext {
  record: RecordView;
  issues: ImportIssue[];
  header: readonly string[];
  bad: boolean;
}

function cellText(ctx: RowContext, index: number | undefined): string {
  if (index === undefined || index >= ctx.record.count) return '';
  return fieldText(ctx.record, index).trim();
}

function problem(ctx: RowContext, index: number | undefined, field: string, value: string, message: string): void {
  ctx.bad = true;
  if (ctx.issues.length < MAX_ISSUES) {
    const name = index !== undefined ? (ctx.header[index] ?? field) : field;
    ctx.issues.push({ line: ctx.record.line, field: name, value: value.length > 80 ? `${value.slice(0, 77)}…` : value, message });
  }
}

/** The longest customer id kept (ids are keys: a runaway cell must not become one). */
export const MAX_ID_CHARS = 256;

function requiredText(ctx: RowContext, index: number | undefined, field: string): string {
  const text = cellText(ctx, index);
  if (text === '') problem(ctx, index, field, text, `empty: a ${field} is needed`);
  else if (text.length > MAX_ID_CHARS) problem(ctx, index, field, text, `too long: ${text.length.toLocaleString('en-US')} characters, at most ${MAX_ID_CHARS}`);
  return text;
}

/**
 * Problems of the row as a whole: a quote never closed (the rest of the file ran into one field),
 * fewer columns than a mapped field needs, text that was not UTF-8. True when the row is unusable.
 */
function rowProblems(ctx: RowContext, mapped: readonly number[]): boolean {
  const r = ctx.record;
  if (r.unterminated) {
    problem(ctx, undefined, 'quotes', '', `a quoted field opened on line ${r.line} is never closed, so the rest of the file ran into it`);
    return true;
  }
  const needed = Math.max(-1, ...mapped) + 1;
  if (r.count < needed) {
    const expected = ctx.header.length > 0 ? ctx.header.length : needed;
    problem(ctx, undefined, 'columns', '', `the row has ${r.count} column${r.count === 1 ? '' : 's'}, ${expected} expected`);
    return true;
  }
  for (const k of mapped) {
    const text = fieldText(r, k);
    if (text.includes('\uFFFD')) {
      problem(ctx, k, 'text', text, 'not UTF-8 text (save the file as UTF-8 and import it again)');
      return true;
    }
  }
  return false;
}

function dateCell(ctx: RowContext, index: number | undefined, field: string, format: DateFormat, required: boolean, latest?: string): string | undefined {
  const text = cellText(ctx, index);
  if (text === '') {
    if (required) problem(ctx, index, field, text, field === 'date' ? 'empty: a date is needed' : `empty: a ${field} date is needed`);
    return undefined;
  }
  const r = ctx.record;
  const k = index as number;
  const day = r.escaped[k] === 1 ? parseDateAt(text, 0, text.length, format) : parseDateAt(r.text, r.start[k] as number, r.end[k] as number, format);
  if (Number.isNaN(day)) {
    problem(ctx, index, field, text, `not a date in the format ${format}`);
    return undefined;
  }
  const formatted = formatDay(day);
  if (latest !== undefined && formatted > latest) {
    problem(ctx, index, field, text, `in the future (after ${latest})`);
    return undefined;
  }
  return formatted;
}

function numberCell(ctx: RowContext, index: number | undefined, field: string, decimalComma: boolean): number | undefined {
  const text = cellText(ctx, index);
  if (text === '') return undefined;
  const value = parseNumberAt(text, 0, text.length, decimalComma);
  if (!Number.isFinite(value)) {
    problem(ctx, index, field, text, decimalComma ? 'not a number (decimal comma expected)' : 'not a number');
    return undefined;
  }
  return value;
}

function emailCell(ctx: RowContext, index: number | undefined): string | undefined {
  const text = cellText(ctx, index).toLowerCase();
  if (text === '') return undefined;
  if (!EMAIL.test(text)) {
    problem(ctx, index, 'email', text, 'not an email address');
    return undefined;
  }
  return text;
}

function optionalText(ctx: RowContext, index: number | undefined, max = 200): string | undefined {
  const text = cellText(ctx, index);
  return text === '' ? undefined : text.slice(0, max);
}

/** Feeds a text source to the scanner, reporting progress in characters read. */
function scan(source: TextSource, mapping: ImportMapping, onRecord: (r: RecordView) => void, onProgress?: (chars: number) => void): void {
  const scanner = new CsvScanner(mapping.dialect.delimiter, (record) => {
    onRecord(record);
  });
  let chars = 0;
  if (typeof source === 'string') scanner.push(source);
  else
    for (const chunk of source) {
      scanner.push(chunk);
      chars += chunk.length;
      onProgress?.(chars);
    }
  scanner.end();
}

/**
 * Reads a file by its mapping. Never throws on bad rows (they become issues); throws only when the
 * mapping itself cannot apply (e.g. a column index beyond the header).
 */
export function readImport(
  source: TextSource,
  mapping: ImportMapping,
  options: { onProgress?: (chars: number, rows: number) => void; now?: () => Date } = {},
): ImportBatch {
  const col = (field: MappingField) => mapping.columns[field];
  const mapped = Object.values(mapping.columns).filter((k): k is number => typeof k === 'number');
  // A purchase cannot be dated after tomorrow (a day of slack for time zones).
  const latestPurchase = new Date((options.now ?? (() => new Date()))().getTime() + 86_400_000).toISOString().slice(0, 10);
  const batch: ImportBatch = {
    kind: mapping.kind,
    rows: 0,
    rejectedRows: 0,
    issues: [],
    excludedByStatus: {},
    foldedRows: 0,
    customers: [],
    transactions: [],
    subscriptions: [],
  };
  const customers = new Map<string, CustomerDraft>();
  const orders = new Map<string, TransactionDraft>();
  const occurrences = new OccurrenceCounter();
  const counted = mapping.countedStatuses ? new Set(mapping.countedStatuses) : null;
  let header: readonly string[] = [];
  let headerPending = mapping.dialect.header;
  const decimalComma = mapping.dialect.decimalComma;

  const noteCustomer = (draft: CustomerDraft) => {
    const known = customers.get(draft.id);
    if (!known) customers.set(draft.id, draft);
    else {
      known.name ??= draft.name;
      known.email ??= draft.email;
      known.company ??= draft.company;
    }
  };

  scan(
    source,
    mapping,
    (record) => {
      if (headerPending) {
        headerPending = false;
        header = Array.from({ length: record.count }, (_, k) => fieldText(record, k).trim());
        return;
      }
      batch.rows++;
      const ctx: RowContext = { record, issues: batch.issues, header, bad: false };
      if (rowProblems(ctx, mapped)) return void batch.rejectedRows++;

      if (mapping.kind === 'customers') {
        const id = requiredText(ctx, col('customer'), 'customer id');
        const email = emailCell(ctx, col('email'));
        if (ctx.bad) return void batch.rejectedRows++;
        noteCustomer({ id, name: optionalText(ctx, col('name')), email, company: optionalText(ctx, col('company')) });
        return;
      }

      if (mapping.kind === 'subscriptions') {
        const customerId = requiredText(ctx, col('customer'), 'customer id');
        const start = dateCell(ctx, col('start'), 'start', mapping.dateFormat, true);
        const end = dateCell(ctx, col('end'), 'end', mapping.dateFormat, false);
        const revenue = numberCell(ctx, col('revenue'), 'recurring revenue', decimalComma);
        if (revenue === undefined && !ctx.bad) problem(ctx, col('revenue'), 'recurring revenue', '', 'empty: recurring revenue is needed');
        if (start && end && end < start) problem(ctx, col('end'), 'end', end, `ends before it starts (${start})`);
        if (ctx.bad || !start || revenue === undefined) return void batch.rejectedRows++;
        const n = occurrences.next(`${customerId}|${start}`);
        batch.subscriptions.push({ key: `${customerId}|${start}|${n}`, customerId, start, end, revenue });
        noteCustomer({ id: customerId });
        return;
      }

      // Transactions.
      const status = col('status') !== undefined ? normalizeName(cellText(ctx, col('status'))) : '';
      const orderId = optionalText(ctx, col('orderId'), 128);
      const amountText = cellText(ctx, col('amount'));
      const orderKeySeen = orderId !== undefined && orders.has(orderId);
      if (orderKeySeen && mapping.lineItemRows && amountText === '') {
        batch.foldedRows++;
        return;
      }
      if (counted && col('status') !== undefined && !counted.has(status)) {
        const label = status === '' ? '(no status)' : cellText(ctx, col('status'));
        batch.excludedByStatus[label] = (batch.excludedByStatus[label] ?? 0) + 1;
        return;
      }
      const customerId = requiredText(ctx, col('customer'), 'customer id');
      const date = dateCell(ctx, col('date'), 'date', mapping.dateFormat, true, latestPurchase);
      const amount = numberCell(ctx, col('amount'), 'amount', decimalComma);
      if (amount === undefined && amountText === '') problem(ctx, col('amount'), 'amount', '', 'empty: an amount is needed');
      const refunded = numberCell(ctx, col('refunded'), 'refunded amount', decimalComma) ?? 0;
      const email = emailCell(ctx, col('email'));
      if (ctx.bad || date === undefined || amount === undefined) return void batch.rejectedRows++;
      const net = Math.round((amount - refunded) * 100) / 100;
      noteCustomer({ id: customerId, email, name: optionalText(ctx, col('name')), company: optionalText(ctx, col('company')) });
      if (orderId !== undefined) {
        const existing = orders.get(orderId);
        if (existing) {
          // Several rows of one order with amounts each (line items): one purchase, amounts added.
          existing.amount = Math.round((existing.amount + net) * 100) / 100;
          batch.foldedRows++;
          return;
        }
        const draft = { key: transactionKey(customerId, date, net, orderId, 0), customerId, date, amount: net, orderId };
        orders.set(orderId, draft);
        batch.transactions.push(draft);
        return;
      }
      const n = occurrences.next(`${customerId}|${date}|${Math.round(net * 100)}`);
      batch.transactions.push({ key: transactionKey(customerId, date, net, undefined, n), customerId, date, amount: net });
    },
    (chars) => options.onProgress?.(chars, batch.rows),
  );
  batch.customers = [...customers.values()];
  return batch;
}

/** The problems as a CSV a person can open in a spreadsheet (line, field, value, problem), text neutralised (lib/csv/write). */
export function issuesToCsv(issues: readonly ImportIssue[]): string {
  return csvText(['line', 'field', 'value', 'problem'], issues.map((i) => [i.line, i.field, i.value, i.message]));
}
