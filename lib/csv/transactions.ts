/**
 * Reading a transaction log (one row per purchase: customer id, date, optional amount) into typed
 * columns: customer codes (ids interned in order of first appearance), UTC day numbers, amounts,
 * and each row's line number. Columns are found by name or by their values; the date layout is
 * detected from the values (and an unresolvable DD/MM vs MM/DD is an error that says so).
 */
import { chooseTransactionColumns } from './columns';
import { type DateFormat, detectDateFormat } from './dates';
import type { Dialect } from './dialect';
import { CsvError } from './errors';
import { type ColumnRequest, type TextSource, readColumns, readHeader } from './table';

export interface TransactionLogOptions {
  /** Column of the customer id: a header name or a 1-based number. Detected when absent. */
  id?: string;
  /** Column of the date. Detected when absent. */
  date?: string;
  /** Column of the amount; false for none. Detected when absent (a log may have no amounts). */
  amount?: string | false;
  /** Layout of the dates. Detected when absent. */
  dateFormat?: DateFormat;
  /** Parts of the dialect to force (delimiter, header, decimalComma). */
  dialect?: Partial<Dialect>;
}

/** A transaction log as typed columns. */
export interface TransactionLog {
  /** Distinct customer ids, in order of first appearance. */
  customers: string[];
  /** Per row: the index of its customer in `customers`. */
  customer: Int32Array;
  /** Per row: the date as a UTC day number (days since 1970-01-01). */
  day: Float64Array;
  /** Per row: the amount, or null when the log has no amount column. */
  amount: Float64Array | null;
  /** Per row: its 1-based line number in the file. */
  lines: Int32Array;
  /** The names of the columns used. */
  columns: { id: string; date: string; amount: string | null };
  dateFormat: DateFormat;
  dialect: Dialect;
}

/** Decides the date layout of a column: from the sample, else from every row; errors when ambiguous. */
function chooseDateFormat(source: TextSource, dialect: Dialect, dateIndex: number, dateName: string, sampleValues: string[]): DateFormat {
  let detection = detectDateFormat(sampleValues);
  if (detection.ambiguous) {
    const all = readColumns(source, [{ index: dateIndex, name: dateName, type: { kind: 'string' }, optional: true }], dialect);
    const column = all.columns[0];
    if (column?.kind === 'string') detection = detectDateFormat(column.values);
  }
  if (detection.ambiguous && detection.candidates.includes('DD/MM/YYYY') && detection.candidates.includes('MM/DD/YYYY')) {
    const example = sampleValues.find((v) => v.trim().length > 0) ?? '';
    throw new CsvError(
      'ambiguous-date',
      `The dates in column "${dateName}" could be DD/MM/YYYY or MM/DD/YYYY: no row has a day above 12 to tell them apart ` +
        `(e.g. "${example}"). Say which with --date-format DD/MM/YYYY or --date-format MM/DD/YYYY.`,
    );
  }
  if (detection.format !== null) return detection.format;
  // No layout fits every sampled value: take the one that fits most, and let the reader report the
  // rows that do not fit (with their line numbers).
  let best: DateFormat | null = null;
  let bestFits = 0;
  for (const f of ['YYYY-MM-DD', 'YYYYMMDD', 'DD/MM/YYYY', 'MM/DD/YYYY'] as DateFormat[]) {
    const fits = sampleValues.filter((v) => detectDateFormat([v]).candidates.includes(f)).length;
    if (fits > bestFits) {
      best = f;
      bestFits = fits;
    }
  }
  if (best === null) {
    const shown = sampleValues.slice(0, 3).map((v) => `"${v}"`).join(', ');
    throw new CsvError(
      'bad-values',
      `Column "${dateName}" does not hold dates in a known format (YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY, MM/DD/YYYY); it starts ${shown}.`,
    );
  }
  return best;
}

/**
 * Reads a transaction log. Throws CsvError: 'empty', 'missing-columns' (naming what is missing and the
 * columns found), 'bad-values' (unreadable dates/amounts, with line numbers), 'ambiguous-date'.
 */
export function readTransactionLog(source: TextSource, options: TransactionLogOptions = {}): TransactionLog {
  const head = readHeader(source, options.dialect);
  const { dialect, columns, sample } = head;
  if (sample.length === 0) throw new CsvError('empty', 'The file has no data rows.');
  const choice = chooseTransactionColumns(columns, dialect.header, sample, {
    id: options.id,
    date: options.date,
    amount: options.amount,
  });
  const dateName = columns[choice.date] as string;
  const dateFormat =
    options.dateFormat ??
    chooseDateFormat(source, dialect, choice.date, dateName, sample.map((r) => (r[choice.date] ?? '').trim()).filter((v) => v.length > 0));
  const requests: ColumnRequest[] = [
    { index: choice.id, name: columns[choice.id] as string, type: { kind: 'category' } },
    { index: choice.date, name: dateName, type: { kind: 'date', format: dateFormat } },
  ];
  if (choice.amount >= 0) requests.push({ index: choice.amount, name: columns[choice.amount] as string, type: { kind: 'number' } });
  const read = readColumns(source, requests, dialect);
  const [idColumn, dateColumn, amountColumn] = read.columns;
  if (idColumn?.kind !== 'category' || dateColumn?.kind !== 'date') throw new Error('unreachable: column kinds');
  return {
    customers: idColumn.levels,
    customer: idColumn.codes,
    day: dateColumn.values,
    amount: amountColumn?.kind === 'number' ? amountColumn.values : null,
    lines: read.lines,
    columns: { id: columns[choice.id] as string, date: dateName, amount: choice.amount >= 0 ? (columns[choice.amount] as string) : null },
    dateFormat,
    dialect,
  };
}
