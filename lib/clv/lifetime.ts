/**
 * Residual lifetime value: what a customer is expected to be worth from now on, over the whole rest of
 * their life as a customer, discounted — as opposed to the value over a fixed horizon (lib/clv/clv.ts).
 *
 *   lifetime value = margin × spend × DERT
 *   DERT = ∫₀^∞ e^(−δt) dE[Y(t) | x, t_x, T]       (discounted expected residual transactions)
 *
 * with continuous discounting at δ = ln(1 + annual rate) per year, expressed per model time unit (the
 * same effective annual rate as the horizon value, which discounts at the end of each monthly step).
 *
 * - Pareto/NBD: the closed form of Fader, Hardie & Lee (2005), "RFM and CLV", eq. 2 (`derT` of the model).
 * - BG/NBD and MBG/NBD have no published DERT: integrating by parts (E[Y(0)] = 0, and E[Y(t)] grows at most
 *   linearly so e^(−δt) E[Y(t)] → 0),  DERT = δ ∫₀^∞ e^(−δt) E[Y(t)] dt = ∫₀^∞ e^(−u) E[Y(u/δ)] du,
 *   computed by double-exponential (exp-sinh) quadrature: u = exp(π/2 · sinh s), trapezoid in s. The
 *   41 nodes are dense near 0 and spread to ~56 in u, so both the model's own time scale (weeks) and the
 *   discounting's (years) are resolved. Checked against the Pareto/NBD closed form to 1e-8 relative
 *   (tests/unit/clv/lifetime.test.ts).
 * - An annual rate of 0 has no finite discounted sum for a customer who may never leave: the value is then
 *   the undiscounted expected transactions over UNDISCOUNTED_LIFETIME_YEARS (50 years), said in the UI.
 */
import { ClvError, finiteOrThrow } from './errors';
import type { History, Params, TransactionModel } from './model';
import { DAYS_PER, DAYS_PER_YEAR, type TimeUnit } from './time';

/** The horizon that stands for "the rest of the customer's life" when nothing is discounted. */
export const UNDISCOUNTED_LIFETIME_YEARS = 50;

/** δ per model time unit for an effective annual rate: ln(1 + annual) × (unit in years). */
export function continuousRate(annualDiscountRate: number, modelUnit: TimeUnit): number {
  if (!Number.isFinite(annualDiscountRate) || annualDiscountRate < 0) {
    throw new ClvError('invalid-input', `The annual discount rate must be a finite number, 0 or more (got ${String(annualDiscountRate)}).`, {
      field: 'annualDiscountRate',
    });
  }
  return Math.log1p(annualDiscountRate) * (DAYS_PER[modelUnit] / DAYS_PER_YEAR);
}

/** Exp-sinh nodes u_i and weights w_i with ∫₀^∞ e^(−u) f(u) du ≈ Σ w_i f(u_i). */
const QUADRATURE = (() => {
  const h = 1 / 8;
  const from = -3.25; // u = 4e-9: the integrand (≈ u² there) is far below double precision of the sum
  const to = 1.75; // u = 56: e^(−u) u² is below 1e-20 of the sum beyond
  const u: number[] = [];
  const w: number[] = [];
  for (let s = from; s <= to + 1e-12; s += h) {
    const ui = Math.exp((Math.PI / 2) * Math.sinh(s));
    const wi = h * (Math.PI / 2) * Math.cosh(s) * ui * Math.exp(-ui);
    if (wi > 0) {
      u.push(ui);
      w.push(wi);
    }
  }
  return { u: Float64Array.from(u), w: Float64Array.from(w) };
})();

/** How many times the model's E[Y(t)] is evaluated per history by the quadrature. */
export const LIFETIME_EVALUATIONS = QUADRATURE.u.length;

/**
 * DERT of one history: the discounted expected number of transactions over the rest of the customer's
 * life, at an effective annual rate (a rate of 0: the undiscounted number over 50 years).
 */
export function discountedResidualTransactions<P extends Params>(
  model: TransactionModel<P>,
  params: P,
  history: History,
  annualDiscountRate: number,
  modelUnit: TimeUnit,
): number {
  const delta = continuousRate(annualDiscountRate, modelUnit);
  if (delta === 0) {
    const t = (UNDISCOUNTED_LIFETIME_YEARS * DAYS_PER_YEAR) / DAYS_PER[modelUnit];
    return finiteOrThrow(model.conditionalExpectedTransactions(params, t, history), 'the expected residual transactions', { ...history });
  }
  if (model.derT) return finiteOrThrow(model.derT(params, delta, history), 'the discounted expected residual transactions', { ...history });
  return integratedDert(model, params, history, delta);
}

/** DERT by quadrature over E[Y(t)] (any model); exported for the test against the closed forms. */
export function integratedDert<P extends Params>(model: TransactionModel<P>, params: P, history: History, delta: number): number {
  if (!Number.isFinite(delta) || !(delta > 0)) {
    throw new ClvError('invalid-input', `The discount rate delta must be a finite number above 0 (got ${String(delta)}).`, { delta });
  }
  let total = 0;
  for (let i = 0; i < QUADRATURE.u.length; i++) {
    const expected = model.conditionalExpectedTransactions(params, (QUADRATURE.u[i] as number) / delta, history);
    if (!Number.isFinite(expected)) finiteOrThrow(expected, 'the expected transactions far ahead', { ...history, t: (QUADRATURE.u[i] as number) / delta });
    total += (QUADRATURE.w[i] as number) * expected;
  }
  return finiteOrThrow(total, 'the discounted expected residual transactions', { ...history });
}
