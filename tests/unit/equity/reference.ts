/** Independent reference computations for the equity tests (no use of the models' closed forms). */
import { lgamma } from '../../../lib/clv/special';

/** E[X(t)] of BG/NBD by quadrature over p of E_λ[(1 − e^{−λpt})/p] = (1 − (α/(α+pt))^r)/p. */
export function quadratureExpected(t: number, { r, alpha, a, b }: { r: number; alpha: number; a: number; b: number }): number {
  const n = 20_000; // even
  const f = (u: number) => {
    if (u === 0) return (r * t) / alpha; // limit p → 0
    const p = u ** (1 / a);
    const inner = -Math.expm1(r * Math.log(alpha / (alpha + p * t))) / p;
    return inner * (1 - p) ** (b - 1);
  };
  let sum = f(0) + f(1);
  for (let k = 1; k < n; k++) sum += (k % 2 === 1 ? 4 : 2) * f(k / n);
  const integral = (sum / (3 * n));
  const logBeta = lgamma(a) + lgamma(b) - lgamma(a + b);
  return integral / (a * Math.exp(logBeta));
}

