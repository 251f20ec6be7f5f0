import type { CentricDb } from '../db/db';
import { parseSample } from './parse';

const SAMPLE_FLAG = 'sampleLoaded';

/**
 * Loads the bundled sample into an empty store, once, in one transaction (all or nothing). A store
 * that already holds customers, or from which the sample was loaded before, is left untouched.
 */
export async function ensureSampleData(
  db: CentricDb,
  readSample: () => Promise<{ customersCsv: string; transactionsCsv: string }>,
  now: () => Date = () => new Date(),
): Promise<'loaded' | 'present'> {
  const [flag, count] = await Promise.all([db.meta.get(SAMPLE_FLAG), db.customers.count()]);
  if (flag?.value === true || count > 0) return 'present';
  const { customersCsv, transactionsCsv } = await readSample();
  const records = parseSample(customersCsv, transactionsCsv, now().toISOString());
  await db.transaction('rw', db.customers, db.meta, async () => {
    await db.customers.bulkPut(records);
    await db.meta.put({ key: SAMPLE_FLAG, value: true });
  });
  return 'loaded';
}

export async function isSampleLoaded(db: CentricDb): Promise<boolean> {
  return (await db.meta.get(SAMPLE_FLAG))?.value === true;
}
