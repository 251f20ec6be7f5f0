/**
 * The import worker: streams a File through lib/import (parse, validate), then writes it to the
 * `centric` database in one transaction when the options page confirms. Wiring only.
 */
import '~/lib/security/zod-jitless'; // first: zod must not compile with new Function (extension CSP)
import { CentricDb } from '~/lib/db/db';
import { commitImport, ImportRejected } from '~/lib/import/commit';
import { type LockManagerLike, withImportLock } from '~/lib/import/interrupted';
import type { FromImportWorker, ToImportWorker } from '~/lib/import/protocol';
import { type ImportBatch, SHOWN_ISSUES, issuesToCsv, readImport } from '~/lib/import/read';

/** Workers have FileReaderSync; the project's DOM typings do not declare it. */
declare const FileReaderSync: { new (): { readAsArrayBuffer(blob: Blob): ArrayBuffer } };

const CHUNK_BYTES = 1 << 20;
const post = (message: FromImportWorker) => postMessage(message);

let batch: ImportBatch | null = null;
let fileName = '';

/** The file's text in chunks, decoded as UTF-8 across chunk boundaries, with progress. */
function* readChunks(file: File, onBytes: (bytes: number) => void): Generator<string> {
  const reader = new FileReaderSync();
  const decoder = new TextDecoder('utf-8');
  for (let offset = 0; offset < file.size; offset += CHUNK_BYTES) {
    const bytes = reader.readAsArrayBuffer(file.slice(offset, offset + CHUNK_BYTES));
    onBytes(Math.min(file.size, offset + CHUNK_BYTES));
    yield decoder.decode(bytes, { stream: true });
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

onmessage = async (event: MessageEvent<ToImportWorker>) => {
  const message = event.data;
  try {
    if (message.type === 'read') {
      const { file, mapping } = message;
      fileName = file.name;
      let lastPost = 0;
      let bytes = 0;
      batch = readImport(
        readChunks(file, (b) => (bytes = b)),
        mapping,
        {
          onProgress: (_chars, rows) => {
            const now = performance.now();
            if (now - lastPost < 100) return;
            lastPost = now;
            post({ type: 'progress', phase: 'reading', bytes, totalBytes: file.size, rows });
          },
        },
      );
      post({
        type: 'read-done',
        report: {
          fileName,
          rows: batch.rows,
          rejectedRows: batch.rejectedRows,
          issues: batch.issues.slice(0, SHOWN_ISSUES),
          issueCount: batch.issues.length,
          issuesCsv: issuesToCsv(batch.issues),
          excludedByStatus: batch.excludedByStatus,
          foldedRows: batch.foldedRows,
          customers: batch.customers.length,
          transactions: batch.transactions.length,
          subscriptions: batch.subscriptions.length,
        },
      });
    } else if (message.type === 'commit') {
      if (!batch) throw new Error('No file has been read yet.');
      const pending = batch;
      post({ type: 'progress', phase: 'starting', bytes: 0, totalBytes: 0, rows: pending.rows });
      const db = new CentricDb();
      // One import writes at a time (another options tab may be saving one): wait for it, and say so.
      const locks = (navigator as Navigator & { locks?: LockManagerLike }).locks;
      const result = await withImportLock(
        locks,
        () => post({ type: 'progress', phase: 'waiting', bytes: 0, totalBytes: 0, rows: pending.rows }),
        async () => {
          post({ type: 'progress', phase: 'starting', bytes: 0, totalBytes: 0, rows: pending.rows });
          // "Saving" only once the marker is stored: a browser closed from then on is reported next time.
          const onWriting = () => post({ type: 'progress', phase: 'writing', bytes: 0, totalBytes: 0, rows: pending.rows });
          return commitImport(db, pending, { fileName, mode: message.mode, keepSample: message.keepSample, onWriting });
        },
      );
      db.close();
      batch = null;
      post({ type: 'committed', result });
    }
  } catch (error) {
    post({
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
      rejected: error instanceof ImportRejected,
    });
  }
};
