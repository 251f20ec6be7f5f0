/**
 * Writes an import batch into the store in ONE IndexedDB transaction: either everything lands
 * (transactions, customers with recomputed facts, the import run) or nothing does. Keys are natural
 * (see lib/db/keys.ts), so importing the same file twice changes nothing.
 */
import type { CentricDb } from '../db/db';
import { addPurchases, factsOf, mergePurchases, removePurchases, type PurchaseEntry } from '../db/purchases';
import type { ImportRunRecord, StoredCustomer, SubscriptionRecord } from '../db/records';
import { removeValues } from '../db/values';
import type { PurchaseFacts } from '../messages/schema';
import { clearImportMarker, IMPORT_MARKER_KEY, markImportStarted } from './interrupted';
import type { CustomerDraft, ImportBatch } from './read';

export type CommitMode = 'all-or-nothing' | 'valid-only';

export class ImportRejected extends Error {
  constructor(readonly batch: ImportBatch) {
    super(
      `${batch.rejectedRows.toLocaleString('en-US')} of ${batch.rows.toLocaleString('en-US')} rows have problems, so nothing was imported. ` +
        'Fix them, or choose to import the valid rows only.',
    );
    this.name = 'ImportRejected';
  }
}

/** A file with no data rows (empty, or a header only): nothing to import, and no import run recorded. */
export class EmptyImport extends Error {
  constructor(fileName: string) {
    super(`${fileName || 'The file'} has no data rows, so nothing was imported.`);
    this.name = 'EmptyImport';
  }
}

/** The browser refused to store more (QuotaExceededError): the whole import was rolled back. */
export class StorageFull extends Error {
  constructor(fileName: string) {
    super(
      `The browser has no more room for Centric's data, so nothing from ${fileName || 'the file'} was imported (everything stored before is unchanged). ` +
        'Free disk space, or erase old data in Options → Data, then import again.',
    );
    this.name = 'StorageFull';
  }
}

/** True for the browser's "storage full" error, however IndexedDB or Dexie wrapped it. */
export function isQuotaError(error: unknown): boolean {
  for (let e = error as { name?: string; inner?: unknown } | undefined, depth = 0; e && depth < 5; e = e.inner as typeof e, depth++) {
    if (e.name === 'QuotaExceededError' || (e as { code?: number }).code === 22) return true;
  }
  return false;
}

export interface CommitResult {
  importRunId: number;
  customersWritten: number;
  transactionsWritten: number;
  subscriptionsWritten: number;
}

function mergeCustomer(existing: StoredCustomer | undefined, draft: CustomerDraft | undefined, id: string, facts: PurchaseFacts | undefined, at: string): StoredCustomer {
  const emails = new Set(existing?.emails ?? []);
  if (draft?.email) emails.add(draft.email.toLowerCase());
  const firstEmail = [...emails][0];
  const record: StoredCustomer = {
    ...existing,
    id,
    name: draft?.name ?? existing?.name ?? firstEmail ?? `Customer ${id}`,
    emails: [...emails],
    company: draft?.company ?? existing?.company,
    domain: existing?.domain ?? firstEmail?.split('@')[1],
    hostIds: existing?.hostIds ?? [],
    facts: facts ?? existing?.facts ?? factsOf(undefined),
    source: 'local',
    importedAt: at,
  };
  return record;
}

/**
 * The stored records of these ids (undefined for new ones). A large import into a store reads the
 * stored keys first and gets only the records that exist: a get per new id would cost as much as a put.
 */
async function storedCustomers(db: CentricDb, ids: readonly string[]): Promise<(StoredCustomer | undefined)[]> {
  if (ids.length < 1000) return db.customers.bulkGet([...ids]);
  const known = new Set(await db.customers.toCollection().primaryKeys());
  const present = ids.filter((id) => known.has(id));
  const records = new Map((await db.customers.bulkGet(present)).map((c, i) => [present[i]!, c]));
  return ids.map((id) => records.get(id));
}

export async function commitImport(
  db: CentricDb,
  batch: ImportBatch,
  run: {
    fileName: string;
    mode: CommitMode;
    now?: () => Date;
    keepSample?: boolean;
    /**
     * Called once the marker is stored, as the data transaction begins: from then on a browser that
     * closes leaves the marker, so the next options page says the import did not finish. The page says
     * "Saving" only from here (a person who closes the browser earlier has nothing to be told about).
     */
    onWriting?: () => void;
  },
): Promise<CommitResult> {
  if (batch.rows === 0) throw new EmptyImport(run.fileName);
  if (batch.rejectedRows > 0 && run.mode === 'all-or-nothing') throw new ImportRejected(batch);
  if (batch.rows === batch.rejectedRows) throw new ImportRejected(batch);
  const at = (run.now ?? (() => new Date()))().toISOString();
  // A marker first, removed in the same transaction as the data: if the browser stops during the
  // write, the marker tells the options page that an import was interrupted (lib/import/interrupted.ts).
  await markImportStarted(db, { fileName: run.fileName, startedAt: at, rows: batch.rows });
  run.onWriting?.();
  try {
    return await writeBatch(db, batch, run, at);
  } catch (error) {
    await clearImportMarker(db).catch(() => {});
    if (isQuotaError(error)) throw new StorageFull(run.fileName);
    throw error;
  }
}

function writeBatch(db: CentricDb, batch: ImportBatch, run: { fileName: string; mode: CommitMode; keepSample?: boolean }, at: string): Promise<CommitResult> {
  const tables = [db.customers, db.purchaseBuckets, db.valueBuckets, db.modelRuns, db.subscriptions, db.importRuns, db.meta];
  return db.transaction('rw', tables, async () => {
    const runRecord: ImportRunRecord = {
      kind: batch.kind,
      fileName: run.fileName,
      startedAt: at,
      finishedAt: at,
      status: 'committed',
      rows: batch.rows,
      accepted: batch.rows - batch.rejectedRows,
      rejected: batch.rejectedRows,
      mode: run.mode,
      errors: batch.issues.slice(0, 1000).map(({ line, field, message }) => ({ line, field, message })),
    };
    if (!run.keepSample) await removeSample(db);
    await db.meta.delete(IMPORT_MARKER_KEY);
    const importRunId = await db.importRuns.add(runRecord);
    const subscriptions: SubscriptionRecord[] = batch.subscriptions.map((s) => ({ ...s, importRunId }));
    await db.subscriptions.bulkPut(subscriptions);

    // Each touched customer's purchases: stored ones merged with the batch's (same key = same purchase).
    const entries = new Map<string, PurchaseEntry[]>();
    for (const t of batch.transactions) {
      const list = entries.get(t.customerId) ?? [];
      list.push({ key: t.key, date: t.date, amount: t.amount, importRunId });
      entries.set(t.customerId, list);
    }
    const buyers = [...entries.keys()];
    const purchases = await addPurchases(db, buyers.map((id) => mergePurchases(undefined, id, entries.get(id)!)));
    const facts = new Map(purchases.map((p) => [p.customerId, factsOf(p)]));

    const touched = new Set<string>([...batch.customers.map((c) => c.id), ...buyers]);
    const ids = [...touched];
    const existing = await storedCustomers(db, ids);
    const drafts = new Map(batch.customers.map((c) => [c.id, c]));
    const records = ids.map((id, i) => mergeCustomer(existing[i], drafts.get(id), id, facts.get(id), at));
    await db.customers.bulkPut(records);
    return {
      importRunId,
      customersWritten: records.length,
      transactionsWritten: batch.transactions.length,
      subscriptionsWritten: subscriptions.length,
    };
  });
}

/**
 * Removes the bundled sample's customers and transactions (your own data replaces the first look),
 * and marks it so that it is not loaded again by itself. Call inside a transaction.
 */
export async function removeSample(db: CentricDb): Promise<void> {
  if ((await db.meta.get('sampleLoaded'))?.value !== true) return;
  const sampleRuns = await db.importRuns.filter((r) => r.kind === 'sample').primaryKeys();
  const sampleCustomers = await db.customers.filter((c) => c.source === 'sample').primaryKeys();
  await removePurchases(db, sampleCustomers);
  await removeValues(db, sampleCustomers);
  await db.customers.bulkDelete(sampleCustomers);
  await db.importRuns.bulkDelete(sampleRuns);
  await db.meta.put({ key: 'sampleLoaded', value: false });
}
