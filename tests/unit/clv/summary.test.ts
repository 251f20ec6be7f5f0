import { describe, expect, it } from 'vitest';
import { ClvError } from '../../../lib/clv/errors';
import {
  type TransactionInput,
  cumulative,
  groupByCustomerDay,
  repeatTransactionsByPeriod,
  summarizeTransactions,
} from '../../../lib/clv/summary';
import { parseDay } from '../../../lib/clv/time';
import { readTransactionLog } from '../../../lib/csv/transactions';
import { readDataset, readSimpleCsv } from '../../helpers/datasets';

const CAL_END = parseDay('1997-09-30');
const END = parseDay('1998-06-30');

function cdnowInput(file: string, id?: string): { input: TransactionInput; ids: string[] } {
  const log = readTransactionLog(readDataset(file), id ? { id } : {});
  return {
    input: { customer: log.customer, day: log.day, amount: log.amount, customerCount: log.customers.length, lines: log.lines },
    ids: log.customers,
  };
}

describe('summarizeTransactions on CDNOW (source: btyd_cdnowSummary_cbs.csv, BTYD 2.4.3)', () => {
  const cbs = readSimpleCsv('btyd_cdnowSummary_cbs.csv');

  for (const [file, id] of [
    ['btyd_cdnowElog.csv', undefined],
    ['lifetimes_CDNOW_sample.txt', '2'],
  ] as const) {
    it(`${file}: weeks, calibration to 1997-09-30, holdout to 1998-06-30 -> exactly the cbs (x, x.star exact; t.x, T.cal, m.x to 1e-9)`, () => {
      const { input, ids } = cdnowInput(file, id);
      const s = summarizeTransactions(input, { unit: 'week', calibrationEnd: CAL_END, observationEnd: END });
      expect(s.x.length).toBe(cbs.length);
      expect(s.holdoutLength).toBe(39);
      cbs.forEach((row, i) => {
        expect(Number(ids[s.customer[i] as number])).toBe(Number(row.cust));
        expect(s.x[i]).toBe(Number(row.x));
        expect(s.xStar[i]).toBe(Number(row['x.star']));
        expect(Math.abs((s.tx[i] as number) - Number(row['t.x']))).toBeLessThan(1e-9);
        expect(Math.abs((s.T[i] as number) - Number(row['T.cal']))).toBeLessThan(1e-9);
        expect(Math.abs((s.m[i] as number) - Number(row['m.x']))).toBeLessThan(1e-9);
      });
      const sumXStar = s.xStar.reduce((a, b) => a + b, 0);
      expect(sumXStar).toBe(1882); // datasets/README.md
      expect(s.report).toMatchObject({ rows: 6919, customers: 2357, sameDayRowsMerged: 223, zeroValueDays: 8, negativeDays: 0 });
    });
  }

  it('actual weekly cumulative repeat transactions = btyd_cdnowSummary_cu_tracking.csv (78 weeks, exact)', () => {
    const { input } = cdnowInput('btyd_cdnowElog.csv');
    const days = groupByCustomerDay(input);
    const curve = cumulative(repeatTransactionsByPeriod(days, { unit: 'week', periods: 78, origin: parseDay('1997-01-01') }));
    const expected = readSimpleCsv('btyd_cdnowSummary_cu_tracking.csv').map((r) => Number(r.cum_repeat_transactions));
    expect(Array.from(curve)).toEqual(expected);
  });
});

describe('summary rules (docs/engine.md)', () => {
  // Customer 0: days 0, 0 (same day), 3, 10 (a return), 14; customer 1: only a return; customer 2: starts in the holdout.
  const input: TransactionInput = {
    customer: [0, 0, 0, 0, 0, 1, 2, 0],
    day: [100, 100, 103, 110, 114, 101, 120, 130],
    amount: [10, 5, 20, -7, 0, -3, 8, 4],
  };

  it('merges same-day rows, nets returns per day, counts zero-value days, reports every exclusion', () => {
    const s = summarizeTransactions(input, { unit: 'day', calibrationEnd: 115, observationEnd: 125 });
    expect(Array.from(s.customer)).toEqual([0]);
    expect(s.x[0]).toBe(2); // days 103 and 114 (110 nets negative: not a purchase)
    expect(s.tx[0]).toBe(14);
    expect(s.T[0]).toBe(15);
    expect(s.m[0]).toBe(10); // (20 + 0) / 2: the first purchase is excluded, zero-value days count
    expect(s.totalSpend[0]).toBe(15 + 20 - 7 + 0);
    expect(s.firstDay[0]).toBe(100);
    expect(s.lastDay[0]).toBe(114);
    expect(s.xStar[0]).toBe(0);
    expect(s.report).toEqual({
      rows: 8,
      customersInLog: 3,
      customers: 1,
      sameDayRowsMerged: 1,
      negativeRows: 2,
      zeroValueDays: 1,
      negativeDays: 2,
      negativeAmount: -10,
      customersWithoutPurchase: 1,
      customersAcquiredAfterCalibration: 1,
      rowsAfterObservationEnd: 1,
    });
  });

  it('counts holdout purchases and spend', () => {
    const s = summarizeTransactions(input, { unit: 'day', calibrationEnd: 105, observationEnd: 130 });
    expect(s.x[0]).toBe(1);
    expect(s.xStar[0]).toBe(2); // 114 and 130 (110 is a return)
    expect(s.holdoutSpend[0]).toBe(-7 + 0 + 4);
    expect(s.holdoutLength).toBe(25);
  });

  it('does not depend on the order of the rows', () => {
    const order = [7, 3, 1, 6, 0, 5, 2, 4];
    const shuffled: TransactionInput = {
      customer: order.map((i) => input.customer[i] as number),
      day: order.map((i) => input.day[i] as number),
      amount: order.map((i) => (input.amount as number[])[i] as number),
    };
    const a = summarizeTransactions(input, { unit: 'week', calibrationEnd: 115 });
    const b = summarizeTransactions(shuffled, { unit: 'week', calibrationEnd: 115 });
    expect(b.x).toEqual(a.x);
    expect(b.tx).toEqual(a.tx);
    expect(b.m).toEqual(a.m);
  });

  it('time units: week = 7 days, month = 365.25/12 days', () => {
    const log: TransactionInput = { customer: [0, 0], day: [0, 70] };
    expect(summarizeTransactions(log, { unit: 'week', calibrationEnd: 140 }).tx[0]).toBe(10);
    expect(summarizeTransactions(log, { unit: 'month', calibrationEnd: 140 }).T[0]).toBeCloseTo(140 / 30.4375, 12);
  });

  it('a log without amounts: every day is a purchase, m = 0', () => {
    const s = summarizeTransactions({ customer: [0, 0, 0], day: [1, 2, 2] }, { unit: 'day' });
    expect(s.hasAmounts).toBe(false);
    expect(s.x[0]).toBe(1);
    expect(s.m[0]).toBe(0);
    expect(s.T[0]).toBe(1); // observation end defaults to the last day
  });

  it('errors name the line of a missing date or amount', () => {
    const bad = { customer: [0, 0], day: [1, NaN], lines: [2, 3] };
    expect(() => summarizeTransactions(bad, { unit: 'day' })).toThrow(/line 3: the date/);
    expect(() => summarizeTransactions({ customer: [0], day: [1], amount: [NaN] }, { unit: 'day' })).toThrow(/row 1: the amount/);
    expect(() => summarizeTransactions({ customer: [], day: [] }, { unit: 'day' })).toThrow(ClvError);
    expect(() => summarizeTransactions({ customer: [0], day: [5] }, { unit: 'day', calibrationEnd: 9, observationEnd: 8 })).toThrow(/after the observation end/);
  });
});
