import { describe, expect, it } from 'vitest';
import { TRANSACTION_MODELS } from '~/lib/clv/auto';
import { scoreCustomers } from '~/lib/clv/clv';
import { readTransactionLog } from '~/lib/csv/transactions';
import { scoreBase } from '~/lib/scoring/pipeline';
import { DEFAULT_SCORING_SETTINGS } from '~/lib/scoring/settings';

// A customer whose first purchase is on the last day of the data has T = 0: scored as a new customer.
describe('a customer acquired on the last day (T = 0)', () => {
  const params = {
    bgnbd: { r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 },
    mbgnbd: { r: 0.5248, alpha: 6.183, a: 0.8914, b: 1.614 },
    'pareto-nbd': { r: 0.5533, alpha: 10.578, s: 0.6062, beta: 11.669 },
  } as const;

  for (const name of ['bgnbd', 'mbgnbd', 'pareto-nbd'] as const) {
    it(`${name}: finite scores, equal to a new customer's expected transactions`, () => {
      const model = TRANSACTION_MODELS[name];
      const scores = scoreCustomers(model, params[name], { x: Float64Array.of(0), tx: Float64Array.of(0), T: Float64Array.of(0) }, 20, { modelUnit: 'week', annualDiscountRate: 0 });
      expect(Number.isFinite(scores.clv[0]!)).toBe(true);
      // BG/NBD and Pareto/NBD: alive at acquisition; MBG/NBD lets a customer drop at the first purchase.
      if (name !== 'mbgnbd') expect(scores.pAlive[0]).toBeCloseTo(1, 12);
      else expect(scores.pAlive[0]!).toBeLessThan(1);
      const horizon = (12 * 365.25) / 12 / 7;
      expect(scores.expectedTransactions[0]!).toBeCloseTo(model.expectedTransactionsNew(params[name], horizon), 8);
    });
  }

  it('the browser pipeline scores a log whose last day brings a new customer', () => {
    const text = 'customer,date,amount\na,2024-01-01,10\na,2024-02-01,12\nb,2024-01-15,30\nb,2024-03-01,31\nc,2024-06-30,50\n' +
      Array.from({ length: 40 }, (_, i) => `d${i},2024-0${1 + (i % 5)}-0${1 + (i % 9)},${10 + i}\nd${i},2024-06-0${1 + (i % 9)},${12 + i}`).join('\n');
    const log = readTransactionLog(text);
    const result = scoreBase({ customer: log.customer, day: log.day, amount: log.amount }, log.customers, DEFAULT_SCORING_SETTINGS);
    const c = log.customers.indexOf('c');
    const row = result.rowOf[c]!;
    expect(result.summary.T[row]).toBe(0);
    expect(Number.isFinite(result.scores.clv[row]!)).toBe(true);
  });
});
