import { readAllPurchases, readPurchases } from '~/lib/db/purchases';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { CentricDb } from '~/lib/db/db';
import { withValue } from '~/lib/db/values';
import { toBuckets } from '~/lib/db/buckets';
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
  3: async (db) => {
    await SEED[1]!(db);
    await db.table('customers').update('1', { hostIds: ['zendesk:7'], value: SCORED_VALUE });
    await db.table('customers').update('2', { hostIds: [] });
    await db.table('importRuns').add({ kind: 'sample', fileName: 's', startedAt: 'x', status: 'committed', rows: 2, accepted: 2, rejected: 0, mode: 'all-or-nothing', errors: [] });
    await db.table('purchases').bulkPut([
      { customerId: '1', keys: ['1|a', '1|b'], dates: ['1997-01-01', '1997-02-01'], amounts: [30, 40], importRunIds: [1, 1] },
      { customerId: '2', keys: ['2|a'], dates: ['1997-02-01'], amounts: [10], importRunIds: [1] },
    ]);
  },
  4: async (db) => {
    await SEED[1]!(db);
    await db.table('customers').update('1', { hostIds: ['zendesk:7'] });
    await db.table('customers').update('2', { hostIds: [] });
    await db.table('purchaseBuckets').bulkPut(
      toBuckets([
        { customerId: '1', keys: ['1|a', '1|b'], dates: ['1997-01-01', '1997-02-01'], amounts: [30, 40], importRunIds: [1, 1] },
        { customerId: '2', keys: ['2|a'], dates: ['1997-02-01'], amounts: [10], importRunIds: [1] },
      ]),
    );
    await db.table('valueBuckets').bulkPut(toBuckets([{ ...SCORED_VALUE, customerId: '1' }]));
  },
  5: async (db) => {
    await SEED[4]!(db);
    await db.table('modelRuns').add({ at: '2026-01-02T00:00:00.000Z', model: 'bgnbd', params: {}, logLikelihood: -1, converged: true, settings: {}, customers: 2, customerEquity: 120, tierCounts: [0, 1, 0, 1] });
  },
};

/** A value as version 3 kept it, inside the customer record. */
const SCORED_VALUE = { model: 'bgnbd', modelRunId: 1, x: 1, tx: 4, T: 9, monetary: 40, pAlive: 0.8, expectedTransactions: 1.2, expectedSpend: 35, clv: 120, next12Months: 30, tier: 'Gold', tierIndex: 1, tierCount: 4, tierColor: '#b45309', tierForeground: '#ffffff', rank: 1, flags: [], explanation: 'Gold.', flagExplanations: [], scoredAt: '2026-01-02T00:00:00.000Z' };

/** What each upgrade must have made of the seeded purchases, by the version it started from. */
const PURCHASES_AFTER: Record<number, Record<string, number>> = { 1: {}, 2: { '1': 3, '2': 1 }, 3: { '1': 2, '2': 1 }, 4: { '1': 2, '2': 1 }, 5: { '1': 2, '2': 1 } };

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
        const { value, ...kept } = record as { value?: unknown };
        expect(upgraded).toEqual({ hostIds: [], ...kept }); // every old field kept as it was, but the value moved out
        // Version 3 kept the value inside the customer; version 4 in its bucket: either way it is there after.
        expect((await withValue(db, upgraded)).value).toEqual(version >= 4 && record.id === '1' ? SCORED_VALUE : value);
      }
      expect(await db.meta.toArray()).toEqual(metaBefore);
      // The new indexes work on upgraded data.
      expect((await db.customers.where('emails').equals('b.ek@ek.example').first())?.id).toBe('2');
      const purchases = Object.fromEntries((await readAllPurchases(db)).map((p) => [p.customerId, p.keys.length]));
      expect(purchases).toEqual(PURCHASES_AFTER[version]);
      if (version === 2) expect((await readPurchases(db, '1'))?.amounts).toEqual([30, 40, 29.5]);
      // Version 6: the latest run gets a snapshot rebuilt from its stored values and purchases.
      const snapshots = await db.runSnapshots.toArray();
      if (version === 5) {
        expect(snapshots).toHaveLength(1);
        const s = snapshots[0]!;
        expect(s.modelRunId).toBe(1);
        expect(s.ids).toEqual(['1', '2']);
        expect([...s.tier]).toEqual([1, 255]);
        expect([...s.clv]).toEqual([120, 0]);
        expect(s.pAlive[0]).toBeCloseTo(0.8, 6);
        expect([...s.firstAmount]).toEqual([30, 10]);
        expect([...s.revenue]).toEqual([70, 10]);
        expect(s.transactions).toBe(3);
      } else expect(snapshots).toEqual([]);
      await db.delete();
    });
  }
});
