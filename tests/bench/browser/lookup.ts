/**
 * Lookup by email through the background with 1,000,000 customers stored: the store is filled from
 * an extension page with the raw IndexedDB API (the same origin as the background's database), then
 * the page sends `lookup` messages one after the other and times each round trip.
 */
import type { Page, Worker } from 'playwright-core';
import { valueBucketCount } from '../../../lib/db/values';
import { mulberry32 } from '../../helpers/simulate';
import type { StoredValue } from '../../../lib/db/records';
import { unpackBucket, VALUE_COLUMNS } from '../../../lib/db/value-buckets';

export interface FillResult {
  written: number;
  total: number;
  seconds: number;
}

/**
 * Filler customer i has the email `person<i>@company<i mod DOMAINS>.example` (lower case, as the
 * store keeps them); the page code below builds it inline (extension pages allow no eval).
 */
const DOMAINS = 20_000;

/**
 * Adds scored customers `L0000000`, `L0000001`, … to the `customers` store until it holds `target`
 * customers, in transactions of `batch` records. Each record has what an imported and scored
 * customer has (one email, its domain, purchase facts), and each customer a value with tier and
 * explanation in the value buckets. As a scoring of `target` customers would, it records a model run
 * with the value bucket count for `target` customers and writes every value bucket once, at the end
 * (generated in the page, a range of buckets at a time): no bucket is read and rewritten per batch.
 */
export async function fillCustomers(page: Page, target: number, onProgress: (done: number, of: number) => void, batch = 50_000): Promise<FillResult> {
  const started = performance.now();
  const existing = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('centric');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const count = await new Promise<number>((resolve, reject) => {
      const request = db.transaction('customers').objectStore('customers').count();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return count;
  });
  const toWrite = Math.max(0, target - existing);
  for (let from = 0; from < toWrite; from += batch) {
    const to = Math.min(toWrite, from + batch);
    await page.evaluate(
      async ({ from, to, domains }) => {
        const emailOf = (i: number) => `person${i}@company${i % domains}.example`;
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open('centric');
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        const at = new Date().toISOString();
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction(['customers'], 'readwrite', { durability: 'relaxed' });
          const store = tx.objectStore('customers');
          for (let i = from; i < to; i++) {
            const email = emailOf(i);
            const orders = 1 + (i % 17);
            store.put({
              id: `L${String(i).padStart(7, '0')}`,
              name: `Person ${i}`,
              emails: [email],
              domain: email.split('@')[1],
              hostIds: [],
              facts: { orders, totalSpent: orders * 42.5, firstPurchase: '2023-03-14', lastPurchase: '2024-11-02' },
              source: 'local',
              importedAt: at,
            });
          }
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
        });
        db.close();
      },
      { from, to, domains: DOMAINS },
    );
    onProgress(to, toWrite);
  }
  await writeFillerValues(page, toWrite, valueBucketCount(target));
  return { written: toWrite, total: existing + toWrite, seconds: (performance.now() - started) / 1000 };
}

/**
 * Records a model run with `count` value buckets and writes the values of filler customers 0…n-1
 * (with the sample's own values, re-bucketed), a range of buckets per transaction.
 */
async function writeFillerValues(page: Page, n: number, count: number): Promise<void> {
  // The new model run, and the sample's own values (re-bucketed below with the filler's).
  const { runId, records } = await page.evaluate(async ({ count, n }) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('centric');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const result = await new Promise<{ runId: number; records: { bucket: number; items?: unknown[]; ids?: string[]; numbers?: number[] }[] }>((resolve, reject) => {
      const tx = db.transaction(['modelRuns', 'valueBuckets'], 'readwrite');
      const runs = tx.objectStore('modelRuns');
      const values = tx.objectStore('valueBuckets');
      let out: { runId: number; records: { bucket: number; items?: unknown[]; ids?: string[]; numbers?: number[] }[] } | undefined;
      const latest = runs.index('at').openCursor(null, 'prev');
      latest.onsuccess = () => {
        const run = latest.result?.value as (Record<string, unknown> & { id: number }) | undefined;
        if (!run) return tx.abort();
        const { id: _id, ...rest } = run;
        const added = runs.add({ ...rest, at: new Date().toISOString(), valueBuckets: count, customers: (rest.customers as number) + n });
        added.onsuccess = () => {
          const all = values.getAll();
          all.onsuccess = () => {
            // The sample's values as stored (packed numbers as plain arrays, for the trip to Node).
            const records = (all.result as { bucket: number; items?: unknown[]; ids?: string[]; numbers?: Float64Array }[]).map((r) => ({ ...r, numbers: r.numbers ? Array.from(r.numbers) : undefined }));
            values.clear();
            out = { runId: added.result as number, records };
          };
        };
      };
      tx.oncomplete = () => (out ? resolve(out) : reject(new Error('no model run: the sample should have been scored first')));
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('no model run: the sample should have been scored first'));
    });
    db.close();
    return result;
  }, { count, n });
  const sample = records.flatMap((r) => unpackBucket({ ...r, items: r.items as StoredValue[] | undefined, numbers: r.numbers ? Float64Array.from(r.numbers) : undefined }));
  const ranges = 16;
  for (let part = 0; part < ranges; part++) {
    const low = Math.floor((count * part) / ranges);
    const high = Math.floor((count * (part + 1)) / ranges);
    await page.evaluate(
      async ({ n, count, low, high, runId, sample, columns }) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open('centric');
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        // FNV-1a, as lib/db/buckets.ts (the page cannot import it)
        const bucketOf = (id: string) => {
          let hash = 0x811c9dc5;
          for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
          return (hash >>> 0) % count;
        };
        // As lib/scoring/store.ts writes them: the numbers only (names, colours and words come from the run).
        const valueOf = (i: number, id: string) => {
          const orders = 1 + (i % 17);
          const clv = Math.round(((i * 7919) % 100_000) / 10) / 10;
          return {
            customerId: id,
            modelRunId: runId,
            x: orders - 1,
            tx: 80.5,
            T: 93.2,
            monetary: 42.5,
            pAlive: 0.83,
            expectedTransactions: 2.1,
            expectedSpend: 41.9,
            clv,
            next12Months: clv * 1.05,
            tierIndex: i % 4,
            rank: i + 1,
            flagBits: i % 7 === 0 ? 1 : 0,
            firstDay: 19430,
          };
        };
        const byBucket = new Map<number, unknown[]>();
        const add = (b: number, item: unknown) => {
          let list = byBucket.get(b);
          if (!list) byBucket.set(b, (list = []));
          list.push(item);
        };
        for (const item of sample) {
          const b = bucketOf(item.customerId);
          if (b >= low && b < high) add(b, { ...item, modelRunId: runId });
        }
        for (let i = 0; i < n; i++) {
          const id = `L${String(i).padStart(7, '0')}`;
          const b = bucketOf(id);
          if (b >= low && b < high) add(b, valueOf(i, id));
        }
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction(['valueBuckets'], 'readwrite', { durability: 'relaxed' });
          const values = tx.objectStore('valueBuckets');
          // Packed as lib/db/value-buckets.ts packs a scoring's values: ids, and their numbers in columns.
          for (const [bucket, items] of byBucket) {
            const list = items as Record<string, number | string>[];
            const numbers = new Float64Array(list.length * columns.length);
            list.forEach((v, i) => columns.forEach((c, k) => (numbers[i * columns.length + k] = typeof v[c] === 'number' ? (v[c] as number) : Number.NaN)));
            values.put({ bucket, ids: list.map((v) => v.customerId as string), numbers, width: columns.length });
          }
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
        });
        db.close();
      },
      { n, count, low, high, runId, sample, columns: [...VALUE_COLUMNS] },
    );
  }
}

export interface LookupTimes {
  /** Round trips of lookups for stored emails, in ms. */
  found: number[];
  /** Round trips of lookups for unknown emails, in ms. */
  unknown: number[];
  /** Answers that were not what was expected (a stored email not found, an error). */
  wrong: string[];
}

/**
 * Sends `count` lookups one after the other from the page (a tenth for unknown emails, the rest for
 * random filler customers below `stored`, drawn in Node with a seed), after `warmUp` untimed ones.
 */
export async function timeLookups(page: Page, stored: number, count: number, warmUp: number, seed = 11): Promise<LookupTimes> {
  const random = mulberry32(seed);
  const queries = Array.from({ length: warmUp + count }, () => {
    const unknown = random() < 0.1;
    const i = Math.floor(random() * stored);
    return { i, unknown };
  });
  return page.evaluate(
    async ({ queries, warmUp, domains }) => {
      const emailOf = (i: number) => `person${i}@company${i % domains}.example`;
      const { runtime } = (globalThis as unknown as { chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } } }).chrome;
      const times: LookupTimes = { found: [], unknown: [], wrong: [] };
      for (let k = 0; k < queries.length; k++) {
        const { i, unknown } = queries[k]!;
        const email = unknown ? `nobody${i}@unknown${i % 97}.example` : emailOf(i);
        const started = performance.now();
        const answer = (await runtime.sendMessage({ type: 'lookup', identity: { host: 'bench', email } })) as
          | { status?: string; customer?: { email?: string; value?: { tier?: string }; treatment?: { title?: string } } }
          | undefined;
        const ms = performance.now() - started;
        // A stored customer must come back with their value (so their value bucket was read) and a treatment.
        const complete = answer?.customer?.email === email && answer.customer.value?.tier !== undefined && answer.customer.treatment?.title !== undefined;
        if (answer?.status !== (unknown ? 'not-found' : 'found') || (!unknown && !complete)) {
          times.wrong.push(`${email}: ${JSON.stringify(answer)?.slice(0, 200)}`);
        }
        if (k >= warmUp) (unknown ? times.unknown : times.found).push(ms);
      }
      return times;
    },
    { queries, warmUp, domains: DOMAINS },
  );
}

/** The q-quantile (0..1) of a list, by the nearest-rank method. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * The store's share of a lookup: the same reads as lib/lookup's readMatch (the customer by email,
 * the latest model run, the customer's value bucket) in one read transaction, timed inside the
 * background with the raw IndexedDB API, for `count` random stored customers. What a lookup takes
 * beyond this is messaging, validation, rules and building the view.
 */
export async function timeStoreReads(worker: Worker, stored: number, count: number, buckets: number, seed = 12): Promise<number[]> {
  const random = mulberry32(seed);
  const indices = Array.from({ length: count }, () => Math.floor(random() * stored));
  await worker.evaluate('globalThis.__name = (target) => target');
  return worker.evaluate(
    async ({ indices, domains, buckets }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('centric');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const bucketOf = (id: string) => {
        let hash = 0x811c9dc5;
        for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
        return (hash >>> 0) % buckets;
      };
      const times: number[] = [];
      for (const i of indices) {
        const email = `person${i}@company${i % domains}.example`;
        const started = performance.now();
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction(['customers', 'modelRuns', 'valueBuckets'], 'readonly');
          const customer = tx.objectStore('customers').index('emails').get(email);
          tx.objectStore('modelRuns').index('at').openCursor(null, 'prev');
          customer.onsuccess = () => {
            const id = (customer.result as { id: string }).id;
            tx.objectStore('valueBuckets').get(bucketOf(id));
          };
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
        times.push(performance.now() - started);
      }
      db.close();
      return times;
    },
    { indices, domains: DOMAINS, buckets },
  );
}
