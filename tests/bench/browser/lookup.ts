/**
 * Lookup by email through the background with 1,000,000 customers stored: the store is filled from
 * an extension page with the raw IndexedDB API (the same origin as the background's database), then
 * the page sends `lookup` messages one after the other and times each round trip.
 */
import type { Page } from 'playwright-core';
import { bucketOf } from '../../../lib/db/buckets';
import { valueBucketCount } from '../../../lib/db/values';
import { mulberry32 } from '../../helpers/simulate';

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
 * customer has (one email, its domain, purchase facts, and a value with tier and explanation in the
 * value buckets). As a scoring of `target` customers would, it first records a model run with the
 * value bucket count for `target` customers and re-buckets the values already stored to it.
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
  const count = valueBucketCount(target);
  await page.evaluate(async (count) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('centric');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(['modelRuns', 'valueBuckets'], 'readwrite');
      const runs = tx.objectStore('modelRuns');
      const latest = runs.index('at').openCursor(null, 'prev');
      latest.onsuccess = () => {
        const run = latest.result?.value as Record<string, unknown> | undefined;
        if (!run || run.valueBuckets === count) return;
        const { id: _id, ...rest } = run;
        runs.add({ ...rest, at: new Date().toISOString(), valueBuckets: count });
        const values = tx.objectStore('valueBuckets');
        const all = values.getAll();
        all.onsuccess = () => {
          const items = (all.result as { items: { customerId: string }[] }[]).flatMap((b) => b.items);
          values.clear();
          const byBucket = new Map<number, unknown[]>();
          for (const item of items) {
            // FNV-1a, as lib/db/buckets.ts (the page cannot import it)
            let hash = 0x811c9dc5;
            for (let i = 0; i < item.customerId.length; i++) hash = Math.imul(hash ^ item.customerId.charCodeAt(i), 0x01000193);
            const b = (hash >>> 0) % count;
            byBucket.set(b, [...(byBucket.get(b) ?? []), item]);
          }
          for (const [bucket, list] of byBucket) values.put({ bucket, items: list });
        };
      };
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, count);
  const toWrite = Math.max(0, target - existing);
  for (let from = 0; from < toWrite; from += batch) {
    const to = Math.min(toWrite, from + batch);
    await page.evaluate(
      async ({ from, to, domains, buckets }) => {
        const emailOf = (i: number) => `person${i}@company${i % domains}.example`;
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open('centric');
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        const at = new Date().toISOString();
        const tiers = [
          ['Gold', '#b8860b', '#000000'],
          ['Silver', '#c0c0c0', '#000000'],
          ['Bronze', '#cd7f32', '#000000'],
          ['Lead', '#4a5568', '#ffffff'],
        ] as const;
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction(['customers', 'valueBuckets'], 'readwrite', { durability: 'relaxed' });
          const store = tx.objectStore('customers');
          const values = new Map<number, unknown[]>();
          for (let i = from; i < to; i++) {
            const email = emailOf(i);
            const orders = 1 + (i % 17);
            const tierIndex = i % 4;
            const tier = tiers[tierIndex]!;
            const clv = Math.round(((i * 7919) % 100_000) / 10) / 10;
            const id = `L${String(i).padStart(7, '0')}`;
            store.put({
              id,
              name: `Person ${i}`,
              emails: [email],
              domain: email.split('@')[1],
              hostIds: [],
              facts: { orders, totalSpent: orders * 42.5, firstPurchase: '2023-03-14', lastPurchase: '2024-11-02' },
              source: 'local',
              importedAt: at,
            });
            const bucket = buckets[i - from]!;
            const list = values.get(bucket) ?? [];
            values.set(bucket, list);
            list.push({
                customerId: id,
                model: 'bgnbd',
                modelRunId: 1,
                x: orders - 1,
                tx: 80.5,
                T: 93.2,
                monetary: 42.5,
                pAlive: 0.83,
                expectedTransactions: 2.1,
                expectedSpend: 41.9,
                clv,
                next12Months: clv * 1.05,
                tier: tier[0],
                tierIndex,
                tierColor: tier[1],
                tierForeground: tier[2],
                rank: i + 1,
                flags: [],
                explanation: `${tier[0]}: among the customers with the highest expected value over the next 12 months.`,
                flagExplanations: [],
                scoredAt: at,
            });
          }
          // Each touched bucket of the value table gets these customers' values added to it.
          const valueStore = tx.objectStore('valueBuckets');
          for (const [bucket, list] of values) {
            const request = valueStore.get(bucket);
            request.onsuccess = () => {
              const stored = (request.result as { items: unknown[] } | undefined)?.items ?? [];
              valueStore.put({ bucket, items: [...stored, ...list] });
            };
          }
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
        });
        db.close();
      },
      { from, to, domains: DOMAINS, buckets: Array.from({ length: to - from }, (_, k) => bucketOf(`L${String(from + k).padStart(7, '0')}`, count)) },
    );
    onProgress(to, toWrite);
  }
  return { written: toWrite, total: existing + toWrite, seconds: (performance.now() - started) / 1000 };
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
