import type { CentricDb } from '../db/db';
import { addPurchases, groupTransactions } from '../db/purchases';
import { readScoringSettings, scoreStore } from '../scoring/store';
import { parseSample } from './parse';

const SAMPLE_FLAG = 'sampleLoaded';

export interface SampleFiles {
  customersCsv: string;
  transactionsCsv: string;
}

/**
 * Writes the bundled sample into the store in one transaction (all or nothing), recorded as an
 * import run. Its keys are stable, so loading it again changes nothing but the "as of" time.
 */
export async function loadSampleData(db: CentricDb, files: SampleFiles, now: () => Date = () => new Date()): Promise<number> {
  const at = now().toISOString();
  const { customers, transactions } = parseSample(files.customersCsv, files.transactionsCsv, at);
  return db.transaction('rw', [db.customers, db.purchaseBuckets, db.importRuns, db.meta], async () => {
    const importRunId = await db.importRuns.add({
      kind: 'sample',
      fileName: 'Bundled sample (CDNOW)',
      startedAt: at,
      finishedAt: at,
      status: 'committed',
      rows: transactions.length,
      accepted: transactions.length,
      rejected: 0,
      mode: 'all-or-nothing',
      errors: [],
    });
    await db.customers.bulkPut(customers);
    await addPurchases(db, groupTransactions(transactions.map((t) => ({ ...t, importRunId }))));
    await db.meta.put({ key: SAMPLE_FLAG, value: true });
    return customers.length;
  });
}

/**
 * Loads the bundled sample into an empty store, once, and scores it, so a new user sees Centric
 * working at once.
 * A store that already holds customers, or from which the sample was loaded before, is left untouched.
 */
export async function ensureSampleData(
  db: CentricDb,
  readSample: () => Promise<SampleFiles>,
  now: () => Date = () => new Date(),
): Promise<'loaded' | 'present'> {
  const [flag, count] = await Promise.all([db.meta.get(SAMPLE_FLAG), db.customers.count()]);
  if (flag?.value !== undefined || count > 0) return 'present';
  await loadSampleData(db, await readSample(), now);
  await scoreStore(db, await readScoringSettings(db), { now });
  return 'loaded';
}

export async function isSampleLoaded(db: CentricDb): Promise<boolean> {
  return (await db.meta.get(SAMPLE_FLAG))?.value === true;
}
