import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUCKETS, bucketOf, readAllItems, readItems, removeItems, replaceAllItems, toBuckets, upsertItems } from '~/lib/db/buckets';
import { CentricDb } from '~/lib/db/db';
import { addPurchases, readPurchases } from '~/lib/db/purchases';

let db: CentricDb;
let n = 0;
beforeEach(() => {
  db = new CentricDb(`centric-buckets-${++n}`);
});
afterEach(async () => {
  await db.delete();
});

const item = (customerId: string, note = '') => ({ customerId, note });

describe('hash buckets', () => {
  it('puts an id in the same bucket every time, within range, and spreads ids evenly', () => {
    expect(bucketOf('1981')).toBe(bucketOf('1981'));
    // FNV-1a 32-bit of "a" is 0xe40c292c (published test vector); 0xe40c292c mod 4096 = 0x92c.
    expect(bucketOf('a')).toBe(0x92c);
    const counts = new Uint32Array(BUCKETS);
    for (let i = 0; i < 100_000; i++) counts[bucketOf(`person${i}@company${i % 997}.example`)]!++;
    const mean = 100_000 / BUCKETS;
    expect(Math.max(...counts)).toBeLessThan(mean * 2.2);
    expect(Math.min(...counts)).toBeGreaterThan(mean * 0.3);
  });

  it('reads back what was written, one customer or all', async () => {
    await db.transaction('rw', db.valueBuckets, () => replaceAllItems(db.valueBuckets as never, [item('a'), item('b'), item('c')]));
    expect(((await readAllItems(db.valueBuckets as never)) as unknown[]).length).toBe(3);
    expect(await readItems(db.valueBuckets as never, ['c', 'x', 'a'])).toEqual([item('c'), undefined, item('a')]);
  });

  it('replaces an item of the same customer and keeps the others of its bucket', async () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `id${i}`);
    const sameBucket = ids.filter((id) => bucketOf(id) === bucketOf('id0')).slice(0, 3);
    expect(sameBucket.length).toBe(3);
    await db.transaction('rw', db.valueBuckets, () => upsertItems(db.valueBuckets as never, sameBucket.map((id) => item(id, 'old'))));
    await db.transaction('rw', db.valueBuckets, () => upsertItems(db.valueBuckets as never, [item(sameBucket[1]!, 'new')]));
    expect(await readItems(db.valueBuckets as never, sameBucket)).toEqual([item(sameBucket[0]!, 'old'), item(sameBucket[1]!, 'new'), item(sameBucket[2]!, 'old')]);
    await db.transaction('rw', db.valueBuckets, () => removeItems(db.valueBuckets as never, [sameBucket[0]!, sameBucket[2]!]));
    expect(await db.valueBuckets.count()).toBe(1);
    await db.transaction('rw', db.valueBuckets, () => removeItems(db.valueBuckets as never, [sameBucket[1]!]));
    expect(await db.valueBuckets.count()).toBe(0);
  });

  it('groups items by bucket without losing or repeating one', () => {
    const items = Array.from({ length: 5000 }, (_, i) => item(`c${i}`));
    const buckets = toBuckets(items);
    expect(buckets.flatMap((b) => b.items).length).toBe(5000);
    expect(new Set(buckets.map((b) => b.bucket)).size).toBe(buckets.length);
    for (const b of buckets) for (const it of b.items) expect(bucketOf(it.customerId)).toBe(b.bucket);
  });

  it('merges purchases of a customer added twice (same key = same purchase)', async () => {
    const first = { customerId: 'c1', keys: ['c1|1', 'c1|2'], dates: ['2024-01-01', '2024-02-01'], amounts: [10, 20], importRunIds: [1, 1] };
    const second = { customerId: 'c1', keys: ['c1|2', 'c1|3'], dates: ['2024-02-01', '2024-03-01'], amounts: [25, 30], importRunIds: [2, 2] };
    await db.transaction('rw', db.purchaseBuckets, () => addPurchases(db, [first]));
    await db.transaction('rw', db.purchaseBuckets, () => addPurchases(db, [second]));
    expect(await readPurchases(db, 'c1')).toEqual({ customerId: 'c1', keys: ['c1|1', 'c1|2', 'c1|3'], dates: ['2024-01-01', '2024-02-01', '2024-03-01'], amounts: [10, 25, 30], importRunIds: [1, 2, 2] });
  });
});
