/**
 * Value concentration (Fader's "customers are not equal"): the share of total predicted value held
 * by the top x% of customers, customers ranked by CLV highest first, with the tier boundaries marked.
 */
import type { CustomerWithValue } from '../db/records';
import { percentText } from './format';
import type { TierLegend } from './run';

/** One point of the curve. */
export interface ConcentrationPoint {
  /** Top share of customers, in percent (0..100). */
  customersPercent: number;
  /** Share of the total value they hold (0..1). */
  valueShare: number;
}

/** The bottom of one tier (all tiers but the last): the customers in it and every tier above. */
export interface TierBoundary {
  tier: TierLegend;
  /** Customers in this tier and the ones above it. */
  customers: number;
  customersPercent: number;
  valueShare: number;
}

export interface ConcentrationCurve {
  /** 101 points, x = 0, 1, …, 100 percent (linear between whole customers). */
  points: ConcentrationPoint[];
  boundaries: TierBoundary[];
  /** "The top 5% of customers (Platinum) hold 41% of the value; the top 20% hold 78%." */
  reading: string;
}

/** CLV of each customer, highest first (missing, negative or non-finite values count as 0). */
export function clvDescending(customers: readonly CustomerWithValue[]): Float64Array {
  const values = new Float64Array(customers.length);
  customers.forEach((c, i) => {
    const clv = c.value?.clv ?? 0;
    values[i] = Number.isFinite(clv) && clv > 0 ? clv : 0;
  });
  return values.sort().reverse();
}

/** Running sums: cumulative[k] = sum of the k highest values (cumulative[0] = 0). */
export function cumulativeSums(descending: Float64Array): Float64Array {
  const cumulative = new Float64Array(descending.length + 1);
  for (let i = 0; i < descending.length; i++) cumulative[i + 1] = (cumulative[i] as number) + (descending[i] as number);
  return cumulative;
}

/** Share of the total held by the top `percent` % of n customers, linear between whole customers. */
function shareAt(cumulative: Float64Array, percent: number): number {
  const n = cumulative.length - 1;
  const total = cumulative[n] as number;
  if (n === 0 || !(total > 0)) return 0;
  const position = (percent / 100) * n;
  const whole = Math.min(Math.floor(position), n);
  const part = whole < n ? ((cumulative[whole + 1] as number) - (cumulative[whole] as number)) * (position - whole) : 0;
  return Math.min(1, ((cumulative[whole] as number) + part) / total);
}

/** Customers per tier index, for tiers 0..tierCount−1. */
function customersPerTier(customers: readonly CustomerWithValue[], tierCount: number): number[] {
  const counts = new Array<number>(tierCount).fill(0);
  for (const c of customers) {
    const k = c.value?.tierIndex;
    if (k !== undefined && k >= 0 && k < tierCount) counts[k] = (counts[k] as number) + 1;
  }
  return counts;
}

function concentrationReading(boundaries: readonly TierBoundary[], total: number): string {
  if (!(total > 0)) return 'No customer has a predicted value above zero yet, so there is no concentration to show.';
  const marked = boundaries.filter((b, i) => b.customers > 0 && (i === 0 || b.customers > (boundaries[i - 1] as TierBoundary).customers));
  const [first, second] = marked;
  if (!first) return 'All customers are in one tier.';
  const head = `The top ${percentText(first.customersPercent / 100)} of customers (${first.tier.name}) hold ${percentText(first.valueShare)} of the value`;
  if (!second) return `${head}.`;
  return `${head}; the top ${percentText(second.customersPercent / 100)} hold ${percentText(second.valueShare)}.`;
}

/**
 * The concentration curve of the scored customers, the tier boundaries on it (from the customers'
 * tier indices; tiers are assigned by CLV rank, so tiers 0..k are the top customers), and a reading.
 */
export function valueConcentration(customers: readonly CustomerWithValue[], tiers: readonly TierLegend[]): ConcentrationCurve {
  const n = customers.length;
  const cumulative = cumulativeSums(clvDescending(customers));
  const total = cumulative[n] as number;
  const points: ConcentrationPoint[] = [];
  for (let x = 0; x <= 100; x++) points.push({ customersPercent: x, valueShare: shareAt(cumulative, x) });

  const counts = customersPerTier(customers, tiers.length);
  const boundaries: TierBoundary[] = [];
  let above = 0;
  for (let k = 0; k < tiers.length - 1; k++) {
    above += counts[k] as number;
    boundaries.push({
      tier: tiers[k] as TierLegend,
      customers: above,
      customersPercent: n > 0 ? (100 * above) / n : 0,
      valueShare: total > 0 ? (cumulative[above] as number) / total : 0,
    });
  }
  return { points, boundaries, reading: concentrationReading(boundaries, total) };
}
