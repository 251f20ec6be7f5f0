/**
 * Customers' values (the latest scoring's output), kept apart from the customer records in hash
 * buckets (lib/db/buckets.ts): a scoring run rewrites a few thousand bucket records instead of every
 * indexed customer record. The bucket count grows with the customers scored (about 32 a bucket, so a
 * lookup reads a small record at 1,000,000 customers too) and is recorded in the model run that wrote
 * them (`valueBuckets`; runs before it had 4,096). Readers join a customer with its value here.
 */
import { parseDay } from '../clv/time';
import { DEFAULT_TIER_CONFIG, explainFlags, explainTier, FLAGS, parseTierConfig, tierForeground, type TierAssignment, type TierConfig } from '../tiers';
import { BUCKETS, readAllItems, readItems, removeItems, replaceAllItems, upsertItems } from './buckets';
import type { CentricDb } from './db';
import type { CustomerRecord, CustomerValue, FullStoredValue, ModelRunRecord, SlimValue, StoredCustomer, StoredValue } from './records';

/** The value bucket count for `customers` customers: a power of two from 256 to 65,536, about 32 customers a bucket. */
export function valueBucketCount(customers: number): number {
  let count = 256;
  while (count < 65_536 && count * 32 < customers) count *= 2;
  return count;
}

/** The bucket count of the stored values (the latest model run's). */
export async function storedValueBuckets(db: CentricDb): Promise<number> {
  return (await db.modelRuns.orderBy('at').last())?.valueBuckets ?? BUCKETS;
}

function isFull(stored: StoredValue): stored is FullStoredValue {
  return typeof (stored as FullStoredValue).tier === 'string';
}

/** What a slim value needs from its model run to become a whole CustomerValue. */
interface RunContext {
  id: number | undefined;
  model: string;
  at: string;
  tiers: TierConfig;
  customers: number;
  tierCounts: number[];
  cumulativePercent: number[];
  asOfDay: number | undefined;
}

let cachedContext: { key: string; context: RunContext } | undefined;

/** The run's shared fields, parsed once per run (runs are never changed once written). */
function runContext(run: ModelRunRecord | undefined): RunContext {
  const key = run ? `${run.id}|${run.at}` : '';
  if (cachedContext && cachedContext.key === key) return cachedContext.context;
  let tiers = DEFAULT_TIER_CONFIG;
  try {
    if (run?.settings.tiers !== undefined) tiers = parseTierConfig(run.settings.tiers);
  } catch {
    // A run whose tier settings no longer parse: its values are still shown, with the default names.
  }
  const end = run?.dataEnd ? parseDay(run.dataEnd) : Number.NaN;
  const context: RunContext = {
    id: run?.id,
    model: run?.model ?? 'unknown',
    at: run?.at ?? new Date(0).toISOString(),
    tiers,
    customers: run?.customers ?? 0,
    tierCounts: run?.tierCounts ?? [],
    cumulativePercent: run?.tierCumulativePercent ?? [],
    asOfDay: Number.isFinite(end) ? end : undefined,
  };
  cachedContext = { key, context };
  return context;
}

/** The one-customer tier assignment the explanation functions of lib/tiers read. */
function assignmentOf(v: SlimValue, context: RunContext): TierAssignment {
  return {
    config: context.tiers,
    input: { value: [v.rank === 0 && v.firstDay === undefined ? Number.NaN : v.clv], pAlive: [v.pAlive], firstPurchaseDay: [v.firstDay ?? Number.NaN], asOfDay: context.asOfDay },
    count: context.customers,
    valued: 0,
    tier: Uint8Array.of(v.tierIndex),
    rank: Uint32Array.of(v.rank),
    flags: Uint8Array.of(v.flagBits),
    order: new Uint32Array(0),
    tierCounts: context.tierCounts,
    tierEndRank: [],
    cumulativePercent: context.cumulativePercent,
    highValueRank: 0,
  };
}

/**
 * A stored value as a whole CustomerValue. A slim value takes the run's fields from its model run
 * (`run`: the run that wrote it, normally the latest) and builds its explanations the first time
 * they are read (a dashboard of 100,000 customers never builds them).
 */
export function expandValue(stored: StoredValue, run: ModelRunRecord | undefined): CustomerValue {
  if (isFull(stored)) {
    const { customerId: _id, ...value } = stored;
    return value;
  }
  const context = runContext(run);
  const tiers = context.tiers.tiers;
  const index = Math.min(Math.max(0, stored.tierIndex), tiers.length - 1);
  const tier = tiers[index]!;
  const v = stored;
  let explained: { explanation: string; flagExplanations: string[] } | undefined;
  const explain = () => {
    if (!explained) {
      try {
        const assignment = assignmentOf(v, context);
        explained = { explanation: explainTier(assignment, 0), flagExplanations: explainFlags(assignment, 0).map((f) => f.text) };
      } catch {
        explained = { explanation: `${tier.name}.`, flagExplanations: [] };
      }
    }
    return explained;
  };
  const { customerId: _id, flagBits, firstDay: _first, ...numbers } = v;
  const value = {
    ...numbers,
    model: context.model,
    tier: tier.name,
    tierCount: tiers.length,
    tierColor: tier.color,
    tierForeground: tierForeground(tier),
    flags: FLAGS.filter((f) => flagBits & f.bit).map((f) => f.id),
    scoredAt: context.at,
  } as CustomerValue;
  // Enumerable getters: a structured clone (a message, a worker) copies the built text.
  Object.defineProperty(value, 'explanation', { enumerable: true, get: () => explain().explanation });
  Object.defineProperty(value, 'flagExplanations', { enumerable: true, get: () => explain().flagExplanations });
  return value;
}

/** The latest model run (whose values are the stored ones). */
export function latestRun(db: CentricDb): Promise<ModelRunRecord | undefined> {
  return db.modelRuns.orderBy('at').last();
}

/** Above this many customers, joining reads the whole value table rather than their buckets. */
const READ_ALL_ABOVE = 2000;

/**
 * These customers with their values (a customer not scored has none). `run`: the latest model run,
 * when the caller has already read it (null: there is none).
 */
export async function withValues(db: CentricDb, customers: readonly StoredCustomer[], run?: ModelRunRecord | null): Promise<CustomerRecord[]> {
  if (customers.length === 0) return [];
  const latest = run === undefined ? await latestRun(db) : (run ?? undefined);
  if (customers.length > READ_ALL_ABOVE) {
    const all = await allValues(db, latest ?? null);
    return customers.map((c) => ({ ...c, value: all.get(c.id) }));
  }
  const values = await readItems(db.valueBuckets, customers.map((c) => c.id), latest?.valueBuckets ?? BUCKETS);
  return customers.map((c, i) => {
    const v = values[i];
    return v ? { ...c, value: expandValue(v, latest) } : { ...c };
  });
}

/** One customer with their value. */
export async function withValue(db: CentricDb, customer: StoredCustomer, run?: ModelRunRecord | null): Promise<CustomerRecord>;
export async function withValue(db: CentricDb, customer: StoredCustomer | undefined, run?: ModelRunRecord | null): Promise<CustomerRecord | undefined>;
export async function withValue(db: CentricDb, customer: StoredCustomer | undefined, run?: ModelRunRecord | null): Promise<CustomerRecord | undefined> {
  return customer && (await withValues(db, [customer], run))[0];
}

/** Every stored value, by customer id. */
export async function allValues(db: CentricDb, run?: ModelRunRecord | null): Promise<Map<string, CustomerValue>> {
  const [items, latest] = await Promise.all([readAllItems(db.valueBuckets), run === undefined ? latestRun(db) : (run ?? undefined)]);
  return new Map(items.map((v) => [v.customerId, expandValue(v, latest)]));
}

/** Every stored value with its customer id (backups). */
export function allStoredValues(db: CentricDb): Promise<StoredValue[]> {
  return readAllItems(db.valueBuckets);
}

/**
 * Replaces every value with a scoring run's, bucketed by `count` (which the caller records in the
 * run: valueBucketCount of the customers scored). Call inside a transaction.
 */
export function replaceValues(db: CentricDb, values: Iterable<StoredValue>, count: number): Promise<void> {
  return replaceAllItems(db.valueBuckets, values, count);
}

/** Forgets these customers' values. Call inside a transaction with modelRuns. */
export async function removeValues(db: CentricDb, customerIds: readonly string[]): Promise<void> {
  await removeItems(db.valueBuckets, customerIds, await storedValueBuckets(db));
}

/** The stored form of a customer: everything but the value (which lives in its own table). */
export function storedCustomer(customer: CustomerRecord | StoredCustomer): StoredCustomer {
  const { value: _value, ...stored } = customer as CustomerRecord;
  return stored;
}

/** Writes customers with their values (each to its own table), in one transaction. */
export async function putCustomers(db: CentricDb, customers: readonly CustomerRecord[]): Promise<void> {
  await db.transaction('rw', db.customers, db.valueBuckets, db.modelRuns, async () => {
    const count = await storedValueBuckets(db);
    await db.customers.bulkPut(customers.map(storedCustomer));
    await removeItems(db.valueBuckets, customers.filter((c) => !c.value).map((c) => c.id), count);
    await upsertItems(db.valueBuckets, customers.flatMap((c) => (c.value ? [{ ...c.value, customerId: c.id }] : [])), undefined, count);
  });
}
