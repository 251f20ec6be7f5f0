import { describe, expect, it } from 'vitest';
import type { FullStoredValue, SlimValue } from '~/lib/db/records';
import { findInBucket, packBucket, unpackBucket } from '~/lib/db/value-buckets';

const slim = (id: string, k: number, firstDay?: number, lifetimeValue?: number): SlimValue => ({
  customerId: id,
  modelRunId: 3,
  x: k,
  tx: k * 1.5,
  T: 40.25,
  monetary: 12.5 + k,
  pAlive: 0.125 * k,
  expectedTransactions: 1 / 3,
  expectedSpend: 20.1,
  clv: 100.7 * k,
  next12Months: 50.3,
  tierIndex: k % 4,
  rank: k + 1,
  flagBits: k % 8,
  ...(firstDay === undefined ? {} : { firstDay }),
  ...(lifetimeValue === undefined ? {} : { lifetimeValue }),
});

const whole = { customerId: 'w', model: 'bgnbd', modelRunId: 1, x: 1, tx: 4, T: 9, monetary: 40, pAlive: 0.8, expectedTransactions: 1.2, expectedSpend: 35, clv: 120, next12Months: 30, tier: 'Gold', tierIndex: 1, tierCount: 4, tierColor: '#b45309', tierForeground: '#ffffff', rank: 1, flags: [], explanation: 'Gold.', flagExplanations: [], scoredAt: '2026-01-02T00:00:00.000Z' } satisfies FullStoredValue;

describe('a value bucket record', () => {
  it('packs slim values in columns (one typed array) and gives them back exactly, an unknown first day left out', () => {
    const values = [slim('a', 1, 19_000), slim('b', 2), slim('c', 3, 0)];
    const record = packBucket(7, values);
    expect(record.items).toBeUndefined();
    expect(record.ids).toEqual(['a', 'b', 'c']);
    expect(record.numbers).toBeInstanceOf(Float64Array);
    expect(unpackBucket(structuredClone(record))).toEqual(values);
    expect(findInBucket(record, 'b')).toEqual(values[1]);
    expect(findInBucket(record, 'z')).toBeUndefined();
  });

  it('keeps values stored whole as they are, beside packed ones, and reads records written before packing', () => {
    const record = packBucket(1, [whole, slim('a', 1)]);
    expect(record.items).toEqual([whole]);
    expect(unpackBucket(record)).toEqual([whole, slim('a', 1)]);
    expect(findInBucket(record, 'w')).toEqual(whole);
    const before = { bucket: 2, items: [whole, slim('s', 2)] };
    expect(unpackBucket(before)).toEqual(before.items);
    expect(findInBucket(before, 's')).toEqual(slim('s', 2));
    expect(unpackBucket(undefined)).toEqual([]);
  });

  it('stores the lifetime value, and reads buckets packed before it existed (14 numbers a customer) without it', () => {
    const values = [slim('a', 1, 19_000, 812.5), slim('b', 2, undefined, 0)];
    expect(unpackBucket(structuredClone(packBucket(1, values)))).toEqual(values);
    // A bucket as issue 15's code wrote it: no width, 14 numbers per customer, firstDay last.
    const old = [slim('p', 1, 19_000), slim('q', 2)];
    const columns = ['modelRunId', 'x', 'tx', 'T', 'monetary', 'pAlive', 'expectedTransactions', 'expectedSpend', 'clv', 'next12Months', 'tierIndex', 'rank', 'flagBits', 'firstDay'] as const;
    const numbers = Float64Array.from(old.flatMap((v) => columns.map((c) => (v[c] as number | undefined) ?? Number.NaN)));
    const before = { bucket: 3, ids: ['p', 'q'], numbers };
    expect(unpackBucket(before)).toEqual(old);
    expect(findInBucket(before, 'q')).toEqual(old[1]);
    expect(findInBucket(before, 'q')).not.toHaveProperty('lifetimeValue');
  });
});
