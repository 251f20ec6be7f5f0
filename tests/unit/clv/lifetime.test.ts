import { describe, expect, it } from 'vitest';
import { bgnbd, type BgnbdParams } from '../../../lib/clv/bgnbd';
import { scoreCustomer, scoreCustomers } from '../../../lib/clv/clv';
import { ClvError } from '../../../lib/clv/errors';
import { continuousRate, discountedResidualTransactions, integratedDert, LIFETIME_EVALUATIONS, UNDISCOUNTED_LIFETIME_YEARS } from '../../../lib/clv/lifetime';
import { mbgnbd } from '../../../lib/clv/mbgnbd';
import { paretoNbd, type ParetoNbdParams } from '../../../lib/clv/paretonbd';

// CDNOW, weeks: Fader, Hardie & Lee (2005) BG/NBD and Pareto/NBD estimates (../shared/datasets/REFERENCE.md).
const PNBD: ParetoNbdParams = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
const BGNBD: BgnbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const HISTORIES = [
  { x: 0, tx: 0, T: 38.86 },
  { x: 2, tx: 30.43, T: 38.86 },
  { x: 7, tx: 35, T: 38.86 },
  { x: 15, tx: 10, T: 70 },
  { x: 1, tx: 0.5, T: 0.5 },
  { x: 0, tx: 0, T: 0 },
];

describe('discounted expected residual transactions (issue 16: "Lifetime value")', () => {
  it('the quadrature equals the Pareto/NBD closed form (Fader, Hardie & Lee 2005, eq. 2) to 1e-8 relative', () => {
    for (const params of [PNBD, { ...PNBD, s: 1 }, { ...PNBD, s: 2.4 }, { r: 0.2, alpha: 50, s: 3.5, beta: 2 }]) {
      for (const annual of [0.03, 0.1, 0.15, 0.5]) {
        const delta = continuousRate(annual, 'week');
        for (const h of HISTORIES) {
          const closed = paretoNbd.derT?.(params, delta, h) ?? Number.NaN;
          const numeric = integratedDert(paretoNbd, params, h, delta);
          expect(numeric / closed - 1, JSON.stringify({ params, annual, h })).toBeCloseTo(0, 8);
        }
      }
    }
  });

  it('uses the closed form for Pareto/NBD and the quadrature for BG/NBD and MBG/NBD', () => {
    const h = HISTORIES[1] as (typeof HISTORIES)[number];
    const delta = continuousRate(0.1, 'week');
    expect(discountedResidualTransactions(paretoNbd, PNBD, h, 0.1, 'week')).toBe(paretoNbd.derT?.(PNBD, delta, h));
    expect(discountedResidualTransactions(bgnbd, BGNBD, h, 0.1, 'week')).toBe(integratedDert(bgnbd, BGNBD, h, delta));
    expect(discountedResidualTransactions(mbgnbd, BGNBD, h, 0.1, 'week')).toBe(integratedDert(mbgnbd, BGNBD, h, delta));
    expect(LIFETIME_EVALUATIONS).toBeLessThan(100);
  });

  it('BG/NBD: lies between the discounted value of the first 10 years and the undiscounted 50 years, and rises as the rate falls', () => {
    for (const h of HISTORIES) {
      const lifetime = discountedResidualTransactions(bgnbd, BGNBD, h, 0.1, 'week');
      // A lower bound: the first 520 weeks, each week's increment discounted at the end of its week.
      let lower = 0;
      let previous = 0;
      const weekly = Math.exp(-continuousRate(0.1, 'week'));
      for (let week = 1; week <= 520; week++) {
        const current = bgnbd.conditionalExpectedTransactions(BGNBD, week, h);
        lower += (current - previous) * weekly ** week;
        previous = current;
      }
      const undiscounted = bgnbd.conditionalExpectedTransactions(BGNBD, UNDISCOUNTED_LIFETIME_YEARS * 52.18, h);
      expect(lifetime, JSON.stringify(h)).toBeGreaterThan(lower);
      expect(lifetime, JSON.stringify(h)).toBeLessThan(undiscounted);
      expect(discountedResidualTransactions(bgnbd, BGNBD, h, 0.05, 'week')).toBeGreaterThan(lifetime);
      expect(discountedResidualTransactions(bgnbd, BGNBD, h, 0.2, 'week')).toBeLessThan(lifetime);
    }
  });

  it('the same customer in days, weeks or months has the same value', () => {
    const weeks = discountedResidualTransactions(bgnbd, BGNBD, { x: 2, tx: 30, T: 38 }, 0.1, 'week');
    const days = discountedResidualTransactions(bgnbd, { ...BGNBD, alpha: BGNBD.alpha * 7 }, { x: 2, tx: 210, T: 266 }, 0.1, 'day');
    expect(days / weeks - 1).toBeCloseTo(0, 9);
  });

  it('a rate of 0 is the undiscounted 50 years; a negative or non-finite rate is refused, never NaN', () => {
    const h = { x: 3, tx: 20, T: 38 };
    expect(discountedResidualTransactions(bgnbd, BGNBD, h, 0, 'week')).toBeCloseTo(
      bgnbd.conditionalExpectedTransactions(BGNBD, (50 * 365.25) / 7, h),
      12,
    );
    expect(() => discountedResidualTransactions(bgnbd, BGNBD, h, -0.1, 'week')).toThrow(ClvError);
    expect(() => discountedResidualTransactions(bgnbd, BGNBD, h, Number.NaN, 'week')).toThrow(/discount rate/);
    expect(() => integratedDert(bgnbd, BGNBD, h, 0)).toThrow(ClvError);
  });

  it('scores carry the lifetime value: margin × spend × DERT, above the 12-month discounted value', () => {
    const options = { modelUnit: 'week' as const, margin: 0.3, annualDiscountRate: 0.1 };
    for (const [model, params] of [
      [bgnbd, BGNBD],
      [paretoNbd, PNBD],
    ] as const) {
      const h = { x: 4, tx: 30, T: 38.86 };
      const one = scoreCustomer(model as never, params as never, h, 40, options);
      const dert = discountedResidualTransactions(model as never, params as never, h, 0.1, 'week');
      expect(one.lifetimeValue).toBeCloseTo(0.3 * 40 * dert, 9);
      expect(one.lifetimeValue).toBeGreaterThan(one.clv);
      const many = scoreCustomers(model as never, params as never, { x: Float64Array.of(4, 4, 0), tx: Float64Array.of(30, 30, 0), T: Float64Array.of(38.86, 38.86, 38.86) }, 40, options);
      expect(many.lifetimeValue[0]).toBeCloseTo(one.lifetimeValue, 9);
      expect(many.lifetimeValue[1]).toBe(many.lifetimeValue[0]);
      expect(many.lifetimeValue[2]).toBeCloseTo(0.3 * 40 * discountedResidualTransactions(model as never, params as never, { x: 0, tx: 0, T: 38.86 }, 0.1, 'week'), 9);
    }
  });
});
