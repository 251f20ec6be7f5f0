/**
 * Upper incomplete gamma function and U(s, s; z) (lib/clv/confluent.ts), used by the Pareto/NBD DERT.
 * Checked against: tabulated exponential integrals (Abramowitz & Stegun 1964, Table 5.1: E1(0.5),
 * E1(1), E1(2)); the closed forms Γ(−1, z) = e^−z/z − E1(z) and U(s, s; z) = e^z Γ(1−s, z); the
 * recurrence Γ(a+1, z) = a Γ(a, z) + z^a e^−z across the method boundaries; and numerical integration
 * of the definitions.
 */
import { describe, expect, it } from 'vitest';
import { logHypergeometricUEqual, logScaledUpperGamma, logUpperGamma } from '../../../lib/clv/confluent';
import { ClvError } from '../../../lib/clv/errors';

/** ∫_a^∞ f by 16-point Gauss-Legendre on panels starting `width` wide and growing by 1.3. */
function integrateToInfinity(f: (t: number) => number, a: number, width: number): number {
  // Nodes and weights of 16-point Gauss-Legendre (Newton on the Legendre recurrence).
  const n = 16;
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let i = 1; i <= n; i++) {
    let x = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k];
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const step = p1 / dp;
      x -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    nodes.push(x);
    weights.push(2 / ((1 - x * x) * dp * dp));
  }
  let total = 0;
  let from = a;
  let w = width;
  for (let k = 0; k < 2000; k++) {
    const half = w / 2;
    let part = 0;
    for (let i = 0; i < n; i++) part += (weights[i] as number) * f(from + half + half * (nodes[i] as number));
    part *= half;
    total += part;
    if (Math.abs(part) < 1e-18 * Math.abs(total)) break;
    from += w;
    w *= 1.3;
  }
  return total;
}

describe('upper incomplete gamma Γ(a, z) for a < 1', () => {
  it('matches tabulated exponential integrals E1 = Γ(0, z) (A&S Table 5.1)', () => {
    expect(Math.exp(logUpperGamma(0, 0.5))).toBeCloseTo(0.5597735947761608, 14);
    expect(Math.exp(logUpperGamma(0, 1))).toBeCloseTo(0.21938393439552027, 14);
    expect(Math.exp(logUpperGamma(0, 2))).toBeCloseTo(0.04890051070806112, 14);
    // Γ(−1, z) = e^−z / z − E1(z).
    expect(Math.exp(logUpperGamma(-1, 1))).toBeCloseTo(Math.exp(-1) - 0.21938393439552027, 14);
  });

  it('matches numerical integration of ∫_z^∞ t^(a−1) e^(−t) dt', () => {
    for (const a of [0.9, 0.5, 1e-9, 0, -1e-9, -0.3, -0.5, -0.7, -1, -1.5, -2, -3.3, -7.5]) {
      for (const z of [0.01, 0.3, 0.99, 1, 1.01, 4, 40]) {
        const numeric = integrateToInfinity((t) => Math.exp((a - 1) * Math.log(t) - t), z, z / 8);
        expect(logUpperGamma(a, z) - Math.log(numeric), `a=${a}, z=${z}`).toBeCloseTo(0, 11);
      }
    }
  });

  it('satisfies Γ(a+1, z) = a Γ(a, z) + z^a e^(−z) across the method boundaries (z = 1, a = −1/2)', () => {
    for (const a of [-0.51, -0.5, -0.49, -1.49, -1.51, 0.3 - 1]) {
      for (const z of [0.999, 1, 1.001, 0.2, 3]) {
        const lhs = Math.exp(logUpperGamma(a + 1, z));
        const rhs = a * Math.exp(logUpperGamma(a, z)) + Math.exp(a * Math.log(z) - z);
        expect(lhs / rhs - 1, `a=${a}, z=${z}`).toBeCloseTo(0, 12);
      }
    }
  });

  it('is continuous at a = 0 (s = 1) and near the integers below', () => {
    for (const z of [0.05, 0.7, 2]) {
      for (const k of [0, -1, -2]) {
        const at = logUpperGamma(k, z);
        expect(logUpperGamma(k + 1e-10, z)).toBeCloseTo(at, 8);
        expect(logUpperGamma(k - 1e-10, z)).toBeCloseTo(at, 8);
      }
    }
  });

  it('stays finite where Γ(a, z) itself under- or overflows', () => {
    expect(Number.isFinite(logScaledUpperGamma(-200.5, 1e-3))).toBe(true);
    expect(Number.isFinite(logScaledUpperGamma(0.5, 800))).toBe(true);
    expect(logUpperGamma(0.5, 800)).toBeLessThan(-790);
  });

  it('rejects arguments outside a < 1, z > 0', () => {
    expect(() => logUpperGamma(1.5, 1)).toThrow(ClvError);
    expect(() => logUpperGamma(0.5, 0)).toThrow(ClvError);
    expect(() => logUpperGamma(Number.NaN, 1)).toThrow(ClvError);
  });
});

describe('U(s, s; z)', () => {
  it('equals z^−s ∫_0^∞ e^(−v) (1 + v/z)^(−s) dv, the expectation E[z/(z+G)] with G ~ Gamma(s, 1)', () => {
    // Kummer's transformation U(s, s; z) = z^(1−s) U(1, 2−s; z) (DLMF 13.2.40) and the integral form of
    // U(1, 2−s; z) = ∫_0^∞ e^(−zt) (1+t)^(−s) dt (DLMF 13.4.4), with v = zt. The integrand is smooth on
    // [0, ∞) (its singularity sits at v = −z), unlike that of U(s, s; z)'s own integral form.
    for (const s of [0.3, 0.606, 1, 1.7, 2, 3.5, 10]) {
      for (const z of [0.003, 0.05, 0.9, 1.2, 15]) {
        const numeric = integrateToInfinity((v) => Math.exp(-v - s * Math.log1p(v / z)), 0, z / 8);
        const expected = Math.log(numeric) - s * Math.log(z);
        expect(logHypergeometricUEqual(s, z) - expected, `s=${s}, z=${z}`).toBeCloseTo(0, 11);
      }
    }
  });

  it('rejects s <= 0', () => {
    expect(() => logHypergeometricUEqual(0, 1)).toThrow(ClvError);
  });
});
