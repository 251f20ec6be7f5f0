/**
 * Turning the file a user names into model input: a transaction log (summarised here) or a
 * per-customer summary (id, x, t_x, T [, m] [, weight] under our own, the lifetimes or the BTYD
 * column names), a BG/BB recency/frequency table, or an sBG cohort table. Bad cells are reported
 * with their line numbers.
 */
import { groupByCustomerDay, summarizeCustomerDays, type CustomerDays, type CustomerSummary } from '../clv/summary';
import { DAYS_PER, type TimeUnit, formatDay, tryParseDay } from '../clv/time';
import {
  COLUMN_ALIASES,
  CsvError,
  type CsvIssue,
  type DateFormat,
  type Delimiter,
  type Dialect,
  chooseRoleColumns,
  dateFormatFromName,
  findColumnByName,
  parseDate,
  readColumns,
  readHeader,
  readTable,
  readTransactionLog,
  resolveColumn,
} from '../csv';
import { type OptionSpec, type ParsedArgs, UsageError, flag, numberOption, stringOption } from './args';
import { isSummaryHeader, readNumberColumns, readSummaryFile } from '../csv/summary-file';

/** Options every command that reads customer data accepts. */
export const INPUT_OPTIONS: readonly OptionSpec[] = [
  { name: 'unit', type: 'string', value: 'UNIT', choices: ['day', 'week', 'month'], help: 'time unit of the summary and the model: day, week (default) or month' },
  { name: 'id', type: 'string', value: 'COLUMN', help: 'customer id column of a transaction log (name or 1-based number; detected by default)' },
  { name: 'date', type: 'string', value: 'COLUMN', help: 'date column of a transaction log (detected by default)' },
  { name: 'amount', type: 'string', value: 'COLUMN', help: 'amount column of a transaction log (detected by default; "none" for no amounts)' },
  { name: 'date-format', type: 'string', value: 'FORMAT', help: 'YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY or MM/DD/YYYY (detected by default)' },
  { name: 'end', type: 'string', value: 'DATE', help: 'last day observed (default: the last date in the log); later rows are ignored' },
  { name: 'holdout-start', type: 'string', value: 'DATE', help: 'first day of the holdout period: the model is fitted on the days before it' },
  { name: 'holdout-length', type: 'number', value: 'N', help: 'holdout length in --unit, for a summary file with an x.star column' },
  { name: 'delimiter', type: 'string', value: 'D', choices: [',', ';', 'tab', '|', 'whitespace'], help: 'field delimiter: , ; tab | whitespace (detected by default)' },
  { name: 'decimal-comma', type: 'boolean', help: 'amounts are written with a decimal comma (detected by default)' },
];

/** Per-customer model input, whatever the file was. */
export interface CustomerData {
  kind: 'log' | 'summary';
  unit: TimeUnit;
  /** One id per row. */
  ids: string[];
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Mean repeat spend per row (null when the input has no amounts). */
  m: Float64Array | null;
  /** Customers per row (null: one each). */
  weight: Float64Array | null;
  /** Actual holdout repeat transactions (null without a holdout). */
  xStar: Float64Array | null;
  /** Holdout length in `unit` (null without a holdout). */
  holdoutLength: number | null;
  /** First purchase day per row (log input only). */
  firstDay: Float64Array | null;
  /** The last day of calibration (log input only). */
  asOfDay: number | null;
  /** What was read and what was left out, as sentences for the user. */
  notes: string[];
  /** Log input: the full summary and the per-customer days (for tracking). */
  summary: CustomerSummary | null;
  days: CustomerDays | null;
  /** Log input: every customer id in the log, by customer index. */
  logIds: string[] | null;
}

function dialectOverrides(args: ParsedArgs): Partial<Dialect> {
  const d = stringOption(args, 'delimiter');
  const out: Partial<Dialect> = {};
  if (d !== undefined) out.delimiter = (d === 'tab' ? '\t' : d) as Delimiter;
  if (flag(args, 'decimal-comma')) out.decimalComma = true;
  return out;
}

function unitOf(args: ParsedArgs): TimeUnit {
  return (stringOption(args, 'unit') as TimeUnit | undefined) ?? 'week';
}

function dateFormatOf(args: ParsedArgs, command: string): DateFormat | undefined {
  const name = stringOption(args, 'date-format');
  if (name === undefined) return undefined;
  const format = dateFormatFromName(name);
  if (!format) throw new UsageError(`--date-format must be YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY or MM/DD/YYYY (got "${name}").`, command);
  return format;
}

/** Reads a date option (--end, --holdout-start): YYYY-MM-DD, YYYYMMDD, or the --date-format layout. */
export function dateOption(args: ParsedArgs, name: string, command: string): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const day = tryParseDay(text);
  if (day !== null) return day;
  const format = dateFormatOf(args, command);
  if (format) {
    const d = parseDate(text, format);
    if (!Number.isNaN(d)) return d;
  }
  throw new UsageError(`--${name} must be a date such as 1997-09-30 or 19970930 (got "${text}").`, command);
}

export { isSummaryHeader };

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** Loads customer data for the continuous-time models from a log or a summary file. */
export function loadCustomerData(text: string, args: ParsedArgs, command: string): CustomerData {
  const head = readHeader(text, dialectOverrides(args));
  if (head.sample.length === 0) throw new CsvError('empty', 'The file has no data rows.');
  if (head.dialect.header && isSummaryHeader(head.columns)) return loadSummary(text, args, command, head.dialect, head.columns);
  return loadLog(text, args, command, head.dialect);
}

function loadLog(text: string, args: ParsedArgs, command: string, dialect: Dialect): CustomerData {
  const unit = unitOf(args);
  const amountOption = stringOption(args, 'amount');
  const log = readTransactionLog(text, {
    id: stringOption(args, 'id'),
    date: stringOption(args, 'date'),
    amount: amountOption === 'none' ? false : amountOption,
    dateFormat: dateFormatOf(args, command),
    dialect,
  });
  const days = groupByCustomerDay({ customer: log.customer, day: log.day, amount: log.amount, customerCount: log.customers.length, lines: log.lines });
  const end = dateOption(args, 'end', command) ?? days.maxDay;
  const holdoutStart = dateOption(args, 'holdout-start', command);
  if (holdoutStart !== undefined && holdoutStart <= days.minDay) {
    throw new UsageError(`--holdout-start ${formatDay(holdoutStart)} is not after the first date in the log (${formatDay(days.minDay)}).`, command);
  }
  if (holdoutStart !== undefined && holdoutStart > end) {
    throw new UsageError(`--holdout-start ${formatDay(holdoutStart)} is after the observation end ${formatDay(end)}.`, command);
  }
  const calibrationEnd = holdoutStart !== undefined ? holdoutStart - 1 : end;
  const summary = summarizeCustomerDays(days, { unit, calibrationEnd, observationEnd: end });
  const r = summary.report;
  const notes = [
    `Read ${plural(r.rows, 'transaction')} of ${plural(r.customersInLog, 'customer')} (columns: id "${log.columns.id}", date "${log.columns.date}" as ${log.dateFormat}` +
      `${log.columns.amount ? `, amount "${log.columns.amount}"` : ', no amounts'}), ${formatDay(days.minDay)} to ${formatDay(days.maxDay)}.`,
    holdoutStart !== undefined
      ? `Calibration to ${formatDay(calibrationEnd)}, holdout ${formatDay(holdoutStart)} to ${formatDay(end)} (${round(summary.holdoutLength)} ${unit}s).`
      : `Observed to ${formatDay(end)}; time unit: ${unit}.`,
  ];
  const left: string[] = [];
  if (r.sameDayRowsMerged > 0) left.push(`${plural(r.sameDayRowsMerged, 'same-day row')} merged into one purchase day`);
  if (r.zeroValueDays > 0) left.push(`${plural(r.zeroValueDays, 'purchase day')} with a net amount of 0 counted as purchases`);
  if (r.negativeDays > 0) left.push(`${plural(r.negativeDays, 'day')} with a negative net amount (returns, ${round(r.negativeAmount)}) not counted as purchases`);
  if (r.customersWithoutPurchase > 0) left.push(`${plural(r.customersWithoutPurchase, 'customer')} with only returns left out`);
  if (r.customersAcquiredAfterCalibration > 0) left.push(`${plural(r.customersAcquiredAfterCalibration, 'customer')} first buying after the calibration period left out`);
  if (r.rowsAfterObservationEnd > 0) left.push(`${plural(r.rowsAfterObservationEnd, 'row')} after ${formatDay(end)} ignored`);
  if (left.length > 0) notes.push(`${left.join('; ')}.`);
  return {
    kind: 'log',
    unit,
    ids: Array.from(summary.customer, (k) => log.customers[k] as string),
    x: summary.x,
    tx: summary.tx,
    T: summary.T,
    m: summary.hasAmounts ? summary.m : null,
    weight: null,
    xStar: holdoutStart !== undefined ? summary.xStar : null,
    holdoutLength: holdoutStart !== undefined ? summary.holdoutLength : null,
    firstDay: summary.firstDay,
    asOfDay: calibrationEnd,
    notes,
    summary,
    days,
    logIds: log.customers,
  };
}

function round(v: number): string {
  return Number(v.toFixed(2)).toLocaleString('en-US');
}

function loadSummary(text: string, args: ParsedArgs, command: string, dialect: Dialect, columns: string[]): CustomerData {
  const unit = unitOf(args);
  for (const name of ['id', 'date', 'amount', 'end', 'holdout-start', 'date-format']) {
    if (args.options[name] !== undefined) {
      throw new UsageError(`--${name} applies to a transaction log, but this file is a per-customer summary (columns ${columns.join(', ')}).`, command);
    }
  }
  const { roles, ids, x, tx, T, m, weight, xStar } = readSummaryFile(text, dialect, columns);
  const holdoutLength = numberOption(args, 'holdout-length') ?? null;
  if (holdoutLength !== null && !(holdoutLength > 0)) throw new UsageError('--holdout-length must be more than 0.', command);
  const used = ['x', 'tx', 'T', 'm', 'weight', 'xStar', 'id'] as const;
  const n = x.length;
  let customers = n;
  if (weight) {
    customers = 0;
    for (let i = 0; i < n; i++) customers += weight[i] as number;
  }
  return {
    kind: 'summary',
    unit,
    ids: ids ?? Array.from({ length: n }, (_, i) => String(i + 1)),
    x,
    tx,
    T,
    m: m ? m.map((v) => (Number.isNaN(v) ? 0 : v)) : null,
    weight,
    xStar,
    holdoutLength: xStar ? holdoutLength : null,
    firstDay: null,
    asOfDay: null,
    notes: [
      `Read a per-customer summary: ${plural(n, 'row')}${weight ? ` standing for ${plural(customers, 'customer')}` : ''} (columns ` +
        used
          .filter((r) => roles[r] >= 0)
          .map((r) => `${r === 'tx' ? 't_x' : r === 'xStar' ? 'x*' : r} "${columns[roles[r]]}"`)
          .join(', ') +
        `; t_x and T read as ${unit}s).`,
    ],
    summary: null,
    days: null,
    logIds: null,
  };
}

/** BG/BB input: per pattern (x, t_x, n) and how many customers have it. */
export interface DiscreteData {
  x: Float64Array;
  tx: Float64Array;
  n: Float64Array;
  weight: Float64Array;
  notes: string[];
}

/** Reads a BG/BB recency/frequency table: frequency,recency,periods,weights (lifetimes) or x,t.x,n.cal,custs (BTYD). */
export function loadDiscreteData(text: string, args: ParsedArgs): DiscreteData {
  const head = readHeader(text, dialectOverrides(args));
  if (head.sample.length === 0) throw new CsvError('empty', 'The file has no data rows.');
  if (!head.dialect.header) throw new CsvError('missing-columns', 'A BG/BB table needs a header: frequency,recency,periods[,weights] (or x,t.x,n.cal,custs).');
  const roles = chooseRoleColumns(head.columns, ['x', 'tx', 'n'], ['weight']);
  const wanted = [{ index: roles.x }, { index: roles.tx }, { index: roles.n }, ...(roles.weight >= 0 ? [{ index: roles.weight }] : [])];
  const { values, lines } = readNumberColumns(text, head.dialect, head.columns, wanted, -1);
  const [x, tx, n] = values as [Float64Array, Float64Array, Float64Array];
  const weight = roles.weight >= 0 ? (values[3] as Float64Array) : new Float64Array(x.length).fill(1);
  const issues: CsvIssue[] = [];
  for (let i = 0; i < x.length; i++) {
    const ok = Number.isInteger(x[i]) && Number.isInteger(tx[i]) && Number.isInteger(n[i]) && (x[i] as number) >= 0 && (tx[i] as number) >= 0 && (x[i] as number) <= (tx[i] as number) && (tx[i] as number) <= (n[i] as number);
    const zeroOk = x[i] === 0 ? tx[i] === 0 : true;
    if (!ok || !zeroOk) {
      issues.push({ line: lines[i] as number, field: head.columns[roles.x] as string, value: `${x[i]}, ${tx[i]}, ${n[i]}`, message: 'needs whole numbers with 0 <= x <= t_x <= n (t_x = 0 when x = 0)' });
    }
    if (!((weight[i] as number) >= 0)) issues.push({ line: lines[i] as number, field: head.columns[roles.weight] as string, value: String(weight[i]), message: 'the weight must be 0 or more' });
  }
  if (issues.length > 0) throw new CsvError('bad-values', `${issues.length} row${issues.length === 1 ? '' : 's'} cannot be a BG/BB pattern:`, issues.slice(0, 50), issues.length);
  let customers = 0;
  for (let i = 0; i < weight.length; i++) customers += weight[i] as number;
  return { x, tx, n, weight, notes: [`Read ${plural(x.length, 'recency/frequency pattern')} of ${plural(customers, 'customer')}.`] };
}

/** sBG input: survivors at the start of each period, period 0 first. */
export interface CohortData {
  alive: Float64Array;
  /** The periods as written in the file. */
  periods: Float64Array;
  column: string;
  notes: string[];
}

/** Reads a cohort table: a period (or year) column and a survivors column (the first other one, or --column). */
export function loadCohortData(text: string, args: ParsedArgs): CohortData {
  const table = readTable(text, dialectOverrides(args));
  if (!table.dialect.header) throw new CsvError('missing-columns', 'A cohort table needs a header: a period (or year) column and a column of survivors.');
  const period = findColumnByName(table.columns, COLUMN_ALIASES.period);
  if (period < 0) {
    throw new CsvError('missing-columns', `Missing a period column (one of: ${COLUMN_ALIASES.period.join(', ')}). Columns found: ${table.columns.map((c) => `"${c}"`).join(', ')}.`);
  }
  const columnOption = stringOption(args, 'column');
  const survivors = columnOption !== undefined ? resolveColumn(table.columns, columnOption, 'survivors') : table.columns.findIndex((_, j) => j !== period);
  if (survivors < 0) throw new CsvError('missing-columns', `Missing a column of survivors next to "${table.columns[period]}".`);
  const read = readColumns(text, [
    { index: period, name: table.columns[period] as string, type: { kind: 'number' } },
    { index: survivors, name: table.columns[survivors] as string, type: { kind: 'number' } },
  ], table.dialect);
  const [p, s] = read.columns.map((c) => (c.kind === 'number' ? c.values : new Float64Array(0))) as [Float64Array, Float64Array];
  const issues: CsvIssue[] = [];
  for (let i = 0; i < p.length; i++) {
    if (p[i] !== i + (p[0] as number)) issues.push({ line: read.lines[i] as number, field: table.columns[period] as string, value: String(p[i]), message: `periods must run 0, 1, 2, … without gaps (expected ${i + (p[0] as number)})` });
    if (i > 0 && (s[i] as number) > (s[i - 1] as number)) issues.push({ line: read.lines[i] as number, field: table.columns[survivors] as string, value: String(s[i]), message: 'survivors cannot increase' });
  }
  if (p[0] !== 0) issues.unshift({ line: read.lines[0] as number, field: table.columns[period] as string, value: String(p[0]), message: 'the first period must be 0 (the cohort at the start)' });
  if (issues.length > 0) throw new CsvError('bad-values', `The cohort table is not a survivor series:`, issues.slice(0, 50), issues.length);
  return {
    alive: s,
    periods: p,
    column: table.columns[survivors] as string,
    notes: [`Read a cohort of ${(s[0] as number).toLocaleString('en-US')} over ${p.length - 1} periods (survivors column "${table.columns[survivors]}").`],
  };
}

/** Length of the unit in days (re-exported for commands). */
export function unitDays(unit: TimeUnit): number {
  return DAYS_PER[unit];
}

/**
 * The same log summarised without a holdout (calibration up to the observation end): what scoring
 * uses after a holdout served to choose or check the model. Summary inputs are returned as they are.
 */
export function withoutHoldout(data: CustomerData): CustomerData {
  if (data.kind !== 'log' || !data.days || !data.summary || !data.logIds || data.xStar === null) return data;
  const summary = summarizeCustomerDays(data.days, { unit: data.unit, observationEnd: data.summary.observationEnd });
  const names = data.logIds;
  return {
    ...data,
    ids: Array.from(summary.customer, (k) => names[k] as string),
    x: summary.x,
    tx: summary.tx,
    T: summary.T,
    m: summary.hasAmounts ? summary.m : null,
    xStar: null,
    holdoutLength: null,
    firstDay: summary.firstDay,
    asOfDay: summary.observationEnd,
    summary,
    notes: [...data.notes, `Scored on all data to ${formatDay(summary.observationEnd)} (${summary.x.length.toLocaleString('en-US')} customers).`],
  };
}
