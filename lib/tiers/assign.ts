/**
 * The customer pyramid: every customer gets a tier by the rank of their predicted value, plus flags
 * (at risk, new, one-time buyer). Columnar and allocation-light, so a base of 1,000,000 customers is
 * one sort of a Uint32Array of indices.
 *
 * Rules (documented, and tested in tests/unit/tiers):
 * - Ranking: by predicted value, highest first; ties by id (ascending; numbers numerically, strings by
 *   code unit), or by input order when no ids are given. Deterministic.
 * - Customers with no expected value (missing/NaN or <= 0) are not ranked (rank 0) and go to the last tier.
 * - Percentile cut-offs count shares of ALL N customers (those without value included). Tier k takes
 *   the ranks up to ceil(N × cumulative percent of tiers 0..k / 100); the last tier takes the rest.
 *   Rounding up means the top tier is never empty when its percent is above 0: N = 100 gives 5/15/60/20,
 *   N = 2,357 gives 118/354/1,414/471.
 * - Absolute cut-offs: a customer is in the first tier whose minValue their value reaches (>=).
 * - At risk: high value (in the first `atRisk.topTiers` tiers, or ranked within the top
 *   (100 − valuePercentile) % by the same rounding) and P(alive) < `atRisk.pAliveBelow`.
 * - New: first purchase 0..`newCustomer.withinDays` days before the as-of date (inclusive).
 * - One-time buyer: no repeat purchase (x = 0) and not new.
 */
import { ClvError } from '../clv/errors';
import type { TierConfig } from './config';

export const FLAG_AT_RISK = 1;
export const FLAG_NEW = 2;
export const FLAG_ONE_TIME = 4;

/** The flags in display order, with their stable ids and bits. */
export const FLAGS = [
  { id: 'at-risk', bit: FLAG_AT_RISK, label: 'At risk' },
  { id: 'new', bit: FLAG_NEW, label: 'New' },
  { id: 'one-time', bit: FLAG_ONE_TIME, label: 'One-time buyer' },
] as const;

export type FlagId = (typeof FLAGS)[number]['id'];

/** Per-customer columns (row i is customer i). Only `value` is required. */
export interface TierInput {
  /** Predicted value (e.g. 12-month value or CLV). NaN or <= 0 means "no expected value". */
  value: ArrayLike<number>;
  /** Customer ids, for deterministic tie-breaking and display. */
  ids?: ArrayLike<string | number>;
  /** P(alive) in [0, 1]; NaN = unknown (never flagged at risk). */
  pAlive?: ArrayLike<number>;
  /** Repeat purchases (x); NaN = unknown. */
  x?: ArrayLike<number>;
  /** Day number (days since 1970-01-01, see lib/clv/time parseDay) of the first purchase; NaN = unknown. */
  firstPurchaseDay?: ArrayLike<number>;
  /** Day number of the as-of date (the end of the data); needed for "new" and "one-time". */
  asOfDay?: number;
}

export interface TierAssignment {
  config: TierConfig;
  input: TierInput;
  /** Number of customers. */
  count: number;
  /** Customers with a positive predicted value (the ranked ones). */
  valued: number;
  /** Tier index per customer (0 = best). */
  tier: Uint8Array;
  /** Rank by value per customer, 1 = highest; 0 = no expected value. */
  rank: Uint32Array;
  /** Bit set of FLAG_* per customer. */
  flags: Uint8Array;
  /** Customer indices from rank 1 to rank `valued` (the ranked customers only). */
  order: Uint32Array;
  /** Customers per tier. */
  tierCounts: number[];
  /** Percentile mode: the last rank in each tier (cumulative cut positions). Absolute mode: ranks reached, for reference. */
  tierEndRank: number[];
  /** Cumulative percent at the bottom of each tier (percentile mode), e.g. [5, 20, 80, 100]. */
  cumulativePercent: number[];
  /** Customers ranked at or above this count as high value by percentile (0 when not configured). */
  highValueRank: number;
}

/** ceil(N × percent / 100), ignoring float noise such as 5.000000000000001. */
export function ceilShare(count: number, percent: number): number {
  const exact = (count * percent) / 100;
  return Math.ceil(exact - 1e-9 * Math.max(1, exact));
}

function hasValue(v: number): boolean {
  return v > 0 && v !== Infinity;
}

/** Indices of the customers with a value, by value descending, ties by id then index. */
function rankOrder(value: ArrayLike<number>, ids: ArrayLike<string | number> | undefined): Uint32Array {
  const n = value.length;
  let valued = 0;
  for (let i = 0; i < n; i++) if (hasValue(value[i] as number)) valued++;
  const order = new Uint32Array(valued);
  let k = 0;
  for (let i = 0; i < n; i++) if (hasValue(value[i] as number)) order[k++] = i;
  const sorted = radixSortDescending(order, value);
  if (ids) sortTiesById(sorted, value, ids);
  return sorted;
}

/**
 * Stable LSD radix sort of customer indices by value, highest first (ties keep index order). For
 * positive doubles the IEEE-754 bit pattern orders like the number, so the complemented 64 bits are
 * sorted ascending in four 16-bit passes; passes where every key has the same digit are skipped.
 */
function radixSortDescending(order: Uint32Array, value: ArrayLike<number>): Uint32Array {
  const m = order.length;
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  const lo = new Uint32Array(m);
  const hi = new Uint32Array(m);
  for (let r = 0; r < m; r++) {
    bits[0] = value[order[r] as number] as number;
    lo[r] = ~(words[0] as number) >>> 0;
    hi[r] = ~(words[1] as number) >>> 0;
  }
  // Sort positions 0..m-1 (into `order`), carrying the keys by position.
  let position = new Uint32Array(m);
  for (let r = 0; r < m; r++) position[r] = r;
  let buffer = new Uint32Array(m);
  const counts = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const key = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    counts.fill(0);
    for (let r = 0; r < m; r++) (counts[((key[r] as number) >>> shift) & 0xffff] as number)++;
    if (m > 0 && counts[((key[0] as number) >>> shift) & 0xffff] === m) continue; // one digit only
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[d] as number;
      counts[d] = sum;
      sum += c;
    }
    for (let r = 0; r < m; r++) {
      const p = position[r] as number;
      const digit = ((key[p] as number) >>> shift) & 0xffff;
      buffer[counts[digit] as number] = p;
      counts[digit] = (counts[digit] as number) + 1;
    }
    const swap = position;
    position = buffer;
    buffer = swap;
  }
  const out = new Uint32Array(m);
  for (let r = 0; r < m; r++) out[r] = order[position[r] as number] as number;
  return out;
}

/** Within each run of equal values, orders customers by id (numbers numerically, strings by code unit), then index. */
function sortTiesById(order: Uint32Array, value: ArrayLike<number>, ids: ArrayLike<string | number>): void {
  const byId = (a: number, b: number): number => {
    const ia = ids[a] as string | number;
    const ib = ids[b] as string | number;
    if (ia === ib) return a - b;
    if (typeof ia === 'number' && typeof ib === 'number') return ia - ib || a - b;
    const sa = String(ia);
    const sb = String(ib);
    return sa < sb ? -1 : sa > sb ? 1 : a - b;
  };
  let start = 0;
  while (start < order.length) {
    const v = value[order[start] as number] as number;
    let end = start + 1;
    while (end < order.length && value[order[end] as number] === v) end++;
    if (end - start > 1) order.subarray(start, end).sort(byId);
    start = end;
  }
}

function checkColumn(name: string, column: ArrayLike<unknown> | undefined, n: number): void {
  if (column !== undefined && column.length !== n) {
    throw new ClvError('invalid-input', `The ${name} column has ${column.length} rows but there are ${n} customers.`, { field: name });
  }
}

/** Assigns every customer a tier and flags (see the rules at the top of this file). */
export function assignTiers(input: TierInput, config: TierConfig): TierAssignment {
  const n = input.value.length;
  checkColumn('ids', input.ids, n);
  checkColumn('pAlive', input.pAlive, n);
  checkColumn('x', input.x, n);
  checkColumn('firstPurchaseDay', input.firstPurchaseDay, n);
  if (config.tiers.length > 255) throw new ClvError('invalid-input', 'At most 255 tiers.');
  const last = config.tiers.length - 1;

  const order = rankOrder(input.value, input.ids);
  const valued = order.length;
  const tier = new Uint8Array(n).fill(last);
  const rank = new Uint32Array(n);
  for (let r = 0; r < valued; r++) rank[order[r] as number] = r + 1;

  const cumulativePercent: number[] = [];
  const tierEndRank: number[] = [];
  let cumulative = 0;
  for (let k = 0; k <= last; k++) {
    cumulative += config.tiers[k]?.percent ?? 0;
    cumulativePercent.push(k === last ? 100 : cumulative);
  }

  if (config.cutoff === 'percentile') {
    let start = 0;
    for (let k = 0; k < last; k++) {
      const end = Math.min(valued, ceilShare(n, cumulativePercent[k] as number));
      for (let r = start; r < end; r++) tier[order[r] as number] = k;
      tierEndRank.push(Math.max(start, end));
      start = Math.max(start, end);
    }
    tierEndRank.push(valued);
  } else {
    let r = 0;
    for (let k = 0; k < last; k++) {
      const min = config.tiers[k]?.minValue ?? Infinity;
      while (r < valued && (input.value[order[r] as number] as number) >= min) {
        tier[order[r] as number] = k;
        r++;
      }
      tierEndRank.push(r);
    }
    tierEndRank.push(valued);
  }

  const tierCounts = new Array<number>(last + 1).fill(0);
  for (let i = 0; i < n; i++) (tierCounts[tier[i] as number] as number)++;

  const flags = new Uint8Array(n);
  const highValueRank =
    config.atRisk.valuePercentile === undefined ? 0 : Math.min(valued, ceilShare(n, 100 - config.atRisk.valuePercentile));
  const topTiers = config.atRisk.topTiers;
  const threshold = config.atRisk.pAliveBelow;
  const { pAlive, x, firstPurchaseDay, asOfDay } = input;
  const withinDays = config.newCustomer.withinDays;
  const knowsDates = firstPurchaseDay !== undefined && asOfDay !== undefined && Number.isFinite(asOfDay);
  for (let i = 0; i < n; i++) {
    let f = 0;
    if (pAlive) {
      const p = pAlive[i] as number;
      const r = rank[i] as number;
      const high = r > 0 && ((tier[i] as number) < topTiers || r <= highValueRank);
      if (high && p < threshold) f |= FLAG_AT_RISK;
    }
    let isNew = false;
    if (knowsDates) {
      const age = (asOfDay as number) - (firstPurchaseDay[i] as number);
      isNew = age >= 0 && age <= withinDays;
      if (isNew) f |= FLAG_NEW;
    }
    if (x && (x[i] as number) === 0 && !isNew) f |= FLAG_ONE_TIME;
    flags[i] = f;
  }

  return { config, input, count: n, valued, tier, rank, flags, order, tierCounts, tierEndRank, cumulativePercent, highValueRank };
}

/** Flag ids set for customer i. */
export function flagIds(assignment: TierAssignment, i: number): FlagId[] {
  const bits = assignment.flags[i] as number;
  return FLAGS.filter((flag) => (bits & flag.bit) !== 0).map((flag) => flag.id);
}
