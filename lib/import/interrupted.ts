/**
 * An import that never finished: the commit writes a marker first (its own small transaction) and
 * removes it in the same transaction as the data, so a marker left behind means the browser, the
 * page or its worker stopped during the write. IndexedDB rolled that write back; the options page
 * says so the next time it opens (when no import holds IMPORT_LOCK, i.e. none is running elsewhere).
 */
import type { CentricDb } from '../db/db';

export const IMPORT_MARKER_KEY = 'importInProgress';
/** The Web Lock an import holds while it writes (the import worker): a second import waits for it. */
export const IMPORT_LOCK = 'centric-import';

export interface ImportMarker {
  fileName: string;
  startedAt: string;
  rows: number;
}

function isMarker(value: unknown): value is ImportMarker {
  const v = value as Partial<ImportMarker> | undefined;
  return typeof v?.fileName === 'string' && typeof v.startedAt === 'string' && typeof v.rows === 'number';
}

export async function markImportStarted(db: CentricDb, marker: ImportMarker): Promise<void> {
  await db.meta.put({ key: IMPORT_MARKER_KEY, value: marker });
}

/** Forgets the marker (a failed commit that was reported, or a marker already shown). */
export async function clearImportMarker(db: CentricDb): Promise<void> {
  await db.meta.delete(IMPORT_MARKER_KEY);
}

export async function readImportMarker(db: CentricDb): Promise<ImportMarker | undefined> {
  const value = (await db.meta.get(IMPORT_MARKER_KEY))?.value;
  return isMarker(value) ? value : undefined;
}

/** What to tell the person about an import that did not finish. */
export function interruptedImportMessage(marker: ImportMarker): string {
  const when = marker.startedAt.slice(0, 16).replace('T', ' ');
  return (
    `The import of ${marker.fileName} (${marker.rows.toLocaleString('en-US')} rows, started ${when} UTC) did not finish: ` +
    'the browser or the page closed while it was saving. Nothing from it was saved and your data is as it was before. Import the file again.'
  );
}

/** The part of the Web Locks API an import uses (navigator.locks in pages and workers). */
export interface LockManagerLike {
  request<T>(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => Promise<T>): Promise<T>;
  request<T>(name: string, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

/**
 * Runs an import's write holding IMPORT_LOCK, so two imports (two options tabs) never write at the same
 * time: the second waits for the first, and `onWait` lets it say so.
 */
export async function withImportLock<T>(locks: LockManagerLike | undefined, onWait: () => void, write: () => Promise<T>): Promise<T> {
  if (!locks) return write();
  const first = await locks.request(IMPORT_LOCK, { ifAvailable: true }, async (lock) => (lock ? { value: await write() } : null));
  if (first) return first.value;
  onWait();
  return locks.request(IMPORT_LOCK, () => write());
}

/** True when an import holds IMPORT_LOCK somewhere in this browser profile. */
export async function importRunning(locks: { query(): Promise<{ held?: { name?: string }[] }> } | undefined): Promise<boolean> {
  if (!locks) return false;
  const { held = [] } = await locks.query();
  return held.some((l) => l.name === IMPORT_LOCK);
}
