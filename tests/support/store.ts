import type { Page } from 'playwright-core';

/**
 * A fingerprint of everything in the `centric` database, read with the raw IndexedDB API inside an
 * extension page (the database belongs to the extension's origin). Equal fingerprints = identical data.
 */
export function storeFingerprint(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('centric');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const names = [...db.objectStoreNames].filter((n) => n !== 'lookupCache').sort();
    const tx = db.transaction(names, 'readonly');
    const all = await Promise.all(
      names.map(
        (name) =>
          new Promise<[string, unknown[]]>((resolve, reject) => {
            const request = tx.objectStore(name).getAll();
            request.onsuccess = () => resolve([name, request.result]);
            request.onerror = () => reject(request.error);
          }),
      ),
    );
    db.close();
    const text = JSON.stringify(all);
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    const counts = all.map(([name, rows]) => `${name}:${rows.length}`).join(',');
    return `${counts} ${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  });
}
