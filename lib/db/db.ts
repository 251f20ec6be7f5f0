/**
 * The `centric` IndexedDB database. Opened only by the background service worker and extension
 * pages (options), never by a content script: IndexedDB opened there would belong to the host page.
 */
import Dexie, { type Table } from 'dexie';
import type { CustomerRecord, MetaRecord } from './records';

export const DATABASE_NAME = 'centric';

export class CentricDb extends Dexie {
  customers!: Table<CustomerRecord, string>;
  meta!: Table<MetaRecord, string>;

  constructor(name: string = DATABASE_NAME) {
    super(name);
    this.version(1).stores({
      customers: 'id, *emails, domain',
      meta: 'key',
    });
  }
}
