/**
 * The value of a customer over a horizon (the `clv` field: discounted margin over, by default, 12 months;
 * the residual lifetime value over the whole rest of their life is lib/clv/lifetime.ts), for non-contractual
 * customers, from a transaction model (BG/NBD, MBG/NBD,
 * Pareto/NBD) and a spend estimate per transaction (Gamma-Gamma E[M | x, m], or a fixed mean).
 *
 *   CLV = margin × spend × Σ_i (E[Y(t_i)] − E[Y(t_{i−1})]) / (1 + d_step)^{s_i}
 *
 * over steps t_1 < … < t_k that cover the horizon (monthly by default; the last one partial when the
 * horizon is not a whole number of steps), s_i = the end of step i in steps, E[Y(t)] = the expected
 * number of transactions in (T, T + t] given the customer's history, in the model's time unit.
 * This is the discrete-step approach of lifetimes' customer_lifetime_value, with two differences:
 * the horizon and the steps are converted to the model's time unit by their length in days (a month
 * is 4.348 weeks or 30.44 days, never "30 units"), and the discount rate is an annual rate.
 *
 * Discount convention: `annualDiscountRate` is an effective annual rate (0.1 = 10 % a year); a step
 * of D days is discounted by (1 + annual)^(D / 365.25), i.e. the per-step rate is
 * d_step = (1 + annual)^(step days / 365.25) − 1 (0.797 % a month at 10 % a year). Cash from the
 * transactions expected during a step is discounted to the end of that step.
 *
 * `margin` is the share of spend kept as profit (0.3 = 30 %); with margin 1 the CLV is in revenue.
 */
import { ClvError, finiteOrThrow } from './errors';
import { discountedResidualTransactions } from './lifetime';
import type { History, Params, RfmData, TransactionModel } from './model';
import { type Horizon, type TimeUnit, assertHorizon, convert, isTimeUnit, periodRate, stepTimes } from './time';

export interface ClvOptions {
  /** The time unit the model was fitted in (the unit of x's t_x and T): CDNOW is 'week'. */
  modelUnit: TimeUnit;
  /** How far ahead to value, in any unit. Default 12 months. */
  horizon?: Horizon;
  /** Length of a discounting step. Default 'month'. */
  step?: TimeUnit;
  /** Effective annual discount rate, 0 or more (0.1 = 10 % a year). Default 0.1. */
  annualDiscountRate?: number;
  /** Share of spend kept as profit, e.g. 0.3. Default 1 (CLV in revenue). */
  margin?: number;
}

/** Defaults of ClvOptions. */
export const CLV_DEFAULTS = Object.freeze({
  horizon: Object.freeze({ value: 12, unit: 'month' as TimeUnit }),
  step: 'month' as TimeUnit,
  annualDiscountRate: 0.1,
  margin: 1,
});

/** The 12-month window of `next12MonthsValue`. */
const TWELVE_MONTHS: Horizon = { value: 12, unit: 'month' };

/** Options with every default filled in and every value checked, plus the step grid in the model's unit. */
export interface ClvPlan {
  modelUnit: TimeUnit;
  horizon: Horizon;
  step: TimeUnit;
  annualDiscountRate: number;
  margin: number;
  /** The horizon in the model's unit. */
  horizonInModelUnit: number;
  /** End of each step in the model's unit. */
  times: Float64Array;
  /** Discount factor of each step, 1 / (1 + d_step)^{s_i}. */
  discount: Float64Array;
  /** 12 months in the model's unit. */
  twelveMonths: number;
}

/** Checks the options, fills in defaults and lays out the discounting steps. */
export function planClv(options: ClvOptions): ClvPlan {
  if (!isTimeUnit(options?.modelUnit)) {
    throw new ClvError('invalid-input', `modelUnit must be day, week or month (got "${String(options?.modelUnit)}").`, { field: 'modelUnit' });
  }
  const horizon = options.horizon ?? CLV_DEFAULTS.horizon;
  assertHorizon(horizon);
  const step = options.step ?? CLV_DEFAULTS.step;
  if (!isTimeUnit(step)) {
    throw new ClvError('invalid-input', `step must be day, week or month (got "${String(step)}").`, { field: 'step' });
  }
  const annualDiscountRate = options.annualDiscountRate ?? CLV_DEFAULTS.annualDiscountRate;
  if (!Number.isFinite(annualDiscountRate) || annualDiscountRate < 0) {
    throw new ClvError('invalid-input', `The annual discount rate must be a finite number, 0 or more (got ${String(annualDiscountRate)}).`, {
      field: 'annualDiscountRate',
    });
  }
  const margin = options.margin ?? CLV_DEFAULTS.margin;
  if (!Number.isFinite(margin)) {
    throw new ClvError('invalid-input', `The margin must be a finite number (got ${String(margin)}).`, { field: 'margin' });
  }
  const { times, stepIndex } = stepTimes(horizon, step, options.modelUnit);
  const logOnePlusRate = Math.log1p(periodRate(annualDiscountRate, step));
  const discount = new Float64Array(stepIndex.length);
  for (let i = 0; i < stepIndex.length; i++) discount[i] = Math.exp(-logOnePlusRate * (stepIndex[i] as number));
  return {
    modelUnit: options.modelUnit,
    horizon,
    step,
    annualDiscountRate,
    margin,
    horizonInModelUnit: convert(horizon.value, horizon.unit, options.modelUnit),
    times,
    discount,
    twelveMonths: convert(TWELVE_MONTHS.value, TWELVE_MONTHS.unit, options.modelUnit),
  };
}

function assertSpend(spend: number, row?: number): void {
  if (!Number.isFinite(spend) || spend < 0) {
    const where = row === undefined ? '' : `Row ${row}: `;
    throw new ClvError('invalid-input', `${where}expected spend per transaction must be a finite amount, 0 or more (got ${String(spend)}).`, {
      field: 'spend',
      ...(row === undefined ? {} : { row }),
    });
  }
}

/** Per-step increments of E[Y] must not fall; float noise below this (relative) is treated as 0. */
const MONOTONE_SLACK = 1e-9;

/**
 * Σ_i (E[Y(t_i)] − E[Y(t_{i−1})]) × discount_i: the discounted expected number of transactions over the
 * plan's horizon, and (in `cumulative`) E[Y(t_i)] at every step end.
 */
function discountedTransactions<P extends Params>(
  model: TransactionModel<P>,
  params: P,
  history: History,
  plan: ClvPlan,
  cumulative: Float64Array,
): number {
  let previous = 0;
  let total = 0;
  for (let i = 0; i < plan.times.length; i++) {
    const current = model.conditionalExpectedTransactions(params, plan.times[i] as number, history);
    let increment = current - previous;
    if (increment < 0) {
      if (increment < -MONOTONE_SLACK * Math.max(1, Math.abs(current))) {
        throw new ClvError('numeric', `Expected transactions fell from ${previous} to ${current} over a longer horizon; the model evaluation is unreliable here.`, {
          ...history,
        });
      }
      increment = 0;
    }
    total += increment * (plan.discount[i] as number);
    cumulative[i] = current;
    previous = Math.max(previous, current);
  }
  return total;
}

/** E[Y(horizon)]: expected transactions over a horizon given in any unit (converted to the model's unit). */
export function expectedTransactionsOver<P extends Params>(
  model: TransactionModel<P>,
  params: P,
  history: History,
  horizon: Horizon,
  modelUnit: TimeUnit,
): number {
  assertHorizon(horizon);
  const t = convert(horizon.value, horizon.unit, modelUnit);
  if (t === 0) return 0;
  return finiteOrThrow(model.conditionalExpectedTransactions(params, t, history), 'the expected number of transactions', { ...history });
}

/**
 * CLV of one customer: margin × spend × discounted expected transactions over the horizon.
 * `spend` is the expected spend per transaction (e.g. conditionalExpectedSpend of the Gamma-Gamma model).
 */
export function customerLifetimeValue<P extends Params>(
  model: TransactionModel<P>,
  params: P,
  history: History,
  spend: number,
  options: ClvOptions,
): number {
  const plan = planClv(options);
  assertSpend(spend);
  const value = plan.margin * spend * discountedTransactions(model, params, history, plan, new Float64Array(plan.times.length));
  return finiteOrThrow(value, 'the customer lifetime value', { ...history });
}

/** Everything the UI shows for a customer. */
export interface CustomerScore {
  /** P(alive) now. */
  pAlive: number;
  /** E[Y(horizon)]: expected transactions over the horizon (undiscounted). */
  expectedTransactions: number;
  /** Expected spend per transaction (the spend estimate given). */
  expectedSpend: number;
  /** Discounted margin over the horizon (the CLV). */
  clv: number;
  /** margin × spend × E[Y(12 months)], undiscounted: the value expected over the next 12 months. */
  next12MonthsValue: number;
  /** margin × spend × DERT: the residual lifetime value, discounted, over the rest of the customer's life (lib/clv/lifetime.ts). */
  lifetimeValue: number;
}

/** Scores one customer: P(alive), expected transactions, spend, CLV and next-12-months value (all finite). */
export function scoreCustomer<P extends Params>(
  model: TransactionModel<P>,
  params: P,
  history: History,
  spend: number,
  options: ClvOptions,
): CustomerScore {
  const plan = planClv(options);
  assertSpend(spend);
  const row = scoreHistory(model, params, history, plan, new Float64Array(plan.times.length));
  return {
    pAlive: row.pAlive,
    expectedTransactions: row.expectedTransactions,
    expectedSpend: spend,
    clv: finiteOrThrow(plan.margin * spend * row.discountedTransactions, 'the customer lifetime value', { ...history }),
    next12MonthsValue: finiteOrThrow(plan.margin * spend * row.transactions12Months, 'the next-12-months value', { ...history }),
    lifetimeValue: finiteOrThrow(plan.margin * spend * row.residual, 'the lifetime value', { ...history }),
  };
}

interface HistoryScore {
  pAlive: number;
  expectedTransactions: number;
  discountedTransactions: number;
  transactions12Months: number;
  /** DERT: discounted expected residual transactions over the rest of the customer's life. */
  residual: number;
}

/** The spend-free part of a score, which depends only on (x, t_x, T). */
function scoreHistory<P extends Params>(
  model: TransactionModel<P>,
  params: P,
  history: History,
  plan: ClvPlan,
  cumulative: Float64Array,
): HistoryScore {
  const pAlive = finiteOrThrow(model.pAlive(params, history), 'P(alive)', { ...history });
  const discounted = finiteOrThrow(discountedTransactions(model, params, history, plan, cumulative), 'the discounted expected transactions', {
    ...history,
  });
  const k = plan.times.length;
  const expectedTransactions = k === 0 ? 0 : (cumulative[k - 1] as number);
  // Reuse a step end that falls on 12 months (the default monthly grid has one); else evaluate.
  let transactions12Months = Number.NaN;
  for (let i = 0; i < k; i++) {
    if (Math.abs((plan.times[i] as number) - plan.twelveMonths) <= 1e-9 * plan.twelveMonths) {
      transactions12Months = cumulative[i] as number;
      break;
    }
  }
  if (Number.isNaN(transactions12Months)) {
    transactions12Months = model.conditionalExpectedTransactions(params, plan.twelveMonths, history);
  }
  return {
    pAlive,
    expectedTransactions: finiteOrThrow(expectedTransactions, 'the expected number of transactions', { ...history }),
    discountedTransactions: discounted,
    transactions12Months: finiteOrThrow(transactions12Months, 'the expected transactions over 12 months', { ...history }),
    residual: discountedResidualTransactions(model, params, history, plan.annualDiscountRate, plan.modelUnit),
  };
}

/** Columnar scores of many customers (row i of every array is customer i). */
export interface ScoreColumns {
  pAlive: Float64Array;
  expectedTransactions: Float64Array;
  expectedSpend: Float64Array;
  clv: Float64Array;
  next12MonthsValue: Float64Array;
  /** Residual lifetime value (margin × spend × DERT). */
  lifetimeValue: Float64Array;
  /** How many distinct (x, t_x, T) histories were evaluated (the model is called once per distinct history). */
  distinctHistories: number;
}

/**
 * Models whose E[Y(t) | x, t_x, T] factors as P(alive | x, t_x, T) · g(x, T, t): given that the customer
 * is alive at T, the posterior of their purchase (and dropout) process depends on x and T only, not on
 * t_x (t_x enters only through the chance of having died in (t_x, T]). True of BG/NBD, MBG/NBD (Fader,
 * Hardie & Lee 2005, eq. 10; Batislam et al. 2007) and Pareto/NBD (Schmittlein et al. 1987;
 * Fader & Hardie 2005 note eq. 27). The batch scorer then evaluates the expensive g once per distinct
 * (x, T) and only P(alive) per distinct (x, t_x, T), and checks the identity on a few rows at run time.
 */
const FACTORIZED_MODELS: ReadonlySet<string> = new Set(['bgnbd', 'mbgnbd', 'pareto-nbd']);

/**
 * Scores many customers at once over columnar data. The model is evaluated once per distinct
 * (x, t_x, T) — customers with the same history share it — and, for the models of FACTORIZED_MODELS,
 * the horizon sums once per distinct (x, T). Spend multiplies in per customer, so no object is
 * allocated per customer. `spend` is one amount for everyone or one per customer. Errors name the
 * row (customer index).
 */
export function scoreCustomers<P extends Params>(
  model: TransactionModel<P>,
  params: P,
  data: Pick<RfmData, 'x' | 'tx' | 'T'>,
  spend: number | ArrayLike<number>,
  options: ClvOptions,
): ScoreColumns {
  const plan = planClv(options);
  const n = data.x.length;
  if (data.tx.length !== n || data.T.length !== n) {
    throw new ClvError('invalid-input', `x, tx and T must have the same length (x ${n}, tx ${data.tx.length}, T ${data.T.length}).`);
  }
  if (typeof spend === 'number') assertSpend(spend);
  else if (spend.length !== n) {
    throw new ClvError('invalid-input', `One spend per customer is needed (${n} customers, ${spend.length} spends).`);
  }

  const groups = groupHistories(data.x, data.tx, data.T);
  const g = groups.count;
  const hx = new Float64Array(g);
  const htx = new Float64Array(g);
  const hT = new Float64Array(g);
  for (let k = 0; k < g; k++) {
    const row = groups.representative[k] as number;
    hx[k] = data.x[row] as number;
    htx[k] = data.tx[row] as number;
    hT[k] = data.T[row] as number;
    try {
      assertHistory({ x: hx[k] as number, tx: htx[k] as number, T: hT[k] as number }, row);
    } catch (error) {
      throw withRow(error, row);
    }
  }
  const rowOf = (k: number) => groups.representative[k] as number;
  const perHistory =
    (FACTORIZED_MODELS.has(model.name) && scoreFactorized(model, params, hx, htx, hT, plan, rowOf)) ||
    scoreDirect(model, params, hx, htx, hT, plan, rowOf);

  const out: ScoreColumns = {
    pAlive: new Float64Array(n),
    expectedTransactions: new Float64Array(n),
    expectedSpend: new Float64Array(n),
    clv: new Float64Array(n),
    next12MonthsValue: new Float64Array(n),
    lifetimeValue: new Float64Array(n),
    distinctHistories: g,
  };
  const margin = plan.margin;
  const fixedSpend = typeof spend === 'number' ? spend : Number.NaN;
  for (let i = 0; i < n; i++) {
    const k = groups.groupOf[i] as number;
    const s = typeof spend === 'number' ? fixedSpend : (spend[i] as number);
    if (!(s >= 0) || s === Infinity) assertSpend(s, i);
    const clv = margin * s * (perHistory.discounted[k] as number);
    const next12 = margin * s * (perHistory.twelveMonths[k] as number);
    const lifetime = margin * s * (perHistory.residual[k] as number);
    if (!Number.isFinite(clv) || !Number.isFinite(next12) || !Number.isFinite(lifetime)) finiteOrThrow(Number.NaN, 'the customer lifetime value', { row: i });
    out.pAlive[i] = perHistory.pAlive[k] as number;
    out.expectedTransactions[i] = perHistory.transactions[k] as number;
    out.expectedSpend[i] = s;
    out.clv[i] = clv;
    out.next12MonthsValue[i] = next12;
    out.lifetimeValue[i] = lifetime;
  }
  return out;
}

/** Spend-free scores per distinct history. */
interface HistoryColumns {
  pAlive: Float64Array;
  transactions: Float64Array;
  discounted: Float64Array;
  twelveMonths: Float64Array;
  residual: Float64Array;
}

function newHistoryColumns(g: number): HistoryColumns {
  return {
    pAlive: new Float64Array(g),
    transactions: new Float64Array(g),
    discounted: new Float64Array(g),
    twelveMonths: new Float64Array(g),
    residual: new Float64Array(g),
  };
}

/** Every distinct history evaluated on its own (any TransactionModel). */
function scoreDirect<P extends Params>(
  model: TransactionModel<P>,
  params: P,
  hx: Float64Array,
  htx: Float64Array,
  hT: Float64Array,
  plan: ClvPlan,
  rowOf: (k: number) => number,
): HistoryColumns {
  const g = hx.length;
  const out = newHistoryColumns(g);
  const cumulative = new Float64Array(plan.times.length);
  const history: History = { x: 0, tx: 0, T: 0 };
  for (let k = 0; k < g; k++) {
    history.x = hx[k] as number;
    history.tx = htx[k] as number;
    history.T = hT[k] as number;
    let score: HistoryScore;
    try {
      score = scoreHistory(model, params, history, plan, cumulative);
    } catch (error) {
      throw withRow(error, rowOf(k));
    }
    out.pAlive[k] = score.pAlive;
    out.transactions[k] = score.expectedTransactions;
    out.discounted[k] = score.discountedTransactions;
    out.twelveMonths[k] = score.transactions12Months;
    out.residual[k] = score.residual;
  }
  return out;
}

/**
 * E[Y] = P(alive) · g(x, T, t): g from the history (x, t_x = T, T) of each distinct (x, T), where
 * P(alive) is largest (no time since the last purchase), then scaled by each history's P(alive).
 * Returns null (the caller falls back to scoreDirect) if the identity fails on the spot check.
 */
function scoreFactorized<P extends Params>(
  model: TransactionModel<P>,
  params: P,
  hx: Float64Array,
  htx: Float64Array,
  hT: Float64Array,
  plan: ClvPlan,
  rowOf: (k: number) => number,
): HistoryColumns | null {
  const g = hx.length;
  const pairs = groupHistories(hx, new Float64Array(g), hT);
  const m = pairs.count;
  const ratio = newHistoryColumns(m); // per (x, T): the HistoryScore of (x, T, T) divided by its P(alive)
  const cumulative = new Float64Array(plan.times.length);
  const history: History = { x: 0, tx: 0, T: 0 };
  for (let j = 0; j < m; j++) {
    const k = pairs.representative[j] as number;
    history.x = hx[k] as number;
    history.tx = hT[k] as number;
    history.T = hT[k] as number;
    let score: HistoryScore;
    try {
      score = scoreHistory(model, params, history, plan, cumulative);
    } catch (error) {
      throw withRow(error, rowOf(k));
    }
    if (!(score.pAlive > 1e-12)) return null; // cannot divide reliably: evaluate directly
    ratio.transactions[j] = score.expectedTransactions / score.pAlive;
    ratio.discounted[j] = score.discountedTransactions / score.pAlive;
    ratio.twelveMonths[j] = score.transactions12Months / score.pAlive;
    ratio.residual[j] = score.residual / score.pAlive;
  }

  const out = newHistoryColumns(g);
  for (let k = 0; k < g; k++) {
    history.x = hx[k] as number;
    history.tx = htx[k] as number;
    history.T = hT[k] as number;
    let alive: number;
    try {
      alive = finiteOrThrow(model.pAlive(params, history), 'P(alive)', { ...history });
    } catch (error) {
      throw withRow(error, rowOf(k));
    }
    const j = pairs.groupOf[k] as number;
    out.pAlive[k] = alive;
    out.transactions[k] = alive * (ratio.transactions[j] as number);
    out.discounted[k] = alive * (ratio.discounted[j] as number);
    out.twelveMonths[k] = alive * (ratio.twelveMonths[j] as number);
    out.residual[k] = alive * (ratio.residual[j] as number);
  }

  // Spot check the identity on up to 3 histories with t_x < T (where it matters).
  let checked = 0;
  for (let k = 0; k < g && checked < 3; k++) {
    if (!((htx[k] as number) < (hT[k] as number)) || !((hx[k] as number) > 0)) continue;
    checked++;
    history.x = hx[k] as number;
    history.tx = htx[k] as number;
    history.T = hT[k] as number;
    const direct = scoreHistory(model, params, history, plan, cumulative);
    const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-300;
    if (
      !close(direct.discountedTransactions, out.discounted[k] as number) ||
      !close(direct.transactions12Months, out.twelveMonths[k] as number) ||
      !close(direct.residual, out.residual[k] as number)
    ) {
      return null;
    }
  }
  return out;
}

function assertHistory(h: History, row: number): void {
  // T = 0 is a customer acquired on the last day of the data: scored as a new customer.
  if (!Number.isFinite(h.x) || !Number.isFinite(h.tx) || !Number.isFinite(h.T) || h.x < 0 || h.tx < 0 || h.T < 0 || h.tx > h.T) {
    throw new ClvError(
      'invalid-input',
      `Row ${row}: a history needs x >= 0 and 0 <= t_x <= T, all finite (got x = ${h.x}, t_x = ${h.tx}, T = ${h.T}).`,
      { row, x: h.x, tx: h.tx, T: h.T },
    );
  }
}

function withRow(error: unknown, row: number): unknown {
  if (error instanceof ClvError && error.detail?.row === undefined) {
    return new ClvError(error.code, `Row ${row}: ${error.message}`, { ...error.detail, row });
  }
  return error;
}

// ---------------------------------------------------------------------------------------------
// Grouping identical histories without string keys (open addressing on the bits of the three doubles).

interface HistoryGroups {
  count: number;
  /** groupOf[i] = group of row i. */
  groupOf: Uint32Array;
  /** representative[k] = first row of group k. */
  representative: Uint32Array;
}

const BITS = new Float64Array(1);
const WORDS = new Uint32Array(BITS.buffer);

function mixDouble(h: number, value: number): number {
  BITS[0] = value === 0 ? 0 : value; // -0 and 0 are the same key
  h = Math.imul(h ^ (WORDS[0] as number), 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ (WORDS[1] as number), 0x85ebca77);
  return h ^ (h >>> 13);
}

/** Groups rows with identical (x, tx, T). */
export function groupHistories(x: ArrayLike<number>, tx: ArrayLike<number>, T: ArrayLike<number>): HistoryGroups {
  const n = x.length;
  let size = 16;
  while (size < n * 2) size *= 2;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1); // group index per slot
  const groupOf = new Uint32Array(n);
  const representative = new Uint32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    const ti = tx[i] as number;
    const Ti = T[i] as number;
    let slot = mixDouble(mixDouble(mixDouble(0x811c9dc5, xi), ti), Ti) & mask;
    for (;;) {
      const k = table[slot] as number;
      if (k === -1) {
        table[slot] = count;
        representative[count] = i;
        groupOf[i] = count;
        count++;
        break;
      }
      const r = representative[k] as number;
      // NaN never equals itself: such rows get their own group and fail validation with their row number.
      if (x[r] === xi && tx[r] === ti && T[r] === Ti) {
        groupOf[i] = k;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { count, groupOf, representative: representative.slice(0, count) };
}
