import type { PurchaseFacts } from '../messages/schema';

/** A customer as stored in the `customers` table. */
export interface CustomerRecord {
  id: string;
  name: string;
  /** Lower-cased; a customer may have several. */
  emails: string[];
  company?: string;
  /** Lower-cased company web domain. */
  domain?: string;
  facts: PurchaseFacts;
  source: 'sample' | 'local';
  /** ISO timestamp of the import that wrote this record. */
  importedAt: string;
}

/** Small key/value facts about the store itself (e.g. whether the sample was loaded). */
export interface MetaRecord {
  key: string;
  value: unknown;
}
