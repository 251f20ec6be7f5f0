/**
 * How much to trust a fitted model: compare what it predicted for a holdout period with what the
 * customers actually did.
 *
 *  - The per-frequency holdout table (Fader, Hardie & Lee 2005, Figure 5): customers grouped by
 *    their calibration repeat purchases x = 0, 1, …, 7+, and for each group the mean actual holdout
 *    transactions against the mean predicted E[Y(t*) | x, t_x, T].
 *  - Cumulative tracking (FHL 2005, Figure 4; BTYD's ExpectedCumulativeTransactions): the cohort's
 *    expected cumulative repeat transactions, period by period, each customer counted from their own
 *    first purchase: Σ_i E[X(t − b_i)] over the customers born (b_i) before t.
 *  - A score a manager can read: the holdout total predicted vs actual, in one sentence, plus the
 *    mean absolute percentage error (MAPE) of the table and customer-level errors.
 */
import { ClvError, finiteOrThrow } from './errors';
import { compressRfm } from './histogram';
import type { History, Params, TransactionModel } from './model';

/** Calibration histories with the actual holdout repeat transactions. */
export interface HoldoutData {
  x: ArrayLike<number>;
  tx: ArrayLike<number>;
  T: ArrayLike<number>;
  /** Actual repeat transactions in the holdout period. */
  xStar: ArrayLike<number>;
  /** Customers per row (default 1). */
  weight?: ArrayLike<number> | null;
}

/** One line of the per-frequency table. */
export interface HoldoutTableRow {
  /** "0", "1", …, "7+". */
  label: string;
  /** Smallest calibration x in the group. */
  x: number;
  /** Customers in the group. */
  customers: number;
  /** Mean actual holdout transactions. */
  actual: number;
  /** Mean predicted holdout transactions. */
  predicted: number;
}

export interface HoldoutEvaluation {
  /** Length of the holdout period in the model's time unit. */
  holdoutLength: number;
  /** Predicted E[Y(t*)] per input row. */
  predictions: Float64Array;
  table: HoldoutTableRow[];
  /** Customers evaluated (sum of weights). */
  customers: number;
  /** Total actual and predicted holdout repeat transactions. */
  actualTotal: number;
  predictedTotal: number;
  /** (predicted − actual) / actual of the totals. */
  aggregateError: number;
  /** Mean over the table's groups with actual > 0 of |predicted − actual| / actual. */
  tableMape: number;
  /** Customer-level mean absolute error and root mean squared error (transactions per customer). */
  mae: number;
  rmse: number;
  /** "predicted 1,820 repeat transactions in the holdout, actual 1,882 (−3.3%)". */
  sentence: string;
}

/**
 * Predicts every customer's holdout transactions (evaluating the model once per distinct history)
 * and compares them with the actual ones: the per-frequency table (x = 0 … maxBucket−1, maxBucket+),
 * totals, MAPE and customer-level errors.
 */
export function evaluateHoldout<P extends Params>(
  model: TransactionModel<P>,
  params: P,
  data: HoldoutData,
  holdoutLength: number,
  options: { maxBucket?: number } = {},
): HoldoutEvaluation {
  const n = data.x.length;
  if (data.tx.length !== n || data.T.length !== n || data.xStar.length !== n || (data.weight && data.weight.length !== n)) {
    throw new ClvError('invalid-input', 'x, t_x, T, x* (and weight) must have the same length.');
  }
  if (n === 0) throw new ClvError('invalid-input', 'There are no customers to evaluate.');
  if (!(holdoutLength > 0) || !Number.isFinite(holdoutLength)) {
    throw new ClvError('invalid-input', `The holdout period must be longer than 0 (got ${String(holdoutLength)}).`, { field: 'holdoutLength' });
  }
  const maxBucket = Math.max(1, Math.floor(options.maxBucket ?? 7));
  const { data: distinct, rowOf } = compressRfm({ x: data.x, tx: data.tx, T: data.T });
  const perRow = new Float64Array(distinct.x.length);
  const h: History = { x: 0, tx: 0, T: 0 };
  for (let k = 0; k < perRow.length; k++) {
    h.x = distinct.x[k] as number;
    h.tx = distinct.tx[k] as number;
    h.T = distinct.T[k] as number;
    perRow[k] = finiteOrThrow(model.conditionalExpectedTransactions(params, holdoutLength, h), 'the expected holdout transactions', { ...h });
  }
  const predictions = new Float64Array(n);
  const groups = maxBucket + 1;
  const count = new Float64Array(groups);
  const actualSum = new Float64Array(groups);
  const predictedSum = new Float64Array(groups);
  let customers = 0;
  let actualTotal = 0;
  let predictedTotal = 0;
  let absError = 0;
  let sqError = 0;
  for (let i = 0; i < n; i++) {
    const w = data.weight ? (data.weight[i] as number) : 1;
    const p = perRow[rowOf[i] as number] as number;
    const a = data.xStar[i] as number;
    if (!Number.isFinite(a) || a < 0) {
      throw new ClvError('invalid-input', `Row ${i + 1}: the holdout transactions must be a number >= 0 (got ${String(a)}).`, { row: i, field: 'xStar' });
    }
    predictions[i] = p;
    const g = Math.min(maxBucket, Math.floor(data.x[i] as number));
    count[g] = (count[g] as number) + w;
    actualSum[g] = (actualSum[g] as number) + w * a;
    predictedSum[g] = (predictedSum[g] as number) + w * p;
    customers += w;
    actualTotal += w * a;
    predictedTotal += w * p;
    absError += w * Math.abs(p - a);
    sqError += w * (p - a) * (p - a);
  }
  const table: HoldoutTableRow[] = [];
  let mapeSum = 0;
  let mapeGroups = 0;
  for (let g = 0; g < groups; g++) {
    const c = count[g] as number;
    if (c === 0) continue;
    const actual = (actualSum[g] as number) / c;
    const predicted = (predictedSum[g] as number) / c;
    table.push({ label: g === maxBucket ? `${g}+` : String(g), x: g, customers: c, actual, predicted });
    if (actual > 0) {
      mapeSum += Math.abs(predicted - actual) / actual;
      mapeGroups++;
    }
  }
  const aggregateError = actualTotal > 0 ? (predictedTotal - actualTotal) / actualTotal : predictedTotal > 0 ? Infinity : 0;
  return {
    holdoutLength,
    predictions,
    table,
    customers,
    actualTotal,
    predictedTotal,
    aggregateError: Number.isFinite(aggregateError) ? aggregateError : 1,
    tableMape: mapeGroups > 0 ? mapeSum / mapeGroups : 0,
    mae: absError / customers,
    rmse: Math.sqrt(sqError / customers),
    sentence: holdoutSentence(predictedTotal, actualTotal),
  };
}

/** Formats a count with thousands separators: 1820 -> "1,820". */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Formats a signed percentage with one decimal and a true minus sign: -0.033 -> "−3.3%". */
export function formatSignedPercent(fraction: number): string {
  const pct = Math.round(fraction * 1000) / 10;
  if (pct === 0) return '0.0%';
  return `${pct > 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}%`;
}

/** "predicted 1,820 repeat transactions in the holdout, actual 1,882 (−3.3%)". */
export function holdoutSentence(predicted: number, actual: number): string {
  const change = actual > 0 ? ` (${formatSignedPercent((predicted - actual) / actual)})` : '';
  return `predicted ${formatCount(predicted)} repeat transactions in the holdout, actual ${formatCount(actual)}${change}`;
}

/** Predicted and actual cumulative repeat transactions of a cohort, period by period. */
export interface TrackingCurve {
  /** End of each period, in the model's unit since the cohort's origin (1, 2, …). */
  time: Float64Array;
  /** Expected cumulative repeat transactions at the end of each period. */
  predicted: Float64Array;
  /** Actual cumulative repeat transactions (null when not given). */
  actual: Float64Array | null;
  /** (predicted − actual) / actual per period (0 where actual = 0); null without actuals. */
  relativeError: Float64Array | null;
  /** Mean |relative error| over the periods with actual > 0 (null without actuals). */
  mape: number | null;
  /** The same over the holdout periods only (after `calibrationPeriods`), null when there are none. */
  holdoutMape: number | null;
  /** Relative error at the last period (null without actuals). */
  finalRelativeError: number | null;
}

/**
 * Expected cumulative repeat transactions of a cohort at the end of each period (BTYD's
 * ExpectedCumulativeTransactions): Σ_i E[X(t_j − b_i)] over customers with b_i < t_j, where b_i is
 * customer i's first purchase in the model's unit after the origin and E[X(t)] the model's
 * expectedTransactionsNew. Customers sharing a birth time are evaluated once.
 */
export function expectedCumulativeTransactions<P extends Params>(
  model: TransactionModel<P>,
  params: P,
  births: ArrayLike<number>,
  periods: number,
  periodLength = 1,
): Float64Array {
  if (!(periods >= 0) || !(periodLength > 0)) {
    throw new ClvError('invalid-input', `The tracking needs periods >= 0 and a positive period length (got ${periods}, ${periodLength}).`);
  }
  // Distinct birth times and their counts.
  const byBirth = new Map<number, number>();
  for (let i = 0; i < births.length; i++) {
    const b = births[i] as number;
    if (!Number.isFinite(b) || b < 0) throw new ClvError('invalid-input', `Customer ${i + 1}: the birth time must be >= 0 (got ${String(b)}).`, { row: i });
    byBirth.set(b, (byBirth.get(b) ?? 0) + 1);
  }
  const cohorts = [...byBirth.entries()];
  const out = new Float64Array(Math.floor(periods));
  for (let j = 0; j < out.length; j++) {
    const t = (j + 1) * periodLength;
    let sum = 0;
    for (const [b, c] of cohorts) {
      if (b < t) sum += c * model.expectedTransactionsNew(params, t - b);
    }
    out[j] = finiteOrThrow(sum, 'the expected cumulative transactions', { period: j + 1 });
  }
  return out;
}

/**
 * Builds a tracking curve from the predicted and (optionally) actual cumulative series, with its
 * errors: per period, the mean absolute percentage error overall and over the holdout periods
 * (those after `calibrationPeriods`), and at the last period.
 */
export function trackingCurve(
  predicted: Float64Array,
  actualCumulative: ArrayLike<number> | null,
  options: { periodLength?: number; calibrationPeriods?: number } = {},
): TrackingCurve {
  const periodLength = options.periodLength ?? 1;
  const time = new Float64Array(predicted.length);
  for (let j = 0; j < time.length; j++) time[j] = (j + 1) * periodLength;
  if (!actualCumulative) {
    return { time, predicted, actual: null, relativeError: null, mape: null, holdoutMape: null, finalRelativeError: null };
  }
  if (actualCumulative.length !== predicted.length) {
    throw new ClvError('invalid-input', `The actual series has ${actualCumulative.length} periods, the predicted one ${predicted.length}.`);
  }
  const actual = Float64Array.from(actualCumulative);
  const relativeError = new Float64Array(actual.length);
  const calibrationPeriods = options.calibrationPeriods ?? actual.length;
  let sum = 0;
  let count = 0;
  let holdoutSum = 0;
  let holdoutCount = 0;
  for (let j = 0; j < actual.length; j++) {
    const a = actual[j] as number;
    if (!(a > 0)) continue;
    const rel = ((predicted[j] as number) - a) / a;
    relativeError[j] = rel;
    sum += Math.abs(rel);
    count++;
    if (j >= calibrationPeriods) {
      holdoutSum += Math.abs(rel);
      holdoutCount++;
    }
  }
  const last = actual.length - 1;
  return {
    time,
    predicted,
    actual,
    relativeError,
    mape: count > 0 ? sum / count : null,
    holdoutMape: holdoutCount > 0 ? holdoutSum / holdoutCount : null,
    finalRelativeError: last >= 0 && (actual[last] as number) > 0 ? (relativeError[last] as number) : null,
  };
}

/** What the cohort tracking needs from a log summary (see summary.ts). */
export interface CohortTiming {
  /** First purchase day of each customer (day numbers). */
  firstDay: ArrayLike<number>;
  /** Length of the model's time unit in days (7 for weeks). */
  unitDays: number;
  /** Last calibration day and last observed day (inclusive day numbers). */
  calibrationEnd: number;
  observationEnd: number;
  /** First day of period 1 (default: the earliest first purchase). */
  origin?: number;
}

/**
 * Tracking of a cohort summarised from a log: births from the first purchase days, as many whole
 * periods (of the model's unit) as fit between the origin and the observation end, and the errors
 * against the actual per-period repeat transactions when given (summary.ts repeatTransactionsByPeriod).
 */
export function trackCohort<P extends Params>(
  model: TransactionModel<P>,
  params: P,
  timing: CohortTiming,
  actualPerPeriod: ArrayLike<number> | null,
): TrackingCurve {
  const n = timing.firstDay.length;
  if (n === 0) throw new ClvError('invalid-input', 'There are no customers to track.');
  let origin = timing.origin ?? Infinity;
  if (timing.origin === undefined) for (let i = 0; i < n; i++) origin = Math.min(origin, timing.firstDay[i] as number);
  const births = new Float64Array(n);
  for (let i = 0; i < n; i++) births[i] = ((timing.firstDay[i] as number) - origin) / timing.unitDays;
  const periods = Math.floor((timing.observationEnd + 1 - origin) / timing.unitDays + 1e-9);
  const calibrationPeriods = Math.floor((timing.calibrationEnd + 1 - origin) / timing.unitDays + 1e-9);
  const predicted = expectedCumulativeTransactions(model, params, births, periods);
  let actual: Float64Array | null = null;
  if (actualPerPeriod) {
    actual = new Float64Array(periods);
    let sum = 0;
    for (let j = 0; j < periods; j++) {
      sum += j < actualPerPeriod.length ? (actualPerPeriod[j] as number) : 0;
      actual[j] = sum;
    }
  }
  return trackingCurve(predicted, actual, { calibrationPeriods });
}
