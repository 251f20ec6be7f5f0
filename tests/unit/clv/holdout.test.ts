import { describe, expect, it } from 'vitest';
import { bgnbd } from '../../../lib/clv/bgnbd';
import {
  evaluateHoldout,
  expectedCumulativeTransactions,
  formatSignedPercent,
  holdoutSentence,
  trackCohort,
  trackingCurve,
} from '../../../lib/clv/holdout';
import { paretoNbd } from '../../../lib/clv/paretonbd';
import { groupByCustomerDay, repeatTransactionsByPeriod, summarizeTransactions } from '../../../lib/clv/summary';
import { parseDay } from '../../../lib/clv/time';
import { readTransactionLog } from '../../../lib/csv/transactions';
import { readDataset, readSimpleCsv } from '../../helpers/datasets';

const cbs = readSimpleCsv('btyd_cdnowSummary_cbs.csv').map((r) => ({
  x: Number(r.x),
  tx: Number(r['t.x']),
  T: Number(r['T.cal']),
  xStar: Number(r['x.star']),
}));
const data = {
  x: cbs.map((r) => r.x),
  tx: cbs.map((r) => r.tx),
  T: cbs.map((r) => r.T),
  xStar: cbs.map((r) => r.xStar),
};
// FHL 2005 (REFERENCE.md), unrounded MLE.
const BGNBD = { r: 0.2425945, alpha: 4.4136019, a: 0.7929199, b: 2.4258881 };
// Stored BTYD est.params for the tracking object (datasets/README.md).
const PNBD = { r: 0.553397143256635, alpha: 10.580198543474351, s: 0.606062497117662, beta: 11.656223670707698 };

describe('evaluateHoldout (CDNOW, 39-week holdout)', () => {
  const e = evaluateHoldout(bgnbd, BGNBD, data, 39);

  it('the actual column is the mean x* per calibration x, 7+ pooled (counted independently here)', () => {
    const byBucket = new Map<number, number[]>();
    for (const r of cbs) {
      const g = Math.min(7, r.x);
      byBucket.set(g, [...(byBucket.get(g) ?? []), r.xStar]);
    }
    expect(e.table.map((row) => row.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
    for (const row of e.table) {
      const values = byBucket.get(row.x) ?? [];
      expect(row.customers).toBe(values.length);
      expect(row.actual).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 12);
    }
    expect(e.table[0]?.customers).toBe(1411); // 946 customers have x > 0 (datasets/README.md)
    expect(e.actualTotal).toBe(1882);
  });

  it('the predicted column is the mean of E[Y(39) | x, t_x, T] per group, evaluated per customer here', () => {
    const sums = new Map<number, number>();
    for (const r of cbs) {
      const g = Math.min(7, r.x);
      sums.set(g, (sums.get(g) ?? 0) + bgnbd.conditionalExpectedTransactions(BGNBD, 39, r));
    }
    for (const row of e.table) expect(row.predicted).toBeCloseTo((sums.get(row.x) as number) / row.customers, 10);
    expect(e.predictedTotal).toBeCloseTo([...sums.values()].reduce((a, b) => a + b, 0), 8);
  });

  it('scores: aggregate error, table MAPE, customer MAE/RMSE and the plain sentence', () => {
    expect(e.aggregateError).toBeCloseTo((e.predictedTotal - 1882) / 1882, 12);
    const mape = e.table.reduce((s, r) => s + Math.abs(r.predicted - r.actual) / r.actual, 0) / e.table.length;
    expect(e.tableMape).toBeCloseTo(mape, 12);
    expect(e.rmse).toBeGreaterThan(e.mae);
    expect(e.sentence).toBe(holdoutSentence(e.predictedTotal, 1882));
    expect(e.sentence).toMatch(/^predicted 1,6\d\d repeat transactions in the holdout, actual 1,882 \(−1\d\.\d%\)$/);
  });
});

describe('sentence formatting', () => {
  it('matches the issue example', () => {
    expect(holdoutSentence(1820, 1882)).toBe('predicted 1,820 repeat transactions in the holdout, actual 1,882 (−3.3%)');
    expect(formatSignedPercent(0.0251)).toBe('+2.5%');
    expect(formatSignedPercent(0)).toBe('0.0%');
  });
});

describe('cumulative tracking', () => {
  it('one customer born at 0 tracks E[X(t)]: 1.0437 at 32 weeks, 1.8576 at 78 (FHL 2005, REFERENCE.md)', () => {
    const curve = expectedCumulativeTransactions(bgnbd, BGNBD, [0], 78);
    expect(curve[31]).toBeCloseTo(1.0437, 3);
    expect(curve[77]).toBeCloseTo(1.8576, 3);
  });

  it('customers born later only count from their birth', () => {
    const curve = expectedCumulativeTransactions(bgnbd, BGNBD, [0, 2.5], 4);
    expect(curve[1]).toBeCloseTo(bgnbd.expectedTransactionsNew(BGNBD, 2), 12);
    expect(curve[2]).toBeCloseTo(bgnbd.expectedTransactionsNew(BGNBD, 3) + bgnbd.expectedTransactionsNew(BGNBD, 0.5), 12);
  });

  const log = readTransactionLog(readDataset('btyd_cdnowElog.csv'));
  const input = { customer: log.customer, day: log.day, amount: log.amount, customerCount: log.customers.length };
  const summary = summarizeTransactions(input, { unit: 'week', calibrationEnd: parseDay('1997-09-30'), observationEnd: parseDay('1998-06-30') });
  const days = groupByCustomerDay(input);
  const actual = repeatTransactionsByPeriod(days, { unit: 'week', periods: 78 });
  const tracking = readSimpleCsv('btyd_cdnowSummary_cu_tracking.csv').map((r) => Number(r.cum_repeat_transactions));
  const timing = { firstDay: summary.firstDay, unitDays: 7, calibrationEnd: summary.calibrationEnd, observationEnd: summary.observationEnd };

  it('Pareto/NBD (BTYD est.params): actual curve = cu_tracking; predicted within 4% in every holdout week, 2% at week 78', () => {
    const t = trackCohort(paretoNbd, PNBD, timing, actual);
    expect(t.actual && Array.from(t.actual)).toEqual(tracking);
    expect(t.predicted.length).toBe(78);
    for (let j = 39; j < 78; j++) expect(Math.abs(t.relativeError?.[j] as number)).toBeLessThan(0.04);
    expect(Math.abs(t.finalRelativeError as number)).toBeLessThan(0.02);
    expect(t.holdoutMape).toBeLessThan(0.02);
  });

  it('BG/NBD (FHL 2005): predicted within 5% in every holdout week', () => {
    const t = trackCohort(bgnbd, BGNBD, timing, actual);
    for (let j = 39; j < 78; j++) expect(Math.abs(t.relativeError?.[j] as number)).toBeLessThan(0.05);
    expect(t.holdoutMape).toBeLessThan(0.03);
  });

  it('trackingCurve without actuals has no errors; mismatched lengths are rejected', () => {
    expect(trackingCurve(new Float64Array([1, 2]), null).mape).toBeNull();
    expect(() => trackingCurve(new Float64Array([1, 2]), [1])).toThrow(/periods/);
  });
});
