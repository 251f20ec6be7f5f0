import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CentricDb } from '~/lib/db/db';
import { eraseStore, exportStore, parseBackup, restoreStore, summarizeStore } from '~/lib/db/lifecycle';
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
    transactions: await store.transactions.orderBy('key').toArray(),
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
    expect(await db.transactions.count()).toBe(6919);
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
    const duplicate = { ...good, tables: { ...good.tables, transactions: [...good.tables.transactions, good.tables.transactions[0]!] } };
    await expect(restoreStore(db, duplicate)).rejects.toThrow();
    expect(await snapshot(db)).toEqual(before);
  });

  it('erases everything, and the sample does not come back by itself', async () => {
    await eraseStore(db);
    expect(await db.customers.count()).toBe(0);
    expect(await db.transactions.count()).toBe(0);
    expect(await ensureSampleData(db, async () => readBundledSample())).toBe('present');
    expect(await db.customers.count()).toBe(0);
  });
});
