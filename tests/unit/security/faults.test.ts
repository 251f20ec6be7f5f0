/**
 * Issue 9, faults during an import: the browser's storage fills up in the middle of the write, the
 * browser (or the page, or its worker) stops during it, two imports run at once. Each ends with the
 * store consistent (all of an import or none of it, never interleaved) and the person told.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CentricDb } from '~/lib/db/db';
import { readAllPurchases } from '~/lib/db/purchases';
import { commitImport, isQuotaError, StorageFull } from '~/lib/import/commit';
import {
  IMPORT_LOCK,
  clearImportMarker,
  importRunning,
  interruptedImportMessage,
  markImportStarted,
  readImportMarker,
  withImportLock,
  type LockManagerLike,
} from '~/lib/import/interrupted';
import { previewFile } from '~/lib/import/mapping';
import { readImport } from '~/lib/import/read';
import { loadSampleData } from '~/lib/sample/install';
import { DEFAULT_SCORING_SETTINGS } from '~/lib/scoring/settings';
import { scoreStore } from '~/lib/scoring/store';
import { readBundledSample } from '../../helpers/sample';
import { storeSnapshot } from './store-snapshot';

let db: CentricDb;
let n = 0;
beforeEach(async () => {
  db = new CentricDb(`centric-faults-${++n}`);
  await loadSampleData(db, readBundledSample(), () => new Date('2026-01-01T00:00:00Z'));
});
afterEach(async () => {
  restorePut();
  await db.delete();
});

/** A transactions file of `customers` new customers, two purchases each. */
function transactions(customers: number, prefix: string, dayOffset = 0): string {
  const rows = ['customer_id,date,amount,email'];
  for (let i = 0; i < customers; i++) {
    rows.push(`${prefix}${i},2024-0${1 + ((i + dayOffset) % 9)}-10,${10 + (i % 50)},${prefix.toLowerCase()}${i}@fault.example`);
    rows.push(`${prefix}${i},2024-10-${10 + (i % 18)},${5 + (i % 7)},${prefix.toLowerCase()}${i}@fault.example`);
  }
  return rows.join('\n') + '\n';
}
const batchOf = (text: string) => readImport(text, previewFile(text, 'transactions').mapping);

// IndexedDB's put, patched to fail like a full disk after `allowed` writes into one store.
const proto = (globalThis as unknown as { IDBObjectStore: { prototype: { put: (...a: unknown[]) => unknown; add: (...a: unknown[]) => unknown } } }).IDBObjectStore.prototype;
const originalPut = proto.put;
const originalAdd = proto.add;
let faultsInjected = 0;
function failPutsAfter(storeName: string, allowed: number): void {
  let seen = 0;
  const failing = (original: (...a: unknown[]) => unknown) =>
    function (this: { name: string }, ...args: unknown[]) {
      if (this.name === storeName && ++seen > allowed) {
        faultsInjected++;
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return original.apply(this, args);
    };
  proto.put = failing(originalPut);
  proto.add = failing(originalAdd);
}
function restorePut(): void {
  proto.put = originalPut;
  proto.add = originalAdd;
}

describe('storage full in the middle of an import', () => {
  for (const [store, allowed] of [['customers', 150], ['purchaseBuckets', 40], ['importRuns', 0]] as const) {
    it(`rolls back everything when ${store} refuses a write after ${allowed}, and says so`, async () => {
      const before = await storeSnapshot(db);
      const batch = batchOf(transactions(600, 'Q'));
      failPutsAfter(store, allowed);
      const error = await commitImport(db, batch, { fileName: 'big.csv', mode: 'all-or-nothing', keepSample: true }).catch((e: unknown) => e);
      restorePut();
      expect(error).toBeInstanceOf(StorageFull);
      expect((error as Error).message).toMatch(/no more room.*nothing from big\.csv was imported.*unchanged/);
      expect(await storeSnapshot(db)).toBe(before); // not one record written, no marker left
      expect(await readImportMarker(db)).toBeUndefined();
      // The same import succeeds once there is room, whole.
      const result = await commitImport(db, batch, { fileName: 'big.csv', mode: 'all-or-nothing', keepSample: true });
      expect(result.customersWritten).toBe(600);
      expect(await db.customers.where('id').startsWith('Q').count()).toBe(600);
    });
  }

  it('recognises the browser’s quota error however it is wrapped', () => {
    expect(isQuotaError(new DOMException('x', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError({ name: 'AbortError', inner: { name: 'QuotaExceededError' } })).toBe(true);
    expect(isQuotaError(new Error('other'))).toBe(false);
  });
});

describe('the browser closes while an import is saving', () => {
  it('leaves the data as before and a marker that the next options page turns into a message', async () => {
    const before = await storeSnapshot(db);
    // What a commit does first; then the browser stops (IndexedDB rolls back the unfinished data transaction).
    await markImportStarted(db, { fileName: 'orders-2024.csv', startedAt: '2026-11-22T21:10:00.000Z', rows: 120_000 });
    db.close();
    const reopened = new CentricDb(db.name); // the browser starts again
    await reopened.open();
    const marker = await readImportMarker(reopened);
    expect(marker).toEqual({ fileName: 'orders-2024.csv', startedAt: '2026-11-22T21:10:00.000Z', rows: 120_000 });
    expect(interruptedImportMessage(marker!)).toBe(
      'The import of orders-2024.csv (120,000 rows, started 2026-11-22 21:10 UTC) did not finish: the browser or the page closed while it was saving. ' +
        'Nothing from it was saved and your data is as it was before. Import the file again.',
    );
    await clearImportMarker(reopened); // shown once
    expect(await storeSnapshot(reopened)).toBe(before);
    db = reopened;
  });

  it('says it is writing only once the marker is stored, before any of its data', async () => {
    // The page says "Saving" on this signal; a browser closed from then on must find the marker.
    const events: string[] = [];
    const meta = db.meta as { put: (...a: unknown[]) => Promise<unknown> };
    const metaPut = meta.put.bind(db.meta);
    meta.put = async (...args) => {
      const key = await metaPut(...args);
      events.push(`stored ${String(key)}`);
      return key;
    };
    const customers = db.customers as { bulkPut: (...a: unknown[]) => Promise<unknown> };
    const bulkPut = customers.bulkPut.bind(db.customers);
    customers.bulkPut = (...args) => {
      events.push('customers written');
      return bulkPut(...args);
    };
    await commitImport(db, batchOf(transactions(10, 'W')), {
      fileName: 'signal.csv',
      mode: 'all-or-nothing',
      keepSample: true,
      onWriting: () => events.push('writing'),
    });
    expect(events).toEqual(['stored importInProgress', 'writing', 'customers written']);
    expect(await readImportMarker(db)).toBeUndefined();
    expect(await db.customers.where('id').startsWith('W').count()).toBe(10);
  });

  it('a finished import removes its marker in the same transaction as its data', async () => {
    await commitImport(db, batchOf(transactions(10, 'M')), { fileName: 'small.csv', mode: 'all-or-nothing', keepSample: true });
    expect(await readImportMarker(db)).toBeUndefined();
  });

  it('an import aborted mid-write (the worker terminated) writes nothing', async () => {
    const before = await storeSnapshot(db);
    failPutsAfter('customers', 3);
    proto.put = ((put) =>
      function (this: { name: string }, ...args: unknown[]) {
        try {
          return put.apply(this, args);
        } catch {
          faultsInjected++;
          throw new DOMException('The transaction was aborted.', 'AbortError');
        }
      })(proto.put);
    const error = await commitImport(db, batchOf(transactions(50, 'A')), { fileName: 'a.csv', mode: 'all-or-nothing', keepSample: true }).catch((e: unknown) => e);
    restorePut();
    expect(error).toBeInstanceOf(Error);
    expect(await storeSnapshot(db)).toBe(before);
  });
});

describe('two imports at once', () => {
  it('are never interleaved: the result is the same as one after the other, both recorded', async () => {
    const first = batchOf(transactions(300, 'T'));
    const second = batchOf(transactions(300, 'T', 3)); // the same customers, other purchases
    await Promise.all([
      commitImport(db, first, { fileName: 'one.csv', mode: 'all-or-nothing', keepSample: true, now: () => new Date('2026-02-01T00:00:00Z') }),
      commitImport(db, second, { fileName: 'two.csv', mode: 'all-or-nothing', keepSample: true, now: () => new Date('2026-02-01T00:00:00Z') }),
    ]);
    const sequential = new CentricDb(`centric-faults-seq-${n}`);
    await loadSampleData(sequential, readBundledSample(), () => new Date('2026-01-01T00:00:00Z'));
    await commitImport(sequential, first, { fileName: 'one.csv', mode: 'all-or-nothing', keepSample: true, now: () => new Date('2026-02-01T00:00:00Z') });
    await commitImport(sequential, second, { fileName: 'two.csv', mode: 'all-or-nothing', keepSample: true, now: () => new Date('2026-02-01T00:00:00Z') });
    const view = async (store: CentricDb) => ({
      customers: (await store.customers.orderBy('id').toArray()).map(({ id, emails, facts }) => ({ id, emails, facts })),
      purchases: (await readAllPurchases(store)).map((p) => ({ id: p.customerId, keys: [...p.keys].sort() })).sort((a, b) => a.id.localeCompare(b.id)),
      runs: (await store.importRuns.toArray()).map((r) => r.fileName).sort(),
    });
    const together = await view(db);
    expect(together).toEqual(await view(sequential));
    expect(together.runs.filter((f) => f !== 'sample')).toEqual(expect.arrayContaining(['one.csv', 'two.csv']));
    // T7's purchases: January from one file, April from the other, and the October one both hold (one key).
    expect(together.purchases.find((p) => p.id === 'T7')?.keys.length).toBe(3);
    await sequential.delete();
  });

  it('take turns on the import lock; the second is told it waits', async () => {
    // A lock manager with the Web Locks semantics the worker relies on.
    let holder: Promise<unknown> = Promise.resolve();
    let held = false;
    let granted = 0; // granted or queued requests: a new ifAvailable request fails while any is
    const locks: LockManagerLike & { query(): Promise<{ held: { name: string }[] }> } = {
      async request<T>(name: string, a: unknown, b?: unknown): Promise<T> {
        const [options, callback] = (typeof a === 'function' ? [{}, a] : [a, b]) as [{ ifAvailable?: boolean }, (lock: unknown) => Promise<T>];
        expect(name).toBe(IMPORT_LOCK);
        if (options.ifAvailable && granted > 0) return callback(null);
        granted++;
        const run = holder.then(async () => {
          held = true;
          try {
            return await callback({ name });
          } finally {
            held = false;
            granted--;
          }
        });
        holder = run.catch(() => {});
        return run;
      },
      query: async () => ({ held: held ? [{ name: IMPORT_LOCK }] : [] }),
    };
    let active = 0;
    let most = 0;
    const waited: string[] = [];
    const write = (label: string) => async () => {
      active++;
      most = Math.max(most, active);
      expect(await importRunning(locks)).toBe(true);
      await new Promise((r) => setTimeout(r, 30));
      active--;
      return label;
    };
    const results = await Promise.all([withImportLock(locks, () => waited.push('one'), write('one')), withImportLock(locks, () => waited.push('two'), write('two'))]);
    expect(results).toEqual(['one', 'two']);
    expect(most).toBe(1);
    expect(waited).toEqual(['two']);
    expect(await importRunning(locks)).toBe(false);
  });
});

describe('scoring cut off in the middle of its write', () => {
  it('keeps the previous scores and runs exactly', async () => {
    await scoreStore(db, DEFAULT_SCORING_SETTINGS, { now: () => new Date('2026-03-01T00:00:00Z') });
    const before = await storeSnapshot(db);
    failPutsAfter('valueBuckets', 100);
    const error = await scoreStore(db, DEFAULT_SCORING_SETTINGS, { now: () => new Date('2026-03-02T00:00:00Z') }).catch((e: unknown) => e);
    restorePut();
    expect(error).toBeInstanceOf(Error);
    expect(await storeSnapshot(db)).toBe(before);
  });
});

describe('figures', () => {
  it('faults were injected', () => {
    expect(faultsInjected).toBeGreaterThanOrEqual(5);
  });
});
