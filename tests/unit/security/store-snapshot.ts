/**
 * Everything a `centric` database holds, as one comparable value (fake-indexeddb in unit tests;
 * tests/support/store.ts is the same for a real browser). Equal snapshots = identical data.
 */
import type { CentricDb } from '~/lib/db/db';

export async function storeSnapshot(db: CentricDb): Promise<string> {
  const tables = db.tables.map((t) => t.name).sort();
  const all: [string, unknown[]][] = [];
  for (const name of tables) all.push([name, await db.table(name).toArray()]);
  return JSON.stringify(all);
}

/** Record counts per table, for messages. */
export async function storeCounts(db: CentricDb): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of db.tables) counts[t.name] = await t.count();
  return counts;
}
