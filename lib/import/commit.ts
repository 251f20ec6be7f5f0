/**
 * Writes an import batch into the store in ONE IndexedDB transaction: either everything lands
 * (transactions, customers with recomputed facts, the import run) or nothing does. Keys are natural
 * (see lib/db/keys.ts), so importing the same file twice changes nothing.
 */
import type { CentricDb } from '../db/db';
import type { CustomerRecord, ImportRunRecord, SubscriptionRecord, TransactionRecord } from '../db/records';
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

const NO_PURCHASES: PurchaseFacts = { orders: 0, totalSpent: 0, firstPurchase: '', lastPurchase: '' };

interface FactsAccumulator {
  orders: number;
  cents: number;
  first: string;
  last: string;
}

function accumulate(map: Map<string, FactsAccumulator>, t: { customerId: string; date: string; amount: number }): void {
  const a = map.get(t.customerId);
  const cents = Math.round(t.amount * 100);
  if (!a) map.set(t.customerId, { orders: 1, cents, first: t.date, last: t.date });
  else {
    a.orders++;
    a.cents += cents;
    if (t.date < a.first) a.first = t.date;
    if (t.date > a.last) a.last = t.date;
  }
}

function toFacts(a: FactsAccumulator | undefined): PurchaseFacts {
  return a ? { orders: a.orders, totalSpent: a.cents / 100, firstPurchase: a.first, lastPurchase: a.last } : NO_PURCHASES;
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
    facts: facts ?? existing?.facts ?? NO_PURCHASES,
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
  const tables = [db.customers, db.transactions, db.subscriptions, db.importRuns, db.meta];
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
    const hadTransactions = (await db.transactions.count()) > 0;

    const transactions: TransactionRecord[] = batch.transactions.map((t) => ({ ...t, importRunId }));
    await db.transactions.bulkPut(transactions);
    const subscriptions: SubscriptionRecord[] = batch.subscriptions.map((s) => ({ ...s, importRunId }));
    await db.subscriptions.bulkPut(subscriptions);

    // Purchase facts of every customer the batch touched, over all their stored transactions.
    const touched = new Set<string>([...batch.customers.map((c) => c.id), ...batch.transactions.map((t) => t.customerId)]);
    const facts = new Map<string, FactsAccumulator>();
    if (batch.transactions.length > 0) {
      if (!hadTransactions) for (const t of transactions) accumulate(facts, t);
      else
        await db.transactions.each((t) => {
          if (touched.has(t.customerId)) accumulate(facts, t);
        });
    }
    const ids = [...touched];
    const existing = await db.customers.bulkGet(ids);
    const drafts = new Map(batch.customers.map((c) => [c.id, c]));
    const records = ids.map((id, i) => mergeCustomer(existing[i], drafts.get(id), id, batch.transactions.length > 0 ? toFacts(facts.get(id)) : undefined, at));
    await db.customers.bulkPut(records);
    return {
      importRunId,
      customersWritten: records.length,
      transactionsWritten: transactions.length,
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
  for (const runId of sampleRuns) {
    await db.transactions.bulkDelete(await db.transactions.where('importRunId').equals(runId).primaryKeys());
  }
  await db.customers.bulkDelete(await db.customers.filter((c) => c.source === 'sample').primaryKeys());
  await db.importRuns.bulkDelete(sampleRuns);
  await db.meta.put({ key: 'sampleLoaded', value: false });
}
