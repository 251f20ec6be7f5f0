/**
 * Customers' values (the latest scoring's output), kept apart from the customer records in hash
 * buckets (lib/db/buckets.ts): a scoring run rewrites a few thousand bucket records instead of every
 * indexed customer record. The bucket count grows with the customers scored (about 32 a bucket, so a
 * lookup reads a small record at 1,000,000 customers too) and is recorded in the model run that wrote
 * them (`valueBuckets`; runs before it had 4,096). Readers join a customer with its value here.
 */
import { BUCKETS, readAllItems, readItems, removeItems, replaceAllItems, upsertItems } from './buckets';
import type { CentricDb } from './db';
import type { CustomerRecord, CustomerValue, StoredCustomer, StoredValue } from './records';

/** The value bucket count for `customers` customers: a power of two from 256 to 65,536, about 32 customers a bucket. */
export function valueBucketCount(customers: number): number {
  let count = 256;
  while (count < 65_536 && count * 32 < customers) count *= 2;
  return count;
}

/** The bucket count of the stored values (the latest model run's). */
export async function storedValueBuckets(db: CentricDb): Promise<number> {
  return (await db.modelRuns.orderBy('at').last())?.valueBuckets ?? BUCKETS;
}

function withoutId(stored: StoredValue): CustomerValue {
  const { customerId: _id, ...value } = stored;
  return value;
}

/** Above this many customers, joining reads the whole value table rather than their buckets. */
const READ_ALL_ABOVE = 2000;

/**
 * These customers with their values (a customer not scored has none). `buckets`: the stored values'
 * bucket count, when the caller has already read the latest model run.
 */
export async function withValues(db: CentricDb, customers: readonly StoredCustomer[], buckets?: number): Promise<CustomerRecord[]> {
  if (customers.length === 0) return [];
  if (customers.length > READ_ALL_ABOVE) {
    const all = await allValues(db);
    return customers.map((c) => ({ ...c, value: all.get(c.id) }));
  }
  const values = await readItems(db.valueBuckets, customers.map((c) => c.id), buckets ?? (await storedValueBuckets(db)));
  return customers.map((c, i) => {
    const v = values[i];
    return v ? { ...c, value: withoutId(v) } : { ...c };
  });
}

/** One customer with their value. */
export async function withValue(db: CentricDb, customer: StoredCustomer, buckets?: number): Promise<CustomerRecord>;
export async function withValue(db: CentricDb, customer: StoredCustomer | undefined, buckets?: number): Promise<CustomerRecord | undefined>;
export async function withValue(db: CentricDb, customer: StoredCustomer | undefined, buckets?: number): Promise<CustomerRecord | undefined> {
  return customer && (await withValues(db, [customer], buckets))[0];
}

/** Every stored value, by customer id. */
export async function allValues(db: CentricDb): Promise<Map<string, CustomerValue>> {
  const items = await readAllItems(db.valueBuckets);
  return new Map(items.map((v) => [v.customerId, withoutId(v)]));
}

/** Every stored value with its customer id (backups). */
export function allStoredValues(db: CentricDb): Promise<StoredValue[]> {
  return readAllItems(db.valueBuckets);
}

/**
 * Replaces every value with a scoring run's, bucketed by `count` (which the caller records in the
 * run: valueBucketCount of the customers scored). Call inside a transaction.
 */
export function replaceValues(db: CentricDb, values: Iterable<StoredValue>, count: number): Promise<void> {
  return replaceAllItems(db.valueBuckets, values, count);
}

/** Forgets these customers' values. Call inside a transaction with modelRuns. */
export async function removeValues(db: CentricDb, customerIds: readonly string[]): Promise<void> {
  await removeItems(db.valueBuckets, customerIds, await storedValueBuckets(db));
}

/** The stored form of a customer: everything but the value (which lives in its own table). */
export function storedCustomer(customer: CustomerRecord | StoredCustomer): StoredCustomer {
  const { value: _value, ...stored } = customer as CustomerRecord;
  return stored;
}

/** Writes customers with their values (each to its own table), in one transaction. */
export async function putCustomers(db: CentricDb, customers: readonly CustomerRecord[]): Promise<void> {
  await db.transaction('rw', db.customers, db.valueBuckets, db.modelRuns, async () => {
    const count = await storedValueBuckets(db);
    await db.customers.bulkPut(customers.map(storedCustomer));
    await removeItems(db.valueBuckets, customers.filter((c) => !c.value).map((c) => c.id), count);
    await upsertItems(db.valueBuckets, customers.flatMap((c) => (c.value ? [{ ...c.value, customerId: c.id }] : [])), undefined, count);
  });
}
