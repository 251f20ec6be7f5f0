/**
 * The confluent hypergeometric function of the second kind U(s, s; z) that the Pareto/NBD DERT needs
 * (Fader, Hardie & Lee 2005, "RFM and CLV", JMR 42(4)), through the upper incomplete gamma function:
 *   U(s, s; z) = e^z Γ(1−s, z)                       (Abramowitz & Stegun 13.6.28 / DLMF 8.5.3),
 * for s > 0, z > 0, so Γ(a, z) is needed for every real a < 1 (negative a included).
 *
 * Everything is computed through the scaled function R(a, z) = Γ(a, z) e^z z^(−a), which is of
 * moderate size for all the arguments used and never overflows:
 * - z >= 1: Legendre's continued fraction R = 1/(z+1−a − 1(1−a)/(z+3−a − 2(2−a)/(z+5−a − …)))
 *   (A&S 6.5.31, DLMF 8.9.2), evaluated with the modified Lentz method;
 * - z < 1, −1/2 < a < 1: Γ(a, z) = [Γ(1+a) − 1]/a − [z^a − 1]/a − z^a Σ_{n>=1} (−z)^n / (n! (a+n))
 *   (the series of γ(a, z), A&S 6.5.29, with the 1/a poles of Γ(a) and z^a/a taken out together so
 *   that a → 0, i.e. s → 1, where Γ(0, z) = E1(z), is exact);
 * - z < 1, a <= −1/2: down from a + m ∈ (−1/2, 1/2] by R(a) = (1 − z R(a+1)) / (−a) (from A&S 6.5.22,
 *   Γ(a+1, z) = a Γ(a, z) + z^a e^(−z)). Starting in (−1/2, 1/2] keeps the series away from the pole of
 *   1/(a+1) at a = −1; each step divides the error by |a| >= 1/2 and z R(a+1) stays below about 3/4,
 *   so the recurrence neither cancels badly nor amplifies errors.
 */
import { ClvError } from './errors';
import { lgamma } from './special';

const CF_MAX_ITERATIONS = 10_000;

/** expm1(a y) / a, continuous at a = 0 (where it is y). */
function expm1Over(a: number, y: number): number {
  return a === 0 ? y : Math.expm1(a * y) / a;
}

/**
 * Taylor coefficients c_2..c_26 of 1/Γ(z) = Σ c_k z^k (Abramowitz & Stegun 6.1.34; c_1 = 1), so that
 * 1/Γ(1+a) = 1 + a Σ_{k>=2} c_k a^(k−2) without forming 1 + a.
 */
const RECIPROCAL_GAMMA = [
  0.5772156649015329, -0.6558780715202539, -0.04200263503409524, 0.16653861138229149, -0.04219773455554434,
  -0.009621971527876973, 0.0072189432466631, -0.0011651675918590652, -0.00021524167411495098, 0.00012805028238811619,
  -0.00002013485478078824, -1.2504934821426706e-6, 1.1330272319816959e-6, -2.0563384169776071e-7, 6.116095104481416e-9,
  5.002007644469223e-9, -1.1812745704870201e-9, 1.0434267116911005e-10, 7.782263439905071e-12, -3.6968056186422057e-12,
  5.100370287454476e-13, -2.0583260535665068e-14, -5.348122539423018e-15, 1.2267786282382608e-15, -1.1812593016974588e-16,
];

/** (Γ(1+a) − 1) / a for −1/2 < a < 1, accurate for tiny a (at a = 0 it is −γ). */
function gammaMinusOneOver(a: number): number {
  if (Math.abs(a) > 0.5) return Math.expm1(lgamma(1 + a)) / a;
  // 1/Γ(1+a) = 1 + a q(a), so (Γ(1+a) − 1)/a = −q / (1 + a q).
  let q = 0;
  for (let k = RECIPROCAL_GAMMA.length - 1; k >= 0; k--) q = q * a + (RECIPROCAL_GAMMA[k] as number);
  return -q / (1 + a * q);
}

/** R(a, z) = Γ(a, z) e^z z^(−a) by Legendre's continued fraction (z >= 1 here). */
function scaledUpperGammaFraction(a: number, z: number): number {
  const tiny = 1e-300;
  let b = z + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= CF_MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) return h;
  }
  throw new ClvError('numeric', `The continued fraction of Γ(${a}, ${z}) did not converge.`, { a, z });
}

/** R(a, z) for −1/2 < a < 1 and 0 < z < 1 by the series in the file header. */
function scaledUpperGammaSeries(a: number, z: number): number {
  const logZ = Math.log(z);
  // Σ_{n>=1} (−z)^n / (n! (a+n)): alternating with |terms| falling fast for z < 1.
  let term = 1;
  let sum = 0;
  for (let n = 1; n < 200; n++) {
    term *= -z / n;
    const contribution = term / (a + n);
    sum += contribution;
    if (Math.abs(contribution) <= 1e-17 * Math.abs(sum)) break;
  }
  const za = Math.exp(a * logZ);
  const upper = gammaMinusOneOver(a) - expm1Over(a, logZ) - za * sum;
  return upper * Math.exp(z) / za;
}

/**
 * ln R(a, z) = ln[Γ(a, z) e^z z^(−a)] for real a < 1 and z > 0 (Γ the upper incomplete gamma function).
 * Throws ClvError('invalid-params') outside that domain, ClvError('numeric') if it cannot be computed.
 */
export function logScaledUpperGamma(a: number, z: number): number {
  if (!Number.isFinite(a) || !(a < 1)) {
    throw new ClvError('invalid-params', `logScaledUpperGamma needs a finite a < 1 (got ${String(a)}).`, { a });
  }
  if (!Number.isFinite(z) || !(z > 0)) {
    throw new ClvError('invalid-params', `logScaledUpperGamma needs a finite z > 0 (got ${String(z)}).`, { z });
  }
  let value: number;
  if (z >= 1) {
    value = scaledUpperGammaFraction(a, z);
  } else if (a > -0.5) {
    value = scaledUpperGammaSeries(a, z);
  } else {
    const steps = Math.floor(0.5 - a);
    let current = a + steps; // in (−1/2, 1/2]
    value = scaledUpperGammaSeries(current, z);
    for (let k = 0; k < steps; k++) {
      current -= 1;
      value = (1 - z * value) / -current;
    }
  }
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new ClvError('numeric', `Could not compute the incomplete gamma function Γ(${a}, ${z}).`, { a, z });
  }
  return Math.log(value);
}

/** ln Γ(a, z), the upper incomplete gamma function, for real a < 1 and z > 0. */
export function logUpperGamma(a: number, z: number): number {
  return logScaledUpperGamma(a, z) - z + a * Math.log(z);
}

/**
 * ln U(s, s; z), Tricomi's confluent hypergeometric function with equal first two arguments, for
 * s > 0 and z > 0: U(s, s; z) = e^z Γ(1−s, z) = R(1−s, z) z^(1−s).
 */
export function logHypergeometricUEqual(s: number, z: number): number {
  if (!Number.isFinite(s) || !(s > 0)) {
    throw new ClvError('invalid-params', `U(s, s; z) needs a finite s > 0 (got ${String(s)}).`, { s });
  }
  return logScaledUpperGamma(1 - s, z) + (1 - s) * Math.log(z);
}
