/**
 * BG/BB model for discrete transaction opportunities (Fader, Hardie & Shang 2010, "Customer-base
 * analysis in a discrete-time noncontractual setting", Marketing Science 29(6), 1086-1108).
 *
 * At each opportunity t = 1, 2, … a customer who is still alive first dies with probability θ (at the
 * start of the opportunity) and, if still alive, transacts with probability p. Across customers
 * p ~ Beta(α, β) and θ ~ Beta(γ, δ). A customer's history over n opportunities is summarised by x
 * (number of transactions) and t_x (the opportunity of the last one; 0 when x = 0).
 *
 * Formulas (numbers are the paper's equations):
 * - likelihood (5): L = B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
 *                     + Σ_{i=0}^{n−t_x−1} B(α+x, β+t_x−x+i)/B(α,β) · B(γ+1, δ+t_x+i)/B(γ,δ);
 * - P(X(n) = x) for a new customer (8); E[X(n)] (9);
 * - P(alive at opportunity n+1 | x, t_x, n) (11) — what the paper reports as "P(alive in 2002)" for the
 *   donors observed over 1996-2001;
 * - E[X(n, n+n*) | x, t_x, n] (13);
 * - DERT (14) with discount rate d per opportunity: the transaction at opportunity n+t is worth (1+d)^−t.
 * All in log space; successive Beta-function ratios are taken by their recurrences.
 */
import { ClvError, finiteOrThrow } from './errors';
import { fitModel } from './fit';
import type { FitOptions, FitResult } from './model';
import { lbeta, lgamma, logHyp2f1 } from './special';

export type BgbbParams = { alpha: number; beta: number; gamma: number; delta: number };

export const BGBB_PARAM_NAMES = ['alpha', 'beta', 'gamma', 'delta'] as const;

/**
 * Discrete-time recency/frequency data, columnar and weighted: row i stands for weight[i] customers
 * with x[i] transactions in n[i] opportunities, the last at opportunity tx[i] (0 when x[i] = 0).
 */
export interface BgbbData {
  x: Float64Array;
  tx: Float64Array;
  n: Float64Array;
  weight: Float64Array;
}

/** Longest horizon (in opportunities) the expectations are computed for: 10 million. */
const MAX_HORIZON = 10_000_000;

/** Throws ClvError('invalid-params') unless alpha, beta, gamma, delta are finite and positive. */
export function assertBgbbParams(params: BgbbParams): void {
  for (const name of BGBB_PARAM_NAMES) {
    const value = params[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
      throw new ClvError('invalid-params', `BG/BB parameter ${name} must be a finite number above 0 (got ${String(value)}).`, {
        param: name,
        value: String(value),
      });
    }
  }
}

/** Throws ClvError('invalid-input') unless (x, t_x, n) is a possible history: whole numbers, x <= t_x <= n, x = 0 iff t_x = 0. */
function assertHistory(x: number, tx: number, n: number, row?: number): void {
  const where = row === undefined ? '' : `Row ${row}: `;
  const detail = { row, x, tx, n };
  if (![x, tx, n].every((v) => Number.isInteger(v) && v >= 0)) {
    throw new ClvError('invalid-input', `${where}x, t_x and n must be whole numbers >= 0 (got ${x}, ${tx}, ${n}).`, detail);
  }
  if (tx > n) {
    throw new ClvError('invalid-input', `${where}the last transaction (opportunity ${tx}) is after the last opportunity (${n}).`, detail);
  }
  if (x > tx) {
    throw new ClvError('invalid-input', `${where}${x} transactions cannot fit in the first ${tx} opportunities.`, detail);
  }
  if ((x === 0) !== (tx === 0)) {
    throw new ClvError('invalid-input', `${where}t_x must be 0 exactly when x is 0 (got x = ${x}, t_x = ${tx}).`, detail);
  }
}

/** Checks the columns and every row; returns the total weight (number of customers). */
export function validateBgbbData(data: BgbbData): number {
  const rows = data.x.length;
  if (data.tx.length !== rows || data.n.length !== rows || data.weight.length !== rows) {
    throw new ClvError('invalid-input', 'The x, t_x, n and weight columns must have the same length.', {
      x: rows,
      tx: data.tx.length,
      n: data.n.length,
      weight: data.weight.length,
    });
  }
  if (rows === 0) throw new ClvError('invalid-input', 'There are no customers in the data.');
  let total = 0;
  for (let i = 0; i < rows; i++) {
    assertHistory(data.x[i] as number, data.tx[i] as number, data.n[i] as number, i);
    const w = data.weight[i] as number;
    if (!Number.isFinite(w) || w < 0) {
      throw new ClvError('invalid-input', `Row ${i}: the weight must be a finite number >= 0, got ${w}.`, { row: i });
    }
    total += w;
  }
  if (!(total > 0)) throw new ClvError('invalid-input', 'The weights sum to 0: there are no customers to fit.');
  return total;
}

function assertWhole(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new ClvError('invalid-input', `${what} must be a whole number >= 0 (got ${String(value)}).`, { [what]: value });
  }
}

/** ln B(α,β) and ln B(γ,δ), shared by every row of one evaluation. */
interface Prepared extends BgbbParams {
  logBetaAB: number;
  logBetaGD: number;
}

function prepare(params: BgbbParams): Prepared {
  assertBgbbParams(params);
  return { ...params, logBetaAB: lbeta(params.alpha, params.beta), logBetaGD: lbeta(params.gamma, params.delta) };
}

/** ln[B(α+x, β+n−x)/B(α,β)] + ln[B(γ, δ+m)/B(γ,δ)]: p-part of n opportunities, alive through m. */
function logAliveTerm(p: Prepared, x: number, n: number, m: number): number {
  return lbeta(p.alpha + x, p.beta + n - x) - p.logBetaAB + lbeta(p.gamma, p.delta + m) - p.logBetaGD;
}

/** ln L(α, β, γ, δ | x, t_x, n), the paper's eq. (5). */
function rowLogLikelihood(p: Prepared, x: number, tx: number, n: number): number {
  const alive = logAliveTerm(p, x, n, n);
  const deaths = n - tx;
  if (deaths === 0) return alive;
  // Died at the start of opportunity t_x+i+1, i = 0..n−t_x−1: term_i = B(α+x, β+t_x−x+i) B(γ+1, δ+t_x+i) / (B(α,β) B(γ,δ)).
  const first =
    lbeta(p.alpha + x, p.beta + tx - x) - p.logBetaAB + lbeta(p.gamma + 1, p.delta + tx) - p.logBetaGD;
  // term_(i+1)/term_i = (β+t_x−x+i)/(α+β+t_x+i) · (δ+t_x+i)/(γ+δ+1+t_x+i), all below 1.
  let relative = 1;
  let sum = 1;
  for (let i = 0; i < deaths - 1; i++) {
    relative *= ((p.beta + tx - x + i) / (p.alpha + p.beta + tx + i)) * ((p.delta + tx + i) / (p.gamma + p.delta + 1 + tx + i));
    sum += relative;
  }
  const dead = first + Math.log(sum);
  return alive > dead ? alive + Math.log1p(Math.exp(dead - alive)) : dead + Math.log1p(Math.exp(alive - dead));
}

/** Total weighted log-likelihood, unchecked data. */
function sumLogLikelihood(params: BgbbParams, data: BgbbData): number {
  const p = prepare(params);
  let total = 0;
  for (let i = 0; i < data.x.length; i++) {
    const w = data.weight[i] as number;
    if (w === 0) continue;
    total += w * rowLogLikelihood(p, data.x[i] as number, data.tx[i] as number, data.n[i] as number);
  }
  return finiteOrThrow(total, 'the BG/BB log-likelihood', { ...params });
}

/** Total weighted log-likelihood of BgbbData (checks the data and the parameters). */
export function bgbbLogLikelihood(params: BgbbParams, data: BgbbData): number {
  validateBgbbData(data);
  return sumLogLikelihood(params, data);
}

/** Merges rows with the same (x, t_x, n), summing their weights; drops rows of weight 0. */
export function compressBgbbData(data: BgbbData): BgbbData {
  const index = new Map<string, number>();
  const x: number[] = [];
  const tx: number[] = [];
  const n: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < data.x.length; i++) {
    const w = data.weight[i] as number;
    if (w === 0) continue;
    const key = `${data.x[i]},${data.tx[i]},${data.n[i]}`;
    const at = index.get(key);
    if (at !== undefined) {
      weight[at] = (weight[at] as number) + w;
    } else {
      index.set(key, x.length);
      x.push(data.x[i] as number);
      tx.push(data.tx[i] as number);
      n.push(data.n[i] as number);
      weight.push(w);
    }
  }
  return { x: Float64Array.from(x), tx: Float64Array.from(tx), n: Float64Array.from(n), weight: Float64Array.from(weight) };
}

/** Maximum-likelihood fit on weighted BgbbData (identical rows merged first). */
export function fitBgbb(data: BgbbData, options: FitOptions = {}): FitResult<BgbbParams> {
  const n = validateBgbbData(data);
  const compressed = compressBgbbData(data);
  return fitModel<BgbbParams>({
    model: 'bgbb',
    paramNames: BGBB_PARAM_NAMES,
    logLikelihood: (params) => sumLogLikelihood(params, compressed),
    n,
    rows: compressed.x.length,
    defaultStarts: [
      { alpha: 1, beta: 1, gamma: 1, delta: 1 },
      { alpha: 0.5, beta: 1, gamma: 0.5, delta: 3 },
      { alpha: 2, beta: 1, gamma: 1, delta: 5 },
    ],
    options,
  });
}

/**
 * ln Σ_{t=1}^{count} B(γ, δ+m+t)/B(γ, δ): the expected number of the opportunities m+1..m+count at
 * which a customer is alive, for θ ~ Beta(γ, δ). Summed term by term with the ratio recurrence
 * B(γ, δ+k+1)/B(γ, δ+k) = (δ+k)/(γ+δ+k) < 1, which is exact in floating point where the telescoped
 * closed form of FHS 2010 eq. (9)/(13), [Γ(δ+m+1)/Γ(γ+δ+m) − Γ(δ+m+count+1)/Γ(γ+δ+m+count)]/(γ−1),
 * cancels badly for γ near 1. Horizons are numbers of opportunities, so MAX_HORIZON is never a limit
 * in practice.
 */
function logSurvivalSum(gamma: number, delta: number, m: number, count: number): number {
  if (count === 0) return -Infinity;
  if (count > MAX_HORIZON) {
    throw new ClvError('invalid-input', `The horizon of ${count} opportunities is longer than the ${MAX_HORIZON} the model evaluates.`, {
      count,
    });
  }
  const logFirst = lbeta(gamma, delta + m + 1) - lbeta(gamma, delta);
  let relative = 1;
  let sum = 1;
  for (let t = 1; t < count; t++) {
    const k = delta + m + t;
    relative *= k / (gamma + k);
    sum += relative;
  }
  return logFirst + Math.log(sum);
}

/**
 * P(alive at opportunity n+1 | x, t_x, n) (FHS 2010 eq. 11): the probability that the customer is
 * still alive at the next opportunity — the paper's "P(alive in 2002)" for donors observed 1996-2001.
 */
export function pAlive(params: BgbbParams, x: number, tx: number, n: number): number {
  assertHistory(x, tx, n);
  const p = prepare(params);
  const value = Math.exp(logAliveTerm(p, x, n, n + 1) - rowLogLikelihood(p, x, tx, n));
  return finiteOrThrow(value, 'P(alive)', { x, tx, n });
}

/**
 * E[X(n, n+n*) | x, t_x, n]: expected transactions in the next nStar opportunities (FHS 2010 eq. 13)
 * = B(α+x+1, β+n−x)/B(α,β) · Σ_{t=1}^{n*} B(γ, δ+n+t)/B(γ,δ) / L.
 */
export function conditionalExpectedTransactions(params: BgbbParams, nStar: number, x: number, tx: number, n: number): number {
  assertHistory(x, tx, n);
  assertWhole(nStar, 'nStar');
  const p = prepare(params);
  if (nStar === 0) return 0;
  const logValue =
    lbeta(p.alpha + x + 1, p.beta + n - x) - p.logBetaAB + logSurvivalSum(p.gamma, p.delta, n, nStar) - rowLogLikelihood(p, x, tx, n);
  return finiteOrThrow(Math.exp(logValue), 'E[X(n, n+n*) | x, t_x, n]', { nStar, x, tx, n });
}

/** E[X(n)]: expected transactions of a new customer in the first n opportunities (FHS 2010 eq. 9). */
export function expectedTransactionsNew(params: BgbbParams, n: number): number {
  assertWhole(n, 'n');
  const p = prepare(params);
  if (n === 0) return 0;
  const logValue = Math.log(p.alpha / (p.alpha + p.beta)) + logSurvivalSum(p.gamma, p.delta, 0, n);
  return finiteOrThrow(Math.exp(logValue), 'E[X(n)]', { n });
}

/** ln C(n, k). */
function logChoose(n: number, k: number): number {
  return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
}

/**
 * P(X(n) = x) for a new customer (FHS 2010 eq. 8):
 *   C(n,x) B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
 *   + Σ_{i=x}^{n−1} C(i,x) B(α+x, β+i−x)/B(α,β) · B(γ+1, δ+i)/B(γ,δ)
 * (alive through all n opportunities, or died at the start of opportunity i+1 after x transactions in i).
 */
export function probabilityOfN(params: BgbbParams, x: number, n: number): number {
  assertWhole(x, 'x');
  assertWhole(n, 'n');
  const p = prepare(params);
  if (x > n) return 0;
  const logTerms: number[] = [logChoose(n, x) + logAliveTerm(p, x, n, n)];
  for (let i = x; i < n; i++) {
    logTerms.push(
      logChoose(i, x) + lbeta(p.alpha + x, p.beta + i - x) - p.logBetaAB + lbeta(p.gamma + 1, p.delta + i) - p.logBetaGD,
    );
  }
  let max = -Infinity;
  for (const v of logTerms) max = Math.max(max, v);
  let sum = 0;
  for (const v of logTerms) sum += Math.exp(v - max);
  return finiteOrThrow(Math.exp(max + Math.log(sum)), 'P(X(n) = x)', { x, n });
}

/**
 * Discounted expected residual transactions (FHS 2010 eq. 14), discount rate d per opportunity
 * (the transaction at opportunity n+t counts (1+d)^−t):
 *   DERT = B(α+x+1, β+n−x)/B(α,β) · B(γ, δ+n+1)/(B(γ,δ) (1+d)) · 2F1(1, δ+n+1; γ+δ+n+1; 1/(1+d)) / L.
 * Multiply by the value per transaction for the customer's residual value.
 */
export function derT(params: BgbbParams, d: number, x: number, tx: number, n: number): number {
  assertHistory(x, tx, n);
  if (!Number.isFinite(d) || !(d > 0)) {
    throw new ClvError('invalid-input', `The discount rate d must be a finite number above 0 (got ${String(d)}).`, { d });
  }
  const p = prepare(params);
  const hyp = logHyp2f1(1, p.delta + n + 1, p.gamma + p.delta + n + 1, 1 / (1 + d));
  if (hyp.sign !== 1) throw new ClvError('numeric', 'The 2F1 in the BG/BB DERT was not positive.', { d, x, tx, n });
  const logValue =
    lbeta(p.alpha + x + 1, p.beta + n - x) -
    p.logBetaAB +
    lbeta(p.gamma, p.delta + n + 1) -
    p.logBetaGD -
    Math.log1p(d) +
    hyp.log -
    rowLogLikelihood(p, x, tx, n);
  return finiteOrThrow(Math.exp(logValue), 'DERT', { d, x, tx, n });
}

/** The BG/BB model's functions in one object. */
export const bgbb = {
  name: 'bgbb' as const,
  paramNames: BGBB_PARAM_NAMES,
  fit: fitBgbb,
  logLikelihood: bgbbLogLikelihood,
  pAlive,
  conditionalExpectedTransactions,
  expectedTransactionsNew,
  probabilityOfN,
  derT,
};
