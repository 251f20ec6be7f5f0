/**
 * Shifted-beta-geometric (sBG) model of contractual retention (Fader & Hardie 2007, "How to project
 * customer retention", J. Interactive Marketing 21(1); Fader & Hardie 2010, "Customer-base valuation in a
 * contractual setting: the perils of ignoring heterogeneity", Marketing Science 29(1)).
 *
 * Each customer renews at the end of every period with a fixed probability 1 − θ; θ varies across
 * customers as Beta(α, β). T = the period in which a customer churns (T = 1, 2, …):
 *
 *   P(T = t) = B(α + 1, β + t − 1) / B(α, β)        (churn in period t)
 *   S(t)     = P(T > t) = B(α, β + t) / B(α, β)      (still a customer after t periods)
 *   r_t      = S(t) / S(t − 1) = (β + t − 1) / (α + β + t − 1)   (retention rate, rises with t)
 *
 * Periods are whatever the data uses (years in the paper); the discount rate d is per period.
 * Everything is evaluated in log space with lbeta, so long lifetimes neither overflow nor underflow.
 */
import { ClvError, finiteOrThrow } from './errors';
import { fitModel } from './fit';
import type { FitOptions, FitResult } from './model';
import { lbeta, logHyp2f1 } from './special';

export type SbgParams = { alpha: number; beta: number };

export const SBG_PARAM_NAMES = ['alpha', 'beta'] as const;

/**
 * Individual subscriptions, columnar and weighted: row i stands for weight[i] customers whose
 * lifetime[i] is a whole number of periods. Not censored (censored[i] = 0): they churned in period
 * lifetime[i] (lifetime >= 1). Censored (censored[i] = 1): still customers after lifetime[i] periods
 * (lifetime >= 0), e.g. lifetime = periods since sign-up for a current subscriber.
 */
export interface LifetimeData {
  lifetime: Float64Array;
  censored: Uint8Array;
  weight: Float64Array;
}

/** Throws ClvError('invalid-params') unless alpha and beta are finite and positive. */
export function assertSbgParams(params: SbgParams): void {
  for (const name of SBG_PARAM_NAMES) {
    const value = params[name];
    if (!Number.isFinite(value) || !(value > 0)) {
      throw new ClvError('invalid-params', `sBG parameter ${name} must be a finite number above 0 (got ${String(value)}).`, {
        param: name,
        value: String(value),
      });
    }
  }
}

function assertPeriod(t: number, min: number, what: string): void {
  if (!Number.isFinite(t) || t < min) {
    throw new ClvError('invalid-input', `${what} must be a finite number, ${min} or more (got ${String(t)}).`, { value: String(t) });
  }
}

/** ln S(t) = ln P(T > t) = ln B(α, β + t) − ln B(α, β); t >= 0 (also for fractional t). */
export function logSurvival(params: SbgParams, t: number): number {
  assertSbgParams(params);
  assertPeriod(t, 0, 'The period t');
  if (t === 0) return 0;
  return finiteOrThrow(lbeta(params.alpha, params.beta + t) - lbeta(params.alpha, params.beta), 'the sBG survival', { t });
}

/** S(t): the probability that a new customer is still a customer after t periods. */
export function survival(params: SbgParams, t: number): number {
  return Math.exp(logSurvival(params, t));
}

/** ln P(T = t) = ln B(α + 1, β + t − 1) − ln B(α, β); t >= 1 (whole periods). */
export function logChurnProbability(params: SbgParams, t: number): number {
  assertSbgParams(params);
  assertPeriod(t, 1, 'The churn period t');
  return finiteOrThrow(lbeta(params.alpha + 1, params.beta + t - 1) - lbeta(params.alpha, params.beta), 'the sBG churn probability', { t });
}

/**
 * P(T = t): the probability that a new customer churns in period t (unconditional; the churn rate
 * among those still there at the start of period t is 1 − retention(params, t)).
 */
export function churnProbability(params: SbgParams, t: number): number {
  return Math.exp(logChurnProbability(params, t));
}

/** r_t = (β + t − 1) / (α + β + t − 1): the share of customers at the start of period t who renew at its end. t >= 1. */
export function retention(params: SbgParams, t: number): number {
  assertSbgParams(params);
  assertPeriod(t, 1, 'The period t');
  return (params.beta + t - 1) / (params.alpha + params.beta + t - 1);
}

// ---------------------------------------------------------------------------------------------
// Likelihood

/** Throws ClvError('invalid-input') unless the survivor counts start positive and never rise. */
export function assertCohort(alive: ArrayLike<number>): void {
  if (alive.length < 2) {
    throw new ClvError('invalid-input', 'A cohort needs survivor counts for at least periods 0 and 1.');
  }
  for (let t = 0; t < alive.length; t++) {
    const value = alive[t] as number;
    if (!Number.isFinite(value) || value < 0) {
      throw new ClvError('invalid-input', `Survivor count for period ${t} must be a finite number, 0 or more (got ${String(value)}).`, { row: t });
    }
    if (t === 0 && !(value > 0)) throw new ClvError('invalid-input', 'The cohort is empty: no customers at period 0.', { row: 0 });
    if (t > 0 && value > (alive[t - 1] as number)) {
      throw new ClvError('invalid-input', `Survivor counts cannot rise: period ${t} has ${value}, more than the ${String(alive[t - 1])} of period ${t - 1}.`, { row: t });
    }
  }
}

/**
 * Cohort log-likelihood (Fader & Hardie 2007, eq. 7): alive[t] = customers at the start of period t,
 * t = 0..k. LL = Σ_{t=1..k} (alive[t−1] − alive[t]) ln P(T = t) + alive[k] ln S(k).
 */
export function cohortLogLikelihood(params: SbgParams, alive: ArrayLike<number>): number {
  assertSbgParams(params);
  assertCohort(alive);
  return cohortLogLikelihoodUnchecked(params, alive);
}

function cohortLogLikelihoodUnchecked(params: SbgParams, alive: ArrayLike<number>): number {
  const { alpha, beta } = params;
  const k = alive.length - 1;
  const lb = lbeta(alpha, beta);
  let total = 0;
  // ln P(T = t) by the recursion P(T = 1) = α/(α+β), P(T = t) = P(T = t−1) (β + t − 2)/(α + β + t − 1).
  let logPmf = Math.log(alpha / (alpha + beta));
  for (let t = 1; t <= k; t++) {
    if (t > 1) logPmf += Math.log((beta + t - 2) / (alpha + beta + t - 1));
    const lost = (alive[t - 1] as number) - (alive[t] as number);
    if (lost > 0) total += lost * logPmf;
  }
  const survivors = alive[k] as number;
  if (survivors > 0) total += survivors * (lbeta(alpha, beta + k) - lb);
  return finiteOrThrow(total, 'the sBG cohort log-likelihood');
}

/** Throws ClvError('invalid-input') naming the first unusable row of individual lifetimes. */
export function assertLifetimeData(data: LifetimeData): void {
  const n = data.lifetime.length;
  if (data.censored.length !== n || data.weight.length !== n) {
    throw new ClvError('invalid-input', `Lifetime data columns have different lengths (lifetime ${n}, censored ${data.censored.length}, weight ${data.weight.length}).`);
  }
  if (n === 0) throw new ClvError('invalid-input', 'Lifetime data is empty.');
  for (let i = 0; i < n; i++) {
    const t = data.lifetime[i] as number;
    const censored = data.censored[i] === 1;
    const w = data.weight[i] as number;
    if (!Number.isInteger(t) || t < (censored ? 0 : 1)) {
      throw new ClvError(
        'invalid-input',
        `Row ${i}: a lifetime must be a whole number of periods, ${censored ? '0 or more for a current customer' : 'at least 1 for a customer who left'} (got ${String(t)}).`,
        { row: i, field: 'lifetime', value: String(t) },
      );
    }
    if (!Number.isFinite(w) || w < 0) {
      throw new ClvError('invalid-input', `Row ${i}: weight must be a finite number, 0 or more (got ${String(w)}).`, { row: i, field: 'weight' });
    }
  }
}

/** Individual log-likelihood: Σ w_i [ censored ? ln S(t_i) : ln P(T = t_i) ]. */
export function lifetimeLogLikelihood(params: SbgParams, data: LifetimeData): number {
  assertSbgParams(params);
  assertLifetimeData(data);
  return lifetimeLogLikelihoodUnchecked(params, data);
}

function lifetimeLogLikelihoodUnchecked(params: SbgParams, data: LifetimeData): number {
  const { alpha, beta } = params;
  const lb = lbeta(alpha, beta);
  let total = 0;
  for (let i = 0; i < data.lifetime.length; i++) {
    const w = data.weight[i] as number;
    if (w === 0) continue;
    const t = data.lifetime[i] as number;
    const ll = data.censored[i] === 1 ? (t === 0 ? 0 : lbeta(alpha, beta + t) - lb) : lbeta(alpha + 1, beta + t - 1) - lb;
    total += w * ll;
  }
  return finiteOrThrow(total, 'the sBG log-likelihood');
}

/**
 * The individual-level form of a cohort table: (alive[t−1] − alive[t]) customers who churned in period t,
 * and alive[k] customers still there after k periods (censored), as weighted rows.
 */
export function cohortToLifetimes(alive: ArrayLike<number>): LifetimeData {
  assertCohort(alive);
  const k = alive.length - 1;
  const data: LifetimeData = {
    lifetime: new Float64Array(k + 1),
    censored: new Uint8Array(k + 1),
    weight: new Float64Array(k + 1),
  };
  for (let t = 1; t <= k; t++) {
    data.lifetime[t - 1] = t;
    data.weight[t - 1] = (alive[t - 1] as number) - (alive[t] as number);
  }
  data.lifetime[k] = k;
  data.censored[k] = 1;
  data.weight[k] = alive[k] as number;
  return data;
}

// ---------------------------------------------------------------------------------------------
// Fitting

/** Starting points: a mildly heterogeneous base (lifetimes / the paper's order of magnitude) and (1, 1). */
const SBG_STARTS: readonly SbgParams[] = [
  { alpha: 1, beta: 1 },
  { alpha: 0.5, beta: 2 },
  { alpha: 2, beta: 5 },
];

/**
 * Fits alpha, beta by maximum likelihood to a cohort's survivor counts alive[t] at the start of
 * periods t = 0..k (Fader & Hardie 2007). n in the result is alive[0].
 */
export function fitCohort(alive: ArrayLike<number>, options: FitOptions = {}): FitResult<SbgParams> {
  assertCohort(alive);
  const counts = Float64Array.from(alive as ArrayLike<number>);
  if (!((counts[counts.length - 1] as number) < (counts[0] as number))) {
    throw new ClvError('invalid-input', 'No customer in the cohort has left yet: retention cannot be estimated without at least one churn.');
  }
  return fitModel<SbgParams>({
    model: 'sbg',
    paramNames: SBG_PARAM_NAMES,
    logLikelihood: (params) => cohortLogLikelihoodUnchecked(params, counts),
    n: counts[0] as number,
    rows: counts.length,
    defaultStarts: SBG_STARTS,
    options,
  });
}

/**
 * Fits alpha, beta by maximum likelihood to individual subscriptions with right censoring
 * (customers still subscribed contribute S(lifetime), those who left P(T = lifetime)).
 */
export function fitLifetimes(data: LifetimeData, options: FitOptions = {}): FitResult<SbgParams> {
  assertLifetimeData(data);
  let n = 0;
  let churned = 0;
  for (let i = 0; i < data.weight.length; i++) {
    n += data.weight[i] as number;
    if (data.censored[i] !== 1) churned += data.weight[i] as number;
  }
  if (!(churned > 0)) {
    throw new ClvError('invalid-input', 'No customer in the data has left yet: retention cannot be estimated without at least one churn.');
  }
  return fitModel<SbgParams>({
    model: 'sbg',
    paramNames: SBG_PARAM_NAMES,
    logLikelihood: (params) => lifetimeLogLikelihoodUnchecked(params, data),
    n,
    rows: data.lifetime.length,
    defaultStarts: SBG_STARTS,
    options,
  });
}

// ---------------------------------------------------------------------------------------------
// Value: discounted expected lifetime (Fader & Hardie 2010)

function assertDiscount(d: number): void {
  if (!Number.isFinite(d) || d < 0) {
    throw new ClvError('invalid-input', `The discount rate per period must be a finite number, 0 or more (got ${String(d)}).`, {
      field: 'discountRate',
      value: String(d),
    });
  }
}

/** Most terms the fallback series may sum (about 0.1 s); enough for d down to about 1e-6 per period. */
const MAX_SERIES_TERMS = 50_000_000;

/**
 * Σ_{j>=0} (b)_j/(c)_j z^j = 2F1(1, b; c; z) with z = 1/(1+d) and c = α + b > b: all terms positive,
 * each at most z times the one before, so the tail after a term t_j is below t_j z/(1 − z). Used when
 * logHyp2f1 gives up (d so small that z is within ~2e-4 of 1).
 */
function discountedSeries(b: number, c: number, z: number, what: string): number {
  let term = 1;
  let sum = 1;
  const tailFactor = z / (1 - z);
  for (let j = 0; j < MAX_SERIES_TERMS; j++) {
    term *= ((b + j) / (c + j)) * z;
    sum += term;
    if (term * tailFactor <= 1e-16 * sum) return sum;
  }
  throw new ClvError('numeric', `${what} did not converge: the discount rate per period is too close to 0. Use a larger rate (or 0 exactly when alpha > 1).`, {
    z,
  });
}

/** Σ_{j>=0} (b)_j/(c)_j z^j = 2F1(1, b; c; z) with z = 1/(1+d); at d = 0 the closed form (c−1)/(c−b−1), which needs c − b > 1. */
function discountedSum(b: number, c: number, d: number, what: string): number {
  if (d === 0) {
    if (!(c - b > 1)) {
      throw new ClvError(
        'invalid-params',
        `${what} is infinite without discounting when alpha <= 1 (alpha = ${c - b}): too many customers practically never churn. Use a discount rate above 0.`,
        { alpha: c - b },
      );
    }
    return (c - 1) / (c - b - 1);
  }
  const z = 1 / (1 + d);
  let value: number;
  try {
    value = Math.exp(logHyp2f1(1, b, c, z).log);
  } catch (error) {
    if (!(error instanceof ClvError) || error.code !== 'numeric') throw error;
    value = discountedSeries(b, c, z, what);
  }
  return finiteOrThrow(value, what, { d });
}

/**
 * DEL: discounted expected lifetime of a customer just acquired, in periods, counting the first
 * period (paid now) undiscounted: Σ_{t>=0} S(t) / (1+d)^t = 2F1(1, β; α+β; 1/(1+d)) (Fader & Hardie 2010, eq. 5).
 * d is the discount rate per period. Expected undiscounted lifetime (d = 0) is (α+β−1)/(α−1) for α > 1.
 */
export function discountedExpectedLifetime(params: SbgParams, d: number): number {
  assertSbgParams(params);
  assertDiscount(d);
  return discountedSum(params.beta, params.alpha + params.beta, d, 'The discounted expected lifetime');
}

/**
 * DERL: discounted expected residual lifetime of a customer who has made `renewals` renewals
 * (renewals = n − 1 in Fader & Hardie 2010, eq. 6), standing at the end of period n = renewals + 1
 * just before the next renewal decision; the next renewal is counted undiscounted:
 *   DERL = Σ_{t>=n} S(t)/S(n−1) / (1+d)^(t−n)
 *        = (β + n − 1)/(α + β + n − 1) · 2F1(1, β + n; α + β + n; 1/(1+d)).
 */
export function discountedExpectedResidualLifetime(params: SbgParams, d: number, renewals: number): number {
  assertSbgParams(params);
  assertDiscount(d);
  if (!Number.isInteger(renewals) || renewals < 0) {
    throw new ClvError('invalid-input', `The number of renewals must be a whole number, 0 or more (got ${String(renewals)}).`, {
      field: 'renewals',
      value: String(renewals),
    });
  }
  const { alpha, beta } = params;
  const n = renewals + 1;
  const firstRenewal = (beta + n - 1) / (alpha + beta + n - 1);
  return finiteOrThrow(
    firstRenewal * discountedSum(beta + n, alpha + beta + n, d, 'The discounted expected residual lifetime'),
    'the discounted expected residual lifetime',
  );
}

/** Short aliases used in the literature. */
export const DEL = discountedExpectedLifetime;
export const DERL = discountedExpectedResidualLifetime;

export interface ContractualClvOptions {
  /** Margin (profit) per period of the contract, in money. */
  margin: number;
  /** Discount rate per period (e.g. 0.1 for yearly periods at 10 % a year). */
  discountRate: number;
  /** Renewals made so far; omit for a customer just acquired (then CLV = margin × DEL, first period included). */
  renewals?: number;
}

/**
 * CLV of a contractual customer: margin × DERL for an existing customer who has made `renewals`
 * renewals (the expected value of the remaining contract), or margin × DEL for a new one.
 */
export function clvContractual(params: SbgParams, options: ContractualClvOptions): number {
  if (!Number.isFinite(options.margin)) {
    throw new ClvError('invalid-input', `The margin per period must be a finite amount (got ${String(options.margin)}).`, { field: 'margin' });
  }
  const periods =
    options.renewals === undefined
      ? discountedExpectedLifetime(params, options.discountRate)
      : discountedExpectedResidualLifetime(params, options.discountRate, options.renewals);
  return finiteOrThrow(options.margin * periods, 'the contractual CLV');
}

/** Expected survivors at the start of each period 0..periods of a cohort of `size` (size × S(t)). */
export function projectCohort(params: SbgParams, size: number, periods: number): Float64Array {
  assertSbgParams(params);
  const out = new Float64Array(periods + 1);
  for (let t = 0; t <= periods; t++) out[t] = size * survival(params, t);
  return out;
}
