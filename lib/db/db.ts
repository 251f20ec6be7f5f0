/**
 * The `centric` IndexedDB database. Opened only by the background service worker, extension pages
 * and their workers, never by a content script: IndexedDB opened there would belong to the host page.
 */
import Dexie, { type Table } from 'dexie';
import type {
  Bucket,
  FileScoreBucket,
  ValueBucket,
  ImportRunRecord,
  LookupCacheRecord,
  MetaRecord,
  ModelRunRecord,
  PurchasesRecord,
  StoredCustomer,
  StoredValue,
  SubscriptionRecord,
} from './records';
import { SCHEMA_VERSIONS } from './schema';
import type { RunSnapshot } from '../equity/snapshot';

export const DATABASE_NAME = 'centric';

export class CentricDb extends Dexie {
  customers!: Table<StoredCustomer, string>;
  /** Each customer's purchases, in hash buckets (read and write them through lib/db/purchases.ts). */
  purchaseBuckets!: Table<Bucket<PurchasesRecord>, number>;
  /** Each customer's value from the latest scoring, in hash buckets (lib/db/values.ts). */
  valueBuckets!: Table<ValueBucket, number>;
  subscriptions!: Table<SubscriptionRecord, string>;
  importRuns!: Table<ImportRunRecord, number>;
  modelRuns!: Table<ModelRunRecord, number>;
  /** One compact snapshot per scoring run, the last few (lib/db/snapshots.ts, issue 10). */
  runSnapshots!: Table<RunSnapshot, number>;
  lookupCache!: Table<LookupCacheRecord, string>;
  /** Shared score files' scores, per source, in hash buckets (lib/db/file-scores.ts). */
  fileScores!: Table<FileScoreBucket, [string, number]>;
  meta!: Table<MetaRecord, string>;

  constructor(name: string = DATABASE_NAME, upTo: number = Number.POSITIVE_INFINITY) {
    super(name);
    for (const { version, stores, upgrade } of SCHEMA_VERSIONS) {
      if (version > upTo) break;
      const declared = this.version(version).stores(stores);
      if (upgrade) declared.upgrade(upgrade);
    }
  }
}
