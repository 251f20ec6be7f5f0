/**
 * Calls `listener` when the `centric` database changes in a way that may change a lookup's answer:
 * any write through Dexie in this context, or in another of the extension's contexts (the options
 * page, its import and scoring workers: Dexie forwards their changes over a BroadcastChannel while
 * this context lives). Writes to the remote answers' cache (lookupCache) are left out: lookups
 * themselves write it. Returns the function that stops listening.
 */
import Dexie from 'dexie';
import { DATABASE_NAME } from './db';

/** Whether Dexie's mutated parts (keys `idb://<database>/<table>/<index>`) touch what lookups read. */
export function changesLookups(parts: Record<string, unknown>, databaseName = DATABASE_NAME): boolean {
  const prefix = `idb://${databaseName}/`;
  return Object.keys(parts).some((part) => part === 'all' || (part.startsWith(prefix) && !part.startsWith(`${prefix}lookupCache/`)));
}

export function onStoreChanged(listener: () => void, databaseName = DATABASE_NAME): () => void {
  const handler = (parts: Record<string, unknown>) => {
    if (changesLookups(parts, databaseName)) listener();
  };
  Dexie.on.storagemutated.subscribe(handler);
  return () => Dexie.on.storagemutated.unsubscribe(handler);
}
