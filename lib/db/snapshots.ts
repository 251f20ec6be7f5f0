/**
 * Scoring runs' snapshots (lib/equity/snapshot.ts): one record per run in `runSnapshots`, the last
 * KEEP_SNAPSHOTS runs kept, so "what changed since the last scoring" can be answered.
 */
import type { RunSnapshot } from '../equity/snapshot';
import type { CentricDb } from './db';

export const KEEP_SNAPSHOTS = 3;

/** Writes a run's snapshot and deletes those older than the last KEEP_SNAPSHOTS. Call inside a transaction with runSnapshots. */
export async function writeSnapshot(db: CentricDb, snapshot: RunSnapshot): Promise<void> {
  await db.runSnapshots.put(snapshot);
  const keys = await db.runSnapshots.orderBy('modelRunId').primaryKeys();
  const stale = keys.slice(0, Math.max(0, keys.length - KEEP_SNAPSHOTS));
  if (stale.length > 0) await db.runSnapshots.bulkDelete(stale);
}

/** The latest snapshot and the one before it (either may be missing). */
export async function latestSnapshots(db: CentricDb): Promise<{ current: RunSnapshot | null; previous: RunSnapshot | null }> {
  const last = await db.runSnapshots.orderBy('modelRunId').reverse().limit(2).toArray();
  return { current: last[0] ?? null, previous: last[1] ?? null };
}
