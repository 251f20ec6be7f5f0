import { readAllPurchases, readPurchases } from '~/lib/db/purchases';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CentricDb } from '~/lib/db/db';
import { countTransactions, ERASED_MARKER, eraseStore, exportStore, parseBackup, restoreStore, summarizeStore } from '~/lib/db/lifecycle';
import { ensureSampleData, loadSampleData } from '~/lib/sample/install';
import { readBundledSample } from '../../helpers/sample';
import { replaceFileScores } from '~/lib/db/file-scores';
import { readScoringSettings, scoreStore, writeScoringSettings } from '~/lib/scoring/store';

let db: CentricDb;
let n = 0;
beforeEach(async () => {
  db = new CentricDb(`centric-lifecycle-${++n}`);
  await loadSampleData(db, readBundledSample(), () => new Date('2026-02-03T04:05:06Z'));
});
afterEach(async () => {
  await db.delete();
});

async function snapshot(store: CentricDb) {
  return {
    customers: await store.customers.orderBy('id').toArray(),
    purchases: (await readAllPurchases(store)).sort((a, b) => a.customerId.localeCompare(b.customerId)),
    importRuns: await store.importRuns.toArray(),
    meta: await store.meta.toArray(),
  };
}

describe('data lifecycle', () => {
  it('summarises what is stored and as of when', async () => {
    const summary = await summarizeStore(db);
    expect(summary).toMatchObject({ customers: 2357, transactions: 6919, importRuns: 1, lastImportAt: '2026-02-03T04:05:06.000Z' });
  });

  it('loading the sample twice duplicates nothing', async () => {
    await loadSampleData(db, readBundledSample());
    expect(await db.customers.count()).toBe(2357);
    expect(await countTransactions(db)).toBe(6919);
    expect(await readAllPurchases(db)).toHaveLength(2357);
  });

  it('exports everything and restores it exactly into an empty store', async () => {
    const backup = parseBackup(JSON.stringify(await exportStore(db)));
    const other = new CentricDb(`centric-lifecycle-restore-${n}`);
    await restoreStore(other, backup);
    expect(await snapshot(other)).toEqual(await snapshot(db));
    await other.delete();
  });

  it('rejects a broken backup with a specific reason and changes nothing', async () => {
    const before = await snapshot(db);
    expect(() => parseBackup('{"format":"centric-backup"')).toThrow(/not valid JSON/);
    expect(() => parseBackup(JSON.stringify({ format: 'other' }))).toThrow(/format/);
    const good = await exportStore(db);
    const bad = { ...good, tables: { ...good.tables, customers: [{ name: 'no id' }] } };
    expect(() => parseBackup(JSON.stringify(bad))).toThrow(/tables.customers.0 has no id/);
    // A backup whose write fails half-way (duplicate keys) leaves the store as it was.
    const duplicate = { ...good, tables: { ...good.tables, meta: [...good.tables.meta, good.tables.meta[0]!] } };
    await expect(restoreStore(db, duplicate)).rejects.toThrow();
    const twice = { ...good, tables: { ...good.tables, purchases: [...good.tables.purchases, good.tables.purchases[0]!] } };
    expect(() => parseBackup(JSON.stringify(twice))).toThrow(/tables\.purchases\.2357 repeats customer /);
    expect(await snapshot(db)).toEqual(before);
  });

  it('restores a backup written before purchases were kept per customer', async () => {
    const good = await exportStore(db);
    const rows = good.tables.purchases.flatMap((p) =>
      (p.keys as string[]).map((key, i) => ({ key, customerId: p.customerId, date: (p.dates as string[])[i], amount: (p.amounts as number[])[i], importRunId: 1 })),
    );
    const legacy = { ...good, schemaVersion: 2, tables: { ...good.tables, purchases: undefined, transactions: rows } };
    const backup = parseBackup(JSON.stringify(legacy));
    const other = new CentricDb(`centric-lifecycle-legacy-${n}`);
    await restoreStore(other, backup);
    expect(await countTransactions(other)).toBe(6919);
    expect((await readPurchases(other, '1'))?.dates).toEqual(['1997-01-01', '1997-01-18', '1997-08-02', '1997-12-12']);
    await other.delete();
  });

  it('erases every table, says how much of each kind, and the sample does not come back by itself', async () => {
    await scoreStore(db, await readScoringSettings(db), { now: () => new Date('2026-02-03T05:00:00Z') });
    await writeScoringSettings(db, { ...(await readScoringSettings(db)), horizonMonths: 24 });
    await db.lookupCache.put({ key: 'api|email:ana@li.example', value: { tier: 'Gold' }, fetchedAt: '2026-02-03T05:00:00Z', expiresAt: '2026-02-04T05:00:00Z' });
    await replaceFileScores(db, 'team-file', [{ customerId: 'C-1', email: 'c1@x.example', tier: 'Gold' }, { customerId: 'C-2', tier: 'Iron' }]);
    const erased = await eraseStore(db);
    expect(erased).toEqual({
      customers: 2357,
      transactions: 6919,
      subscriptions: 0,
      importRuns: 1,
      modelRuns: 1,
      runSnapshots: 1,
      cachedAnswers: 1,
      fileScores: 2,
      settings: 1,
    });
    for (const table of db.tables) {
      if (table.name === 'meta') expect(await table.toArray()).toEqual([ERASED_MARKER]);
      else expect([table.name, await table.count()]).toEqual([table.name, 0]);
    }
    expect(await ensureSampleData(db, async () => readBundledSample())).toBe('present');
    expect(await db.customers.count()).toBe(0);
  });
});
