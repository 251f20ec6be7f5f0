/**
 * A stored value as the customer's value that every view shows (issue 18: the store keeps numbers,
 * this builds the words): the run's fields (model, tiers, horizon), the tier's name and colours, and
 * the plain-language explanations, built the first time they are read (a dashboard of 100,000
 * customers never builds them) from the customer's placement (lib/tiers/explain.ts).
 */
import type { DisplayFormat } from '../format/money';
import { parseDay } from '../clv/time';
import type { CustomerValue, FullStoredValue, ModelRunRecord, SlimValue, StoredValue } from '../db/records';
import { FLAGS } from './assign';
import { DEFAULT_TIER_CONFIG, parseTierConfig, tierForeground, type TierConfig } from './config';
import { explainPlacement, explainPlacementFlags, type TierPlacement } from './explain';

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
  cumulativePercent: number[];
  asOfDay: number | undefined;
  /** The scoring horizon in months (what `clv` covers). */
  horizonMonths: number | undefined;
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
    cumulativePercent: run?.tierCumulativePercent ?? [],
    asOfDay: Number.isFinite(end) ? end : undefined,
    horizonMonths: typeof run?.settings?.horizonMonths === 'number' ? run.settings.horizonMonths : undefined,
  };
  cachedContext = { key, context };
  return context;
}

/** The display currency and locale of a run's amounts (its tier settings), for every view of its values. */
export function runFormat(run: ModelRunRecord | undefined | null): DisplayFormat {
  const { currency, locale } = runContext(run ?? undefined).tiers.display;
  return { currency, locale };
}

/** A stored value's place among its run's customers, for the explanations (lib/tiers/explain.ts). */
function placementOf(v: SlimValue, context: RunContext): TierPlacement {
  return {
    config: context.tiers,
    count: context.customers,
    tier: v.tierIndex,
    rank: v.rank,
    value: v.rank === 0 && v.firstDay === undefined ? Number.NaN : v.clv,
    pAlive: v.pAlive,
    firstPurchaseDay: v.firstDay ?? Number.NaN,
    asOfDay: context.asOfDay,
    flags: v.flagBits,
    cumulativePercent: context.cumulativePercent,
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
  // A tier index that does not read (a damaged bucket) places the customer in the last tier, never a crash.
  const index = Number.isInteger(stored.tierIndex) ? Math.min(Math.max(0, stored.tierIndex), tiers.length - 1) : tiers.length - 1;
  const tier = tiers[index]!;
  const v = stored;
  let explained: { explanation: string; flagExplanations: string[] } | undefined;
  const explain = () => {
    if (!explained) {
      try {
        const placement = placementOf(v, context);
        explained = { explanation: explainPlacement(placement), flagExplanations: explainPlacementFlags(placement).map((f) => f.text) };
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
    ...(context.horizonMonths === undefined ? {} : { horizonMonths: context.horizonMonths }),
  } as CustomerValue;
  // Enumerable getters: a structured clone (a message, a worker) copies the built text.
  Object.defineProperty(value, 'explanation', { enumerable: true, get: () => explain().explanation });
  Object.defineProperty(value, 'flagExplanations', { enumerable: true, get: () => explain().flagExplanations });
  return value;
}
