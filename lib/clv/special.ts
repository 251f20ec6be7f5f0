/**
 * Special functions for the value engine, all in log space and all guarded: a value that cannot be
 * computed to a finite number raises ClvError('numeric') (or 'invalid-params' for arguments outside
 * the domain) instead of returning NaN or Infinity.
 *
 * References: Abramowitz & Stegun (1964) 6.1.40 (Stirling series), 6.1.33 (Taylor series of ln Γ(1+z)),
 * 6.3.18 (asymptotic digamma), 15.3.4-15.3.5 (Pfaff), 15.3.3 (Euler) transformations of 2F1.
 */
import { ClvError } from './errors';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const EULER_GAMMA = 0.5772156649015329;

/** B_{2k} / (2k (2k-1)) for k = 1..8: the Stirling series coefficients of ln Γ (A&S 6.1.40). */
const STIRLING = [
  1 / 12,
  -1 / 360,
  1 / 1260,
  -1 / 1680,
  1 / 1188,
  -691 / 360360,
  1 / 156,
  -3617 / 122400,
];

/** ζ(k) for k = 2..30, used by the Taylor series of ln Γ(1+z) near z = 0 (A&S 6.1.33). */
const ZETA = [
  1.6449340668482264, 1.2020569031595943, 1.0823232337111382, 1.0369277551433699, 1.0173430619844491,
  1.0083492773819228, 1.0040773561979443, 1.0020083928260822, 1.0009945751278181, 1.0004941886041195,
  1.0002460865533080, 1.0001227133475785, 1.0000612481350587, 1.0000305882363070, 1.0000152822594087,
  1.0000076371976379, 1.0000038172932650, 1.0000019082127166, 1.0000009539620339, 1.0000004769329868,
  1.0000002384505027, 1.0000001192199260, 1.0000000596081891, 1.0000000298035035, 1.0000000149015548,
  1.0000000074507118, 1.0000000037252903, 1.0000000018626597, 1.0000000009313274,
];

function requirePositive(x: number, fn: string): void {
  if (!(x > 0) || !Number.isFinite(x)) {
    throw new ClvError('numeric', `${fn} needs a finite positive argument, got ${x}.`, { fn, x: String(x) });
  }
}

/** ln Γ(1+z) for |z| <= 0.25 by its Taylor series: -γz + Σ_{k>=2} (-1)^k ζ(k) z^k / k. */
function lgamma1p(z: number): number {
  let sum = 0;
  let power = -z;
  for (let k = 2; k <= 30; k++) {
    power *= -z;
    sum += ((ZETA[k - 2] as number) * power) / k;
  }
  return -EULER_GAMMA * z + sum;
}

/** Stirling series for ln Γ(x), x >= 10 (error below 1e-17 there). */
function lgammaStirling(x: number): number {
  const inv = 1 / x;
  const inv2 = inv * inv;
  let series = 0;
  let power = inv;
  for (let k = 0; k < STIRLING.length; k++) {
    series += (STIRLING[k] as number) * power;
    power *= inv2;
  }
  return (x - 0.5) * Math.log(x) - x + LOG_SQRT_2PI + series;
}

/**
 * ln Γ(x) for x > 0. Stirling series for x >= 10, upward recurrence below, Taylor series near the
 * zeros at 1 and 2. Accuracy about 1e-15 absolute, 1e-14 relative away from those zeros.
 */
export function lgamma(x: number): number {
  requirePositive(x, 'lgamma');
  if (x >= 10) return lgammaStirling(x);
  if (Math.abs(x - 1) <= 0.25) return lgamma1p(x - 1);
  if (Math.abs(x - 2) <= 0.25) return lgamma1p(x - 2) + Math.log1p(x - 2);
  if (x < 0.75) {
    // ln Γ(x) = ln Γ(1+x) - ln x keeps tiny x accurate.
    return lgamma(x + 1) - Math.log(x);
  }
  let product = 1;
  let shifted = x;
  while (shifted < 10) {
    product *= shifted;
    shifted += 1;
  }
  return lgammaStirling(shifted) - Math.log(product);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a+b), a, b > 0. */
export function lbeta(a: number, b: number): number {
  requirePositive(a, 'lbeta');
  requirePositive(b, 'lbeta');
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/** ψ(x) = d/dx ln Γ(x), x > 0: recurrence up to x >= 10, then the asymptotic series (A&S 6.3.18). */
export function digamma(x: number): number {
  requirePositive(x, 'digamma');
  let shift = 0;
  let y = x;
  while (y < 10) {
    shift -= 1 / y;
    y += 1;
  }
  const inv2 = 1 / (y * y);
  const tail =
    inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760))))));
  return shift + Math.log(y) - 0.5 / y - tail;
}

function requireNotNaN(value: number, fn: string): void {
  if (Number.isNaN(value)) throw new ClvError('numeric', `${fn} was given NaN.`, { fn });
}

/** ln(e^a + e^b) without overflow. -Infinity arguments stand for zero terms. */
export function logAddExp(a: number, b: number): number {
  requireNotNaN(a, 'logAddExp');
  requireNotNaN(b, 'logAddExp');
  if (a === Infinity || b === Infinity) throw new ClvError('numeric', 'logAddExp was given +Infinity.');
  const max = a > b ? a : b;
  if (max === -Infinity) return -Infinity;
  return max + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** ln(e^a - e^b) for a >= b, stable (uses log1mexp). Returns -Infinity when a === b. */
export function logSubExp(a: number, b: number): number {
  requireNotNaN(a, 'logSubExp');
  requireNotNaN(b, 'logSubExp');
  if (a === Infinity) throw new ClvError('numeric', 'logSubExp was given +Infinity.');
  if (b > a) {
    throw new ClvError('numeric', `logSubExp needs a >= b (log of a negative number), got a=${a}, b=${b}.`, { a, b });
  }
  if (b === -Infinity) return a;
  if (a === b) return -Infinity;
  return a + log1mexp(b - a);
}

/** ln(1 - e^x) for x <= 0, stable at both ends (Mächler 2012, "Accurately computing log(1 - exp(-|a|))"). */
export function log1mexp(x: number): number {
  requireNotNaN(x, 'log1mexp');
  if (x > 0) throw new ClvError('numeric', `log1mexp needs x <= 0, got ${x}.`, { x });
  if (x === 0) return -Infinity;
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/** ln Σ e^{v_i} without overflow; -Infinity for an empty list or all -Infinity. */
export function logSumExp(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    requireNotNaN(v, 'logSumExp');
    if (v === Infinity) throw new ClvError('numeric', 'logSumExp was given +Infinity.');
    if (v > max) max = v;
  }
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp((values[i] as number) - max);
  return max + Math.log(sum);
}

/** log|value| and its sign; sign 0 means the value is exactly zero (log = -Infinity). */
export interface SignedLog {
  sign: 1 | -1 | 0;
  log: number;
}

/** Largest number of series terms logHyp2f1 sums before it gives up. */
export const HYP2F1_MAX_TERMS = 200_000;

const RESCALE = 1e200;
const LOG_RESCALE = Math.log(RESCALE);

/**
 * Gauss series Σ (a)_k (b)_k / ((c)_k k!) z^k for |z| < 1 as a signed log. Terms are built by their
 * ratio and rescaled when large, so huge parameters (a ~ 1000) neither overflow nor lose precision
 * when the terms share a sign. Returns null when cancellation among terms of both signs ate more
 * than about half the digits (the caller then tries another transformation).
 */
function gaussSeries(a: number, b: number, c: number, z: number, maxTerms: number): SignedLog | null {
  let term = 1;
  let sum = 1;
  let absSum = 1;
  let logScale = 0;
  const absZ = Math.abs(z);
  for (let k = 0; k < maxTerms; k++) {
    const denominator = (c + k) * (k + 1);
    if (denominator === 0) {
      throw new ClvError('numeric', `2F1 is undefined: c = ${c} is a non-positive integer.`, { a, b, c, z });
    }
    const ratio = ((a + k) * (b + k) * z) / denominator;
    term *= ratio;
    if (term === 0) break; // the series terminates (a or b a non-positive integer)
    sum += term;
    absSum += Math.abs(term);
    if (absSum > RESCALE) {
      term /= RESCALE;
      sum /= RESCALE;
      absSum /= RESCALE;
      logScale += LOG_RESCALE;
    }
    // Tail bound: once a+j, b+j, c+j > 0 for all later j, (a+j)/(c+j) and (b+j)/(1+j) are monotone
    // in j and tend to 1, so every later ratio is at most rho = |z| max(1, (a+j)/(c+j)) max(1, (b+j)/(1+j))
    // at j = k+1, and the tail is at most |term| rho / (1 - rho).
    const j = k + 1;
    if (a + j > 0 && b + j > 0 && c + j > 0) {
      const rho = absZ * Math.max(1, (a + j) / (c + j)) * Math.max(1, (b + j) / (1 + j));
      if (rho < 1 && (Math.abs(term) * rho) / (1 - rho) <= 1e-17 * Math.abs(sum)) {
        return finishSeries(sum, absSum, logScale);
      }
    }
  }
  if (term === 0) return finishSeries(sum, absSum, logScale);
  throw new ClvError(
    'numeric',
    `The hypergeometric series 2F1(${a}, ${b}; ${c}; ${z}) did not converge within ${maxTerms} terms.`,
    { a, b, c, z },
  );
}

function finishSeries(sum: number, absSum: number, logScale: number): SignedLog | null {
  if (!Number.isFinite(sum)) return null;
  if (Math.abs(sum) < 1e-8 * absSum) return null; // cancellation: fewer than ~8 good digits
  if (sum === 0) return { sign: 0, log: -Infinity };
  return { sign: sum > 0 ? 1 : -1, log: Math.log(Math.abs(sum)) + logScale };
}

interface Candidate {
  /** log of the positive prefactor. */
  logPrefactor: number;
  a: number;
  b: number;
  c: number;
  z: number;
  cost: number;
}

/** Rough cost of summing a series: terms until the ratio drops below 1, then until z^k is negligible. */
function seriesCost(a: number, b: number, c: number, z: number): number {
  const absZ = Math.abs(z);
  if (absZ === 0) return 0;
  const growth = Math.abs((a * b * z) / c);
  const geometric = absZ < 1 ? 40 / -Math.log(absZ) : Infinity;
  // Terms grow while |(a+k)(b+k) z / ((c+k)(k+1))| > 1: of order |ab z / c| steps when that is large.
  const penalty = z < 0 ? 2 : 1; // alternating series lose digits: prefer positive arguments
  return (geometric + Math.min(growth, 1e6) + Math.log1p(growth) * 50) * penalty;
}

/**
 * log|2F1(a, b; c; z)| and its sign, for real z < 1 (c not a non-positive integer). Picks among the
 * direct series, Euler's transformation (1-z)^{c-a-b} 2F1(c-a, c-b; c; z) and the two Pfaff
 * transformations (1-z)^{-a} 2F1(a, c-b; c; z/(z-1)) (and a<->b), which map z < 0 (even very
 * negative) into (0, 1), the one whose series is cheapest and free of cancellation. Large
 * parameters (a, b, c in the hundreds, as in the Pareto/NBD with x ~ 500) are handled by Euler's
 * form. z close to 1 needs about 40/(1-z) terms; beyond HYP2F1_MAX_TERMS it throws
 * ClvError('numeric').
 */
export function logHyp2f1(a: number, b: number, c: number, z: number): SignedLog {
  for (const [name, value] of [
    ['a', a],
    ['b', b],
    ['c', c],
    ['z', z],
  ] as const) {
    if (!Number.isFinite(value)) {
      throw new ClvError('numeric', `2F1 needs finite arguments, ${name} = ${value}.`, { a, b, c, z });
    }
  }
  if (!(z < 1)) {
    throw new ClvError('numeric', `2F1(a, b; c; z) is only evaluated for z < 1, got z = ${z}.`, { a, b, c, z });
  }
  if (c <= 0 && Number.isInteger(c)) {
    throw new ClvError('numeric', `2F1 is undefined: c = ${c} is a non-positive integer.`, { a, b, c, z });
  }
  if (z === 0 || a === 0 || b === 0) return { sign: 1, log: 0 };

  const log1mz = Math.log1p(-z);
  const candidates: Candidate[] = [];
  const add = (logPrefactor: number, ca: number, cb: number, cz: number): void => {
    if (Math.abs(cz) < 1) candidates.push({ logPrefactor, a: ca, b: cb, c, z: cz, cost: seriesCost(ca, cb, c, cz) });
  };
  add(0, a, b, z);
  add((c - a - b) * log1mz, c - a, c - b, z);
  const w = z / (z - 1);
  add(-a * log1mz, a, c - b, w);
  add(-b * log1mz, b, c - a, w);
  candidates.sort((p, q) => p.cost - q.cost);

  // Close to 1 every series above needs ~40/(1−z) terms: use the connection formula in 1 − z instead.
  // Where c − a − b is (nearly) an integer the formula is less exact (1e-12): only when the series cannot do it.
  const nearInteger = Math.abs(c - a - b - Math.round(c - a - b)) < INTEGER_GAP;
  const cheapest = candidates[0]?.cost ?? Infinity;
  if (z > NEAR_ONE && cheapest > (nearInteger ? HYP2F1_MAX_TERMS / 2 : NEAR_ONE_COST)) {
    const near = nearOne(a, b, c, z);
    if (near) return near;
  }

  let lastError: unknown = null;
  for (const candidate of candidates) {
    try {
      const series = gaussSeries(candidate.a, candidate.b, candidate.c, candidate.z, HYP2F1_MAX_TERMS);
      if (series === null) continue;
      if (series.sign === 0) return series;
      const log = series.log + candidate.logPrefactor;
      if (!Number.isFinite(log)) continue;
      return { sign: series.sign, log };
    } catch (error) {
      lastError = error;
    }
  }
  if (lastError instanceof ClvError) throw lastError;
  throw new ClvError('numeric', `Could not evaluate 2F1(${a}, ${b}; ${c}; ${z}) accurately.`, { a, b, c, z });
}

/** Above this z, and when the cheapest series would cost more than NEAR_ONE_COST terms, logHyp2f1 uses the connection formula in 1 − z. */
const NEAR_ONE = 0.9;
const NEAR_ONE_COST = 5000;

/** ln|Γ(x)| and the sign of Γ(x) for any real x that is not 0 or a negative integer (reflection below 0). */
export function signedLgamma(x: number): SignedLog {
  if (x > 0) return { sign: 1, log: lgamma(x) };
  if (Number.isInteger(x)) throw new ClvError('numeric', `Γ(${x}) is undefined (a pole).`, { x });
  // Γ(x) Γ(1 − x) = π / sin(πx)
  const sine = Math.sin(Math.PI * x);
  return { sign: sine > 0 ? 1 : -1, log: Math.log(Math.PI) - Math.log(Math.abs(sine)) - lgamma(1 - x) };
}

/** How close c − a − b may come to an integer before nearOne extrapolates from neighbours of c instead. */
const INTEGER_GAP = 1e-4;

/**
 * 2F1(a, b; c; z) for z close to 1 by the connection formula (Abramowitz & Stegun 15.3.6):
 *   Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) 2F1(a, b; a+b−c+1; 1−z)
 *   + (1−z)^(c−a−b) Γ(c)Γ(a+b−c)/(Γ(a)Γ(b)) 2F1(c−a, c−b; c−a−b+1; 1−z),
 * both series in 1 − z (fast). Where c − a − b is (nearly) an integer the formula has log terms; there the
 * value is extrapolated (Richardson) from c ± h, c ± 2h (h = 2e-4; error ~1e-12 relative). Returns
 * null where a term cannot be formed (a Γ at a pole, cancellation) so the caller sums a series instead.
 */
function nearOne(a: number, b: number, c: number, z: number, perturbed = false): SignedLog | null {
  const s = c - a - b;
  if (!perturbed && Math.abs(s - Math.round(s)) < INTEGER_GAP) {
    // Richardson: m(h) = (F(c−h) + F(c+h)) / 2 = F(c) + O(h²); (4 m(h) − m(2h)) / 3 = F(c) + O(h⁴).
    // Every point at least INTEGER_GAP away from the integer: h = 2 · INTEGER_GAP.
    const near = [-2, -1, 1, 2].map((k) => nearOne(a, b, c + 2 * k * INTEGER_GAP, z, true));
    if (near.some((v) => !v || v.sign === 0 || v.sign !== near[0]?.sign)) return null;
    const [m2, m1, p1, p2] = near.map((v) => Math.exp((v as SignedLog).log - (near[1] as SignedLog).log)) as [number, number, number, number];
    const value = (4 * (m1 + p1)) / 6 - (m2 + p2) / 6;
    if (!(value > 0)) return null;
    return { sign: (near[0] as SignedLog).sign, log: Math.log(value) + (near[1] as SignedLog).log };
  }
  const w = 1 - z;
  try {
    const terms: SignedLog[] = [];
    const term = (gammasUp: number[], gammasDown: number[], logPrefactor: number, ta: number, tb: number, tc: number): void => {
      // A Γ(−n) in the denominator makes the term 0.
      if (gammasDown.some((g) => g <= 0 && Number.isInteger(g))) return;
      let sign = 1;
      let log = logPrefactor;
      for (const g of gammasUp) {
        const v = signedLgamma(g);
        sign *= v.sign;
        log += v.log;
      }
      for (const g of gammasDown) {
        const v = signedLgamma(g);
        sign *= v.sign;
        log -= v.log;
      }
      const series = gaussSeries(ta, tb, tc, w, HYP2F1_MAX_TERMS);
      if (series === null) throw new ClvError('numeric', 'cancellation');
      if (series.sign === 0) return;
      terms.push({ sign: (sign * series.sign) as 1 | -1, log: log + series.log });
    };
    term([c, s], [c - a, c - b], 0, a, b, 1 - s);
    term([c, -s], [a, b], s * Math.log(w), c - a, c - b, 1 + s);
    let positive = -Infinity;
    let negative = -Infinity;
    for (const t of terms) {
      if (t.sign > 0) positive = logAddExp(positive, t.log);
      else negative = logAddExp(negative, t.log);
    }
    if (positive === negative) return positive === -Infinity ? { sign: 0, log: -Infinity } : null;
    const big = Math.max(positive, negative);
    const small = Math.min(positive, negative);
    if (small > big + Math.log(1 - 1e-7)) return null; // more than 7 digits cancelled
    const log = small === -Infinity ? big : logSubExp(big, small);
    if (!Number.isFinite(log)) return null;
    return { sign: positive > negative ? 1 : -1, log };
  } catch {
    return null;
  }
}

/** 2F1(a, b; c; z) as a plain number (throws ClvError('numeric') if it overflows). */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  const { sign, log } = logHyp2f1(a, b, c, z);
  const value = sign * Math.exp(log);
  if (!Number.isFinite(value)) {
    throw new ClvError('numeric', `2F1(${a}, ${b}; ${c}; ${z}) overflows a double.`, { a, b, c, z });
  }
  return value;
}
