/**
 * "Acquire more customers like your Platinum ones": per tier, what their first purchase looked like
 * (first-order value: quartiles and mean; when they were acquired) and what they are worth now. The
 * import keeps no acquisition channel (customers: id, name, emails, company, domain; transactions:
 * customer, date, amount, order id), so the profile says so rather than guess one.
 */
import { formatDay } from '../clv/time';
import { NOT_SCORED, type RunSnapshot } from './snapshot';
import { Sum } from './sum';

export const NO_CHANNEL_NOTE = 'The data has no channel: imports keep customers and their purchases (date, amount), not where a customer came from.';

export interface TierProfile {
  tier: number;
  customers: number;
  /** Mean value now (discounted, over the run's horizon) of a customer of this tier. */
  meanClv: number;
  /** First-order value: quartiles and mean over the customers whose first order is known (null when none). */
  firstOrder: { known: number; p25: number; median: number; p75: number; mean: number } | null;
  /** Earliest and latest first purchase (ISO dates), null when unknown. */
  acquiredFrom: string | null;
  acquiredTo: string | null;
  /** Share of the tier with at least one repeat purchase. */
  repeatShare: number;
}

/** The q-quantile of sorted values (linear interpolation between order statistics, R type 7). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

export function tierProfiles(snapshot: RunSnapshot): TierProfile[] {
  const tiers = new Map<number, { customers: number; clv: Sum; first: number[]; from: number; to: number; repeat: number }>();
  for (let i = 0; i < snapshot.ids.length; i++) {
    const t = snapshot.tier[i] as number;
    if (t === NOT_SCORED) continue;
    let p = tiers.get(t);
    if (!p) tiers.set(t, (p = { customers: 0, clv: new Sum(), first: [], from: Infinity, to: -Infinity, repeat: 0 }));
    p.customers++;
    p.clv.add(snapshot.clv[i] as number);
    const amount = snapshot.firstAmount[i] as number;
    if (Number.isFinite(amount)) p.first.push(amount);
    const day = snapshot.firstDay[i] as number;
    if (Number.isFinite(day)) {
      p.from = Math.min(p.from, day);
      p.to = Math.max(p.to, day);
    }
    if ((snapshot.x[i] as number) > 0) p.repeat++;
  }
  return [...tiers.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([tier, p]) => {
      const sorted = Float64Array.from(p.first).sort();
      const mean = sorted.length > 0 ? sorted.reduce((s, v) => s + v, 0) / sorted.length : Number.NaN;
      return {
        tier,
        customers: p.customers,
        meanClv: p.clv.value / p.customers,
        firstOrder: sorted.length > 0 ? { known: sorted.length, p25: quantile(sorted, 0.25), median: quantile(sorted, 0.5), p75: quantile(sorted, 0.75), mean } : null,
        acquiredFrom: Number.isFinite(p.from) ? formatDay(p.from) : null,
        acquiredTo: Number.isFinite(p.to) ? formatDay(p.to) : null,
        repeatShare: p.repeat / p.customers,
      };
    });
}

/** Mean first-order value over every customer whose first order is known (null when none). */
export function meanFirstOrder(snapshot: RunSnapshot): number | null {
  const s = new Sum();
  let n = 0;
  for (let i = 0; i < snapshot.ids.length; i++) {
    const a = snapshot.firstAmount[i] as number;
    if (Number.isFinite(a)) {
      s.add(a);
      n++;
    }
  }
  return n > 0 ? s.value / n : null;
}
