/**
 * Writes an import batch into the store in ONE IndexedDB transaction: either everything lands
 * (transactions, customers with recomputed facts, the import run) or nothing does. Keys are natural
 * (see lib/db/keys.ts), so importing the same file twice changes nothing.
 */
import type { CentricDb } from '../db/db';
import { factsOf, mergePurchases, type PurchaseEntry } from '../db/purchases';
import type { CustomerRecord, ImportRunRecord, SubscriptionRecord } from '../db/records';
import type { PurchaseFacts } from '../messages/schema';
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

export interface CommitResult {
  importRunId: number;
  customersWritten: number;
  transactionsWritten: number;
  subscriptionsWritten: number;
}

function mergeCustomer(existing: CustomerRecord | undefined, draft: CustomerDraft | undefined, id: string, facts: PurchaseFacts | undefined, at: string): CustomerRecord {
  const emails = new Set(existing?.emails ?? []);
  if (draft?.email) emails.add(draft.email.toLowerCase());
  const firstEmail = [...emails][0];
  const record: CustomerRecord = {
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

export async function commitImport(
  db: CentricDb,
  batch: ImportBatch,
  run: { fileName: string; mode: CommitMode; now?: () => Date; keepSample?: boolean },
): Promise<CommitResult> {
  if (batch.rejectedRows > 0 && run.mode === 'all-or-nothing') throw new ImportRejected(batch);
  const at = (run.now ?? (() => new Date()))().toISOString();
  const tables = [db.customers, db.purchases, db.subscriptions, db.importRuns, db.meta];
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
    const stored = await db.purchases.bulkGet(buyers);
    const purchases = buyers.map((id, i) => mergePurchases(stored[i], id, entries.get(id)!));
    await db.purchases.bulkPut(purchases);
    const facts = new Map(purchases.map((p) => [p.customerId, factsOf(p)]));

    const touched = new Set<string>([...batch.customers.map((c) => c.id), ...buyers]);
    const ids = [...touched];
    const existing = await db.customers.bulkGet(ids);
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
  await db.purchases.bulkDelete(sampleCustomers);
  await db.customers.bulkDelete(sampleCustomers);
  await db.importRuns.bulkDelete(sampleRuns);
  await db.meta.put({ key: 'sampleLoaded', value: false });
}
