import { describe, expect, it } from 'vitest';
import { demoIdentity } from '~/lib/sample/names';
import { parseSample } from '~/lib/sample/parse';
import { purchaseFacts } from '~/lib/sample/facts';
import { readBundledSample } from '../../helpers/sample';
import { readDataset } from '../../helpers/datasets';

describe('bundled sample data', () => {
  const { customersCsv, transactionsCsv } = readBundledSample();
  const { customers, transactions } = parseSample(customersCsv, transactionsCsv, '2026-01-01T00:00:00.000Z');

  it('holds the whole CDNOW sample: 2,357 customers, 6,919 transactions, $244,091.94', () => {
    expect(customers).toHaveLength(2357);
    expect(customers.reduce((n, c) => n + c.facts.orders, 0)).toBe(6919);
    expect(new Set(transactions.map((t) => t.key)).size).toBe(6919);
    const cents = customers.reduce((n, c) => n + Math.round(c.facts.totalSpent * 100), 0);
    expect(cents).toBe(24_409_194);
  });

  it('is exactly the shared dataset, with demo identities added', () => {
    const source = readDataset('lifetimes_CDNOW_sample.txt').trim().split(/\r?\n/);
    const bundled = transactionsCsv.trim().split('\n').slice(1);
    expect(bundled).toHaveLength(source.length);
    source.forEach((line, i) => {
      const [, id, date, , amount] = line.trim().split(/\s+/);
      const expected = `${Number(id)},${date!.slice(0, 4)}-${date!.slice(4, 6)}-${date!.slice(6)},${amount}`;
      expect(bundled[i]).toBe(expected);
    });
  });

  it('gives every customer a unique, deterministic demo email on a reserved domain', () => {
    const emails = new Set(customers.map((c) => c.emails[0]));
    expect(emails.size).toBe(2357);
    expect([...emails].every((e) => e!.endsWith('.example'))).toBe(true);
    expect(demoIdentity('1901')).toEqual(demoIdentity('1901'));
    expect(customers.find((c) => c.id === '1')).toMatchObject({
      name: demoIdentity('1').name,
      facts: { orders: 4, totalSpent: 100.5, firstPurchase: '1997-01-01', lastPurchase: '1997-12-12' },
    });
  });

  it('names the file and line of a malformed row', () => {
    expect(() => parseSample(customersCsv, 'customer_id,date,amount\n1,1997-01-01\n', 'x')).toThrow(
      'transactions.csv, line 2: expected 3 fields, found 2.',
    );
    expect(() => parseSample(customersCsv, 'customer_id,date,amount\n1,yesterday,3\n', 'x')).toThrow(
      /line 2: bad date "yesterday"/,
    );
  });

  it('computes facts without floating-point drift', () => {
    expect(purchaseFacts([{ date: '2020-01-02', amount: 0.1 }, { date: '2020-01-01', amount: 0.2 }])).toEqual({
      orders: 2,
      totalSpent: 0.3,
      firstPurchase: '2020-01-01',
      lastPurchase: '2020-01-02',
    });
    expect(() => purchaseFacts([])).toThrow(/at least one purchase/);
  });
});
