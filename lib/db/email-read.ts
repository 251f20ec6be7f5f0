/**
 * The lookup's hot path: a customer by email, the latest model run and the customer's value, in one
 * read transaction of the raw IndexedDB API under Dexie's connection. The three requests go out at
 * once (the value's bucket as soon as the customer's id is known), without Dexie's promise zone per
 * step: at 1,000,000 customers this is most of a lookup's store time (see docs/architecture.md).
 * Anything unexpected (the database not open, a schema being upgraded) answers null, and the caller
 * takes Dexie's general path, which reads the same records.
 */
import { BUCKETS, bucketOf } from './buckets';
import { findInBucket } from './value-buckets';
import type { ValueBucket } from './records';
import type { CentricDb } from './db';
import type { ModelRunRecord, StoredCustomer, StoredValue } from './records';

export interface EmailRead {
  customer: StoredCustomer;
  run: ModelRunRecord | undefined;
  value: StoredValue | undefined;
}

/** The customer with this (lower-cased) email, with the latest run and their stored value; undefined when no customer has it; null when the fast path is not available. */
export async function readByEmail(db: CentricDb, email: string): Promise<EmailRead | undefined | null> {
  if (!db.isOpen()) {
    try {
      await db.open();
    } catch {
      return null;
    }
  }
  let idb: IDBDatabase;
  try {
    idb = db.backendDB();
  } catch {
    return null;
  }
  return new Promise((resolve) => {
    let tx: IDBTransaction;
    try {
      tx = idb.transaction(['customers', 'modelRuns', 'valueBuckets'], 'readonly');
    } catch {
      resolve(null);
      return;
    }
    let customer: StoredCustomer | undefined;
    let run: ModelRunRecord | undefined;
    let runRead = false;
    let customerRead = false;
    let value: StoredValue | undefined;
    const readValue = () => {
      if (!runRead || !customerRead || !customer) return;
      const id = customer.id;
      const request = tx.objectStore('valueBuckets').get(bucketOf(id, run?.valueBuckets ?? BUCKETS));
      request.onsuccess = () => {
        value = findInBucket(request.result as ValueBucket | undefined, id);
      };
    };
    const byEmail = tx.objectStore('customers').index('emails').get(email);
    byEmail.onsuccess = () => {
      customer = byEmail.result as StoredCustomer | undefined;
      customerRead = true;
      readValue();
    };
    const latest = tx.objectStore('modelRuns').index('at').openCursor(null, 'prev');
    latest.onsuccess = () => {
      run = latest.result?.value as ModelRunRecord | undefined;
      runRead = true;
      readValue();
    };
    tx.oncomplete = () => resolve(customer ? { customer, run, value } : undefined);
    tx.onerror = () => resolve(null);
    tx.onabort = () => resolve(null);
  });
}
