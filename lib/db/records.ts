import type { PurchaseFacts } from '../messages/schema';
import type { ImportKind as FileKind } from '../import/presets';
import type { ScoreFileEntry } from '../sources/score-file';

/** What the value engine computed for one customer at one scoring run. */
export interface CustomerValue {
  /** Model that produced the scores, e.g. "bgnbd". */
  model: string;
  /** The model run this came from (modelRuns.id). */
  modelRunId: number;
  /** Model inputs at scoring time, in the run's time unit. */
  x: number;
  tx: number;
  T: number;
  /** Mean repeat spend (0 when there was no repeat purchase). */
  monetary: number;
  pAlive: number;
  /** Expected transactions over the run's horizon. */
  expectedTransactions: number;
  /** Expected spend per transaction. */
  expectedSpend: number;
  /** Discounted margin over the horizon. */
  clv: number;
  /** Margin expected over the next 12 months, undiscounted. */
  next12Months: number;
  /**
   * Residual lifetime value: discounted margin over the rest of the customer's life (lib/clv/lifetime.ts).
   * Absent in values scored before it was computed (issue 16): scoring again adds it.
   */
  lifetimeValue?: number;
  /** The scoring horizon in months that `clv` covers (absent: 12, the default). */
  horizonMonths?: number;
  /** Tier name and position (0 = best) in the pyramid. */
  tier: string;
  tierIndex: number;
  /** How many tiers the pyramid had (the last one is the lowest). */
  tierCount?: number;
  /** The tier's badge colours at scoring time (background, accessible text colour). */
  tierColor: string;
  tierForeground: string;
  /** Rank by value, 1 = highest; 0 = no expected value. */
  rank: number;
  flags: string[];
  /** Plain-language reason for the tier and each flag. */
  explanation: string;
  flagExplanations: string[];
  /** ISO timestamp of the scoring run. */
  scoredAt: string;
}

/** A customer as stored in the `customers` table (schema version 4 on: without its value). */
export interface StoredCustomer {
  id: string;
  name: string;
  /** Lower-cased; a customer may have several. */
  emails: string[];
  company?: string;
  /** Lower-cased company web domain. */
  domain?: string;
  /** Host records linked to this customer, as "<host>:<record id>" (e.g. "zendesk:1234"). */
  hostIds: string[];
  facts: PurchaseFacts;
  source: 'sample' | 'local';
  /** ISO timestamp of the import that last wrote this record. */
  importedAt: string;
}

/**
 * A customer with their value: a `customers` record joined with its entry in the `valueBuckets`
 * table (lib/db/values.ts withValues), what the views read. The value is never stored inside the record.
 */
export interface CustomerWithValue extends StoredCustomer {
  /** Absent until the customer has been scored. */
  value?: CustomerValue;
}

/**
 * A customer's value as a scoring run stores it in the `valueBuckets` table: the customer's numbers
 * only. What the whole run shares (model, date, tier names and colours) lives once in its model run,
 * and the plain-language explanations are built when the value is read (lib/tiers/value-view.ts): a bucket
 * is a few kilobytes to read and write instead of tens.
 */
export type SlimValue = Pick<
  CustomerValue,
  | 'modelRunId'
  | 'x'
  | 'tx'
  | 'T'
  | 'monetary'
  | 'pAlive'
  | 'expectedTransactions'
  | 'expectedSpend'
  | 'clv'
  | 'next12Months'
  | 'lifetimeValue'
  | 'tierIndex'
  | 'rank'
> & {
  customerId: string;
  /** Bit set of lib/tiers FLAG_* (at risk, new, one-time). */
  flagBits: number;
  /** Day number (lib/clv/time parseDay) of the first purchase, for the "new" and "one-time" explanations; absent when unknown. */
  firstDay?: number;
};

/** A value as stored before values were slimmed (every field, explanations included): still read, from older stores and backups. */
export type FullStoredValue = CustomerValue & { customerId: string };

/** What the `valueBuckets` table holds for a customer: either form. */
export type StoredValue = SlimValue | FullStoredValue;

/**
 * All purchases of one customer (or returns, with a negative amount), as parallel arrays: entry i is
 * keys[i], dates[i], amounts[i], importRunIds[i]. Keys make re-imports idempotent. See lib/db/purchases.ts.
 */
export interface PurchasesRecord {
  customerId: string;
  keys: string[];
  /** ISO dates, YYYY-MM-DD. */
  dates: string[];
  amounts: number[];
  importRunIds: number[];
}

/** One purchase as stored before schema version 3 (kept for migrations and old backups). */
export interface TransactionRecord {
  /** "<customer id>|<order id>" when the file has order ids, else "<customer>|<date>|<amount>|<n>". */
  key: string;
  customerId: string;
  /** ISO date, YYYY-MM-DD. */
  date: string;
  amount: number;
  orderId?: string;
  importRunId: number;
}

/** A contractual subscription (start, optional end, recurring revenue per period). */
export interface SubscriptionRecord {
  key: string;
  customerId: string;
  start: string;
  end?: string;
  revenue: number;
  importRunId: number;
}

/** What an import run read: a file of one of the importer's kinds (lib/import/presets.ts), the bundled sample, or a backup. */
export type ImportRunKind = FileKind | 'sample' | 'backup';

export interface ImportRunRecord {
  id?: number;
  kind: ImportRunKind;
  fileName: string;
  startedAt: string;
  finishedAt?: string;
  status: 'running' | 'committed' | 'failed' | 'cancelled';
  /** Rows read, rows written, rows left out (with the first errors, line-numbered). */
  rows: number;
  accepted: number;
  rejected: number;
  mode: 'all-or-nothing' | 'valid-only';
  errors: { line: number; field?: string; message: string }[];
}

export interface ModelRunRecord {
  id?: number;
  at: string;
  model: string;
  params: Record<string, number>;
  logLikelihood: number;
  converged: boolean;
  /** The settings the run used (unit, horizon, discount, margin, tiers…). */
  settings: Record<string, unknown>;
  customers: number;
  /** Sum of predicted CLV. */
  customerEquity: number;
  /** The last day of the data the run was fitted on (ISO date); forecasts start after it. */
  dataEnd?: string;
  tierCounts: number[];
  /** Percentile tiers: the cumulative percent at the bottom of each tier (for the explanations built on read). */
  tierCumulativePercent?: number[];
  /** How many buckets the run's values were written in (lib/db/values.ts); absent = 4,096. */
  valueBuckets?: number;
  /** How spend per transaction was estimated (issue 10: a new customer's value needs it); absent before. */
  spend?: { model: 'gamma-gamma'; params: { p: number; q: number; gamma: number } } | { model: 'mean'; mean: number };
  /** Holdout accuracy summary, where a holdout was available. */
  holdout?: Record<string, unknown>;
}

/** Cached answers of remote sources (issue: remote sources), keyed by source and identity. */
export interface LookupCacheRecord {
  key: string;
  value: unknown;
  fetchedAt: string;
  expiresAt: string;
}

/** Small key/value facts about the store itself (e.g. whether the sample was loaded). */
export interface MetaRecord {
  key: string;
  value: unknown;
}

/** One bucket: the items of the customers whose id hashes here, in no particular order. */
export interface Bucket<T> {
  bucket: number;
  items: T[];
}

export interface ValueBucket {
  bucket: number;
  /** Values stored whole (and, in stores written before packing, every value). */
  items?: StoredValue[];
  /** Packed slim values: their customer ids, and their numbers (COLUMNS.length per customer, in order). */
  ids?: string[];
  numbers?: Float64Array;
  /** How many numbers per customer: absent in buckets written before `lifetimeValue` was stored (FIRST_WIDTH). */
  width?: number;
}

export interface FileScoreBucket {
  sourceId: string;
  bucket: number;
  items: { key: string; entry: ScoreFileEntry }[];
}
