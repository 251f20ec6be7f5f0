/**
 * The data lifecycle a manager controls from the options page: how much is stored and as of when,
 * export everything to one file and restore it, erase everything. Restore is all or nothing.
 */
import { z } from 'zod';
import type { CentricDb } from './db';
import { replaceAllItems } from './buckets';
import { countTransactions, groupTransactions, readAllPurchases } from './purchases';
import type { CustomerWithValue, PurchasesRecord, StoredValue } from './records';
import { latestRun, allStoredValues, replaceValues, storedCustomer, storedValueBuckets } from './values';
import { CURRENT_VERSION } from './schema';
import { backupSettingsSchema, settingsProblems } from '../backup/settings';

export const BACKUP_FORMAT = 'centric-backup';
/**
 * A backup's tables are logical, not the physical ones: purchases one record per customer, values one
 * per customer (schema version 4 keeps both in hash buckets). A backup from before version 4 has each
 * customer's value inside its customer record; restoring it moves the value to `values`.
 */
const TABLES = ['customers', 'purchases', 'values', 'subscriptions', 'importRuns', 'modelRuns', 'meta'] as const;
type BackupTable = (typeof TABLES)[number];
/** The tables stored one record per row, as in a backup. */
const PLAIN_TABLES = ['customers', 'subscriptions', 'importRuns', 'modelRuns', 'meta'] as const;

const physicalTables = (db: CentricDb) => [...PLAIN_TABLES.map((t) => db.table(t)), db.purchaseBuckets, db.valueBuckets];

export interface StoreSummary {
  customers: number;
  transactions: number;
  subscriptions: number;
  importRuns: number;
  modelRuns: number;
  /** Newest import and newest scoring, ISO timestamps or null. */
  lastImportAt: string | null;
  lastScoredAt: string | null;
  /** Bytes used by this extension's origin, when the browser reports it. */
  bytesUsed: number | null;
  bytesQuota: number | null;
}

export { countTransactions };

export async function summarizeStore(db: CentricDb): Promise<StoreSummary> {
  const [customers, transactions, subscriptions, importRuns, modelRuns, lastImport, lastModel] = await Promise.all([
    db.customers.count(),
    countTransactions(db),
    db.subscriptions.count(),
    db.importRuns.count(),
    db.modelRuns.count(),
    db.importRuns.where('status').equals('committed').reverse().sortBy('startedAt').then((runs) => runs[0]),
    latestRun(db),
  ]);
  const estimate = typeof navigator !== 'undefined' && navigator.storage?.estimate ? await navigator.storage.estimate() : null;
  return {
    customers,
    transactions,
    subscriptions,
    importRuns,
    modelRuns,
    lastImportAt: lastImport?.finishedAt ?? lastImport?.startedAt ?? null,
    lastScoredAt: lastModel?.at ?? null,
    bytesUsed: estimate?.usage ?? null,
    bytesQuota: estimate?.quota ?? null,
  };
}

const backupSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  schemaVersion: z.number().int().min(1).max(CURRENT_VERSION),
  exportedAt: z.string(),
  tables: z.object(Object.fromEntries(TABLES.map((t) => [t, z.array(z.record(z.string(), z.unknown())).default([])])) as unknown as Record<
    BackupTable,
    z.ZodArray<z.ZodRecord<z.ZodString, z.ZodUnknown>>
  >),
  /** The settings kept in extension storage (issue 16); absent in older backups, which restore the data only. */
  settings: backupSettingsSchema.optional(),
});

export type Backup = z.infer<typeof backupSchema>;

/** How many purchases a backup holds. */
export function backupTransactionCount(backup: Backup): number {
  return backup.tables.purchases.reduce((n, p) => n + (Array.isArray(p.keys) ? p.keys.length : 0), 0);
}

/** Everything in the store as one JSON-serialisable object (the lookup cache is left out: it refills itself). */
export async function exportStore(db: CentricDb, now: () => Date = () => new Date()): Promise<Backup> {
  return db.transaction('r', physicalTables(db), async () => {
    const tables = {} as Backup['tables'];
    for (const name of PLAIN_TABLES) tables[name] = (await db.table(name).toArray()) as Record<string, unknown>[];
    tables.purchases = (await readAllPurchases(db)) as unknown as Record<string, unknown>[];
    tables.values = (await allStoredValues(db)) as unknown as Record<string, unknown>[];
    return { format: BACKUP_FORMAT, schemaVersion: CURRENT_VERSION, exportedAt: now().toISOString(), tables };
  });
}

export class BackupError extends Error {}

/** Validates a backup file's content; throws a BackupError listing what is wrong (path and problem). */
export function parseBackup(text: string): Backup {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BackupError(`This is not a Centric backup: the file is not valid JSON (${(error as Error).message}).`);
  }
  const parsed = backupSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new BackupError(`This is not a valid Centric backup: ${problems.join('; ')}.`);
  }
  // Backups written before schema version 3 hold single purchases in a 'transactions' table.
  const legacy = (json as { tables?: { transactions?: unknown } }).tables?.transactions;
  if (parsed.data.tables.purchases.length === 0 && Array.isArray(legacy) && legacy.length > 0) {
    const rows = legacy.map((row: unknown, i) => {
      const r = row as { key?: unknown; customerId?: unknown; date?: unknown; amount?: unknown; importRunId?: unknown };
      if (typeof r.key !== 'string' || typeof r.customerId !== 'string' || typeof r.date !== 'string' || typeof r.amount !== 'number') {
        throw new BackupError(`This is not a valid Centric backup: tables.transactions.${i} is not a purchase.`);
      }
      return { key: r.key, customerId: r.customerId, date: r.date, amount: r.amount, importRunId: typeof r.importRunId === 'number' ? r.importRunId : 0 };
    });
    parsed.data.tables.purchases = groupTransactions(rows) as unknown as Record<string, unknown>[];
  }
  if (parsed.data.settings) {
    const problems = settingsProblems(parsed.data.settings);
    if (problems.length > 0) {
      throw new BackupError(`This is not a valid Centric backup: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? ` (and ${problems.length - 10} more)` : ''}.`);
    }
  }
  const customers = parsed.data.tables.customers;
  customers.forEach((c, i) => {
    if (typeof c.id !== 'string' || !Array.isArray(c.emails)) {
      throw new BackupError(`This is not a valid Centric backup: tables.customers.${i} has no id or emails.`);
    }
  });
  for (const table of ['purchases', 'values'] as const) {
    const seen = new Set<unknown>();
    parsed.data.tables[table].forEach((row, i) => {
      if (seen.has(row.customerId)) throw new BackupError(`This is not a valid Centric backup: tables.${table}.${i} repeats customer ${String(row.customerId)}.`);
      seen.add(row.customerId);
    });
  }
  parsed.data.tables.purchases.forEach((p, i) => {
    const arrays = [p.keys, p.dates, p.amounts, p.importRunIds];
    if (typeof p.customerId !== 'string' || !arrays.every((a) => Array.isArray(a) && a.length === (p.keys as unknown[]).length)) {
      throw new BackupError(`This is not a valid Centric backup: tables.purchases.${i} is not a customer's purchases.`);
    }
  });
  parsed.data.tables.values.forEach((v, i) => {
    if (typeof v.customerId !== 'string' || typeof v.clv !== 'number' || (typeof v.tier !== 'string' && typeof v.tierIndex !== 'number')) {
      throw new BackupError(`This is not a valid Centric backup: tables.values.${i} is not a customer's value.`);
    }
  });
  return parsed.data;
}

/**
 * Replaces the whole store with a backup, in one transaction: on any failure nothing changes. A backup
 * with settings also replaces the sources, so the answers cached from the sources and the score files'
 * scores go too (they are not in a backup; the sources are asked again).
 */
export async function restoreStore(db: CentricDb, backup: Backup): Promise<void> {
  const values = [...backup.tables.values] as unknown as StoredValue[];
  const customers = backup.tables.customers.map((row) => {
    const c = row as unknown as CustomerWithValue;
    if (c.value) values.push({ ...c.value, customerId: c.id });
    return storedCustomer(c);
  });
  await db.transaction('rw', [...physicalTables(db), db.runSnapshots, db.lookupCache, db.fileScores], async () => {
    // Snapshots belong to the replaced model runs: the restored store starts without them.
    await db.runSnapshots.clear();
    if (backup.settings) {
      await db.lookupCache.clear();
      await db.fileScores.clear();
    }
    for (const name of PLAIN_TABLES) {
      await db.table(name).clear();
      await db.table(name).bulkAdd(name === 'customers' ? customers : backup.tables[name]);
    }
    await replaceAllItems(db.purchaseBuckets, backup.tables.purchases as unknown as PurchasesRecord[]);
    await replaceValues(db, values, await storedValueBuckets(db));
  });
}

/** What erasing the database removed, per kind. */
export interface StoreErased {
  customers: number;
  transactions: number;
  subscriptions: number;
  importRuns: number;
  modelRuns: number;
  runSnapshots: number;
  /** Remote lookup services' answers kept in the cache. */
  cachedAnswers: number;
  /** Customers' scores from shared score files. */
  fileScores: number;
  /** Settings kept in the database (the scoring settings, an unfinished import's note…). */
  settings: number;
}

/** The meta record left after erasing: the bundled sample is not loaded again (a fresh install loads it). */
export const ERASED_MARKER = { key: 'sampleLoaded', value: false } as const;

/**
 * Erases every table of the database in one transaction (all or nothing) and says how much of each
 * kind it removed. Only one record is written back, ERASED_MARKER, so that the background's first-run
 * work does not load the bundled sample into the emptied store ("Load sample data" in Import does).
 */
export async function eraseStore(db: CentricDb): Promise<StoreErased> {
  return db.transaction('rw', db.tables, async () => {
    const fileScoreRows = await db.fileScores.toArray();
    const meta = await db.meta.toArray();
    const erased: StoreErased = {
      customers: await db.customers.count(),
      transactions: await countTransactions(db),
      subscriptions: await db.subscriptions.count(),
      importRuns: await db.importRuns.count(),
      modelRuns: await db.modelRuns.count(),
      runSnapshots: await db.runSnapshots.count(),
      cachedAnswers: await db.lookupCache.count(),
      fileScores: fileScoreRows.reduce((n, b) => n + b.items.filter((item) => item.key.startsWith('id:')).length, 0),
      // The sample flag is bookkeeping, not a setting the person made.
      settings: meta.filter((m) => m.key !== ERASED_MARKER.key).length,
    };
    for (const table of db.tables) await table.clear();
    await db.meta.put({ ...ERASED_MARKER });
    return erased;
  });
}
