/**
 * A new customer's value on the CDNOW parameters (REFERENCE.md: BG/NBD r 0.243, α 4.414, a 0.793,
 * b 2.426, in weeks; Gamma-Gamma p 6.25, q 3.74, γ 15.44) against two computations that do not use
 * the model's closed form (Gauss hypergeometric function):
 *  1. quadrature of the BG/NBD story: E[X(t) | λ, p] = (1 − e^{−λpt}) / p (FHL 2005, eq. 6 before
 *     mixing), mixed over λ ~ Gamma(r, α) by its Laplace transform and over p ~ Beta(a, b) by
 *     Simpson's rule (substituting p = u^{1/a} to remove the p^{a−1} singularity); tolerance 1e-6 relative;
 *  2. a Monte Carlo simulation of the story itself (exponential inter-purchase times at rate λ, dropout
 *     with probability p after each repeat purchase), with each purchase's margin discounted at the
 *     end of its month like the CLV grid; 200,000 customers, tolerance 4 standard errors.
 */
import { describe, expect, it } from 'vitest';
import { gamma, mulberry32 } from '../../helpers/simulate';
import { planClv } from '../../../lib/clv/clv';
import { quadratureExpected } from './reference';
import { newCustomerSpend, newCustomerTransactions, newCustomerValue } from '../../../lib/equity/new-customer';

const BGNBD = { r: 0.2425945, alpha: 4.4136019, a: 0.7929199, b: 2.4258881 };
const GG = { p: 6.25, q: 3.74, gamma: 15.44 };
const SETTINGS = { unit: 'week' as const, horizonMonths: 12, annualDiscountRate: 0.1 };

/** Gamma(shape, 1) draws from the shared seeded simulator (Marsaglia & Tsang 2000). */
const gammaSample = (shape: number, random: () => number) => gamma(random, shape);

describe('new customer value (CDNOW)', () => {
  const plan = planClv({ modelUnit: 'week', horizon: { value: 12, unit: 'month' }, annualDiscountRate: 0.1 });

  it('E[X(t)] on the discounting grid matches quadrature of the BG/NBD story', () => {
    let previous = 0;
    let discounted = 0;
    for (let i = 0; i < plan.times.length; i++) {
      const current = quadratureExpected(plan.times[i] as number, BGNBD);
      discounted += (current - previous) * (plan.discount[i] as number);
      previous = current;
    }
    const model = newCustomerTransactions('bgnbd', BGNBD, SETTINGS);
    expect(Math.abs(model.expected - previous) / previous).toBeLessThan(1e-6);
    expect(Math.abs(model.discounted - discounted) / discounted).toBeLessThan(1e-6);
    // Sanity: 52.18 weeks of a CDNOW newcomer, about 1.2 repeat purchases; discounting takes a few percent.
    expect(model.expected).toBeGreaterThan(0.8);
    expect(model.expected).toBeLessThan(1.6);
    expect(model.discounted / model.expected).toBeGreaterThan(0.94);
    expect(model.discounted / model.expected).toBeLessThan(1);
  });

  it('the value matches a Monte Carlo simulation of the BG/NBD and Gamma-Gamma story', () => {
    const random = mulberry32(20261122);
    const n = 200_000;
    const horizon = plan.times[plan.times.length - 1] as number;
    const stepLength = plan.times[0] as number;
    const margin = 0.3;
    let sum = 0;
    let sumSq = 0;
    // The same customers over their whole life, each purchase discounted continuously at 10 % a year.
    const delta = Math.log(1.1) * (7 / 365.25);
    let life = 0;
    let lifeSq = 0;
    for (let c = 0; c < n; c++) {
      const lambda = gammaSample(BGNBD.r, random) / BGNBD.alpha;
      const ga = gammaSample(BGNBD.a, random);
      const p = ga / (ga + gammaSample(BGNBD.b, random));
      // Spend: z ~ Gamma(p_gg, ν), ν ~ Gamma(q, γ): E[z | ν] = p_gg / ν.
      const nu = gammaSample(GG.q, random) / GG.gamma;
      let t = 0;
      let value = 0;
      let lifetime = 0;
      for (;;) {
        t += -Math.log(1 - random()) / lambda;
        const discount = Math.exp(-delta * t);
        if (discount < 1e-12) break;
        const spend = margin * (gammaSample(GG.p, random) / nu);
        lifetime += spend * discount;
        if (t <= horizon) {
          const step = Math.min(plan.times.length - 1, Math.ceil(t / stepLength - 1e-12) - 1);
          value += spend * (plan.discount[Math.max(0, step)] as number);
        }
        if (random() < p) break;
      }
      sum += value;
      sumSq += value * value;
      life += lifetime;
      lifeSq += lifetime * lifetime;
    }
    const mean = sum / n;
    const se = Math.sqrt((sumSq / n - mean * mean) / n);
    const v = newCustomerValue({ model: 'bgnbd', params: BGNBD, spend: { model: 'gamma-gamma', params: GG }, ...SETTINGS, margin, meanFirstOrder: null });
    expect(Math.abs(v.repeatValue - mean)).toBeLessThan(4 * se);
    expect(se / mean).toBeLessThan(0.03);
    // Issue 16: the most to pay is the value over the customer's whole life (DERT), not the horizon's.
    const lifeMean = life / n;
    const lifeSe = Math.sqrt((lifeSq / n - lifeMean * lifeMean) / n);
    expect(Math.abs(v.lifetimeRepeatValue - lifeMean)).toBeLessThan(4 * lifeSe);
    expect(v.lifetimeRepeatValue).toBeGreaterThan(v.repeatValue);
    expect(v.firstOrderMargin).toBeNull();
    expect(v.valueAtAcquisition).toBe(v.lifetimeRepeatValue);
  }, 60_000);

  it('spend of a new customer is p·γ/(q−1), first order margin is added, and bad inputs say why', () => {
    expect(newCustomerSpend({ model: 'gamma-gamma', params: GG }).value).toBeCloseTo((6.25 * 15.44) / 2.74, 10);
    expect(newCustomerSpend({ model: 'mean', mean: 30 }).value).toBe(30);
    expect(() => newCustomerSpend({ model: 'gamma-gamma', params: { p: 6, q: 0.9, gamma: 15 } })).toThrow(/q ≤ 1/);
    const v = newCustomerValue({ model: 'pareto-nbd', params: { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 }, spend: { model: 'mean', mean: 35 }, ...SETTINGS, margin: 0.5, meanFirstOrder: 40 });
    expect(v.firstOrderMargin).toBe(20);
    expect(v.valueAtAcquisition).toBeCloseTo(v.lifetimeRepeatValue + 20, 12);
    expect(Number.isFinite(v.repeatValue) && v.repeatValue > 0).toBe(true);
    expect(() => newCustomerValue({ model: 'bgbb', params: {}, spend: { model: 'mean', mean: 1 }, ...SETTINGS, margin: 1, meanFirstOrder: null })).toThrow(/transaction model/);
  });
});
