/**
 * Scoring 1,000,000 customers: P(alive), expected transactions, Gamma-Gamma spend, 12-month value, lifetime value (DERT)
 * (monthly discounting) and tiers, from fitted parameters (the work of `centric score` minus file I/O).
 */
import { bgnbd } from '../../lib/clv/bgnbd';
import { scoreCustomers } from '../../lib/clv/clv';
import { conditionalExpectedSpendBatch } from '../../lib/clv/gammagamma';
import { DEFAULT_TIER_CONFIG, assignTiers } from '../../lib/tiers';
import { type Benchmark, rng, simulateBgnbd, withMemory } from './harness';

export const benchmarks: Benchmark[] = [
  {
    name: 'Score 1,000,000 customers (pAlive, E[Y], spend, 12-month value, lifetime value, tiers)',
    target: 2,
    run() {
      const n = 1_000_000;
      const data = simulateBgnbd(n, 21);
      const u = rng(5);
      const m = new Float64Array(n);
      for (let i = 0; i < n; i++) m[i] = data.x[i] ? 10 + u() * 60 : 0;
      const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
      const spendParams = { p: 6.25, q: 3.74, gamma: 15.44 };
      const options = { modelUnit: 'week' as const, horizon: { value: 12, unit: 'month' as const }, annualDiscountRate: 0.1, margin: 1 };
      // Warm-up on a slice.
      scoreCustomers(bgnbd, params, { x: data.x.subarray(0, 10000), tx: data.tx.subarray(0, 10000), T: data.T.subarray(0, 10000) }, 30, options);
      let distinct = 0;
      const r = withMemory(() => {
        const spend = conditionalExpectedSpendBatch(spendParams, data.x, m);
        const scores = scoreCustomers(bgnbd, params, data, spend, options);
        distinct = scores.distinctHistories;
        return assignTiers({ value: scores.clv, pAlive: scores.pAlive, x: data.x }, DEFAULT_TIER_CONFIG);
      });
      return {
        value: r.seconds,
        unit: 's',
        memoryMB: r.memoryMB,
        detail: `${distinct.toLocaleString('en-US')} distinct histories; tiers ${r.result.tierCounts.map((c) => c.toLocaleString('en-US')).join('/')}`,
      };
    },
  },
];
