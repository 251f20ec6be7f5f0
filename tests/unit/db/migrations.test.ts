import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { CentricDb } from '~/lib/db/db';
import { CURRENT_VERSION, SCHEMA_VERSIONS } from '~/lib/db/schema';

let counter = 0;
const uniqueName = () => `centric-migration-${++counter}`;

/** Records a store of each version held, written through that version's own schema. */
const SEED: Record<number, (db: Dexie) => Promise<void>> = {
  1: async (db) => {
    await db.table('customers').bulkPut([
      {
        id: '1', name: 'Ana Li', emails: ['ana@li.example'], company: 'Li & Co', domain: 'li.example',
        facts: { orders: 3, totalSpent: 99.5, firstPurchase: '1997-01-01', lastPurchase: '1997-03-01' },
        source: 'sample', importedAt: '2026-01-01T00:00:00.000Z',
      },
      {
        id: '2', name: 'Bo Ek', emails: ['bo@ek.example', 'b.ek@ek.example'],
        facts: { orders: 1, totalSpent: 10, firstPurchase: '1997-02-01', lastPurchase: '1997-02-01' },
        source: 'local', importedAt: '2026-01-01T00:00:00.000Z',
      },
    ]);
    await db.table('meta').put({ key: 'sampleLoaded', value: true });
  },
  2: async (db) => {
    await SEED[1]!(db);
    await db.table('customers').update('1', { hostIds: [] });
    await db.table('customers').update('2', { hostIds: [] });
    await db.table('importRuns').add({ kind: 'sample', fileName: 's', startedAt: 'x', status: 'committed', rows: 4, accepted: 4, rejected: 0, mode: 'all-or-nothing', errors: [] });
    await db.table('transactions').bulkPut([
      { key: '1|1997-01-01|3000|0', customerId: '1', date: '1997-01-01', amount: 30, importRunId: 1 },
      { key: '1|1997-02-01|4000|0', customerId: '1', date: '1997-02-01', amount: 40, importRunId: 1 },
      { key: '1|1997-03-01|2950|0', customerId: '1', date: '1997-03-01', amount: 29.5, importRunId: 1 },
      { key: '2|1997-02-01|1000|0', customerId: '2', date: '1997-02-01', amount: 10, importRunId: 1 },
    ]);
  },
};

/** What each upgrade must have made of the seeded purchases, by the version it started from. */
const PURCHASES_AFTER: Record<number, Record<string, number>> = { 1: {}, 2: { '1': 3, '2': 1 } };

describe('database migrations', () => {
  it('declares versions in order, the newest being current', () => {
    const versions = SCHEMA_VERSIONS.map((v) => v.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(CURRENT_VERSION).toBe(versions[versions.length - 1]);
  });

  for (const { version } of SCHEMA_VERSIONS.filter((v) => v.version < CURRENT_VERSION)) {
    it(`upgrades a store of version ${version}, with data in it, keeping every record`, async () => {
      const name = uniqueName();
      const old = new CentricDb(name, version);
      await old.open();
      const seed = SEED[version];
      expect(seed, `write a SEED for version ${version}`).toBeDefined();
      await seed!(old);
      const before = await old.table('customers').toArray();
      const metaBefore = await old.table('meta').toArray();
      old.close();

      const db = new CentricDb(name);
      await db.open();
      expect(db.verno).toBe(CURRENT_VERSION);
      const after = await db.customers.toArray();
      expect(after).toHaveLength(before.length);
      for (const record of before) {
        const upgraded = after.find((c) => c.id === record.id)!;
        expect(upgraded).toMatchObject(record); // every old field kept as it was
        expect(upgraded.hostIds).toEqual([]);
      }
      expect(await db.meta.toArray()).toEqual(metaBefore);
      // The new indexes work on upgraded data.
      expect((await db.customers.where('emails').equals('b.ek@ek.example').first())?.id).toBe('2');
      const purchases = Object.fromEntries((await db.purchases.toArray()).map((p) => [p.customerId, p.keys.length]));
      expect(purchases).toEqual(PURCHASES_AFTER[version]);
      if (version === 2) expect((await db.purchases.get('1'))?.amounts).toEqual([30, 40, 29.5]);
      await db.delete();
    });
  }
});
