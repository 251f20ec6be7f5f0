/**
 * One scoring run's customers, kept compactly so the next run can say what changed: ONE columnar
 * record per run (row i = customer ids[i]), written in the same transaction as the run's values
 * (lib/db/snapshots.ts keeps the last few). Values are replaced at each scoring; snapshots are not.
 */
import { parseDay } from '../clv/time';
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

/** First purchase day, its amount (all of that day's purchases), and revenue per customer. */
function addPurchases(s: RunSnapshot, log: { customer: ArrayLike<number>; day: ArrayLike<number>; amount: ArrayLike<number> }): void {
  const rows = log.customer.length;
  for (let k = 0; k < rows; k++) {
    const i = log.customer[k] as number;
    const day = log.day[k] as number;
    const amount = log.amount[k] as number;
    s.revenue[i] = (s.revenue[i] as number) + amount;
    // Returns (negative amounts) do not make a first purchase.
    if (!(amount >= 0)) continue;
    const first = s.firstDay[i] as number;
    if (Number.isNaN(first) || day < first) {
      s.firstDay[i] = day;
      s.firstAmount[i] = amount;
    } else if (day === first) s.firstAmount[i] = (s.firstAmount[i] as number) + amount;
  }
}

/**
 * A snapshot rebuilt from stored values and purchases (the schema upgrade that introduced snapshots
 * makes one for the latest run, so the first scoring after it already shows changes).
 */
export function snapshotFromValues(
  modelRunId: number,
  at: string,
  ids: readonly string[],
  values: ReadonlyMap<string, Partial<Pick<StoredValue, 'tierIndex' | 'clv' | 'pAlive' | 'x'>> & { flags?: unknown }>,
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
    // Flags as ids (schema 4–5) or as FLAG_* bits.
    let bits = 0;
    if (Array.isArray(v.flags)) for (const f of FLAGS) if (v.flags.includes(f.id)) bits |= f.bit;
    if (typeof v.flags === 'number') bits = v.flags & 0xff;
    s.flags[i] = bits;
    s.clv[i] = Number.isNaN(num(v.clv)) ? 0 : num(v.clv);
    s.pAlive[i] = num(v.pAlive);
    s.x[i] = num(v.x);
  });
  addPurchases(s, { customer, day, amount });
  return s;
}
