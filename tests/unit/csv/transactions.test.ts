import { describe, expect, it } from 'vitest';
import { CsvError } from '../../../lib/csv/errors';
import { readTransactionLog } from '../../../lib/csv/transactions';
import { readDataset } from '../../helpers/datasets';

function caught(f: () => unknown): CsvError {
  try {
    f();
  } catch (error) {
    if (error instanceof CsvError) return error;
    throw error;
  }
  throw new Error('expected a CsvError');
}

describe('readTransactionLog', () => {
  it('reads the BTYD CDNOW elog: 6,919 rows, 2,357 customers, total $244,091.94 (datasets/README.md)', () => {
    const log = readTransactionLog(readDataset('btyd_cdnowElog.csv'));
    expect(log.columns).toEqual({ id: 'sampleid', date: 'date', amount: 'sales' });
    expect(log.dateFormat).toBe('YYYYMMDD');
    expect(log.customer.length).toBe(6919);
    expect(log.customers.length).toBe(2357);
    const total = (log.amount ?? new Float64Array()).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(244091.94, 6);
    expect(Array.from(log.lines.slice(0, 3))).toEqual([2, 3, 4]);
  });

  it('reads the headerless whitespace CRLF sample to the same dates and amounts', () => {
    const csv = readTransactionLog(readDataset('btyd_cdnowElog.csv'));
    const txt = readTransactionLog(readDataset('lifetimes_CDNOW_sample.txt'), { id: '2' });
    expect(txt.columns).toEqual({ id: 'column 2', date: 'column 3', amount: 'column 5' });
    expect(Array.from(txt.day)).toEqual(Array.from(csv.day));
    expect(Array.from(txt.amount ?? [])).toEqual(Array.from(csv.amount ?? []));
    expect(txt.customers.map(Number)).toEqual(csv.customers.map(Number));
  });

  it('detects the columns of the headerless sample by their values (id = first column)', () => {
    const txt = readTransactionLog(readDataset('lifetimes_CDNOW_sample.txt'));
    expect(txt.columns).toEqual({ id: 'column 1', date: 'column 3', amount: 'column 5' });
  });

  it('reads logs without amounts', () => {
    const log = readTransactionLog(readDataset('btydplus_groceryElog.csv'));
    expect(log.amount).toBeNull();
    expect(log.customers.length).toBe(1525);
    expect(log.day.length).toBe(10483);
  });

  it('missing columns: says which are missing and which were found', () => {
    const error = caught(() => readTransactionLog('customer,amount\nA,1\nB,2\n'));
    expect(error.code).toBe('missing-columns');
    expect(error.message).toContain('Missing a date column');
    expect(error.message).toContain('"customer", "amount"');
  });

  it('an unknown column named by the user lists the columns', () => {
    const error = caught(() => readTransactionLog('id,date\nA,2024-01-01\n', { amount: 'price' }));
    expect(error.code).toBe('bad-option');
    expect(error.message).toContain('No column "price"');
  });

  it('ambiguous DD/MM vs MM/DD is an error that says how to fix it', () => {
    const error = caught(() => readTransactionLog('id,date\nA,01/02/2024\nB,03/04/2024\n'));
    expect(error.code).toBe('ambiguous-date');
    expect(error.message).toContain('--date-format');
    const log = readTransactionLog('id,date\nA,01/02/2024\nB,03/04/2024\n', { dateFormat: 'MM/DD/YYYY' });
    expect(log.day[0]).toBe(Date.UTC(2024, 0, 2) / 86400000);
  });

  it('a late day above 12 resolves day-first beyond the sample', () => {
    const rows = ['id,date'];
    for (let i = 0; i < 1500; i++) rows.push(`C${i},01/02/2024`);
    rows.push('Z,25/02/2024');
    const log = readTransactionLog(rows.join('\n'));
    expect(log.dateFormat).toBe('DD/MM/YYYY');
  });

  it('unparsable dates and amounts: line numbers, field names, values', () => {
    const error = caught(() => readTransactionLog('id,date,amount\nA,2024-01-01,1\nB,2024-01-02,x\nC,2024-13-01,2\n'));
    expect(error.code).toBe('bad-values');
    expect(error.issues.map((i) => [i.line, i.field, i.value])).toEqual([
      [3, 'amount', 'x'],
      [4, 'date', '2024-13-01'],
    ]);
  });
});
