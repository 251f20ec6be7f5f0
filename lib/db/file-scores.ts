/**
 * The scores of shared score files (issue 7), kept per source in hash buckets of lookup keys
 * ("id:<customer id>", "email:<email>", lower case): a lookup reads one or two small records; a sync
 * replaces a source's whole set in one transaction, so the old scores stay until the new file is in.
 */
import { bucketOf } from './buckets';
import type { CentricDb } from './db';
import type { FileScoreBucket } from './records';
import type { ScoreFileEntry } from '../sources/score-file';

/** Buckets per source (a file of 100,000 customers: about 200 keys a bucket). */
export const FILE_BUCKETS = 1024;


/** The lookup keys of an identity, best first. */
export function fileScoreKeys(identity: { id?: string | undefined; email?: string | undefined }): string[] {
  const keys: string[] = [];
  const id = identity.id?.trim().toLowerCase();
  const email = identity.email?.trim().toLowerCase();
  if (id) keys.push(`id:${id}`);
  if (email) keys.push(`email:${email}`, `id:${email}`);
  return keys;
}

/** Replaces a source's scores with a file's, in one transaction. */
export async function replaceFileScores(db: CentricDb, sourceId: string, entries: Iterable<ScoreFileEntry>): Promise<number> {
  const buckets = new Map<number, FileScoreBucket>();
  let count = 0;
  const add = (key: string, entry: ScoreFileEntry) => {
    const b = bucketOf(key, FILE_BUCKETS);
    const bucket = buckets.get(b) ?? { sourceId, bucket: b, items: [] };
    bucket.items.push({ key, entry });
    buckets.set(b, bucket);
  };
  for (const entry of entries) {
    count++;
    add(`id:${entry.customerId.trim().toLowerCase()}`, entry);
    if (entry.email) add(`email:${entry.email.trim().toLowerCase()}`, entry);
  }
  await db.transaction('rw', db.fileScores, async () => {
    await db.fileScores.where('sourceId').equals(sourceId).delete();
    await db.fileScores.bulkPut([...buckets.values()]);
  });
  return count;
}

/** A source's score for an identity (by id first, then email), or undefined. */
export async function findFileScore(db: CentricDb, sourceId: string, identity: { id?: string | undefined; email?: string | undefined }): Promise<ScoreFileEntry | undefined> {
  const keys = fileScoreKeys(identity);
  if (keys.length === 0) return undefined;
  const buckets = await db.fileScores.bulkGet(keys.map((k) => [sourceId, bucketOf(k, FILE_BUCKETS)] as [string, number]));
  for (let i = 0; i < keys.length; i++) {
    const found = buckets[i]?.items.find((item) => item.key === keys[i]);
    if (found) return found.entry;
  }
  return undefined;
}

/** Forgets a source's scores (the source was removed). */
export async function removeFileScores(db: CentricDb, sourceId: string): Promise<void> {
  await db.fileScores.where('sourceId').equals(sourceId).delete();
}
