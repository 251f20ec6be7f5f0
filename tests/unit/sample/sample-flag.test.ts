// The store's "the data is the bundled sample" flag, which the Sample data markers follow.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CentricDb } from '~/lib/db/db';
import { eraseStore, exportStore, restoreStore } from '~/lib/db/lifecycle';
import { commitImport } from '~/lib/import/commit';
import { previewFile } from '~/lib/import/mapping';
import { readImport } from '~/lib/import/read';
import { ensureSampleData, isSampleLoaded, loadSampleData } from '~/lib/sample/install';
import { readBundledSample } from '../../helpers/sample';

const OWN = 'customer_id,date,amount\nA1,2024-01-02,10.00\nA1,2024-03-04,12.50\nB2,2024-02-03,99.00\n';
const ownBatch = () => readImport(OWN, previewFile(OWN, 'transactions').mapping);

let db: CentricDb;
let n = 0;
beforeEach(async () => {
  db = new CentricDb(`centric-sample-flag-${++n}`);
  await loadSampleData(db, readBundledSample());
});
afterEach(async () => {
  await db.delete();
});

describe('the sample flag', () => {
  it('is set on first run', async () => {
    expect(await isSampleLoaded(db)).toBe(true);
    const first = new CentricDb(`centric-sample-flag-first-${n}`);
    expect(await ensureSampleData(first, async () => readBundledSample())).toBe('loaded');
    expect(await isSampleLoaded(first)).toBe(true);
    await first.delete();
  });

  it('is cleared by importing your own data, and stays while the sample is kept beside it', async () => {
    await commitImport(db, ownBatch(), { fileName: 'own.csv', mode: 'all-or-nothing', keepSample: true });
    expect(await isSampleLoaded(db)).toBe(true);
    await commitImport(db, ownBatch(), { fileName: 'own.csv', mode: 'all-or-nothing' });
    expect(await isSampleLoaded(db)).toBe(false);
    expect(await db.customers.count()).toBe(2);
  });

  it('follows a restored backup: your own data clears it, a backup of the sample sets it', async () => {
    const sampleBackup = await exportStore(db);
    const own = new CentricDb(`centric-sample-flag-own-${n}`);
    await commitImport(own, ownBatch(), { fileName: 'own.csv', mode: 'all-or-nothing' });
    const ownBackup = await exportStore(own);
    await own.delete();

    await restoreStore(db, ownBackup);
    expect(await isSampleLoaded(db)).toBe(false);
    await restoreStore(db, sampleBackup);
    expect(await isSampleLoaded(db)).toBe(true);
  });

  it('is cleared by erasing, and the sample does not come back', async () => {
    await eraseStore(db);
    expect(await isSampleLoaded(db)).toBe(false);
    expect(await ensureSampleData(db, async () => readBundledSample())).toBe('present');
    expect(await isSampleLoaded(db)).toBe(false);
    await loadSampleData(db, readBundledSample());
    expect(await isSampleLoaded(db)).toBe(true);
  });
});
