import type { Page } from 'playwright-core';

/** Everything Centric stored in a browser profile, as an extension page sees it (issue 16). */
export interface Everything {
  storage: { local: Record<string, unknown>; sync: Record<string, unknown>; session: Record<string, unknown> };
  /** Every IndexedDB database of the extension's origin: each store's record count, and the meta records. */
  databases: Record<string, { stores: Record<string, number>; meta?: unknown[] }>;
  alarms: string[];
  /** Registered content scripts: id and patterns. */
  scripts: { id: string; matches: string[] }[];
  permissions: { origins: string[]; permissions: string[] };
}

/** Reads every storage area, every IndexedDB database (indexedDB.databases()), alarms, registered scripts and permissions. */
export function dumpEverything(page: Page): Promise<Everything> {
  return page.evaluate(async () => {
    type AnyChrome = {
      storage: Record<'local' | 'sync' | 'session', { get(keys: null): Promise<Record<string, unknown>> }>;
      alarms: { getAll(): Promise<{ name: string }[]> };
      scripting: { getRegisteredContentScripts(): Promise<{ id: string; matches?: string[] }[]> };
      permissions: { getAll(): Promise<{ origins?: string[]; permissions?: string[] }> };
    };
    const chrome = (globalThis as unknown as { chrome: AnyChrome }).chrome;
    const databases: Record<string, { stores: Record<string, number>; meta?: unknown[] }> = {};
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const names = [...db.objectStoreNames].sort();
      const stores: Record<string, number> = {};
      let meta: unknown[] | undefined;
      if (names.length > 0) {
        const tx = db.transaction(names, 'readonly');
        const ask = <T>(request: IDBRequest<T>) =>
          new Promise<T>((resolve, reject) => {
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          });
        for (const store of names) stores[store] = await ask(tx.objectStore(store).count());
        if (names.includes('meta')) meta = await ask(tx.objectStore('meta').getAll());
      }
      db.close();
      databases[name] = meta ? { stores, meta } : { stores };
    }
    const [local, sync, session, alarms, scripts, permissions] = await Promise.all([
      chrome.storage.local.get(null),
      chrome.storage.sync.get(null),
      chrome.storage.session.get(null),
      chrome.alarms.getAll(),
      chrome.scripting.getRegisteredContentScripts(),
      chrome.permissions.getAll(),
    ]);
    return {
      storage: { local, sync, session },
      databases,
      alarms: alarms.map((a) => a.name).sort(),
      scripts: scripts.map((s) => ({ id: s.id, matches: [...(s.matches ?? [])].sort() })).sort((a, b) => a.id.localeCompare(b.id)),
      permissions: { origins: [...(permissions.origins ?? [])].sort(), permissions: [...(permissions.permissions ?? [])].sort() },
    };
  });
}
