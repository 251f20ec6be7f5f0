/** The pyramid at a glance: customers and value per tier, best tier first. */
import type { CustomerWithValue } from '../db/records';
import { countText, type DisplayFormat, percentText } from './format';
import type { TierLegend } from './run';

export interface TierRow extends TierLegend {
  customers: number;
  /** Sum of the tier's CLV. */
  value: number;
  /** Shares of all scored customers and of the total value (0..1). */
  customerShare: number;
  valueShare: number;
}

export interface TierDistribution {
  /** In tier order, best first; every configured tier, even an empty one. */
  rows: TierRow[];
  /** "The 118 Platinum customers (5%) hold 41% of the value; the 471 Lead customers (20%) hold 2%." */
  reading: string;
}

/** Customers and total value per tier, with shares and a reading comparing the top and bottom tiers. */
export function tierDistribution(customers: readonly CustomerWithValue[], tiers: readonly TierLegend[], display: DisplayFormat): TierDistribution {
  const counts = new Array<number>(tiers.length).fill(0);
  const values = new Array<number>(tiers.length).fill(0);
  let scored = 0;
  let total = 0;
  for (const c of customers) {
    const v = c.value;
    if (!v || v.tierIndex < 0 || v.tierIndex >= tiers.length) continue;
    const clv = Number.isFinite(v.clv) && v.clv > 0 ? v.clv : 0;
    counts[v.tierIndex] = (counts[v.tierIndex] as number) + 1;
    values[v.tierIndex] = (values[v.tierIndex] as number) + clv;
    scored++;
    total += clv;
  }
  const rows = tiers.map((tier, k) => ({
    ...tier,
    customers: counts[k] as number,
    value: values[k] as number,
    customerShare: scored > 0 ? (counts[k] as number) / scored : 0,
    valueShare: total > 0 ? (values[k] as number) / total : 0,
  }));
  return { rows, reading: tierReading(rows, display) };
}

/** "118 Platinum customers (5%) hold" / "1 Platinum customer (10%) holds". */
function tierPhrase(row: TierRow, display: DisplayFormat): string {
  const one = row.customers === 1;
  return `${countText(row.customers, display)} ${row.name} customer${one ? '' : 's'} (${percentText(row.customerShare)}) hold${one ? 's' : ''}`;
}

function tierReading(rows: readonly TierRow[], display: DisplayFormat): string {
  const filled = rows.filter((r) => r.customers > 0);
  const top = filled[0];
  const bottom = filled[filled.length - 1];
  if (!top || !bottom) return 'No customer has been placed in a tier yet.';
  const head = `The ${tierPhrase(top, display)} ${percentText(top.valueShare)} of the value`;
  if (top === bottom) return `${head}.`;
  return `${head}; the ${tierPhrase(bottom, display)} ${percentText(bottom.valueShare)}.`;
}
