import { describe, expect, it } from 'vitest';
import {
  customerLifetimeValue,
  expectedTransactionsOver,
  groupHistories,
  planClv,
  scoreCustomer,
  scoreCustomers,
} from '../../../lib/clv/clv';
import { ClvError } from '../../../lib/clv/errors';
import { LIFETIME_EVALUATIONS } from '../../../lib/clv/lifetime';
import { bgnbd } from '../../../lib/clv/bgnbd';
import { conditionalExpectedSpendBatch } from '../../../lib/clv/gammagamma';
import { mbgnbd } from '../../../lib/clv/mbgnbd';
import type { History, Params, TransactionModel } from '../../../lib/clv/model';
import { paretoNbd } from '../../../lib/clv/paretonbd';
import { readSimpleCsv } from '../../helpers/datasets';

/**
 * Tiny fake transaction models with closed forms, so CLV can be checked by hand.
 * linear: always alive, lambda purchases per model unit: E[Y(t)] = lambda t.
 * decaying: P(alive) = 1 / (1 + mu (T − t_x)); once alive, purchases at rate lambda until an
 * exponential(mu) death: E[Y(t)] = P(alive) (lambda / mu) (1 − e^{−mu t}). Rates are per model unit,
 * so the same customers in days have lambda and mu divided by 7.
 */
type Rates = { lambda: number; mu: number };
function fakeModel(kind: 'linear' | 'decaying'): TransactionModel<Rates> {
  const pAlive = (p: Rates, h: History) => (kind === 'linear' ? 1 : 1 / (1 + p.mu * (h.T - h.tx)));
  return {
    name: 'bgnbd',
    paramNames: ['lambda', 'mu'],
    logLikelihood: () => 0,
    fit: () => {
      throw new Error('not used');
    },
    pAlive,
    conditionalExpectedTransactions: (p, t, h) =>
      kind === 'linear' ? p.lambda * t : (pAlive(p, h) * p.lambda * -Math.expm1(-p.mu * t)) / p.mu,
    expectedTransactionsNew: (p, t) => p.lambda * t,
    probabilityOfN: () => 0,
  };
}
const linear = fakeModel('linear');
const decaying = fakeModel('decaying');
const weekly: Rates = { lambda: 0.3, mu: 0.02 };
const daily: Rates = { lambda: 0.3 / 7, mu: 0.02 / 7 };

describe('CLV by hand', () => {
  it('3 monthly steps of a weekly linear model at 10 % a year', () => {
    // Each month is 365.25/12/7 = 4.348214 weeks, so 2 purchases a week give 8.696429 a month.
    // Discount factors 1.1^(−1/12), 1.1^(−2/12), 1.1^(−3/12) = 0.992089, 0.984240, 0.976454 (sum 2.952784).
    // CLV = 0.5 × 20 × 8.696429 × 2.952784 = 256.7867.
    const clv = customerLifetimeValue(linear, { lambda: 2, mu: 1 }, { x: 1, tx: 1, T: 2 }, 20, {
      modelUnit: 'week',
      horizon: { value: 3, unit: 'month' },
      annualDiscountRate: 0.1,
      margin: 0.5,
    });
    expect(clv).toBeCloseTo(256.78670836673285, 9);
  });

  it('known trap: a 12-month horizon of a weekly model is 52.18 weeks, not 12 × 30 units', () => {
    const h = { x: 0, tx: 0, T: 10 };
    const transactions = expectedTransactionsOver(linear, { lambda: 1, mu: 1 }, h, { value: 12, unit: 'month' }, 'week');
    expect(transactions).toBeCloseTo(52.178571, 5);
    expect(transactions).toBeLessThan(360);
    const plan = planClv({ modelUnit: 'week' });
    expect(plan.horizonInModelUnit).toBeCloseTo(52.178571, 5);
    expect(plan.times.length).toBe(12);
  });

  it('a partial last step is discounted at its fractional time', () => {
    // 45 days, daily model, monthly steps: ends at 30.4375 and 45 days; discount 1.1^(−30.4375/365.25), 1.1^(−45/365.25).
    const clv = customerLifetimeValue(linear, { lambda: 1, mu: 1 }, { x: 0, tx: 0, T: 5 }, 1, {
      modelUnit: 'day',
      horizon: { value: 45, unit: 'day' },
      annualDiscountRate: 0.1,
    });
    const expected = 30.4375 * Math.pow(1.1, -30.4375 / 365.25) + (45 - 30.4375) * Math.pow(1.1, -45 / 365.25);
    expect(clv).toBeCloseTo(expected, 10);
  });

  it('discount 0 reduces to margin × spend × E[Y(horizon)]', () => {
    const h = { x: 3, tx: 20, T: 30 };
    const horizon = { value: 18, unit: 'month' as const };
    const clv = customerLifetimeValue(decaying, weekly, h, 42, { modelUnit: 'week', horizon, annualDiscountRate: 0, margin: 0.3 });
    const transactions = expectedTransactionsOver(decaying, weekly, h, horizon, 'week');
    expect(clv).toBeCloseTo(0.3 * 42 * transactions, 10);
    // With discounting it is strictly less.
    const discounted = customerLifetimeValue(decaying, weekly, h, 42, { modelUnit: 'week', horizon, annualDiscountRate: 0.1, margin: 0.3 });
    expect(discounted).toBeLessThan(clv);
    expect(discounted).toBeGreaterThan(clv * Math.pow(1.1, -1.5));
  });

  it('weeks vs days: the same customers in a weekly and a daily model give the same 12-month CLV (relative 1e-12)', () => {
    const hWeeks = { x: 4, tx: 25, T: 38 };
    const hDays = { x: 4, tx: 25 * 7, T: 38 * 7 };
    const options = { horizon: { value: 12, unit: 'month' as const }, annualDiscountRate: 0.12, margin: 0.25 };
    const inWeeks = customerLifetimeValue(decaying, weekly, hWeeks, 30, { ...options, modelUnit: 'week' });
    const inDays = customerLifetimeValue(decaying, daily, hDays, 30, { ...options, modelUnit: 'day' });
    expect(Math.abs(inWeeks / inDays - 1)).toBeLessThan(1e-12);
    // The step unit does not matter without discounting, and little with it.
    const weeklySteps = customerLifetimeValue(decaying, weekly, hWeeks, 30, { ...options, modelUnit: 'week', step: 'week' });
    expect(Math.abs(weeklySteps / inWeeks - 1)).toBeLessThan(0.01);
  });
});

describe('scoreCustomer', () => {
  it('returns finite P(alive), transactions, spend, CLV and the undiscounted next-12-months value', () => {
    const h = { x: 2, tx: 30, T: 39 };
    const score = scoreCustomer(decaying, weekly, h, 25, {
      modelUnit: 'week',
      horizon: { value: 24, unit: 'month' },
      margin: 0.4,
      annualDiscountRate: 0.1,
    });
    expect(score.pAlive).toBeCloseTo(1 / (1 + 0.02 * 9), 12);
    expect(score.expectedSpend).toBe(25);
    expect(score.expectedTransactions).toBeCloseTo(expectedTransactionsOver(decaying, weekly, h, { value: 24, unit: 'month' }, 'week'), 12);
    const twelve = expectedTransactionsOver(decaying, weekly, h, { value: 12, unit: 'month' }, 'week');
    expect(score.next12MonthsValue).toBeCloseTo(0.4 * 25 * twelve, 10);
    expect(score.clv).toBeCloseTo(
      customerLifetimeValue(decaying, weekly, h, 25, { modelUnit: 'week', horizon: { value: 24, unit: 'month' }, margin: 0.4 }),
      10,
    );
    for (const value of Object.values(score)) expect(Number.isFinite(value)).toBe(true);
  });

  it('a horizon off the monthly grid still gets next12MonthsValue right', () => {
    const h = { x: 2, tx: 30, T: 39 };
    const score = scoreCustomer(decaying, weekly, h, 10, { modelUnit: 'week', horizon: { value: 100, unit: 'day' } });
    expect(score.next12MonthsValue).toBeCloseTo(10 * expectedTransactionsOver(decaying, weekly, h, { value: 12, unit: 'month' }, 'week'), 10);
  });

  it('throws ClvError instead of returning a non-finite value', () => {
    const broken: TransactionModel<Rates> = { ...decaying, conditionalExpectedTransactions: () => Number.NaN };
    expect(() => scoreCustomer(broken, weekly, { x: 1, tx: 1, T: 2 }, 10, { modelUnit: 'week' })).toThrow(ClvError);
    const falling: TransactionModel<Rates> = { ...decaying, conditionalExpectedTransactions: (_p, t) => 10 - t };
    expect(() => scoreCustomer(falling, weekly, { x: 1, tx: 1, T: 2 }, 10, { modelUnit: 'week' })).toThrow(/fell/);
    expect(() => scoreCustomer(decaying, weekly, { x: 1, tx: 1, T: 2 }, -5, { modelUnit: 'week' })).toThrow(/spend/);
    expect(() => scoreCustomer(decaying, weekly, { x: 1, tx: 1, T: 2 }, 5, { modelUnit: 'fortnight' as never })).toThrow(ClvError);
    expect(() => scoreCustomer(decaying, weekly, { x: 1, tx: 1, T: 2 }, 5, { modelUnit: 'week', annualDiscountRate: -0.2 })).toThrow(ClvError);
  });
});

describe('scoreCustomers (batch)', () => {
  const x = Float64Array.from([0, 2, 2, 5, 0, 2]);
  const tx = Float64Array.from([0, 30, 30, 35, 0, 12]);
  const T = Float64Array.from([39, 39, 39, 39, 39, 39]);
  const spend = Float64Array.from([35, 24, 18, 50, 35, 0]);
  const options = { modelUnit: 'week' as const, margin: 0.3, annualDiscountRate: 0.1 };

  it('equals scoreCustomer row by row, evaluating each distinct history once', () => {
    const scores = scoreCustomers(decaying, weekly, { x, tx, T }, spend, options);
    expect(scores.distinctHistories).toBe(4);
    for (let i = 0; i < x.length; i++) {
      const one = scoreCustomer(decaying, weekly, { x: x[i] as number, tx: tx[i] as number, T: T[i] as number }, spend[i] as number, options);
      expect(scores.pAlive[i]).toBeCloseTo(one.pAlive, 14);
      expect(scores.expectedTransactions[i]).toBeCloseTo(one.expectedTransactions, 14);
      expect(scores.expectedSpend[i]).toBe(one.expectedSpend);
      expect(scores.clv[i]).toBeCloseTo(one.clv, 12);
      expect(scores.next12MonthsValue[i]).toBeCloseTo(one.next12MonthsValue, 12);
    }
    expect(scores.clv[5]).toBe(0);
  });

  it('takes one spend for everyone', () => {
    const scores = scoreCustomers(decaying, weekly, { x, tx, T }, 10, options);
    expect(scores.clv[1]).toBeCloseTo(scores.clv[2] as number, 14);
    expect(scores.expectedSpend[3]).toBe(10);
  });

  it('names the row of bad input', () => {
    const badT = Float64Array.from([39, 39, 20, 39, 39, 39]); // t_x = 30 > T = 20 in row 2
    expect(() => scoreCustomers(decaying, weekly, { x, tx, T: badT }, spend, options)).toThrow(/Row 2/);
    const badSpend = Float64Array.from([35, 24, 18, Number.NaN, 35, 0]);
    expect(() => scoreCustomers(decaying, weekly, { x, tx, T }, badSpend, options)).toThrow(/Row 3/);
    expect(() => scoreCustomers(decaying, weekly, { x, tx, T }, new Float64Array(2), options)).toThrow(ClvError);
  });

  it('groups identical histories (and only those) by value', () => {
    const groups = groupHistories([1, 1, 1, -0, 0, Number.NaN, Number.NaN], [2, 2, 2.0000001, 0, 0, 1, 1], [3, 3, 3, 4, 4, 5, 5]);
    expect(Array.from(groups.groupOf)).toEqual([0, 0, 1, 2, 2, 3, 4]);
    expect(groups.count).toBe(5);
  });

  it('scores 200,000 customers quickly and without per-customer model calls for repeated histories', () => {
    const n = 200_000;
    const bx = new Float64Array(n);
    const btx = new Float64Array(n);
    const bT = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      bx[i] = i % 7;
      btx[i] = bx[i] === 0 ? 0 : (i % 30) + 1;
      bT[i] = 39;
    }
    let calls = 0;
    const counting = (name: 'bgnbd' | 'bgbb'): TransactionModel<Rates> => ({
      ...decaying,
      name,
      conditionalExpectedTransactions: (p, t, h) => {
        calls++;
        return decaying.conditionalExpectedTransactions(p, t, h);
      },
    });
    // Any model: 12 monthly evaluations per distinct (x, t_x, T), and the lifetime value's quadrature nodes.
    const perHistory = 12 + LIFETIME_EVALUATIONS;
    const direct = scoreCustomers(counting('bgbb'), weekly, { x: bx, tx: btx, T: bT }, 20, options);
    expect(direct.distinctHistories).toBe(181); // x = 0 (t_x = 0), and x = 1..6 × 30 values of t_x
    expect(calls).toBe(direct.distinctHistories * perHistory);
    // BG/NBD-family names: the evaluations per distinct (x, T) — 7 here — plus a 3-history spot check of the identity.
    calls = 0;
    const factorised = scoreCustomers(counting('bgnbd'), weekly, { x: bx, tx: btx, T: bT }, 20, options);
    expect(calls).toBe((7 + 3) * perHistory);
    let worst = 0;
    for (let i = 0; i < n; i += 11) {
      worst = Math.max(worst, Math.abs((factorised.clv[i] as number) / (direct.clv[i] as number) - 1));
      worst = Math.max(worst, Math.abs((factorised.lifetimeValue[i] as number) / (direct.lifetimeValue[i] as number) - 1));
    }
    expect(worst).toBeLessThan(1e-12);
  });
});

describe('with the real models on CDNOW (weeks)', () => {
  const cbs = readSimpleCsv('btyd_cdnowSummary_cbs.csv');
  const x = Float64Array.from(cbs, (row) => Number(row['x']));
  const tx = Float64Array.from(cbs, (row) => Number(row['t.x']));
  const T = Float64Array.from(cbs, (row) => Number(row['T.cal']));
  const m = Float64Array.from(cbs, (row) => Number(row['m.x']));
  // Published estimates: BG/NBD and Pareto/NBD from Fader, Hardie & Lee (2005) (REFERENCE.md); Gamma-Gamma MLE.
  const bg = { r: 0.2425945, alpha: 4.4136019, a: 0.7929199, b: 2.4258881 };
  const pareto = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
  const spend = conditionalExpectedSpendBatch({ p: 6.2496, q: 3.7442, gamma: 15.4435 }, x, m);
  const options = { modelUnit: 'week' as const, margin: 0.3, annualDiscountRate: 0.1 };

  it('E[Y(39 weeks) | x = 2, t_x = 30.43, T = 38.86] = 1.226 through the horizon conversion (FHL 2005)', () => {
    const value = expectedTransactionsOver(bgnbd, { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, { x: 2, tx: 30.43, T: 38.86 }, { value: 39, unit: 'week' }, 'week');
    expect(Math.abs(value - 1.226)).toBeLessThan(5e-4);
  });

  const cases: [string, TransactionModel<Params>, Params][] = [
    ['bgnbd', bgnbd as unknown as TransactionModel<Params>, bg],
    ['mbgnbd', mbgnbd as unknown as TransactionModel<Params>, bg],
    ['pareto-nbd', paretoNbd as unknown as TransactionModel<Params>, pareto],
  ];
  for (const [name, model, params] of cases) {
    it(`${name}: the batch (factorised P(alive) · g(x, T, t)) equals customer-by-customer scoring (relative 1e-10)`, () => {
      const scores = scoreCustomers(model, params, { x, tx, T }, spend, options);
      let worst = 0;
      for (let i = 0; i < x.length; i += 7) {
        const one = scoreCustomer(model, params, { x: x[i] as number, tx: tx[i] as number, T: T[i] as number }, spend[i] as number, options);
        for (const [a, b] of [
          [scores.clv[i] as number, one.clv],
          [scores.next12MonthsValue[i] as number, one.next12MonthsValue],
          [scores.expectedTransactions[i] as number, one.expectedTransactions],
          [scores.pAlive[i] as number, one.pAlive],
        ] as const) {
          worst = Math.max(worst, Math.abs(a - b) / Math.max(Math.abs(b), 1e-300));
        }
      }
      expect(worst).toBeLessThan(1e-10);
    });
  }

  it('BG/NBD in weeks and in days (alpha × 7, times × 7) gives the same 12-month CLV (relative 1e-9)', () => {
    const daily = { ...bg, alpha: bg.alpha * 7 };
    const days = { x, tx: tx.map((v) => v * 7), T: T.map((v) => v * 7) };
    const inWeeks = scoreCustomers(bgnbd, bg, { x, tx, T }, spend, options);
    const inDays = scoreCustomers(bgnbd, daily, days, spend, { ...options, modelUnit: 'day' });
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      worst = Math.max(worst, Math.abs((inWeeks.clv[i] as number) / (inDays.clv[i] as number) - 1));
      worst = Math.max(worst, Math.abs((inWeeks.next12MonthsValue[i] as number) / (inDays.next12MonthsValue[i] as number) - 1));
    }
    expect(worst).toBeLessThan(1e-9);
    // Customer 1 (x = 2, t_x = 30.43, T = 38.86, E[M] = 24.65): a 12-month value of a few dollars, not the ×7 of a "30 units a month" slip.
    expect(inWeeks.next12MonthsValue[0]).toBeGreaterThan(0);
    expect(inWeeks.clv[0]).toBeLessThan(inWeeks.next12MonthsValue[0] as number);
  });

  it('falls back to direct evaluation when a model does not factorise', () => {
    // Named like BG/NBD, but E[Y] depends on t_x beyond P(alive): the spot check must catch it.
    const impostor: TransactionModel<Rates> = {
      ...decaying,
      name: 'bgnbd',
      conditionalExpectedTransactions: (p, t, h) => decaying.conditionalExpectedTransactions(p, t, h) * (1 + h.tx / h.T),
    };
    const scores = scoreCustomers(impostor, weekly, { x, tx, T }, 10, options);
    for (const i of [0, 1, 5, 100, 2000]) {
      const one = scoreCustomer(impostor, weekly, { x: x[i] as number, tx: tx[i] as number, T: T[i] as number }, 10, options);
      expect(scores.clv[i]).toBeCloseTo(one.clv, 12);
    }
  });
});
