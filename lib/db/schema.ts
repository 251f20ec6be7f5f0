/**
 * Every version of the `centric` database's schema, oldest first, with the upgrade from the one
 * before. Never edit a released version: add a new one. Each upgrade is tested from every earlier
 * version with data in it (tests/unit/db/migrations.test.ts).
 */
import type { Transaction } from 'dexie';
import { toBuckets } from './buckets';
import { groupTransactions } from './purchases';
import { snapshotFromValues } from '../equity/snapshot';
import { unpackBucket } from './value-buckets';

export interface SchemaVersion {
  version: number;
  stores: Record<string, string | null>;
  upgrade?: (tx: Transaction) => Promise<void>;
}

export const SCHEMA_VERSIONS: readonly SchemaVersion[] = [
  {
    // Issue 2: the bundled sample's customers and their purchase facts.
    version: 1,
    stores: {
      customers: 'id, *emails, domain',
      meta: 'key',
    },
  },
  {
    // Issue 4: transactions, subscriptions, import and model runs, a lookup cache; customers gain
    // host-record links and (once scored) a value; indexes for search and ranking.
    version: 2,
    stores: {
      customers: 'id, *emails, domain, *hostIds, name, value.clv, value.tierIndex',
      transactions: 'key, customerId, importRunId, date',
      subscriptions: 'key, customerId, importRunId',
      importRuns: '++id, startedAt, status',
      modelRuns: '++id, at',
      lookupCache: 'key, expiresAt',
      meta: 'key',
    },
    upgrade: async (tx) => {
      await tx
        .table('customers')
        .toCollection()
        .modify((customer: { hostIds?: string[] }) => {
          customer.hostIds ??= [];
        });
    },
  },
  {
    // Purchases kept per customer (one record each, parallel arrays) instead of one record per
    // transaction: ~10x faster imports and scoring reads. Unused indexes dropped.
    version: 3,
    stores: {
      customers: 'id, *emails, domain, *hostIds, name',
      transactions: null,
      purchases: 'customerId',
      subscriptions: 'key, customerId, importRunId',
      importRuns: '++id, startedAt, status',
      modelRuns: '++id, at',
      lookupCache: 'key, expiresAt',
      meta: 'key',
    },
    upgrade: async (tx) => {
      const rows = await tx.table('transactions').toArray();
      await tx.table('purchases').bulkAdd(groupTransactions(rows));
    },
  },
  {
    // Purchases and scores kept in hash buckets (lib/db/buckets.ts) rather than one record per
    // customer: Chromium's IndexedDB cost is per record, so scoring 100,000 customers writes 4,096
    // records instead of re-putting 100,000 indexed customer records. Customers lose `value`.
    version: 4,
    stores: {
      customers: 'id, *emails, domain, *hostIds, name',
      purchases: null,
      purchaseBuckets: 'bucket',
      valueBuckets: 'bucket',
      subscriptions: 'key, customerId, importRunId',
      importRuns: '++id, startedAt, status',
      modelRuns: '++id, at',
      lookupCache: 'key, expiresAt',
      meta: 'key',
    },
    upgrade: async (tx) => {
      const purchases = await tx.table('purchases').toArray();
      await tx.table('purchaseBuckets').bulkAdd(toBuckets(purchases));
      const values: { customerId: string }[] = [];
      await tx
        .table('customers')
        .toCollection()
        .modify((customer: { id: string; value?: object }) => {
          if (customer.value) values.push({ ...customer.value, customerId: customer.id });
          delete customer.value;
        });
      await tx.table('valueBuckets').bulkAdd(toBuckets(values));
    },
  },
  {
    // Issue 7: the scores of shared score files, per source, in hash buckets of lookup keys.
    version: 5,
    stores: {
      customers: 'id, *emails, domain, *hostIds, name',
      purchaseBuckets: 'bucket',
      valueBuckets: 'bucket',
      fileScores: '[sourceId+bucket], sourceId',
      subscriptions: 'key, customerId, importRunId',
      importRuns: '++id, startedAt, status',
      modelRuns: '++id, at',
      lookupCache: 'key, expiresAt',
      meta: 'key',
    },
  },
  {
    // Issue 10: one compact snapshot per scoring run (the last few), for "what changed since the
    // last scoring". The upgrade snapshots the latest run from its stored values.
    version: 6,
    stores: {
      customers: 'id, *emails, domain, *hostIds, name',
      purchaseBuckets: 'bucket',
      valueBuckets: 'bucket',
      fileScores: '[sourceId+bucket], sourceId',
      subscriptions: 'key, customerId, importRunId',
      importRuns: '++id, startedAt, status',
      modelRuns: '++id, at',
      runSnapshots: 'modelRunId',
      lookupCache: 'key, expiresAt',
      meta: 'key',
    },
    upgrade: async (tx) => {
      const run = (await tx.table('modelRuns').orderBy('at').last()) as { id: number; at: string } | undefined;
      if (!run) return;
      const ids = (await tx.table('customers').orderBy('id').primaryKeys()) as string[];
      const values = new Map<string, Record<string, unknown>>();
      for (const b of await tx.table('valueBuckets').toArray()) for (const v of unpackBucket(b)) values.set(v.customerId, v as unknown as Record<string, unknown>);
      const purchases = (await tx.table('purchaseBuckets').toArray()).flatMap((b: { items: never[] }) => b.items);
      await tx.table('runSnapshots').put(snapshotFromValues(run.id, run.at, ids, values, purchases));
    },
  },
];

export const CURRENT_VERSION = SCHEMA_VERSIONS[SCHEMA_VERSIONS.length - 1]!.version;
