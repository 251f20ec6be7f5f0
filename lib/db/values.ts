/**
 * Customers' values (the latest scoring's output), kept apart from the customer records in hash
 * buckets (lib/db/buckets.ts): a scoring run rewrites a few thousand bucket records instead of every
 * indexed customer record. The bucket count grows with the customers scored (about 32 a bucket, so a
 * lookup reads a small record at 1,000,000 customers too) and is recorded in the model run that wrote
 * them (`valueBuckets`; runs before it had 4,096). Readers join a customer with its value here.
 */
import { expandValue } from '../tiers/value-view';
import { BUCKETS, bucketOf, toBuckets } from './buckets';
import { findInBucket, packBucket, unpackBucket } from './value-buckets';
import type { CentricDb } from './db';
import type { CustomerWithValue, CustomerValue, FullStoredValue, ModelRunRecord, SlimValue, StoredCustomer, StoredValue } from './records';

/** The value bucket count for `customers` customers: a power of two from 256 to 65,536, about 32 customers a bucket. */
export function valueBucketCount(customers: number): number {
  let count = 256;
  while (count < 65_536 && count * 32 < customers) count *= 2;
  return count;
}

/** The bucket count of the stored values (the latest model run's). */
export async function storedValueBuckets(db: CentricDb): Promise<number> {
  return (await latestRun(db))?.valueBuckets ?? BUCKETS;
}

/** The latest model run (whose values are the stored ones). */
export function latestRun(db: CentricDb): Promise<ModelRunRecord | undefined> {
  return db.modelRuns.orderBy('at').last();
}

/** Above this many customers, joining reads the whole value table rather than their buckets. */
const READ_ALL_ABOVE = 2000;

/**
 * These customers with their values (a customer not scored has none). `run`: the latest model run,
 * when the caller has already read it (null: there is none).
 */
export async function withValues(db: CentricDb, customers: readonly StoredCustomer[], run?: ModelRunRecord | null): Promise<CustomerWithValue[]> {
  if (customers.length === 0) return [];
  const latest = run === undefined ? await latestRun(db) : (run ?? undefined);
  if (customers.length > READ_ALL_ABOVE) {
    const all = await allValues(db, latest ?? null);
    return customers.map((c) => ({ ...c, value: all.get(c.id) }));
  }
  const count = latest?.valueBuckets ?? BUCKETS;
  const wanted = [...new Set(customers.map((c) => bucketOf(c.id, count)))];
  const records = new Map((await db.valueBuckets.bulkGet(wanted)).map((r, i) => [wanted[i]!, r]));
  return customers.map((c) => {
    const v = findInBucket(records.get(bucketOf(c.id, count)), c.id);
    return v ? { ...c, value: expandValue(v, latest) } : { ...c };
  });
}

/** Every value of the table. */
async function readAllValues(db: CentricDb): Promise<StoredValue[]> {
  return (await db.valueBuckets.toArray()).flatMap(unpackBucket);
}

/** Writes these buckets' values (packed), deleting the buckets left empty. */
async function writeBuckets(db: CentricDb, buckets: ReadonlyMap<number, readonly StoredValue[]>): Promise<void> {
  const full = [...buckets].filter(([, values]) => values.length > 0);
  await db.valueBuckets.bulkPut(full.map(([bucket, values]) => packBucket(bucket, values)));
  await db.valueBuckets.bulkDelete([...buckets].filter(([, values]) => values.length === 0).map(([bucket]) => bucket));
}

/** The stored values of the buckets these customers hash to, by bucket (to change and write back). */
async function touchedBuckets(db: CentricDb, customerIds: readonly string[], count: number): Promise<Map<number, StoredValue[]>> {
  const touched = [...new Set(customerIds.map((id) => bucketOf(id, count)))];
  const records = await db.valueBuckets.bulkGet(touched);
  return new Map(touched.map((bucket, i) => [bucket, unpackBucket(records[i])]));
}

/** One customer with their value. */
export async function withValue(db: CentricDb, customer: StoredCustomer, run?: ModelRunRecord | null): Promise<CustomerWithValue>;
export async function withValue(db: CentricDb, customer: StoredCustomer | undefined, run?: ModelRunRecord | null): Promise<CustomerWithValue | undefined>;
export async function withValue(db: CentricDb, customer: StoredCustomer | undefined, run?: ModelRunRecord | null): Promise<CustomerWithValue | undefined> {
  return customer && (await withValues(db, [customer], run))[0];
}

/** Every stored value, by customer id. */
export async function allValues(db: CentricDb, run?: ModelRunRecord | null): Promise<Map<string, CustomerValue>> {
  const [items, latest] = await Promise.all([readAllValues(db), run === undefined ? latestRun(db) : (run ?? undefined)]);
  return new Map(items.map((v) => [v.customerId, expandValue(v, latest)]));
}

/** Every stored value with its customer id (backups). */
export function allStoredValues(db: CentricDb): Promise<StoredValue[]> {
  return readAllValues(db);
}

/**
 * Replaces every value with a scoring run's, bucketed by `count` (which the caller records in the
 * run: valueBucketCount of the customers scored). Call inside a transaction.
 */
export async function replaceValues(db: CentricDb, values: Iterable<StoredValue>, count: number): Promise<void> {
  await db.valueBuckets.clear();
  await db.valueBuckets.bulkPut(toBuckets(values, count).map((b) => packBucket(b.bucket, b.items)));
}

/** Forgets these customers' values. Call inside a transaction with modelRuns. */
export async function removeValues(db: CentricDb, customerIds: readonly string[]): Promise<void> {
  if (customerIds.length === 0) return;
  const gone = new Set(customerIds);
  const buckets = await touchedBuckets(db, customerIds, await storedValueBuckets(db));
  for (const [bucket, values] of buckets) buckets.set(bucket, values.filter((v) => !gone.has(v.customerId)));
  await writeBuckets(db, buckets);
}

/** The stored form of a customer: everything but the value (which lives in its own table). */
export function storedCustomer(customer: CustomerWithValue | StoredCustomer): StoredCustomer {
  const { value: _value, ...stored } = customer as CustomerWithValue;
  return stored;
}

/** Writes customers with their values (each to its own table), in one transaction. */
export async function putCustomers(db: CentricDb, customers: readonly CustomerWithValue[]): Promise<void> {
  await db.transaction('rw', db.customers, db.valueBuckets, db.modelRuns, async () => {
    const count = await storedValueBuckets(db);
    await db.customers.bulkPut(customers.map(storedCustomer));
    const buckets = await touchedBuckets(db, customers.map((c) => c.id), count);
    const written = new Set(customers.map((c) => c.id));
    for (const [bucket, values] of buckets) buckets.set(bucket, values.filter((v) => !written.has(v.customerId)));
    for (const c of customers) if (c.value) buckets.get(bucketOf(c.id, count))!.push({ ...c.value, customerId: c.id });
    await writeBuckets(db, buckets);
  });
}
