/**
 * Per-customer data that is only ever read whole or one customer at a time (purchases, scores) is kept
 * in hash buckets: each record of a bucket table holds the items of every customer whose id hashes to
 * that bucket. Chromium's IndexedDB costs about 75 µs per record written, whatever its size, so 100,000
 * customers cost 8 s as 100,000 records and about 1.5 s as 4,096 buckets; reading one customer still
 * reads one small record (about 24 customers at 100,000, 244 at 1,000,000). See docs/storage.md.
 */
import type { Table } from 'dexie';
import type { Bucket } from './records';

/**
 * How many buckets a table has unless told otherwise (purchases always; values are re-bucketed at
 * every scoring for the number of customers, see lib/db/values.ts).
 */
export const BUCKETS = 4096;


/** The bucket of a customer id: 32-bit FNV-1a over its UTF-16 code units, modulo the bucket count. */
export function bucketOf(customerId: string, count: number = BUCKETS): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < customerId.length; i++) {
    hash ^= customerId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % count;
}

interface Keyed {
  customerId: string;
}

/** Items grouped into bucket records (for writing a whole table at once). */
export function toBuckets<T extends Keyed>(items: Iterable<T>, count: number = BUCKETS): Bucket<T>[] {
  const byBucket = new Map<number, T[]>();
  for (const item of items) {
    const b = bucketOf(item.customerId, count);
    const list = byBucket.get(b);
    if (list) list.push(item);
    else byBucket.set(b, [item]);
  }
  return [...byBucket].map(([bucket, list]) => ({ bucket, items: list }));
}

/** Every item of a bucket table. */
export async function readAllItems<T>(table: Table<Bucket<T>, number>): Promise<T[]> {
  const buckets = await table.toArray();
  return buckets.flatMap((b) => b.items);
}

/** The items of these customers, in the order asked (undefined where a customer has none). */
export async function readItems<T extends Keyed>(table: Table<Bucket<T>, number>, customerIds: readonly string[], count: number = BUCKETS): Promise<(T | undefined)[]> {
  const wanted = [...new Set(customerIds.map((id) => bucketOf(id, count)))];
  const buckets = await table.bulkGet(wanted);
  const byId = new Map<string, T>();
  const wantedIds = new Set(customerIds);
  for (const b of buckets) for (const item of b?.items ?? []) if (wantedIds.has(item.customerId)) byId.set(item.customerId, item);
  return customerIds.map((id) => byId.get(id));
}

/**
 * Puts items in (an item replaces the stored one of the same customer), with `merge` to combine a
 * stored item with the new one. Reads and rewrites only the buckets touched. Call inside a transaction.
 */
export async function upsertItems<T extends Keyed>(
  table: Table<Bucket<T>, number>,
  items: readonly T[],
  merge: (stored: T | undefined, incoming: T) => T = (_stored, incoming) => incoming,
  count: number = BUCKETS,
): Promise<T[]> {
  const incoming = toBuckets(items, count);
  const stored = await table.bulkGet(incoming.map((b) => b.bucket));
  const written: T[] = [];
  const updated = incoming.map(({ bucket, items: fresh }, i) => {
    const byId = new Map((stored[i]?.items ?? []).map((item) => [item.customerId, item]));
    for (const item of fresh) {
      const merged = merge(byId.get(item.customerId), item);
      byId.set(item.customerId, merged);
      written.push(merged);
    }
    return { bucket, items: [...byId.values()] };
  });
  await table.bulkPut(updated);
  return written;
}

/** Removes the items of these customers. Call inside a transaction. */
export async function removeItems<T extends Keyed>(table: Table<Bucket<T>, number>, customerIds: readonly string[], count: number = BUCKETS): Promise<void> {
  if (customerIds.length === 0) return;
  const gone = new Set(customerIds);
  const touched = [...new Set(customerIds.map((id) => bucketOf(id, count)))];
  const stored = await table.bulkGet(touched);
  const kept = stored.filter((b): b is Bucket<T> => b !== undefined).map((b) => ({ bucket: b.bucket, items: b.items.filter((item) => !gone.has(item.customerId)) }));
  await table.bulkPut(kept.filter((b) => b.items.length > 0));
  await table.bulkDelete(kept.filter((b) => b.items.length === 0).map((b) => b.bucket));
}

/** Replaces the whole table's content with these items. Call inside a transaction. */
export async function replaceAllItems<T extends Keyed>(table: Table<Bucket<T>, number>, items: Iterable<T>, count: number = BUCKETS): Promise<void> {
  await table.clear();
  await table.bulkPut(toBuckets(items, count));
}
