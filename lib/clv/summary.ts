/**
 * Transaction log -> per-customer recency/frequency/monetary summary, the input of every model.
 *
 * For each customer (Fader, Hardie & Lee 2005; the same definitions as the R package BTYD):
 *   x      = number of repeat purchase days in the calibration period (distinct days after the first)
 *   t_x    = time from the first to the last purchase day in the calibration period
 *   T      = time from the first purchase day to the end of the calibration period
 *   m      = mean value of the repeat purchase days (the first purchase is excluded), 0 when x = 0
 *   x*     = repeat purchase days in the holdout period (after calibration, up to the observation end)
 * in the chosen time unit (day, week = 7 days, month = 365.25/12 days).
 *
 * Amount policy (also in docs/engine.md):
 *  1. Rows of the same customer and day are merged into one purchase day; their amounts are added
 *     (so a return on the day of its purchase nets against it).
 *  2. A day whose net amount is 0 or more is a purchase day (a zero-value order still shows the
 *     customer is active; CDNOW has 8 such first purchases). Zero-value purchase days are counted
 *     in the report.
 *  3. A day whose net amount is negative (a return on another day than the purchase) is not a
 *     purchase: it does not count in x, t_x or x*, and is not in m. Its amount is kept in the
 *     period's net spend (totalSpend / holdoutSpend). Such days are counted in the report.
 *  4. A customer with no purchase day (only returns) is left out of the summary and counted.
 *     A customer whose first purchase is after the calibration end is not yet acquired: left out
 *     of the calibration summary and counted. Rows after the observation end are ignored and counted.
 * Nothing is dropped silently: every exclusion is a count in SummaryReport.
 *
 * Pure TypeScript on typed arrays: a few million rows summarise in a fraction of a second.
 */
import { ClvError } from './errors';
import { DAYS_PER, type TimeUnit, formatDay, isTimeUnit } from './time';

/** A transaction log as columns (e.g. from lib/csv readTransactionLog). */
export interface TransactionInput {
  /** Per row: the customer's index, 0 .. customerCount-1. */
  customer: ArrayLike<number>;
  /** Per row: the date as a UTC day number (whole days). */
  day: ArrayLike<number>;
  /** Per row: the amount (negative for a return); absent when the log has no amounts. */
  amount?: ArrayLike<number> | null;
  /** Number of distinct customers (default: the largest index + 1). */
  customerCount?: number;
  /** Per row: its line number in the source file, for error messages. */
  lines?: ArrayLike<number>;
}

/** A customer's purchase days, merged per day, in CSR layout (customer i owns days start[i]..start[i+1]-1). */
export interface CustomerDays {
  customerCount: number;
  /** Offsets into day/net/rows, length customerCount + 1. */
  start: Int32Array;
  /** Distinct days, ascending within each customer. */
  day: Float64Array;
  /** Net amount of each day (0 when the log has no amounts). */
  net: Float64Array;
  /** How many rows were merged into each day. */
  rows: Int32Array;
  /** Whether the log has amounts. */
  hasAmounts: boolean;
  /** Number of input rows. */
  rowCount: number;
  /** Rows with a negative amount (returns), before netting. */
  negativeRows: number;
  /** First and last day in the log. */
  minDay: number;
  maxDay: number;
}

function rowLabel(input: TransactionInput, i: number): string {
  const line = input.lines ? input.lines[i] : undefined;
  return line !== undefined ? `line ${line}` : `row ${i + 1}`;
}

/**
 * Groups a transaction log by customer and day: sorts rows by customer (counting sort, stable) and
 * by day within a customer (already-sorted customers are not re-sorted), and merges same-day rows
 * (amounts added). Throws ClvError('invalid-input') on a missing date or amount, naming the line.
 */
export function groupByCustomerDay(input: TransactionInput): CustomerDays {
  const n = input.day.length;
  if (input.customer.length !== n || (input.amount && input.amount.length !== n)) {
    throw new ClvError('invalid-input', `The customer, date (and amount) columns must have the same length (${input.customer.length}, ${n}${input.amount ? `, ${input.amount.length}` : ''}).`);
  }
  if (n === 0) throw new ClvError('invalid-input', 'The transaction log is empty.');
  // Typed copies only when needed, so the loops below stay monomorphic.
  const customer = input.customer instanceof Int32Array ? input.customer : Int32Array.from(input.customer, (c) => (Number.isInteger(c) ? c : -1));
  const dayIn = input.day instanceof Float64Array ? input.day : Float64Array.from(input.day);
  const amountIn = input.amount ? (input.amount instanceof Float64Array ? input.amount : Float64Array.from(input.amount)) : null;
  let K = input.customerCount ?? 0;
  if (input.customerCount === undefined) for (let i = 0; i < n; i++) K = Math.max(K, (customer[i] as number) + 1);
  const counts = new Int32Array(K + 1);
  let minDay = Infinity;
  let maxDay = -Infinity;
  let negativeRows = 0;
  for (let i = 0; i < n; i++) {
    const c = customer[i] as number;
    if (!(c >= 0 && c < K)) {
      throw new ClvError('invalid-input', `${rowLabel(input, i)}: customer index ${String(input.customer[i])} is out of range.`, { row: i });
    }
    const d = dayIn[i] as number;
    if (!Number.isFinite(d)) throw new ClvError('invalid-input', `${rowLabel(input, i)}: the date is missing or not a date.`, { row: i, field: 'date' });
    if (amountIn) {
      const v = amountIn[i] as number;
      if (!Number.isFinite(v)) {
        throw new ClvError('invalid-input', `${rowLabel(input, i)}: the amount is missing or not a number.`, { row: i, field: 'amount' });
      }
      if (v < 0) negativeRows++;
    }
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
    counts[c + 1] = (counts[c + 1] as number) + 1;
  }
  // Counting sort by customer (stable: keeps file order within a customer), moving the days and
  // amounts with it so each customer's rows are contiguous.
  const offset = new Int32Array(K + 1);
  for (let k = 0; k < K; k++) offset[k + 1] = (offset[k] as number) + (counts[k + 1] as number);
  const cursor = offset.slice(0, K);
  const sortedDay = new Float64Array(n);
  const sortedAmount = new Float64Array(amountIn ? n : 0);
  for (let i = 0; i < n; i++) {
    const c = customer[i] as number;
    const at = cursor[c] as number;
    sortedDay[at] = Math.floor(dayIn[i] as number);
    if (amountIn) sortedAmount[at] = amountIn[i] as number;
    cursor[c] = at + 1;
  }
  const day = new Float64Array(n);
  const net = new Float64Array(n);
  const rows = new Int32Array(n);
  const start = new Int32Array(K + 1);
  let out = 0;
  for (let k = 0; k < K; k++) {
    start[k] = out;
    const a = offset[k] as number;
    const b = offset[k + 1] as number;
    sortByDay(sortedDay, amountIn ? sortedAmount : null, a, b);
    let lastDay = NaN;
    for (let p = a; p < b; p++) {
      const d = sortedDay[p] as number;
      const v = amountIn ? (sortedAmount[p] as number) : 0;
      if (d === lastDay) {
        net[out - 1] = (net[out - 1] as number) + v;
        rows[out - 1] = (rows[out - 1] as number) + 1;
      } else {
        day[out] = d;
        net[out] = v;
        rows[out] = 1;
        out++;
        lastDay = d;
      }
    }
  }
  start[K] = out;
  return {
    customerCount: K,
    start,
    day: day.subarray(0, out),
    net: net.subarray(0, out),
    rows: rows.subarray(0, out),
    hasAmounts: amountIn !== null,
    rowCount: n,
    negativeRows,
    minDay: Math.floor(minDay),
    maxDay: Math.floor(maxDay),
  };
}

/**
 * Sorts day[a, b) ascending, moving amount[a, b) along (stable). Already-sorted runs (the usual case
 * for a chronological log) cost one pass; short runs use insertion sort; long ones an index sort.
 */
function sortByDay(day: Float64Array, amount: Float64Array | null, a: number, b: number): void {
  let sorted = true;
  for (let p = a + 1; p < b; p++) {
    if ((day[p] as number) < (day[p - 1] as number)) {
      sorted = false;
      break;
    }
  }
  if (sorted) return;
  if (b - a <= 32) {
    for (let p = a + 1; p < b; p++) {
      const d = day[p] as number;
      const v = amount ? (amount[p] as number) : 0;
      let q = p - 1;
      while (q >= a && (day[q] as number) > d) {
        day[q + 1] = day[q] as number;
        if (amount) amount[q + 1] = amount[q] as number;
        q--;
      }
      day[q + 1] = d;
      if (amount) amount[q + 1] = v;
    }
    return;
  }
  const index = Array.from({ length: b - a }, (_, i) => a + i);
  index.sort((i, j) => (day[i] as number) - (day[j] as number) || i - j);
  const days = index.map((i) => day[i] as number);
  const amounts = amount ? index.map((i) => amount[i] as number) : null;
  for (let p = 0; p < days.length; p++) {
    day[a + p] = days[p] as number;
    if (amount && amounts) amount[a + p] = amounts[p] as number;
  }
}

export interface SummaryOptions {
  /** Time unit of x's t_x, T and the holdout length. */
  unit: TimeUnit;
  /** Last day of the calibration period (inclusive, a day number). Default: the observation end. */
  calibrationEnd?: number;
  /**
   * Last day observed (inclusive). Rows after it are ignored (and counted). Default: the last day in
   * the log, or the calibration end when that is later.
   */
  observationEnd?: number;
}

/** Everything left out or merged while summarising, so nothing disappears silently. */
export interface SummaryReport {
  /** Rows in the log. */
  rows: number;
  /** Customers in the log. */
  customersInLog: number;
  /** Customers in the summary. */
  customers: number;
  /** Rows merged into another row of the same customer and day. */
  sameDayRowsMerged: number;
  /** Rows with a negative amount (returns), before netting. */
  negativeRows: number;
  /** Purchase days (net amount exactly 0) counted as transactions with value 0. */
  zeroValueDays: number;
  /** Days whose net amount is negative: not counted as purchases. */
  negativeDays: number;
  /** Sum of those days' (negative) net amounts, kept in the period's net spend. */
  negativeAmount: number;
  /** Customers with no purchase day in the observation window (only returns): left out. */
  customersWithoutPurchase: number;
  /** Customers whose first purchase is after the calibration end: left out of the calibration summary. */
  customersAcquiredAfterCalibration: number;
  /** Rows dated after the observation end: ignored. */
  rowsAfterObservationEnd: number;
}

/** Per-customer summary, columnar. Row r describes input customer `customer[r]`. */
export interface CustomerSummary {
  unit: TimeUnit;
  /** Day numbers of the calibration end and observation end (inclusive). */
  calibrationEnd: number;
  observationEnd: number;
  /** Length of the holdout period (calibration end to observation end) in `unit`; 0 without holdout. */
  holdoutLength: number;
  hasAmounts: boolean;
  /** Input customer index of each row (ascending, i.e. order of first appearance in the log). */
  customer: Int32Array;
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Mean value of the repeat purchase days in calibration (0 when x = 0 or no amounts). */
  m: Float64Array;
  /** Net spend in calibration, first purchase and returns included. */
  totalSpend: Float64Array;
  /** First purchase day and last purchase day in calibration (day numbers). */
  firstDay: Float64Array;
  lastDay: Float64Array;
  /** Repeat purchase days in the holdout period. */
  xStar: Float64Array;
  /** Net spend in the holdout period. */
  holdoutSpend: Float64Array;
  report: SummaryReport;
}

/** Summarises customer days into x, t_x, T, m and holdout counts. See the policy at the top of the file. */
export function summarizeCustomerDays(days: CustomerDays, options: SummaryOptions): CustomerSummary {
  if (!isTimeUnit(options.unit)) {
    throw new ClvError('invalid-input', `Unknown time unit "${String(options.unit)}" (use day, week or month).`, { field: 'unit' });
  }
  const unitDays = DAYS_PER[options.unit];
  const observationEnd = options.observationEnd ?? Math.max(days.maxDay, options.calibrationEnd ?? -Infinity);
  const calibrationEnd = options.calibrationEnd ?? observationEnd;
  if (!Number.isFinite(observationEnd) || !Number.isFinite(calibrationEnd)) {
    throw new ClvError('invalid-input', 'The calibration and observation end dates must be day numbers.');
  }
  if (calibrationEnd > observationEnd) {
    throw new ClvError(
      'invalid-input',
      `The calibration period ends (${formatDay(calibrationEnd)}) after the observation end (${formatDay(observationEnd)}).`,
      { field: 'calibrationEnd' },
    );
  }
  const K = days.customerCount;
  const customer = new Int32Array(K);
  const x = new Float64Array(K);
  const tx = new Float64Array(K);
  const T = new Float64Array(K);
  const m = new Float64Array(K);
  const totalSpend = new Float64Array(K);
  const firstDay = new Float64Array(K);
  const lastDay = new Float64Array(K);
  const xStar = new Float64Array(K);
  const holdoutSpend = new Float64Array(K);
  const report: SummaryReport = {
    rows: days.rowCount,
    customersInLog: K,
    customers: 0,
    sameDayRowsMerged: days.rowCount - days.day.length,
    negativeRows: days.negativeRows,
    zeroValueDays: 0,
    negativeDays: 0,
    negativeAmount: 0,
    customersWithoutPurchase: 0,
    customersAcquiredAfterCalibration: 0,
    rowsAfterObservationEnd: 0,
  };
  const amounts = days.hasAmounts;
  let r = 0;
  for (let k = 0; k < K; k++) {
    const a = days.start[k] as number;
    const b = days.start[k + 1] as number;
    let first = NaN;
    let last = NaN;
    let repeats = 0;
    let repeatSpend = 0;
    let spend = 0;
    let holdRepeats = 0;
    let holdSpend = 0;
    let acquiredLate = false;
    for (let p = a; p < b; p++) {
      const d = days.day[p] as number;
      if (d > observationEnd) {
        for (let q = p; q < b; q++) report.rowsAfterObservationEnd += days.rows[q] as number;
        break;
      }
      const v = days.net[p] as number;
      const inCalibration = d <= calibrationEnd;
      if (amounts && v < 0) {
        report.negativeDays++;
        report.negativeAmount += v;
        if (inCalibration) spend += v;
        else holdSpend += v;
        continue;
      }
      if (amounts && v === 0) report.zeroValueDays++;
      if (Number.isNaN(first)) {
        if (!inCalibration) {
          acquiredLate = true;
          break;
        }
        first = d;
        last = d;
        spend += v;
      } else if (inCalibration) {
        repeats++;
        repeatSpend += v;
        spend += v;
        last = d;
      } else {
        holdRepeats++;
        holdSpend += v;
      }
    }
    if (acquiredLate) {
      report.customersAcquiredAfterCalibration++;
      continue;
    }
    if (Number.isNaN(first)) {
      report.customersWithoutPurchase++;
      continue;
    }
    customer[r] = k;
    x[r] = repeats;
    tx[r] = (last - first) / unitDays;
    T[r] = (calibrationEnd - first) / unitDays;
    m[r] = repeats > 0 ? repeatSpend / repeats : 0;
    totalSpend[r] = spend;
    firstDay[r] = first;
    lastDay[r] = last;
    xStar[r] = holdRepeats;
    holdoutSpend[r] = holdSpend;
    r++;
  }
  report.customers = r;
  if (r === 0) {
    throw new ClvError('invalid-input', 'No customer has a purchase in the calibration period.', { report });
  }
  return {
    unit: options.unit,
    calibrationEnd,
    observationEnd,
    holdoutLength: (observationEnd - calibrationEnd) / unitDays,
    hasAmounts: amounts,
    customer: customer.slice(0, r),
    x: x.slice(0, r),
    tx: tx.slice(0, r),
    T: T.slice(0, r),
    m: m.slice(0, r),
    totalSpend: totalSpend.slice(0, r),
    firstDay: firstDay.slice(0, r),
    lastDay: lastDay.slice(0, r),
    xStar: xStar.slice(0, r),
    holdoutSpend: holdoutSpend.slice(0, r),
    report,
  };
}

/** Transaction log -> summary in one call (groupByCustomerDay + summarizeCustomerDays). */
export function summarizeTransactions(input: TransactionInput, options: SummaryOptions): CustomerSummary {
  return summarizeCustomerDays(groupByCustomerDay(input), options);
}

/**
 * Repeat purchase days per period since `origin` (default: the log's first day), the actual curve
 * of a tracking plot: entry j counts the repeat purchase days (purchase days after each customer's
 * first, per the amount policy) in [origin + j·unit, origin + (j+1)·unit), for j < periods.
 * Only customers acquired by `acquiredBy` (a day number, default: no limit) are counted.
 */
export function repeatTransactionsByPeriod(
  days: CustomerDays,
  options: { unit: TimeUnit; periods: number; origin?: number; acquiredBy?: number },
): Float64Array {
  const unitDays = DAYS_PER[options.unit];
  const origin = options.origin ?? days.minDay;
  const acquiredBy = options.acquiredBy ?? Infinity;
  const counts = new Float64Array(Math.max(0, Math.floor(options.periods)));
  for (let k = 0; k < days.customerCount; k++) {
    const a = days.start[k] as number;
    const b = days.start[k + 1] as number;
    let seenFirst = false;
    for (let p = a; p < b; p++) {
      if (days.hasAmounts && (days.net[p] as number) < 0) continue;
      const d = days.day[p] as number;
      if (!seenFirst) {
        seenFirst = true;
        if (d > acquiredBy) break;
        continue;
      }
      const j = Math.floor((d - origin) / unitDays);
      if (j >= 0 && j < counts.length) counts[j] = (counts[j] as number) + 1;
    }
  }
  return counts;
}

/** Running total of a series (cumulative curve). */
export function cumulative(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i] as number;
    out[i] = sum;
  }
  return out;
}
