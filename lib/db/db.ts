/**
 * The `centric` IndexedDB database. Opened only by the background service worker, extension pages
 * and their workers, never by a content script: IndexedDB opened there would belong to the host page.
 */
import Dexie, { type Table } from 'dexie';
import type {
  CustomerRecord,
  ImportRunRecord,
  LookupCacheRecord,
  MetaRecord,
  ModelRunRecord,
  PurchasesRecord,
  SubscriptionRecord,
} from './records';
import { SCHEMA_VERSIONS } from './schema';

export const DATABASE_NAME = 'centric';

export class CentricDb extends Dexie {
  customers!: Table<CustomerRecord, string>;
  purchases!: Table<PurchasesRecord, string>;
  subscriptions!: Table<SubscriptionRecord, string>;
  importRuns!: Table<ImportRunRecord, number>;
  modelRuns!: Table<ModelRunRecord, number>;
  lookupCache!: Table<LookupCacheRecord, string>;
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
