/**
 * Messages between the options page and the import worker. The worker reads and validates the file,
 * keeps the batch, and writes it only when the page says "commit": until then nothing is stored, and
 * terminating the worker (cancel) loses nothing. A write in progress is one IndexedDB transaction,
 * which the browser aborts if the worker is terminated.
 */
import type { CommitMode, CommitResult } from './commit';
import type { ImportMapping } from './mapping';
import type { ImportIssue } from './read';

export type ToImportWorker =
  | { type: 'read'; file: File; mapping: ImportMapping }
  | { type: 'commit'; mode: CommitMode; keepSample: boolean };

export interface ReadReport {
  fileName: string;
  rows: number;
  rejectedRows: number;
  /** The first problems, for the screen; all of them are in issuesCsv. */
  issues: ImportIssue[];
  issueCount: number;
  issuesCsv: string;
  excludedByStatus: Record<string, number>;
  foldedRows: number;
  customers: number;
  transactions: number;
  subscriptions: number;
}

/**
 * Where an import is: reading the file; starting the write (taking the import lock, storing the
 * "import in progress" marker); waiting for another tab's import to finish saving; writing (the
 * marker is stored and the data transaction runs: closing the browser now is reported next time).
 */
export type ImportPhase = 'reading' | 'starting' | 'waiting' | 'writing';

export type FromImportWorker =
  | { type: 'progress'; phase: ImportPhase; bytes: number; totalBytes: number; rows: number }
  | { type: 'read-done'; report: ReadReport }
  | { type: 'committed'; result: CommitResult }
  | { type: 'failed'; message: string; rejected?: boolean };
