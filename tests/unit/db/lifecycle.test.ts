import { readAllPurchases, readPurchases } from '~/lib/db/purchases';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CentricDb } from '~/lib/db/db';
import { countTransactions, eraseStore, exportStore, parseBackup, restoreStore, summarizeStore } from '~/lib/db/lifecycle';
import { ensureSampleData, loadSampleData } from '~/lib/sample/install';
import { readBundledSample } from '../../helpers/sample';

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

  it('erases everything, and the sample does not come back by itself', async () => {
    await eraseStore(db);
    expect(await db.customers.count()).toBe(0);
    expect(await countTransactions(db)).toBe(0);
    expect(await ensureSampleData(db, async () => readBundledSample())).toBe('present');
    expect(await db.customers.count()).toBe(0);
  });
});
