/**
 * Plain-language explanations of tier assignments and flags, built on demand for one customer (never
 * for the whole base at once), e.g.
 *   "Platinum: predicted value $1,240 over 12 months puts this customer in the top 5% (rank 37 of 2,357)."
 *   "At risk: P(alive) 18% for a Gold customer (flagged below 50%)."
 */
import { ClvError } from '../clv/errors';
import { FLAG_AT_RISK, FLAG_NEW, FLAG_ONE_TIME, type FlagId, type TierAssignment } from './assign';
import { type TierConfig, tierForeground } from './config';
import { countText, moneyText } from '../format/money';

/** The run's amounts and counts (lib/format/money.ts). */
interface Formatters {
  amount(value: number): string;
  integer(value: number): string;
}

function formattersFor(display: TierConfig['display']): Formatters {
  return { amount: (v) => moneyText(v, display), integer: (v) => countText(v, display) };
}

/** Percent of a share given in percent (5 -> "5%", 2.5 -> "2.5%"). */
function formatPercent(percent: number): string {
  const rounded = Math.round(percent * 100) / 100;
  return `${rounded}%`;
}

/** A probability as a whole percent, never rounding to a misleading 0% or 100%. */
export function formatProbability(p: number): string {
  if (!Number.isFinite(p)) return 'unknown';
  const percent = p * 100;
  if (percent > 0 && percent < 1) return '<1%';
  if (percent < 100 && percent > 99) return '>99%';
  return `${Math.round(percent)}%`;
}

function valuePhrase(config: TierConfig, f: Formatters, value: number): string {
  const horizon = config.display.horizonLabel ? ` ${config.display.horizonLabel}` : '';
  return `${config.display.valueLabel} ${f.amount(value)}${horizon}`;
}

/**
 * One customer's place among the base: what their explanations need, from a whole assignment
 * (placementOf) or from a stored value and its run (lib/tiers/value-view.ts), no population built.
 */
export interface TierPlacement {
  config: TierConfig;
  /** Customers in the base. */
  count: number;
  /** Tier index (0 = best). */
  tier: number;
  /** Rank by value, 1 = highest; 0 = no expected value. */
  rank: number;
  /** The predicted value tiers are cut on (NaN: none). */
  value: number;
  pAlive: number;
  /** Day number of the first purchase (NaN: unknown). */
  firstPurchaseDay: number;
  asOfDay: number | undefined;
  /** Bit set of FLAG_*. */
  flags: number;
  /** Percentile tiers: the cumulative percent at the bottom of each tier. */
  cumulativePercent: readonly number[];
}

/** Customer i's placement in a whole assignment. */
export function placementOf(assignment: TierAssignment, i: number): TierPlacement {
  const { input } = assignment;
  return {
    config: assignment.config,
    count: assignment.count,
    tier: assignment.tier[i] as number,
    rank: assignment.rank[i] as number,
    value: input.value[i] as number,
    pAlive: (input.pAlive?.[i] as number | undefined) ?? Number.NaN,
    firstPurchaseDay: (input.firstPurchaseDay?.[i] as number | undefined) ?? Number.NaN,
    asOfDay: input.asOfDay,
    flags: assignment.flags[i] as number,
    cumulativePercent: assignment.cumulativePercent,
  };
}

/** The one-sentence reason for customer i's tier. */
export function explainTier(assignment: TierAssignment, i: number): string {
  return explainPlacement(placementOf(assignment, i));
}

/** The one-sentence reason for a customer's tier, from their placement. */
export function explainPlacement(placement: TierPlacement): string {
  const { config, count } = placement;
  const f = formattersFor(config.display);
  const k = placement.tier;
  const last = config.tiers.length - 1;
  const tier = config.tiers[k];
  const name = tier?.name ?? '';
  const value = placement.value;
  const r = placement.rank;

  if (r === 0) {
    if (!Number.isFinite(value)) {
      return `${name}: no predicted value is available for this customer, so they are placed in the last tier.`;
    }
    return `${name}: ${valuePhrase(config, f, Math.max(0, value))}, so this customer is placed in the last tier.`;
  }
  const rankText = `(rank ${f.integer(r)} of ${f.integer(count)})`;
  const phrase = valuePhrase(config, f, value);

  if (config.cutoff === 'percentile') {
    const bottom = placement.cumulativePercent[k] as number;
    if (k === last) {
      const above = k > 0 ? (placement.cumulativePercent[k - 1] as number) : 0;
      return `${name}: ${phrase} puts this customer in the bottom ${formatPercent(100 - above)} ${rankText}.`;
    }
    if (k === 0) return `${name}: ${phrase} puts this customer in the top ${formatPercent(bottom)} ${rankText}.`;
    const top = placement.cumulativePercent[k - 1] as number;
    return `${name}: ${phrase} puts this customer in the top ${formatPercent(bottom)}, below the top ${formatPercent(top)} ${rankText}.`;
  }

  const above = k > 0 ? config.tiers[k - 1] : undefined;
  const aboveText = above ? `the ${above.name} threshold of ${f.amount(above.minValue ?? 0)}` : '';
  if (k === last) return `${name}: ${phrase} is below ${aboveText} ${rankText}.`;
  const own = `the ${name} threshold of ${f.amount(tier?.minValue ?? 0)}`;
  if (k === 0) return `${name}: ${phrase} reaches ${own} ${rankText}.`;
  return `${name}: ${phrase} reaches ${own} but is below ${aboveText} ${rankText}.`;
}

function daysAgo(days: number): string {
  if (days === 0) return 'today';
  if (days === 1) return '1 day ago';
  return `${days} days ago`;
}

/** One sentence per flag set on customer i, in display order. */
export function explainFlags(assignment: TierAssignment, i: number): { id: FlagId; text: string }[] {
  return explainPlacementFlags(placementOf(assignment, i));
}

/** Each flag of a customer in words, from their placement. */
export function explainPlacementFlags(placement: TierPlacement): { id: FlagId; text: string }[] {
  const { config } = placement;
  const bits = placement.flags;
  const out: { id: FlagId; text: string }[] = [];
  if (bits & FLAG_AT_RISK) {
    const k = placement.tier;
    const p = formatProbability(placement.pAlive);
    const threshold = formatProbability(config.atRisk.pAliveBelow);
    const who =
      k < config.atRisk.topTiers
        ? `a ${config.tiers[k]?.name ?? ''} customer`
        : `a customer in the top ${formatPercent(100 - (config.atRisk.valuePercentile ?? 0))} by value`;
    out.push({ id: 'at-risk', text: `At risk: P(alive) ${p} for ${who} (flagged below ${threshold}).` });
  }
  const age = placement.asOfDay !== undefined ? Math.round(placement.asOfDay - placement.firstPurchaseDay) : Number.NaN;
  if (bits & FLAG_NEW) {
    out.push({
      id: 'new',
      text: `New: first purchase ${daysAgo(age)} (customers count as new for ${config.newCustomer.withinDays} days).`,
    });
  }
  if (bits & FLAG_ONE_TIME) {
    out.push({
      id: 'one-time',
      text: Number.isFinite(age) && age >= 0
        ? `One-time buyer: no repeat purchase since the first one, ${daysAgo(age)}.`
        : 'One-time buyer: no repeat purchase since the first one.',
    });
  }
  return out;
}

/** Everything a badge needs for customer i: tier id, name, colours, the explanation and the flags. */
export function describeCustomer(assignment: TierAssignment, i: number): {
  tierId: string;
  tierName: string;
  color: string;
  foreground: string;
  rank: number;
  explanation: string;
  flags: { id: FlagId; text: string }[];
} {
  const tier = assignment.config.tiers[assignment.tier[i] as number];
  if (!tier) throw new ClvError('invalid-input', `There is no customer ${i} in this assignment.`, { row: i });
  return {
    tierId: tier.id,
    tierName: tier.name,
    color: tier.color,
    foreground: tierForeground(tier),
    rank: assignment.rank[i] as number,
    explanation: explainTier(assignment, i),
    flags: explainFlags(assignment, i),
  };
}
