/**
 * A customer's purchases, kept as one item per customer (parallel arrays) rather than one record per
 * transaction, and the items kept in hash buckets (lib/db/buckets.ts): IndexedDB's cost is per record.
 * Natural keys (lib/db/keys.ts) still make imports idempotent.
 */
import type { PurchaseFacts } from '../messages/schema';
import { readAllItems, readItems, removeItems, upsertItems } from './buckets';
import type { CentricDb } from './db';
import type { PurchasesRecord } from './records';

export interface PurchaseEntry {
  key: string;
  date: string;
  amount: number;
  importRunId: number;
}

export function emptyPurchases(customerId: string): PurchasesRecord {
  return { customerId, keys: [], dates: [], amounts: [], importRunIds: [] };
}

/** Adds entries to a customer's record (an entry whose key is already there replaces it). Returns a new record. */
export function mergePurchases(existing: PurchasesRecord | undefined, customerId: string, entries: readonly PurchaseEntry[]): PurchasesRecord {
  const record = existing
    ? { customerId, keys: [...existing.keys], dates: [...existing.dates], amounts: [...existing.amounts], importRunIds: [...existing.importRunIds] }
    : emptyPurchases(customerId);
  const position = new Map(record.keys.map((k, i) => [k, i]));
  for (const e of entries) {
    const i = position.get(e.key);
    if (i === undefined) {
      position.set(e.key, record.keys.length);
      record.keys.push(e.key);
      record.dates.push(e.date);
      record.amounts.push(e.amount);
      record.importRunIds.push(e.importRunId);
    } else {
      record.dates[i] = e.date;
      record.amounts[i] = e.amount;
      record.importRunIds[i] = e.importRunId;
    }
  }
  return record;
}

/** Orders, total spent (to the cent), first and last purchase of one record; none for an empty one. */
export function factsOf(record: PurchasesRecord | undefined): PurchaseFacts {
  if (!record || record.keys.length === 0) return { orders: 0, totalSpent: 0, firstPurchase: '', lastPurchase: '' };
  let cents = 0;
  let first = record.dates[0]!;
  let last = first;
  for (let i = 0; i < record.dates.length; i++) {
    const d = record.dates[i]!;
    cents += Math.round(record.amounts[i]! * 100);
    if (d < first) first = d;
    if (d > last) last = d;
  }
  return { orders: record.keys.length, totalSpent: cents / 100, firstPurchase: first, lastPurchase: last };
}

/** Groups per-transaction rows (older stores, older backups) into per-customer records. */
export function groupTransactions(rows: readonly { key: string; customerId: string; date: string; amount: number; importRunId: number }[]): PurchasesRecord[] {
  const byCustomer = new Map<string, PurchaseEntry[]>();
  for (const r of rows) {
    const list = byCustomer.get(r.customerId) ?? [];
    list.push(r);
    byCustomer.set(r.customerId, list);
  }
  return [...byCustomer].map(([customerId, entries]) => mergePurchases(undefined, customerId, entries));
}

/** Purchases of one customer (undefined when they have none). */
export async function readPurchases(db: CentricDb, customerId: string): Promise<PurchasesRecord | undefined> {
  return (await readItems(db.purchaseBuckets, [customerId]))[0];
}

/** Every customer's purchases. */
export function readAllPurchases(db: CentricDb): Promise<PurchasesRecord[]> {
  return readAllItems(db.purchaseBuckets);
}

/** Adds purchases (same key = same purchase, replaced); returns each touched customer's whole record. Call inside a transaction. */
export function addPurchases(db: CentricDb, records: readonly PurchasesRecord[]): Promise<PurchasesRecord[]> {
  return upsertItems(db.purchaseBuckets, records, (stored, incoming) =>
    stored ? mergePurchases(stored, incoming.customerId, incoming.keys.map((key, i) => ({ key, date: incoming.dates[i]!, amount: incoming.amounts[i]!, importRunId: incoming.importRunIds[i]! }))) : incoming,
  );
}

/** Removes these customers' purchases. Call inside a transaction. */
export function removePurchases(db: CentricDb, customerIds: readonly string[]): Promise<void> {
  return removeItems(db.purchaseBuckets, customerIds);
}

/** Purchases stored, over all customers. */
export async function countTransactions(db: CentricDb): Promise<number> {
  let count = 0;
  await db.purchaseBuckets.each((b) => {
    for (const p of b.items) count += p.keys.length;
  });
  return count;
}
