/**
 * Gamma-Gamma model of monetary value (Colombo & Jiang 1999; Fader, Hardie & Lee 2005, "RFM and CLV";
 * Fader & Hardie 2013, "The Gamma-Gamma model of monetary value").
 *
 * A customer's transaction values z_1..z_x are i.i.d. Gamma(p, ν); ν varies across customers as
 * Gamma(q, γ). The sufficient statistic is the mean m of the x repeat transactions, whose density is
 *
 *   f(m | p, q, γ; x) = Γ(px + q) / (Γ(px) Γ(q)) · γ^q · m^(px−1) · x^(px) / (γ + m x)^(px+q)
 *
 * (the density of the mean, i.e. including the Jacobian terms (px−1) ln m + px ln x; without them
 * the log-likelihood is off by a parameter-dependent constant and does not match the published
 * −4055.918 on CDNOW). Only customers with x > 0 repeat purchases carry information about spend.
 *
 * Exclusion rule (documented choice): the model functions themselves reject data they cannot model
 * — x <= 0 or m <= 0 in `logLikelihood`/`fit` throws ClvError('invalid-input') naming the row. A caller
 * holding raw per-customer (x, m) uses `spendDataFrom`, which drops customers with no repeat purchase
 * and customers whose mean repeat spend is zero or negative (returns, free orders) and reports both
 * counts, so the CLI can say how many rows were left out.
 *
 * The model assumes spend is independent of purchase frequency; `spendFrequencyCorrelation` gives the
 * (weighted) correlation between x and m so a caller can warn when that is clearly violated.
 */
import { ClvError, finiteOrThrow } from './errors';
import type { FitOptions, FitResult } from './model';
import { fitModel } from './fit';
import { digamma, lgamma } from './special';

export type GammaGammaParams = { p: number; q: number; gamma: number };

/** Spend data, columnar and weighted: row i stands for weight[i] customers with x[i] > 0 repeat purchases of mean value m[i] > 0. */
export interface SpendData {
  x: Float64Array;
  m: Float64Array;
  weight: Float64Array;
}

export const GAMMA_GAMMA_PARAM_NAMES = ['p', 'q', 'gamma'] as const;

/** Throws ClvError('invalid-params') unless p, q, gamma are finite and positive. */
export function assertGammaGammaParams(params: GammaGammaParams): void {
  for (const name of GAMMA_GAMMA_PARAM_NAMES) {
    const value = params[name];
    if (!Number.isFinite(value) || !(value > 0)) {
      throw new ClvError('invalid-params', `Gamma-Gamma parameter ${name} must be a finite number above 0 (got ${String(value)}).`, {
        param: name,
        value: String(value),
      });
    }
  }
}

function assertMeanExists(params: GammaGammaParams): void {
  if (!(params.q > 1)) {
    throw new ClvError(
      'invalid-params',
      `Gamma-Gamma needs q > 1 to predict spend (got q = ${params.q}): the average spend across customers, p·γ/(q−1), is infinite when q ≤ 1, so the model cannot give an expected spend. Refit on more or cleaner spend data.`,
      { param: 'q', value: params.q },
    );
  }
}

/** Throws ClvError('invalid-input') naming the first row that the model cannot use. */
export function assertSpendData(data: SpendData): void {
  const n = data.x.length;
  if (data.m.length !== n || data.weight.length !== n) {
    throw new ClvError('invalid-input', `Spend data columns have different lengths (x ${n}, m ${data.m.length}, weight ${data.weight.length}).`);
  }
  if (n === 0) throw new ClvError('invalid-input', 'Spend data is empty: no customer with a repeat purchase.');
  for (let i = 0; i < n; i++) {
    const x = data.x[i] as number;
    const m = data.m[i] as number;
    const w = data.weight[i] as number;
    if (!Number.isFinite(x) || !(x > 0)) {
      throw new ClvError('invalid-input', `Row ${i}: the Gamma-Gamma model needs x > 0 repeat purchases (got ${String(x)}); leave out customers without repeat purchases.`, { row: i, field: 'x', value: String(x) });
    }
    if (!Number.isFinite(m) || !(m > 0)) {
      throw new ClvError('invalid-input', `Row ${i}: mean repeat spend must be a positive amount (got ${String(m)}); the Gamma-Gamma model cannot use zero or negative spend.`, { row: i, field: 'm', value: String(m) });
    }
    if (!Number.isFinite(w) || w < 0) {
      throw new ClvError('invalid-input', `Row ${i}: weight must be a finite number, 0 or more (got ${String(w)}).`, { row: i, field: 'weight', value: String(w) });
    }
  }
}

/** Result of `spendDataFrom`: the usable rows and how many were left out, and why. */
export interface SpendDataSelection {
  data: SpendData;
  /** Index into the input of each kept row. */
  source: Uint32Array;
  /** Customers (rows) with x = 0: no repeat purchase, so nothing to learn about spend. */
  excludedNoRepeat: number;
  /** Customers (rows) with x > 0 but mean repeat spend <= 0 or missing. */
  excludedNonPositiveSpend: number;
}

/**
 * Builds spend data from per-customer x (repeat purchases) and m (mean repeat spend), keeping only the
 * rows the model can use (x > 0 and m > 0, both finite) and counting the others.
 */
export function spendDataFrom(x: ArrayLike<number>, m: ArrayLike<number>, weight?: ArrayLike<number>): SpendDataSelection {
  const n = x.length;
  if (m.length !== n || (weight && weight.length !== n)) {
    throw new ClvError('invalid-input', `x, m (and weight) must have the same length (x ${n}, m ${m.length}).`);
  }
  const keep: number[] = [];
  let excludedNoRepeat = 0;
  let excludedNonPositiveSpend = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    const mi = m[i] as number;
    if (!Number.isFinite(xi) || xi < 0) {
      throw new ClvError('invalid-input', `Row ${i}: the number of repeat purchases must be 0 or more (got ${String(xi)}).`, { row: i, field: 'x' });
    }
    if (xi === 0) excludedNoRepeat++;
    else if (!Number.isFinite(mi) || !(mi > 0)) excludedNonPositiveSpend++;
    else keep.push(i);
  }
  const data: SpendData = {
    x: new Float64Array(keep.length),
    m: new Float64Array(keep.length),
    weight: new Float64Array(keep.length),
  };
  keep.forEach((source, k) => {
    data.x[k] = x[source] as number;
    data.m[k] = m[source] as number;
    data.weight[k] = weight ? (weight[source] as number) : 1;
  });
  return { data, source: Uint32Array.from(keep), excludedNoRepeat, excludedNonPositiveSpend };
}

/** Log-density of the mean spend m of x transactions (the full density, with the Jacobian terms). */
export function logDensity(params: GammaGammaParams, x: number, m: number): number {
  const { p, q, gamma } = params;
  const px = p * x;
  const value =
    lgamma(px + q) -
    lgamma(px) -
    lgamma(q) +
    q * Math.log(gamma) +
    (px - 1) * Math.log(m) +
    px * Math.log(x) -
    (px + q) * Math.log(gamma + m * x);
  return finiteOrThrow(value, 'the Gamma-Gamma log-density', { x, m });
}

/** Total weighted log-likelihood of the spend data (full density). */
export function logLikelihood(params: GammaGammaParams, data: SpendData): number {
  assertGammaGammaParams(params);
  assertSpendData(data);
  return logLikelihoodUnchecked(params, data);
}

function logLikelihoodUnchecked(params: GammaGammaParams, data: SpendData): number {
  const { p, q, gamma } = params;
  const lgq = lgamma(q);
  const logGamma = Math.log(gamma);
  let total = 0;
  for (let i = 0; i < data.x.length; i++) {
    const w = data.weight[i] as number;
    if (w === 0) continue;
    const x = data.x[i] as number;
    const m = data.m[i] as number;
    const px = p * x;
    const ll =
      lgamma(px + q) - lgamma(px) - lgq + q * logGamma + (px - 1) * Math.log(m) + px * Math.log(x) - (px + q) * Math.log(gamma + m * x);
    total += w * ll;
  }
  return finiteOrThrow(total, 'the Gamma-Gamma log-likelihood');
}

/**
 * Log-likelihood and its gradient with respect to (p, q, gamma), written into `gradient`:
 *   ∂/∂p = x [ψ(px+q) − ψ(px) + ln m + ln x − ln(γ + m x)]
 *   ∂/∂q = ψ(px+q) − ψ(q) + ln γ − ln(γ + m x)
 *   ∂/∂γ = q/γ − (px+q)/(γ + m x)
 */
export function logLikelihoodWithGradient(params: GammaGammaParams, data: SpendData, gradient: Float64Array): number {
  const { p, q, gamma } = params;
  const lgq = lgamma(q);
  const psiQ = digamma(q);
  const logGamma = Math.log(gamma);
  let total = 0;
  let dp = 0;
  let dq = 0;
  let dg = 0;
  for (let i = 0; i < data.x.length; i++) {
    const w = data.weight[i] as number;
    if (w === 0) continue;
    const x = data.x[i] as number;
    const m = data.m[i] as number;
    const px = p * x;
    const logM = Math.log(m);
    const logX = Math.log(x);
    const logDen = Math.log(gamma + m * x);
    const psiSum = digamma(px + q);
    total += w * (lgamma(px + q) - lgamma(px) - lgq + q * logGamma + (px - 1) * logM + px * logX - (px + q) * logDen);
    dp += w * x * (psiSum - digamma(px) + logM + logX - logDen);
    dq += w * (psiSum - psiQ + logGamma - logDen);
    dg += w * (q / gamma - (px + q) / (gamma + m * x));
  }
  gradient[0] = dp;
  gradient[1] = dq;
  gradient[2] = dg;
  return finiteOrThrow(total, 'the Gamma-Gamma log-likelihood');
}

/** Weighted mean of m, for a starting point. */
function meanSpend(data: SpendData): number {
  let sw = 0;
  let sm = 0;
  for (let i = 0; i < data.m.length; i++) {
    sw += data.weight[i] as number;
    sm += (data.weight[i] as number) * (data.m[i] as number);
  }
  return sw > 0 ? sm / sw : 1;
}

/**
 * Fits p, q, gamma by maximum likelihood (full density). Data: customers with x > 0 and m > 0 only
 * (see `spendDataFrom`); anything else throws ClvError('invalid-input') naming the row. A fit with
 * q <= 1 is returned as is (it describes the data) but cannot predict spend: conditionalExpectedSpend
 * then throws ClvError('invalid-params').
 */
export function fit(data: SpendData, options: FitOptions = {}): FitResult<GammaGammaParams> {
  assertSpendData(data);
  let n = 0;
  for (let i = 0; i < data.weight.length; i++) n += data.weight[i] as number;
  const mean = meanSpend(data);
  return fitModel<GammaGammaParams>({
    model: 'gamma-gamma',
    paramNames: GAMMA_GAMMA_PARAM_NAMES,
    logLikelihood: (params) => logLikelihoodUnchecked(params, data),
    logLikelihoodWithGradient: (params, gradient) => logLikelihoodWithGradient(params, data, gradient),
    n,
    rows: data.x.length,
    // A moderately heterogeneous start with the population mean p·γ/(q−1) equal to the sample mean,
    // and lifetimes' (1, 1, 1).
    defaultStarts: [
      { p: 4, q: 3, gamma: (mean * 2) / 4 },
      { p: 1, q: 1, gamma: 1 },
      { p: 10, q: 10, gamma: (mean * 9) / 10 },
    ],
    options,
  });
}

/** The Gamma-Gamma spend model under one name (fit, likelihood, predictions). */
export const gammaGamma = {
  name: 'gamma-gamma' as const,
  paramNames: GAMMA_GAMMA_PARAM_NAMES,
  fit,
  logLikelihood,
  conditionalExpectedSpend,
  conditionalExpectedSpendBatch: (params: GammaGammaParams, x: ArrayLike<number>, m: ArrayLike<number>, out?: Float64Array) =>
    conditionalExpectedSpendBatch(params, x, m, out),
  populationMeanSpend,
};

/**
 * E[M | x, m]: expected spend per transaction of a customer with x repeat purchases of mean m,
 *   p (γ + m x) / (p x + q − 1)
 * = a weighted average of the population mean p γ / (q − 1) and the customer's own mean m
 * (weight p x / (p x + q − 1) on m). For x = 0 it is the population mean. Needs q > 1.
 */
export function conditionalExpectedSpend(params: GammaGammaParams, x: number, m: number): number {
  assertGammaGammaParams(params);
  assertMeanExists(params);
  if (!Number.isFinite(x) || x < 0) {
    throw new ClvError('invalid-input', `The number of repeat purchases must be 0 or more (got ${String(x)}).`, { field: 'x', value: String(x) });
  }
  if (x === 0) return populationMeanSpend(params);
  if (!Number.isFinite(m) || !(m > 0)) {
    throw new ClvError('invalid-input', `Mean repeat spend must be a positive amount when x > 0 (got ${String(m)}).`, { field: 'm', value: String(m) });
  }
  const { p, q, gamma } = params;
  return finiteOrThrow((p * (gamma + m * x)) / (p * x + q - 1), 'the expected spend', { x, m });
}

/** E[M] = p γ / (q − 1): the mean spend per transaction across customers (needs q > 1). */
export function populationMeanSpend(params: GammaGammaParams): number {
  assertGammaGammaParams(params);
  assertMeanExists(params);
  return finiteOrThrow((params.p * params.gamma) / (params.q - 1), 'the population mean spend');
}

/**
 * E[M | x, m] for many customers at once. Customers with x = 0, or with m <= 0 / missing (NaN), get
 * the population mean. Writes into `out` when given.
 */
export function conditionalExpectedSpendBatch(
  params: GammaGammaParams,
  x: ArrayLike<number>,
  m: ArrayLike<number>,
  out: Float64Array = new Float64Array(x.length),
): Float64Array {
  assertGammaGammaParams(params);
  assertMeanExists(params);
  const { p, q, gamma } = params;
  const mean = (p * gamma) / (q - 1);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    const mi = m[i] as number;
    if (!Number.isFinite(xi) || xi < 0) {
      throw new ClvError('invalid-input', `Row ${i}: the number of repeat purchases must be 0 or more (got ${String(xi)}).`, { row: i, field: 'x' });
    }
    out[i] = xi > 0 && mi > 0 && Number.isFinite(mi) ? (p * (gamma + mi * xi)) / (p * xi + q - 1) : mean;
  }
  return out;
}

/** Weighted Pearson correlation of x and m (the model assumes they are independent). 0 when undefined. */
export function spendFrequencyCorrelation(data: SpendData): number {
  let sw = 0;
  let sx = 0;
  let sm = 0;
  for (let i = 0; i < data.x.length; i++) {
    const w = data.weight[i] as number;
    sw += w;
    sx += w * (data.x[i] as number);
    sm += w * (data.m[i] as number);
  }
  if (!(sw > 0)) return 0;
  const mx = sx / sw;
  const mm = sm / sw;
  let cxx = 0;
  let cmm = 0;
  let cxm = 0;
  for (let i = 0; i < data.x.length; i++) {
    const w = data.weight[i] as number;
    const dx = (data.x[i] as number) - mx;
    const dm = (data.m[i] as number) - mm;
    cxx += w * dx * dx;
    cmm += w * dm * dm;
    cxm += w * dx * dm;
  }
  const denominator = Math.sqrt(cxx * cmm);
  return denominator > 0 ? cxm / denominator : 0;
}
