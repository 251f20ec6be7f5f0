/**
 * Issue 9, upgrades: a database of every earlier schema version, with data in every table it has,
 * upgrades to the newest with every record kept. tests/unit/db/migrations.test.ts checks the tables
 * the upgrades transform (customers, purchases, values); this checks the ones they must carry over
 * untouched (runs, subscriptions, cache, meta, score files) record by record, and counts the records
 * before and after across all tables: none lost.
 */
import { describe, expect, it } from 'vitest';
import { CentricDb } from '~/lib/db/db';
import { readAllPurchases } from '~/lib/db/purchases';
import { CURRENT_VERSION, SCHEMA_VERSIONS } from '~/lib/db/schema';
import { toBuckets } from '~/lib/db/buckets';
import { allStoredValues } from '~/lib/db/values';

/** Records of the tables every version since 2 has, unchanged by every upgrade. */
const CARRIED: Record<string, Record<string, unknown>[]> = {
  importRuns: [
    { id: 1, kind: 'sample', fileName: 'sample', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z', status: 'committed', rows: 3, accepted: 3, rejected: 0, mode: 'all-or-nothing', errors: [] },
    { id: 2, kind: 'transactions', fileName: 'orders.csv', startedAt: '2026-02-01T00:00:00.000Z', status: 'committed', rows: 5, accepted: 4, rejected: 1, mode: 'valid-only', errors: [{ line: 4, field: 'amount', message: 'not a number' }] },
  ],
  modelRuns: [
    { id: 1, at: '2026-01-02T00:00:00.000Z', model: 'bgnbd', params: { r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 }, logLikelihood: -9582.4, converged: true, settings: { unit: 'week' }, customers: 2, customerEquity: 130 },
  ],
  subscriptions: [
    { key: '1|2025-01-01|0', customerId: '1', start: '2025-01-01', revenue: 29, importRunId: 2 },
    { key: '2|2025-03-01|0', customerId: '2', start: '2025-03-01', end: '2025-09-01', revenue: 9.5, importRunId: 2 },
  ],
  lookupCache: [{ key: 'team-api|email:ana@li.example', value: { tier: 'Gold' }, fetchedAt: '2026-03-01T00:00:00.000Z', expiresAt: '2026-03-01T01:00:00.000Z' }],
  meta: [
    { key: 'sampleLoaded', value: true },
    { key: 'scoringSettings', value: { model: 'auto', unit: 'week', horizon: 12 } },
  ],
};

const CUSTOMERS = [
  { id: '1', name: 'Ana Li', emails: ['ana@li.example'], domain: 'li.example', hostIds: ['zendesk:7'], facts: { orders: 2, totalSpent: 70, firstPurchase: '1997-01-01', lastPurchase: '1997-02-01' }, source: 'local', importedAt: '2026-01-01T00:00:00.000Z' },
  { id: '2', name: 'Bo Ek', emails: ['bo@ek.example'], domain: 'ek.example', hostIds: [], facts: { orders: 1, totalSpent: 10, firstPurchase: '1997-02-01', lastPurchase: '1997-02-01' }, source: 'local', importedAt: '2026-01-01T00:00:00.000Z' },
];
const TRANSACTIONS = [
  { key: '1|1997-01-01|3000|0', customerId: '1', date: '1997-01-01', amount: 30, importRunId: 2 },
  { key: '1|1997-02-01|4000|0', customerId: '1', date: '1997-02-01', amount: 40, importRunId: 2 },
  { key: '2|1997-02-01|1000|0', customerId: '2', date: '1997-02-01', amount: 10, importRunId: 2 },
];
const VALUE = { model: 'bgnbd', modelRunId: 1, x: 1, tx: 4, T: 9, monetary: 40, pAlive: 0.8, expectedTransactions: 1.2, expectedSpend: 35, clv: 120, next12Months: 30, tier: 'Gold', tierIndex: 1, tierCount: 4, tierColor: '#b45309', tierForeground: '#ffffff', rank: 1, flags: [], explanation: 'Gold.', flagExplanations: [], scoredAt: '2026-01-02T00:00:00.000Z' };

let counter = 0;

describe('upgrades from every earlier schema version keep every record', () => {
  for (const { version, stores } of SCHEMA_VERSIONS.filter((v) => v.version < CURRENT_VERSION)) {
    it(`from version ${version}`, async () => {
      const name = `centric-upgrade-${version}-${++counter}`;
      const old = new CentricDb(name, version);
      await old.open();
      const has = (table: string) => stores[table] !== undefined && stores[table] !== null;
      // Every table of that version gets data, written as that version wrote it.
      await old.table('customers').bulkPut(CUSTOMERS.map((c) => (version === 1 ? { ...c, hostIds: undefined } : version === 3 && c.id === '1' ? { ...c, value: VALUE } : c)));
      if (has('transactions')) await old.table('transactions').bulkPut(TRANSACTIONS);
      const perCustomer = [
        { customerId: '1', keys: [TRANSACTIONS[0]!.key, TRANSACTIONS[1]!.key], dates: ['1997-01-01', '1997-02-01'], amounts: [30, 40], importRunIds: [2, 2] },
        { customerId: '2', keys: [TRANSACTIONS[2]!.key], dates: ['1997-02-01'], amounts: [10], importRunIds: [2] },
      ];
      if (has('purchases')) await old.table('purchases').bulkPut(perCustomer);
      if (has('purchaseBuckets')) await old.table('purchaseBuckets').bulkPut(toBuckets(perCustomer));
      if (has('valueBuckets')) await old.table('valueBuckets').bulkPut(toBuckets([{ ...VALUE, customerId: '1' }]));
      for (const [table, records] of Object.entries(CARRIED)) if (has(table)) await old.table(table).bulkPut(records);
      if (version === 1) await old.table('meta').bulkPut(CARRIED.meta!);
      const before = Object.fromEntries(await Promise.all(old.tables.map(async (t) => [t.name, await t.count()] as const)));
      old.close();

      const db = new CentricDb(name);
      await db.open();
      expect(db.verno).toBe(CURRENT_VERSION);
      // Carried tables: every record, exactly.
      for (const [table, records] of Object.entries(CARRIED)) {
        if (has(table) || table === 'meta') expect(await db.table(table).toArray(), `${table} from v${version}`).toEqual(records);
      }
      // Transformed tables: every customer, every purchase, every value.
      const customers = await db.customers.orderBy('id').toArray();
      expect(customers.map((c) => c.id)).toEqual(['1', '2']);
      expect(customers.map((c) => c.emails)).toEqual(CUSTOMERS.map((c) => c.emails));
      const purchases = (await readAllPurchases(db)).flatMap((p) => p.keys).sort();
      const expectedPurchases = has('transactions') || has('purchases') || has('purchaseBuckets') ? TRANSACTIONS.map((t) => t.key).sort() : [];
      expect(purchases).toEqual(expectedPurchases);
      const values = await allStoredValues(db);
      expect(values).toEqual(version >= 3 ? [{ ...VALUE, customerId: '1' }] : []);
      // Records lost: 0 (purchases counted one per purchase, values out of customers).
      const lost =
        (before.customers ?? 0) - customers.length +
        ((before.transactions ?? 0) + (has('purchases') || has('purchaseBuckets') ? TRANSACTIONS.length : 0) - purchases.length) +
        (version >= 3 ? 1 - values.length : 0) +
        Object.keys(CARRIED).reduce((n, t) => n + (before[t] ?? 0) - (has(t) || t === 'meta' ? CARRIED[t]!.length : 0), 0);
      expect(lost).toBe(0);
      await db.delete();
    });
  }
});
