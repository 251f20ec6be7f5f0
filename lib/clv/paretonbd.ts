/**
 * Pareto/NBD model (Schmittlein, Morrison & Colombo 1987, "Counting your customers", Management
 * Science 33(1)). While alive a customer buys as a Poisson process with rate λ and dies after an
 * exponential lifetime with rate μ; λ ~ Gamma(r, α) and μ ~ Gamma(s, β) across customers.
 *
 * Formulas, with the references they come from:
 * - likelihood: Fader & Hardie (2005), "A note on deriving the Pareto/NBD model and related expressions",
 *   eq. (22)-(24), and "A note on implementing the Pareto/NBD model in MATLAB":
 *     L = Γ(r+x) α^r β^s / Γ(r) · { (α+T)^-(r+x) (β+T)^-s + s/(r+s+x) · A0 },
 *   where s/(r+s+x) · A0 = s ∫_{t_x}^{T} (α+τ)^-(r+x) (β+τ)^-(s+1) dτ. With M = max(α, β) the integral
 *   is F(t_x) − F(T), F(t) = (M+t)^-(r+s+x) / (r+s+x) · 2F1(r+s+x, b; r+s+x+1; |α−β|/(M+t)), and
 *   b = s+1 when α >= β, b = r+x when α < β (the usual case split, which keeps the argument in [0, 1)).
 *   Everything is evaluated in log space; the 2F1 is summed in Euler's form, whose terms are all
 *   positive (see logHyp2f1Shifted), so x in the hundreds neither overflows nor cancels.
 * - P(alive), E[Y(t) | x, t_x, T], E[X(t)]: same note, eq. (11), (27), (17).
 * - P(X(t) = x): Fader, Hardie & Lee (2006), "Deriving an expression for P(X(t) = x) under the
 *   Pareto/NBD model".
 * - P(Y(t) = y | x, t_x, T): given alive at T the customer's (λ, μ) are Gamma(r+x, α+T), Gamma(s, β+T)
 *   and the future is that of a new customer with those parameters (memorylessness), so
 *   P(Y(t)=y | ·) = P(alive) · P_new(X(t)=y; r+x, α+T, s, β+T) + (1 − P(alive)) · [y = 0].
 * - DERT: Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for customer base analysis",
 *   JMR 42(4), eq. (2): DERT = α^r β^s δ^(s−1) Γ(r+x+1) U(s, s; δ(β+T)) / (Γ(r) (α+T)^(r+x+1) L), with
 *   U the confluent hypergeometric function of the second kind (lib/clv/confluent.ts).
 */
import { logHypergeometricUEqual } from './confluent';
import { ClvError, finiteOrThrow } from './errors';
import { fitModel, validateRfmData } from './fit';
import type { FitOptions, FitResult, History, RfmData, TransactionModel } from './model';
import { digamma, lgamma, logHyp2f1 } from './special';

export type ParetoNbdParams = { r: number; alpha: number; s: number; beta: number };

export const PARETO_NBD_PARAM_NAMES = ['r', 'alpha', 's', 'beta'] as const;

/** Most terms the Euler-form series of logHyp2f1Shifted sums (z up to about 1 − 4e-5). */
const SHIFTED_SERIES_MAX_TERMS = 1_000_000;

/** Throws ClvError('invalid-params') unless r, alpha, s, beta are finite and positive. */
export function assertParetoNbdParams(params: ParetoNbdParams): void {
  for (const name of PARETO_NBD_PARAM_NAMES) {
    const value = params[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
      throw new ClvError('invalid-params', `Pareto/NBD parameter ${name} must be a finite number above 0 (got ${String(value)}).`, {
        param: name,
        value: String(value),
      });
    }
  }
}

/** Throws ClvError('invalid-input') unless the history is one the model can condition on. */
function assertHistory(h: History): void {
  const { x, tx, T } = h;
  if (!Number.isFinite(x) || x < 0) {
    throw new ClvError('invalid-input', `The number of repeat purchases x must be a finite number >= 0 (got ${String(x)}).`, { x });
  }
  if (!Number.isFinite(T) || T < 0 || !Number.isFinite(tx) || tx < 0) {
    throw new ClvError('invalid-input', `t_x and T must be finite and >= 0 (got t_x = ${String(tx)}, T = ${String(T)}).`, { tx, T });
  }
  if (tx > T * (1 + 1e-12)) {
    throw new ClvError('invalid-input', `The last purchase (t_x = ${tx}) is after the end of observation (T = ${T}).`, { tx, T });
  }
}

function assertHorizon(t: number, what = 't'): void {
  if (!Number.isFinite(t) || t < 0) {
    throw new ClvError('invalid-input', `The horizon ${what} must be a finite number >= 0 (got ${String(t)}).`, { [what]: t });
  }
}

function assertCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new ClvError('invalid-input', `The number of transactions must be a whole number >= 0 (got ${String(n)}).`, { n });
  }
}

/** ln(1 − e^x) for x < 0 (Mächler 2012), unchecked: the hot loop only calls it with x < 0. */
function log1mexpUnchecked(x: number): number {
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/** ln(e^a + e^b), unchecked (a, b finite or -Infinity). */
function logAddExpUnchecked(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/**
 * Σ_k t_k with t_0 = 1, t_(k+1) = t_k · (a+1−b+k)/(a+1+k) · z: the series of 2F1(1, a+1−b; a+1; z)
 * for a > 0, 0 < b < a+1, 0 <= z < 1. The terms are positive and shrink by a ratio below z, so the sum
 * lies in [1, 1/(1−z)) and the tail after a term t is at most t·z/(1−z).
 */
function shiftedSeries(a: number, b: number, z: number): number {
  if (z === 0) return 1;
  const c = a + 1;
  const d = c - b;
  let term = 1;
  let sum = 1;
  const tailFactor = 1e-17 * (1 - z);
  for (let k = 0; k < SHIFTED_SERIES_MAX_TERMS; k++) {
    term *= ((d + k) / (c + k)) * z;
    sum += term;
    if (term * z <= tailFactor * sum) return sum;
  }
  throw new ClvError('numeric', `2F1(${a}, ${b}; ${a + 1}; ${z}) needs more than ${SHIFTED_SERIES_MAX_TERMS} series terms (z too close to 1).`, {
    a,
    b,
    z,
  });
}

/**
 * ln 2F1(a, b; a+1; z) for a > 0, 0 < b < a+1 and 0 <= z < 1 — the only 2F1 the Pareto/NBD likelihood
 * needs. Uses Euler's transformation (Abramowitz & Stegun 15.3.3)
 *   2F1(a, b; a+1; z) = (1−z)^(1−b) · 2F1(1, a+1−b; a+1; z),
 * whose series terms are all positive (see shiftedSeries), so it neither cancels nor overflows for a, b
 * in the hundreds. About 37/(1−z) terms are needed as z → 1; beyond SHIFTED_SERIES_MAX_TERMS it throws
 * ClvError('numeric').
 */
export function logHyp2f1Shifted(a: number, b: number, z: number): number {
  if (!(a > 0) || !(b > 0) || !(b < a + 1) || !(z >= 0) || !(z < 1)) {
    throw new ClvError('invalid-params', `logHyp2f1Shifted needs a > 0, 0 < b < a+1, 0 <= z < 1 (got ${a}, ${b}, ${z}).`, { a, b, z });
  }
  return (1 - b) * Math.log1p(-z) + Math.log(shiftedSeries(a, b, z));
}

/**
 * As logHyp2f1Shifted, with its partial derivatives: writes [ln H, ∂lnH/∂a, ∂lnH/∂b, ∂lnH/∂z] into out
 * for H = 2F1(a, b; a+1; z), given log1mz = ln(1−z). Differentiates the Euler-form series term by term:
 * ∂ln t_k/∂a = Σ_{j<k} [1/(d+j) − 1/(c+j)], ∂ln t_k/∂b = −Σ_{j<k} 1/(d+j), ∂t_k/∂z = k t_k / z.
 */
function logHyp2f1ShiftedWithDerivatives(a: number, b: number, z: number, log1mz: number, out: Float64Array): void {
  if (z === 0) {
    out[0] = 0;
    out[1] = 0;
    out[2] = 0;
    out[3] = (a * b) / (a + 1);
    return;
  }
  const c = a + 1;
  const d = c - b;
  let term = 1;
  let sum = 1;
  let sumA = 0; // Σ t_k ∂ln t_k/∂a
  let sumB = 0; // Σ t_k ∂ln t_k/∂b
  let sumK = 0; // Σ k t_k
  let invD = 0; // Σ_{j<k} 1/(d+j)
  let invC = 0; // Σ_{j<k} 1/(c+j)
  const oneMinusZ = 1 - z;
  const tailFactor = 1e-17 * oneMinusZ * oneMinusZ;
  let k = 0;
  for (; k < SHIFTED_SERIES_MAX_TERMS; k++) {
    const inverseD = 1 / (d + k);
    const inverseC = 1 / (c + k);
    invD += inverseD;
    invC += inverseC;
    term *= (d + k) * inverseC * z;
    sum += term;
    sumA += term * (invD - invC);
    sumB -= term * invD;
    sumK += (k + 1) * term;
    // The k-weighted tail is at most (k+1)·t·z/(1−z)^2 (and the log-weighted ones are smaller).
    if ((k + 2) * term * z <= tailFactor * sum) break;
  }
  if (k >= SHIFTED_SERIES_MAX_TERMS) {
    throw new ClvError('numeric', `2F1(${a}, ${b}; ${a + 1}; ${z}) needs more than ${SHIFTED_SERIES_MAX_TERMS} series terms (z too close to 1).`, {
      a,
      b,
      z,
    });
  }
  out[0] = (1 - b) * log1mz + Math.log(sum);
  out[1] = sumA / sum;
  out[2] = -log1mz + sumB / sum;
  out[3] = (b - 1) / oneMinusZ + sumK / (z * sum);
}

/** Parameter-only quantities of one likelihood evaluation, computed once and shared by every row. */
interface Prepared {
  r: number;
  alpha: number;
  s: number;
  beta: number;
  /** r ln α + s ln β − ln Γ(r). */
  constant: number;
  logS: number;
  /** |α − β|. */
  diff: number;
  alphaIsMax: boolean;
}

function prepare(params: ParetoNbdParams): Prepared {
  const { r, alpha, s, beta } = params;
  return {
    r,
    alpha,
    s,
    beta,
    constant: r * Math.log(alpha) + s * Math.log(beta) - lgamma(r),
    logS: Math.log(s),
    diff: Math.abs(alpha - beta),
    alphaIsMax: alpha >= beta,
  };
}

/**
 * The two terms of the likelihood in braces, without Γ(r+x) α^r β^s / Γ(r), for one customer:
 *   out[0] = ln[(α+T)^-(r+x) (β+T)^-s]                          (alive at T),
 *   out[1] = ln[s ∫_{t_x}^T (α+τ)^-(r+x) (β+τ)^-(s+1) dτ]         (died between t_x and T).
 */
function logTerms(p: Prepared, x: number, tx: number, T: number, out: Float64Array): void {
  const { r, s } = p;
  const logAlphaT = Math.log(p.alpha + T);
  const logBetaT = Math.log(p.beta + T);
  out[0] = -(r + x) * logAlphaT - s * logBetaT;
  out[1] = -Infinity; // when t_x >= T there is no time in which to have died
  if (!(tx < T)) return;
  const a = r + s + x;
  const b = p.alphaIsMax ? s + 1 : r + x;
  const logFtx = logF(p, a, b, tx, Math.log(p.alpha + tx), Math.log(p.beta + tx));
  const logFT = logF(p, a, b, T, logAlphaT, logBetaT);
  // t_x so close to T that F(t_x) − F(T) is below rounding: negligible next to out[0].
  if (logFT < logFtx) out[1] = p.logS + logFtx + log1mexpUnchecked(logFT - logFtx);
}

/**
 * ln F(t) − ln a and its gradient w.r.t. (r, α, s, β) for F(t) = (M+t)^−a / a · 2F1(a, b; a+1; z_t),
 * a = r+s+x, and (α >= β) M = α, b = s+1, z = (α−β)/(α+t) or (α < β) M = β, b = r+x, z = (β−α)/(β+t).
 * At α = β the first form is used with its signed z, which is analytic across the diagonal.
 * Given ln(α+t), ln(β+t); writes the gradient into grad[offset..offset+3] and returns the value.
 */
function logFWithGradient(
  p: Prepared,
  a: number,
  b: number,
  t: number,
  logAlphaT: number,
  logBetaT: number,
  hyp: Float64Array,
  grad: Float64Array,
  offset: number,
): number {
  const invA = 1 / a;
  if (p.alphaIsMax) {
    const at = p.alpha + t;
    logHyp2f1ShiftedWithDerivatives(a, b, p.diff / at, logBetaT - logAlphaT, hyp);
    const Ha = hyp[1] as number;
    const Hz = hyp[3] as number;
    grad[offset] = -logAlphaT + Ha - invA;
    grad[offset + 1] = -a / at + (Hz * (p.beta + t)) / (at * at);
    grad[offset + 2] = -logAlphaT + Ha + (hyp[2] as number) - invA;
    grad[offset + 3] = -Hz / at;
    return -a * logAlphaT + (hyp[0] as number) - Math.log(a);
  }
  const bt = p.beta + t;
  logHyp2f1ShiftedWithDerivatives(a, b, p.diff / bt, logAlphaT - logBetaT, hyp);
  const Ha = hyp[1] as number;
  const Hz = hyp[3] as number;
  grad[offset] = -logBetaT + Ha + (hyp[2] as number) - invA;
  grad[offset + 1] = -Hz / bt;
  grad[offset + 2] = -logBetaT + Ha - invA;
  grad[offset + 3] = -a / bt + (Hz * (p.alpha + t)) / (bt * bt);
  return -a * logBetaT + (hyp[0] as number) - Math.log(a);
}

/** ln F(t) − ln a as in logFWithGradient, without the gradient. */
function logF(p: Prepared, a: number, b: number, t: number, logAlphaT: number, logBetaT: number): number {
  if (p.alphaIsMax) {
    return -a * logAlphaT + (1 - b) * (logBetaT - logAlphaT) + Math.log(shiftedSeries(a, b, p.diff / (p.alpha + t))) - Math.log(a);
  }
  return -a * logBetaT + (1 - b) * (logAlphaT - logBetaT) + Math.log(shiftedSeries(a, b, p.diff / (p.beta + t))) - Math.log(a);
}

/**
 * The data indexed for the likelihood loop. Rows with identical (x, t_x, T) are merged (their weights
 * summed), which gives the same likelihood at a fraction of the cost; then distinct x values, distinct
 * times (t_x and T) and distinct (x, time) pairs are listed, so that each log, lgamma and 2F1 is
 * computed once per evaluation however many rows share it (t_x and T taken from dates repeat a lot).
 * Built once per fit.
 */
interface LikelihoodPlan {
  /** The merged rows themselves (distinct (x, t_x, T), summed weights). */
  data: RfmData;
  totalWeight: number;
  /** Distinct x values, and each row's index into them. */
  xs: Float64Array;
  rowX: Uint32Array;
  /** Distinct times, and each row's T as an index into them. */
  times: Float64Array;
  rowT: Uint32Array;
  /** Distinct (x, time) pairs needed for F(t_x) and F(T), as indices into xs and times. */
  pairX: Uint32Array;
  pairTime: Uint32Array;
  /** Each row's pair for F(t_x) and F(T); −1 when t_x >= T (no dead term). */
  rowPairTx: Int32Array;
  rowPairT: Int32Array;
}

/** Index of `value` in the ascending array `sorted`, which must contain it (binary search). */
function positionOf(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The ascending distinct values of a list (sorting typed arrays is native and fast). */
function distinctSorted(values: Float64Array): Float64Array {
  const all = Float64Array.from(values).sort();
  let count = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[count++] = all[i] as number;
  return all.slice(0, count);
}

/** Indexes (and merges) valid RfmData for the likelihood loop; rows with weight 0 are dropped. */
function planLikelihood(data: RfmData): LikelihoodPlan {
  const { x, tx, T, weight } = data;
  const size = x.length;
  const xs = distinctSorted(x);
  const allTimes = new Float64Array(2 * size);
  allTimes.set(T, 0);
  for (let i = 0; i < size; i++) allTimes[size + i] = Math.min(tx[i] as number, T[i] as number);
  const times = distinctSorted(allTimes);
  const timeCount = times.length;
  if (xs.length * timeCount * timeCount >= Number.MAX_SAFE_INTEGER) {
    throw new ClvError('invalid-input', 'Too many distinct values of x, t_x and T to index the data.', { rows: size });
  }
  // Each kept row's identity (x index, t_x index, T index) as one exact number, ordered by x, t_x, T.
  let kept = 0;
  for (let i = 0; i < size; i++) if ((weight[i] as number) > 0) kept++;
  const keys = new Float64Array(kept);
  const source = new Uint32Array(kept);
  for (let i = 0, k = 0; i < size; i++) {
    if (!((weight[i] as number) > 0)) continue;
    const xi = positionOf(xs, x[i] as number);
    const ti = positionOf(times, allTimes[size + i] as number);
    const Ti = positionOf(times, T[i] as number);
    keys[k] = (xi * timeCount + ti) * timeCount + Ti;
    source[k] = i;
    k++;
  }
  const rowKeys = distinctSorted(keys);
  const rows = rowKeys.length;
  const merged = new Float64Array(rows);
  for (let k = 0; k < kept; k++) {
    const row = positionOf(rowKeys, keys[k] as number);
    merged[row] = (merged[row] as number) + (weight[source[k] as number] as number);
  }
  const plan: LikelihoodPlan = {
    data: { x: new Float64Array(rows), tx: new Float64Array(rows), T: new Float64Array(rows), weight: merged },
    totalWeight: 0,
    xs,
    rowX: new Uint32Array(rows),
    times,
    rowT: new Uint32Array(rows),
    pairX: new Uint32Array(0),
    pairTime: new Uint32Array(0),
    rowPairTx: new Int32Array(rows),
    rowPairT: new Int32Array(rows),
  };
  // (x, time) pairs: the same number-as-identity trick, x index · timeCount + time index.
  const pairKeys: number[] = [];
  const rowTx = new Uint32Array(rows);
  for (let row = 0; row < rows; row++) {
    const key = rowKeys[row] as number;
    const Ti = key % timeCount;
    const rest = (key - Ti) / timeCount;
    const ti = rest % timeCount;
    const xi = (rest - ti) / timeCount;
    plan.rowX[row] = xi;
    plan.rowT[row] = Ti;
    rowTx[row] = ti;
    plan.data.x[row] = xs[xi] as number;
    plan.data.tx[row] = times[ti] as number;
    plan.data.T[row] = times[Ti] as number;
    plan.totalWeight += merged[row] as number;
    if (ti < Ti) pairKeys.push(xi * timeCount + ti, xi * timeCount + Ti);
  }
  const pairs = distinctSorted(Float64Array.from(pairKeys));
  plan.pairX = new Uint32Array(pairs.length);
  plan.pairTime = new Uint32Array(pairs.length);
  for (let q = 0; q < pairs.length; q++) {
    const key = pairs[q] as number;
    const u = key % timeCount;
    plan.pairTime[q] = u;
    plan.pairX[q] = (key - u) / timeCount;
  }
  for (let row = 0; row < rows; row++) {
    const xi = plan.rowX[row] as number;
    const ti = rowTx[row] as number;
    const Ti = plan.rowT[row] as number;
    if (ti < Ti) {
      plan.rowPairTx[row] = positionOf(pairs, xi * timeCount + ti);
      plan.rowPairT[row] = positionOf(pairs, xi * timeCount + Ti);
    } else {
      plan.rowPairTx[row] = -1;
      plan.rowPairT[row] = -1;
    }
  }
  return plan;
}

/** ln(α + t) and ln(β + t) for every distinct time of the plan. */
function timeLogs(p: Prepared, plan: LikelihoodPlan): { logAlpha: Float64Array; logBeta: Float64Array } {
  const m = plan.times.length;
  const logAlpha = new Float64Array(m);
  const logBeta = new Float64Array(m);
  for (let u = 0; u < m; u++) {
    const t = plan.times[u] as number;
    logAlpha[u] = Math.log(p.alpha + t);
    logBeta[u] = Math.log(p.beta + t);
  }
  return { logAlpha, logBeta };
}

/** Total weighted log-likelihood over a plan (parameters checked, data assumed valid). */
function planLogLikelihood(params: ParetoNbdParams, plan: LikelihoodPlan): number {
  assertParetoNbdParams(params);
  const p = prepare(params);
  const { r, s } = p;
  const { logAlpha, logBeta } = timeLogs(p, plan);
  const { xs, times, pairX, pairTime } = plan;
  const logGammaRx = new Float64Array(xs.length);
  for (let k = 0; k < xs.length; k++) logGammaRx[k] = lgamma(r + (xs[k] as number));
  const pairLogF = new Float64Array(pairX.length);
  for (let q = 0; q < pairX.length; q++) {
    const xv = xs[pairX[q] as number] as number;
    const u = pairTime[q] as number;
    const a = r + s + xv;
    pairLogF[q] = logF(p, a, p.alphaIsMax ? s + 1 : r + xv, times[u] as number, logAlpha[u] as number, logBeta[u] as number);
  }
  const { rowX, rowT, rowPairTx, rowPairT } = plan;
  const weight = plan.data.weight;
  let total = 0;
  for (let i = 0; i < weight.length; i++) {
    const w = weight[i] as number;
    if (w === 0) continue;
    const k = rowX[i] as number;
    const u = rowT[i] as number;
    const alive = -(r + (xs[k] as number)) * (logAlpha[u] as number) - s * (logBeta[u] as number);
    let logSum = alive;
    const q = rowPairTx[i] as number;
    if (q >= 0) {
      const logFtx = pairLogF[q] as number;
      const oneMinusRatio = -Math.expm1((pairLogF[rowPairT[i] as number] as number) - logFtx); // 1 − F(T)/F(t_x)
      // Where t_x is so close to T that F(t_x) − F(T) is below rounding, the term is negligible.
      if (oneMinusRatio > 0) {
        const dead = p.logS + logFtx + Math.log(oneMinusRatio);
        logSum = dead > alive ? dead + Math.log1p(Math.exp(alive - dead)) : alive + Math.log1p(Math.exp(dead - alive));
      }
    }
    total += w * ((logGammaRx[k] as number) + logSum);
  }
  total += plan.totalWeight * p.constant;
  return finiteOrThrow(total, 'the Pareto/NBD log-likelihood', { ...params });
}

/**
 * Total weighted log-likelihood over a plan and its gradient with respect to (r, alpha, s, beta),
 * written into `gradient` (natural parameters, PARETO_NBD_PARAM_NAMES order).
 */
function planLogLikelihoodWithGradient(params: ParetoNbdParams, plan: LikelihoodPlan, gradient: Float64Array): number {
  assertParetoNbdParams(params);
  const p = prepare(params);
  const { r, alpha, s, beta } = params;
  const { logAlpha, logBeta } = timeLogs(p, plan);
  const { xs, times, pairX, pairTime } = plan;
  const logGammaRx = new Float64Array(xs.length);
  const digammaRx = new Float64Array(xs.length);
  for (let k = 0; k < xs.length; k++) {
    logGammaRx[k] = lgamma(r + (xs[k] as number));
    digammaRx[k] = digamma(r + (xs[k] as number));
  }
  const pairLogF = new Float64Array(pairX.length);
  const pairGrad = new Float64Array(4 * pairX.length);
  const hyp = new Float64Array(4);
  for (let q = 0; q < pairX.length; q++) {
    const xv = xs[pairX[q] as number] as number;
    const u = pairTime[q] as number;
    const a = r + s + xv;
    pairLogF[q] = logFWithGradient(
      p,
      a,
      p.alphaIsMax ? s + 1 : r + xv,
      times[u] as number,
      logAlpha[u] as number,
      logBeta[u] as number,
      hyp,
      pairGrad,
      4 * q,
    );
  }
  const { rowX, rowT, rowPairTx, rowPairT } = plan;
  const weight = plan.data.weight;
  let total = 0;
  let gr = 0;
  let ga = 0;
  let gs = 0;
  let gb = 0;
  for (let i = 0; i < weight.length; i++) {
    const w = weight[i] as number;
    if (w === 0) continue;
    const k = rowX[i] as number;
    const u = rowT[i] as number;
    const rx = r + (xs[k] as number);
    const la = logAlpha[u] as number;
    const lb = logBeta[u] as number;
    const alive = -rx * la - s * lb;
    const Tu = plan.times[u] as number;
    const q = rowPairTx[i] as number;
    let logSum = alive;
    let pAliveRow = 1;
    let oneMinusRatio = 0;
    if (q >= 0) {
      const logFtx = pairLogF[q] as number;
      oneMinusRatio = -Math.expm1((pairLogF[rowPairT[i] as number] as number) - logFtx); // 1 − v, v = F(T)/F(t_x)
      if (oneMinusRatio > 0) {
        const dead = p.logS + logFtx + Math.log(oneMinusRatio);
        const diff = dead - alive;
        if (diff > 0) {
          const e = Math.exp(-diff);
          logSum = dead + Math.log1p(e);
          pAliveRow = e / (1 + e);
        } else {
          const e = Math.exp(diff);
          logSum = alive + Math.log1p(e);
          pAliveRow = 1 / (1 + e);
        }
      }
    }
    total += w * ((logGammaRx[k] as number) + logSum);
    // d ln(e^alive + e^dead) = P(alive) d alive + P(dead) d dead.
    gr += w * ((digammaRx[k] as number) - pAliveRow * la);
    ga -= (w * pAliveRow * rx) / (alpha + Tu);
    gs -= w * pAliveRow * lb;
    gb -= (w * pAliveRow * s) / (beta + Tu);
    if (q >= 0 && oneMinusRatio > 0) {
      const pDeadRow = w * (1 - pAliveRow);
      // d ln(F(t_x) − F(T)) = (d ln F(t_x) − v d ln F(T)) / (1 − v).
      const v = 1 - oneMinusRatio;
      const scale = pDeadRow / oneMinusRatio;
      const o1 = 4 * q;
      const o2 = 4 * (rowPairT[i] as number);
      gr += scale * ((pairGrad[o1] as number) - v * (pairGrad[o2] as number));
      ga += scale * ((pairGrad[o1 + 1] as number) - v * (pairGrad[o2 + 1] as number));
      gs += scale * ((pairGrad[o1 + 2] as number) - v * (pairGrad[o2 + 2] as number)) + pDeadRow / s;
      gb += scale * ((pairGrad[o1 + 3] as number) - v * (pairGrad[o2 + 3] as number));
    }
  }
  const W = plan.totalWeight;
  total += W * p.constant;
  gradient[0] = gr + W * (Math.log(alpha) - digamma(r));
  gradient[1] = ga + (W * r) / alpha;
  gradient[2] = gs + W * Math.log(beta);
  gradient[3] = gb + (W * s) / beta;
  for (let j = 0; j < 4; j++) finiteOrThrow(gradient[j] as number, 'the Pareto/NBD log-likelihood gradient', { ...params });
  return finiteOrThrow(total, 'the Pareto/NBD log-likelihood', { ...params });
}

/** Total weighted log-likelihood of RfmData (checks the data and the parameters). */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, data: RfmData): number {
  validateRfmData(data);
  assertParetoNbdParams(params);
  return planLogLikelihood(params, planLikelihood(data));
}

/**
 * Total weighted log-likelihood and its analytic gradient with respect to (r, alpha, s, beta), written
 * into `gradient` (PARETO_NBD_PARAM_NAMES order). Checks the data and the parameters.
 */
export function paretoNbdLogLikelihoodWithGradient(params: ParetoNbdParams, data: RfmData, gradient: Float64Array): number {
  validateRfmData(data);
  assertParetoNbdParams(params);
  if (gradient.length !== 4) throw new ClvError('invalid-input', 'The gradient array must have 4 entries (r, alpha, s, beta).');
  return planLogLikelihoodWithGradient(params, planLikelihood(data), gradient);
}

/** Starting points: BTYD's default (1, 1, 1, 1) and two scaled to the data's purchase rate and horizon. */
function defaultStarts(data: RfmData): ParetoNbdParams[] {
  let weight = 0;
  let purchases = 0;
  let time = 0;
  for (let i = 0; i < data.x.length; i++) {
    const w = data.weight[i] as number;
    weight += w;
    purchases += w * (data.x[i] as number);
    time += w * (data.T[i] as number);
  }
  const meanT = time / weight > 0 ? time / weight : 1;
  const rate = purchases > 0 && time > 0 ? purchases / time : 0.1 / meanT;
  return [
    { r: 0.5, alpha: 0.5 / rate, s: 0.5, beta: meanT },
    { r: 1, alpha: 1, s: 1, beta: 1 },
    { r: 1, alpha: 1 / rate, s: 1, beta: 4 * meanT },
  ];
}

/** Above this many distinct rows the starting points are explored on a sample first (see fitParetoNbd). */
const SAMPLE_ABOVE_ROWS = 8_000;
/** Customers in that sample. */
const SAMPLE_CUSTOMERS = 5_000;

/**
 * A systematic sample of `size` customers from weighted rows, with probability proportional to weight:
 * customer number (j + 1/2)·W/size along the cumulative weights, j = 0..size−1, each counting once.
 * Deterministic; the plan's rows are ordered by (x, t_x, T), so the sample is stratified on them.
 */
function systematicSample(data: RfmData, size: number): RfmData {
  const rows = data.x.length;
  let total = 0;
  for (let i = 0; i < rows; i++) total += data.weight[i] as number;
  const step = total / size;
  const counts = new Float64Array(rows);
  let cumulative = 0;
  let next = step / 2;
  for (let i = 0; i < rows; i++) {
    cumulative += data.weight[i] as number;
    while (next < cumulative) {
      counts[i] = (counts[i] as number) + 1;
      next += step;
    }
  }
  return { x: data.x, tx: data.tx, T: data.T, weight: counts };
}

/**
 * Maximum-likelihood fit on weighted RfmData. Identical (x, t_x, T) rows are merged first. The
 * optimiser uses the analytic gradient of the log-likelihood. When there are more than SAMPLE_ABOVE_ROWS
 * distinct rows, the starting points are first explored on a systematic sample of SAMPLE_CUSTOMERS
 * customers, and only the best sample optimum is then refined on all the data (one BFGS run to full
 * convergence); the result is the maximum-likelihood estimate on all the data either way. Measured on
 * 100,000 simulated customers (2 shared cores): about 0.1 s with weekly t_x/T (15,500 distinct rows),
 * 0.25 s with daily ones (40,000 rows), 1 s when every row is distinct (continuous times).
 */
export function fitParetoNbd(data: RfmData, options: FitOptions = {}): FitResult<ParetoNbdParams> {
  const n = validateRfmData(data);
  const plan = planLikelihood(data);
  const rows = plan.data.x.length;
  const full = {
    model: 'pareto-nbd' as const,
    paramNames: PARETO_NBD_PARAM_NAMES,
    logLikelihood: (params: ParetoNbdParams) => planLogLikelihood(params, plan),
    logLikelihoodWithGradient: (params: ParetoNbdParams, gradient: Float64Array) => planLogLikelihoodWithGradient(params, plan, gradient),
    n,
    rows,
  };
  if (rows <= SAMPLE_ABOVE_ROWS || n <= 2 * SAMPLE_CUSTOMERS) {
    return fitModel<ParetoNbdParams>({ ...full, defaultStarts: defaultStarts(plan.data), options });
  }
  const samplePlan = planLikelihood(systematicSample(plan.data, SAMPLE_CUSTOMERS));
  const explore = fitModel<ParetoNbdParams>({
    model: 'pareto-nbd',
    paramNames: PARETO_NBD_PARAM_NAMES,
    logLikelihood: (params) => planLogLikelihood(params, samplePlan),
    logLikelihoodWithGradient: (params, gradient) => planLogLikelihoodWithGradient(params, samplePlan, gradient),
    n: samplePlan.totalWeight,
    rows: samplePlan.data.x.length,
    defaultStarts: defaultStarts(plan.data),
    // The same penalty per customer as on the full data.
    options: {
      ...options,
      penalizer: ((options.penalizer ?? 0) * samplePlan.totalWeight) / n,
      onProgress: options.onProgress ? (fraction) => options.onProgress?.(0.5 * fraction) : undefined,
    },
  });
  const refine = fitModel<ParetoNbdParams>({
    ...full,
    defaultStarts: [],
    options: { ...options, initial: explore.params, starts: 1 },
  });
  const convergence = refine.convergence;
  return {
    ...refine,
    convergence: {
      ...convergence,
      iterations: explore.convergence.iterations + convergence.iterations,
      evaluations: explore.convergence.evaluations + convergence.evaluations,
      starts: explore.convergence.starts,
      message: `${convergence.message} (starting points explored on a sample of ${SAMPLE_CUSTOMERS} customers, then refined on all ${rows} distinct rows)`,
    },
  };
}

/** ln P(alive at T | x, t_x, T) (Fader & Hardie 2005 note, eq. 11), for the predictions below. */
function logPAlive(params: ParetoNbdParams, h: History): number {
  const p = prepare(params);
  const terms = new Float64Array(2);
  logTerms(p, h.x, Math.min(h.tx, h.T), h.T, terms);
  const alive = terms[0] as number;
  return alive - logAddExpUnchecked(alive, terms[1] as number);
}

/** P(alive at T | x, t_x, T). */
export function pAlive(params: ParetoNbdParams, h: History): number {
  assertParetoNbdParams(params);
  assertHistory(h);
  return finiteOrThrow(Math.exp(logPAlive(params, h)), 'P(alive)', { ...h });
}

/**
 * ∫_0^t (β/(β+τ))^s dτ = β/(s−1) · [1 − (β/(β+t))^(s−1)]: the expected time alive in (0, t] of a
 * customer with μ ~ Gamma(s, β). Evaluated with expm1 so that s = 1 (where it is β ln(1 + t/β)) and
 * s near 1 are exact.
 */
function expectedTimeAlive(s: number, beta: number, t: number): number {
  const logRatio = -Math.log1p(t / beta); // ln(β/(β+t)) <= 0
  const sm1 = s - 1;
  if (sm1 === 0) return -beta * logRatio;
  return (-beta * Math.expm1(sm1 * logRatio)) / sm1;
}

/** E[X(t)] for a new customer: (r/α) · β/(s−1) · [1 − (β/(β+t))^(s−1)] (Fader & Hardie 2005 note, eq. 17). */
export function expectedTransactionsNew(params: ParetoNbdParams, t: number): number {
  assertParetoNbdParams(params);
  assertHorizon(t);
  return finiteOrThrow((params.r / params.alpha) * expectedTimeAlive(params.s, params.beta, t), 'E[X(t)]', { t });
}

/**
 * E[Y(t) | x, t_x, T]: expected transactions in (T, T+t] (Fader & Hardie 2005 note, eq. 27):
 * P(alive) · (r+x)/(α+T) · (β+T)/(s−1) · [1 − ((β+T)/(β+T+t))^(s−1)].
 */
export function conditionalExpectedTransactions(params: ParetoNbdParams, t: number, h: History): number {
  assertParetoNbdParams(params);
  assertHistory(h);
  assertHorizon(t);
  const { r, alpha, s, beta } = params;
  const alive = Math.exp(logPAlive(params, h));
  const value = alive * ((r + h.x) / (alpha + h.T)) * expectedTimeAlive(s, beta + h.T, t);
  return finiteOrThrow(value, 'E[Y(t) | x, t_x, T]', { t, ...h });
}

/** ln Γ(z + i) − ln Γ(z) − ln i! for i = 0..n, by the recurrence (z + i − 1)/i. */
function logRisingOverFactorial(z: number, n: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let i = 1; i <= n; i++) out[i] = (out[i - 1] as number) + Math.log((z + i - 1) / i);
  return out;
}

/**
 * ln P(X(t) = x) for a new customer (Fader, Hardie & Lee 2006 note, eq. 8 and the case split after it):
 *   P = Γ(r+x)/(Γ(r) x!) (α/(α+t))^r (t/(α+t))^x (β/(β+t))^s
 *     + α^r β^s B(r+x, s+1)/B(r, s) · [ B1 − Σ_{i=0}^{x} Γ(r+s+i)/(Γ(r+s) i!) t^i B2(i) ],
 *   α >= β: B1 = 2F1(r+s, s+1; r+s+x+1; (α−β)/α) / α^(r+s),
 *           B2(i) = 2F1(r+s+i, s+1; r+s+x+1; (α−β)/(α+t)) / (α+t)^(r+s+i);
 *   α < β:  the same with α ↔ β and s+1 → r+x in the second 2F1 argument.
 * The bracket is the part of P that comes from customers who died before t; it is computed as a
 * difference of positive log-terms, floored at 0 where rounding makes it negative (it is then
 * negligible next to the first term).
 */
function logProbabilityOfN(params: ParetoNbdParams, x: number, t: number): number {
  const { r, alpha, s, beta } = params;
  if (t === 0) return x === 0 ? 0 : -Infinity;
  const logAlpha = Math.log(alpha);
  const logBeta = Math.log(beta);
  const lgR = lgamma(r);
  const logFactX = lgamma(x + 1);
  const alive =
    lgamma(r + x) -
    lgR -
    logFactX +
    r * (logAlpha - Math.log(alpha + t)) +
    x * (Math.log(t) - Math.log(alpha + t)) +
    s * (logBeta - Math.log(beta + t));

  const alphaIsMax = alpha >= beta;
  const max = alphaIsMax ? alpha : beta;
  const diff = Math.abs(alpha - beta);
  const b = alphaIsMax ? s + 1 : r + x;
  const c = r + s + x + 1;
  const hyp = (a: number, z: number): number => {
    const value = logHyp2f1(a, b, c, z);
    if (value.sign !== 1) throw new ClvError('numeric', 'A 2F1 in P(X(t) = x) was not positive.', { a, b, c, z });
    return value.log;
  };
  const logB1 = hyp(r + s, diff / max) - (r + s) * Math.log(max);
  const rising = logRisingOverFactorial(r + s, x);
  const logMaxT = Math.log(max + t);
  const zT = diff / (max + t);
  const logT = Math.log(t);
  const sumTerms = new Float64Array(x + 1);
  let sumMax = -Infinity;
  for (let i = 0; i <= x; i++) {
    const term = (rising[i] as number) + i * logT + hyp(r + s + i, zT) - (r + s + i) * logMaxT;
    sumTerms[i] = term;
    if (term > sumMax) sumMax = term;
  }
  let sum = 0;
  for (let i = 0; i <= x; i++) sum += Math.exp((sumTerms[i] as number) - sumMax);
  const logSum = sumMax + Math.log(sum);
  let dead = -Infinity;
  if (logSum < logB1) {
    const logBetaRatio = lgamma(r + x) + lgamma(s + 1) - lgamma(r + s + x + 1) - (lgR + lgamma(s) - lgamma(r + s));
    dead = r * logAlpha + s * logBeta + logBetaRatio + logB1 + log1mexpUnchecked(logSum - logB1);
  }
  return logAddExpUnchecked(alive, dead);
}

/** P(X(t) = n) for a customer just acquired (Fader, Hardie & Lee 2006). */
export function probabilityOfN(params: ParetoNbdParams, n: number, t: number): number {
  assertParetoNbdParams(params);
  assertCount(n);
  assertHorizon(t);
  return finiteOrThrow(Math.exp(logProbabilityOfN(params, n, t)), 'P(X(t) = n)', { n, t });
}

/** Parameters of the future of a customer known to be alive at T: Gamma(r+x, α+T), Gamma(s, β+T). */
function posteriorIfAlive(params: ParetoNbdParams, h: History): ParetoNbdParams {
  return { r: params.r + h.x, alpha: params.alpha + h.T, s: params.s, beta: params.beta + h.T };
}

/**
 * P(Y(t) = n | x, t_x, T): the probability of n transactions in (T, T+t]
 * = P(alive) · P_new(X(t) = n; r+x, α+T, s, β+T) + (1 − P(alive)) · [n = 0].
 */
export function conditionalProbabilityOfN(params: ParetoNbdParams, n: number, t: number, h: History): number {
  assertParetoNbdParams(params);
  assertCount(n);
  assertHorizon(t);
  assertHistory(h);
  const logAlive = logPAlive(params, h);
  const logIfAlive = logProbabilityOfN(posteriorIfAlive(params, h), n, t);
  const value = n === 0 ? Math.exp(logAlive + logIfAlive) - Math.expm1(logAlive) : Math.exp(logAlive + logIfAlive);
  return finiteOrThrow(value, 'P(Y(t) = n | x, t_x, T)', { n, t, ...h });
}

/**
 * Discounted expected residual transactions with continuous compounding at rate delta per time unit
 * (Fader, Hardie & Lee 2005, "RFM and CLV", eq. 2), written as
 *   DERT = P(alive) · (r+x)/(α+T) · (β+T)^s · δ^(s−1) · U(s, s; δ(β+T)),
 * which equals the paper's α^r β^s δ^(s−1) Γ(r+x+1) U(s, s; δ(β+T)) / (Γ(r) (α+T)^(r+x+1) L).
 * Multiply by the margin per transaction for the residual value of the customer.
 */
export function derT(params: ParetoNbdParams, delta: number, h: History): number {
  assertParetoNbdParams(params);
  assertHistory(h);
  if (!Number.isFinite(delta) || !(delta > 0)) {
    throw new ClvError('invalid-input', `The discount rate delta must be a finite number above 0 (got ${String(delta)}).`, { delta });
  }
  const { r, alpha, s, beta } = params;
  const betaT = beta + h.T;
  const z = delta * betaT;
  const logValue =
    logPAlive(params, h) + Math.log((r + h.x) / (alpha + h.T)) + s * Math.log(betaT) + (s - 1) * Math.log(delta) + logHypergeometricUEqual(s, z);
  return finiteOrThrow(Math.exp(logValue), 'DERT', { delta, ...h });
}

/** The Pareto/NBD model behind the shared TransactionModel interface. */
export const paretoNbd: TransactionModel<ParetoNbdParams> = {
  name: 'pareto-nbd',
  paramNames: PARETO_NBD_PARAM_NAMES,
  logLikelihood: paretoNbdLogLikelihood,
  fit: fitParetoNbd,
  pAlive,
  conditionalExpectedTransactions,
  expectedTransactionsNew,
  probabilityOfN,
  conditionalProbabilityOfN,
  derT,
};
