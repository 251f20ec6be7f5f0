/**
 * Finding the columns a reader needs: by a name or number the user gives, by the usual names
 * (our own, the lifetimes library's, the R BTYD package's), or — for headerless files — by what
 * the values look like.
 */
import { detectDateFormat } from './dates';
import { CsvError } from './errors';
import { numberStyle } from './numbers';

/** Lower-case letters and digits only: "T.cal" -> "tcal", "customer_id" -> "customerid". */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Usual column names, normalised, in order of preference. */
export const COLUMN_ALIASES = {
  id: ['id', 'customerid', 'custid', 'cust', 'customer', 'clientid', 'client', 'userid', 'user', 'memberid', 'accountid', 'donorid', 'buyerid', 'sampleid', 'masterid'],
  date: ['date', 'transactiondate', 'orderdate', 'purchasedate', 'invoicedate', 'day', 'datetime', 'timestamp', 'time', 'createdat', 'orderedat'],
  amount: ['amount', 'sales', 'sale', 'revenue', 'spend', 'value', 'price', 'total', 'ordertotal', 'ordervalue', 'netamount', 'dollarvalue', 'dollars', 'monetary', 'amt'],
  // Summary inputs (continuous-time models).
  x: ['x', 'frequency', 'freq', 'repeats', 'repeatpurchases'],
  tx: ['tx', 'recency'],
  T: ['t', 'tcal', 'age'],
  m: ['m', 'mx', 'monetaryvalue', 'monetary', 'zbar', 'meanspend', 'avgspend', 'averagespend'],
  weight: ['weight', 'weights', 'custs', 'customers', 'count'],
  xStar: ['xstar', 'frequencyholdout', 'holdout', 'holdouttransactions'],
  // Discrete-time summaries (BG/BB).
  n: ['n', 'periods', 'ncal', 'opportunities'],
  // Cohort survivor tables (sBG).
  period: ['period', 'year', 'month', 'week', 't'],
} as const;

export type ColumnRole = keyof typeof COLUMN_ALIASES;

/**
 * Index of the column a user named: a header name (compared case- and punctuation-insensitively)
 * or a 1-based column number. Throws CsvError('bad-option') listing the columns found.
 */
export function resolveColumn(columns: readonly string[], spec: string, what: string): number {
  const trimmed = spec.trim();
  const exact = columns.findIndex((c) => c === trimmed);
  if (exact >= 0) return exact;
  const norm = normalizeName(trimmed);
  const byName = columns.findIndex((c) => normalizeName(c) === norm);
  if (byName >= 0) return byName;
  if (/^\d+$/.test(trimmed)) {
    const k = Number(trimmed) - 1;
    if (k >= 0 && k < columns.length) return k;
  }
  throw new CsvError(
    'bad-option',
    `No column "${spec}" for the ${what}. Columns found: ${columns.map((c) => `"${c}"`).join(', ')} (a name or a number from 1 to ${columns.length}).`,
  );
}

/** Index of the first column whose name is one of the aliases (preferring earlier aliases), or -1. */
export function findColumnByName(columns: readonly string[], aliases: readonly string[], exclude: readonly number[] = []): number {
  const normalized = columns.map(normalizeName);
  for (const alias of aliases) {
    const k = normalized.findIndex((c, i) => c === alias && !exclude.includes(i));
    if (k >= 0) return k;
  }
  return -1;
}

/** What a column of sample values holds. */
export interface ColumnProfile {
  /** Every non-empty value is a number. */
  numeric: boolean;
  /** Some value has a fractional part. */
  decimal: boolean;
  /** Every non-empty value is a date in one layout. */
  date: boolean;
  /** Non-empty values seen. */
  filled: number;
}

/** Profiles column j of sample rows. */
export function profileColumn(sample: readonly string[][], j: number): ColumnProfile {
  const values = sample.map((r) => (r[j] ?? '').trim()).filter((v) => v.length > 0);
  let numeric = values.length > 0;
  let decimal = false;
  for (const v of values) {
    const style = numberStyle(v);
    if (style === 'none') {
      numeric = false;
      break;
    }
    if (style === 'dot' || style === 'comma') decimal = true;
  }
  const date = values.length > 0 && detectDateFormat(values).format !== null;
  return { numeric, decimal, date, filled: values.length };
}

/** Columns of a transaction log (indexes; amount -1 when there is none). */
export interface TransactionColumnChoice {
  id: number;
  date: number;
  amount: number;
}

/**
 * Picks the id, date and amount columns of a transaction log: the user's choices first, then the
 * usual names, then (headerless files) the values: the date is the first column of dates, the id the
 * first other column, the amount the last numeric column after the date with decimals (else the last
 * numeric one). Throws CsvError('missing-columns') saying what is missing and what was found.
 */
export function chooseTransactionColumns(
  columns: readonly string[],
  hasHeader: boolean,
  sample: readonly string[][],
  given: { id?: string; date?: string; amount?: string | false } = {},
): TransactionColumnChoice {
  const profiles = columns.map((_, j) => profileColumn(sample, j));
  const missing: string[] = [];
  let date = given.date !== undefined ? resolveColumn(columns, given.date, 'date') : -1;
  if (date < 0 && hasHeader) date = findColumnByName(columns, COLUMN_ALIASES.date);
  if (date < 0) {
    const dated = profiles.map((p, j) => (p.date ? j : -1)).filter((j) => j >= 0);
    // By values: only when the choice is clear (headerless, or a single date column).
    if (dated.length === 1 || (!hasHeader && dated.length > 0)) date = dated[0] as number;
  }
  if (date < 0) missing.push('a date column');
  let id = given.id !== undefined ? resolveColumn(columns, given.id, 'customer id') : -1;
  if (id < 0 && hasHeader) id = findColumnByName(columns, COLUMN_ALIASES.id, [date]);
  if (id < 0 && !hasHeader) id = columns.findIndex((_, j) => j !== date);
  if (id < 0) missing.push('a customer id column');
  let amount = -1;
  if (given.amount !== undefined && given.amount !== false) amount = resolveColumn(columns, given.amount, 'amount');
  else if (given.amount === undefined) {
    if (hasHeader) amount = findColumnByName(columns, COLUMN_ALIASES.amount, [id, date]);
    else {
      const candidates = profiles
        .map((p, j) => ({ p, j }))
        .filter(({ p, j }) => p.numeric && j !== id && j !== date && j > date);
      const withDecimals = candidates.filter(({ p }) => p.decimal);
      const pick = withDecimals[withDecimals.length - 1] ?? candidates[candidates.length - 1];
      amount = pick ? pick.j : -1;
    }
  }
  if (missing.length > 0) {
    throw new CsvError(
      'missing-columns',
      `Missing ${missing.join(' and ')}. Columns found: ${columns.map((c) => `"${c}"`).join(', ')}. ` +
        `Name them with ${missing.map((m) => (m.includes('date') ? '--date COLUMN' : '--id COLUMN')).join(' and ')}.`,
    );
  }
  if (id === date) {
    throw new CsvError('bad-option', `The customer id and the date cannot be the same column ("${columns[id]}").`);
  }
  return { id, date, amount };
}

/**
 * Finds the columns of a given set of roles by their usual names. Returns the index per role
 * (-1 for optional roles not found); throws CsvError('missing-columns') naming the required roles
 * that are missing (with the names accepted for each) and the columns found.
 */
export function chooseRoleColumns<R extends ColumnRole>(
  columns: readonly string[],
  required: readonly R[],
  optional: readonly R[],
  given: Partial<Record<R, string>> = {},
): Record<R, number> {
  const out = {} as Record<R, number>;
  const used: number[] = [];
  const missing: R[] = [];
  for (const role of [...required, ...optional]) {
    const spec = given[role];
    const k = spec !== undefined ? resolveColumn(columns, spec, role) : findColumnByName(columns, COLUMN_ALIASES[role], used);
    if (k >= 0) used.push(k);
    else if (required.includes(role)) missing.push(role);
    out[role] = k;
  }
  if (missing.length > 0) {
    const wanted = missing.map((r) => `${r} (one of: ${COLUMN_ALIASES[r].join(', ')})`).join('; ');
    throw new CsvError(
      'missing-columns',
      `Missing column${missing.length > 1 ? 's' : ''}: ${wanted}. Columns found: ${columns.map((c) => `"${c}"`).join(', ')}.`,
    );
  }
  return out;
}
