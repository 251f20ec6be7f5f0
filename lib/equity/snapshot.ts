/**
 * One scoring run's customers, kept compactly so the next run can say what changed: ONE columnar
 * record per run (row i = customer ids[i]), written in the same transaction as the run's values
 * (lib/db/snapshots.ts keeps the last few). Values are replaced at each scoring; snapshots are not.
 */
import { civilFromDayNumber, parseDay } from '../clv/time';
import type { PurchasesRecord, StoredValue } from '../db/records';
import { FLAGS } from '../tiers/assign';
import type { ScoringResult } from '../scoring/pipeline';

export interface RunSnapshot {
  modelRunId: number;
  /** ISO timestamp of the run. */
  at: string;
  ids: string[];
  /** Tier index (0 = best); 255 = not scored (no purchase). */
  tier: Uint8Array;
  /** FLAG_* bits (lib/tiers/assign.ts). */
  flags: Uint8Array;
  /** Discounted value over the run's horizon (0 when not scored). */
  clv: Float64Array;
  /** P(alive) (NaN when not scored). */
  pAlive: Float32Array;
  /** Repeat purchase days x (NaN when not scored). */
  x: Float32Array;
  /** Day number of the first purchase (NaN when unknown). */
  firstDay: Float64Array;
  /** Amount bought on the first purchase day (NaN when unknown). */
  firstAmount: Float64Array;
  /** Total amount bought (net of returns). */
  revenue: Float64Array;
  /** Transactions the run was computed from. */
  transactions: number;
  /**
   * Repeat purchase days by acquisition month and calendar month (customer-based valuation's "C3"
   * view): counts[c × months + m] = repeat purchase days in calendar month firstMonth + m of the
   * customers acquired in month firstMonth + c. Months are year × 12 + (month − 1). Purchases on the
   * same day count once, as in the models. Absent in snapshots written before it existed.
   */
  repeatByMonth?: { firstMonth: number; months: number; counts: Float64Array };
}

export const NOT_SCORED = 255;

/** The snapshot of a scoring: `log` is the transaction log the pipeline scored (customer index, day, amount). */
export function snapshotFromScoring(
  modelRunId: number,
  at: string,
  ids: readonly string[],
  result: ScoringResult,
  log: { customer: ArrayLike<number>; day: ArrayLike<number>; amount: ArrayLike<number> },
): RunSnapshot {
  const n = ids.length;
  const s = emptySnapshot(modelRunId, at, [...ids], log.customer.length);
  for (let i = 0; i < n; i++) {
    const r = result.rowOf[i] as number;
    if (r < 0) continue;
    s.tier[i] = result.tiers.tier[i] as number;
    s.flags[i] = result.tiers.flags[i] as number;
    s.clv[i] = result.scores.clv[r] as number;
    s.pAlive[i] = result.scores.pAlive[r] as number;
    s.x[i] = result.summary.x[r] as number;
  }
  addPurchases(s, log);
  return s;
}

function emptySnapshot(modelRunId: number, at: string, ids: string[], transactions: number): RunSnapshot {
  const n = ids.length;
  return {
    modelRunId,
    at,
    ids,
    tier: new Uint8Array(n).fill(NOT_SCORED),
    flags: new Uint8Array(n),
    clv: new Float64Array(n),
    pAlive: new Float32Array(n).fill(Number.NaN),
    x: new Float32Array(n).fill(Number.NaN),
    firstDay: new Float64Array(n).fill(Number.NaN),
    firstAmount: new Float64Array(n).fill(Number.NaN),
    revenue: new Float64Array(n),
    transactions,
  };
}

/**
 * Per customer: revenue (all rows), the first purchase day and its amount, and the cohort ×
 * calendar-month matrix of repeat purchase days. Purchase days follow the engine's policy
 * (docs/engine.md): a customer's rows on one day are merged, and a day whose net amount is 0 or more
 * is a purchase day; a day netting below 0 is a return, not a purchase. Linear in the rows but for
 * customers whose rows are not in date order (sorted on their own); no allocation per customer.
 */
function addPurchases(s: RunSnapshot, log: { customer: ArrayLike<number>; day: ArrayLike<number>; amount: ArrayLike<number> }): void {
  const customers = s.ids.length;
  const rows = log.customer.length;
  if (rows === 0) return;
  // Rows grouped by customer (counting sort), and the span of days.
  const start = new Int32Array(customers + 1);
  let minDay = Infinity;
  let maxDay = -Infinity;
  for (let k = 0; k < rows; k++) {
    start[(log.customer[k] as number) + 1]!++;
    const d = log.day[k] as number;
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
  }
  for (let i = 0; i < customers; i++) start[i + 1]! += start[i] as number;
  const order = new Int32Array(rows);
  const fill = start.slice(0, customers);
  for (let k = 0; k < rows; k++) order[fill[log.customer[k] as number]!++] = k;
  // Calendar month of every day in the span, relative to the first.
  const span = maxDay - minDay + 1;
  const monthOfDay = new Int32Array(span);
  const absoluteMonth = (day: number) => {
    const { year, month } = civilFromDayNumber(day);
    return year * 12 + month - 1;
  };
  const firstMonth = absoluteMonth(minDay);
  for (let d = 0; d < span; d++) monthOfDay[d] = absoluteMonth(minDay + d) - firstMonth;
  const months = (monthOfDay[span - 1] as number) + 1;
  const counts = new Float64Array(months * months);
  const LOCAL = 2 ** 21;
  let keys = new Float64Array(64);
  for (let i = 0; i < customers; i++) {
    const from = start[i] as number;
    const to = start[i + 1] as number;
    if (from === to) continue;
    let sorted = true;
    for (let k = from + 1; k < to && sorted; k++) if ((log.day[order[k]!] as number) < (log.day[order[k - 1]!] as number)) sorted = false;
    if (!sorted && to - from < LOCAL) {
      if (keys.length < to - from) keys = new Float64Array(2 * (to - from));
      const local = keys.subarray(0, to - from);
      for (let k = from; k < to; k++) local[k - from] = ((log.day[order[k]!] as number) - minDay) * LOCAL + (k - from);
      local.sort();
      const rowsOf = order.slice(from, to);
      for (let k = 0; k < local.length; k++) order[from + k] = rowsOf[(local[k] as number) % LOCAL]!;
    }
    let revenue = 0;
    let cohort = -1;
    for (let k = from; k < to; ) {
      const day = log.day[order[k]!] as number;
      let net = 0;
      for (; k < to && (log.day[order[k]!] as number) === day; k++) net += log.amount[order[k]!] as number;
      revenue += net;
      if (!(net >= 0)) continue;
      const month = monthOfDay[day - minDay] as number;
      if (cohort < 0) {
        s.firstDay[i] = day;
        s.firstAmount[i] = net;
        cohort = month;
      } else counts[cohort * months + month]!++;
    }
    s.revenue[i] = revenue;
  }
  s.repeatByMonth = { firstMonth, months, counts };
}

/**
 * A snapshot rebuilt from stored values and purchases (the schema upgrade that introduced snapshots
 * makes one for the latest run, so the first scoring after it already shows changes).
 */
export function snapshotFromValues(
  modelRunId: number,
  at: string,
  ids: readonly string[],
  values: ReadonlyMap<string, Partial<Pick<StoredValue, 'tierIndex' | 'clv' | 'pAlive' | 'x'>> & { flags?: unknown; flagBits?: unknown }>,
  purchases: readonly Pick<PurchasesRecord, 'customerId' | 'dates' | 'amounts'>[],
): RunSnapshot {
  const index = new Map(ids.map((id, i) => [id, i]));
  const customer: number[] = [];
  const day: number[] = [];
  const amount: number[] = [];
  for (const p of purchases) {
    const i = index.get(p.customerId);
    if (i === undefined) continue;
    for (let k = 0; k < p.dates.length; k++) {
      customer.push(i);
      day.push(parseDay(p.dates[k]!));
      amount.push(p.amounts[k]!);
    }
  }
  const s = emptySnapshot(modelRunId, at, [...ids], customer.length);
  ids.forEach((id, i) => {
    const v = values.get(id);
    if (!v) return;
    const num = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? n : Number.NaN);
    const tier = num(v.tierIndex);
    if (Number.isNaN(tier)) return;
    s.tier[i] = Math.min(NOT_SCORED - 1, Math.max(0, tier));
    // Flags as ids (values stored whole, schema 4–5) or as FLAG_* bits (slim values, lib/db/records SlimValue).
    let bits = 0;
    if (Array.isArray(v.flags)) for (const f of FLAGS) if (v.flags.includes(f.id)) bits |= f.bit;
    if (typeof v.flags === 'number') bits = v.flags & 0xff;
    if (typeof v.flagBits === 'number') bits = v.flagBits & 0xff;
    s.flags[i] = bits;
    s.clv[i] = Number.isNaN(num(v.clv)) ? 0 : num(v.clv);
    s.pAlive[i] = num(v.pAlive);
    s.x[i] = num(v.x);
  });
  addPurchases(s, { customer, day, amount });
  return s;
}
