/** How many customers are probably still active: the distribution of P(alive) in ten bins. */
import type { CustomerWithValue } from '../db/records';
import { percentText } from './format';

export interface PAliveBin {
  /** Bounds in [0, 1]; the last bin includes 1. */
  from: number;
  to: number;
  /** "0–10%", …, "90–100%". */
  label: string;
  customers: number;
  /** Share of the scored customers (0..1). */
  share: number;
}

export interface PAliveHistogram {
  bins: PAliveBin[];
  /** Scored customers with a known P(alive). */
  customers: number;
  /** Share with P(alive) < 0.5. */
  likelyGone: number;
  /** "38% of customers are more likely gone than alive (P(alive) < 50%)." */
  reading: string;
}

const BINS = 10;

/** The bin of a probability: 0 for [0, 0.1), …, 9 for [0.9, 1]. */
export function pAliveBin(p: number): number {
  return Math.min(BINS - 1, Math.max(0, Math.floor(p * BINS + 1e-9)));
}

/** P(alive) of the scored customers in ten bins, with the share more likely gone than alive. */
export function pAliveDistribution(customers: readonly CustomerWithValue[]): PAliveHistogram {
  const counts = new Array<number>(BINS).fill(0);
  let known = 0;
  let gone = 0;
  for (const c of customers) {
    const p = c.value?.pAlive;
    if (p === undefined || !Number.isFinite(p)) continue;
    counts[pAliveBin(p)] = (counts[pAliveBin(p)] as number) + 1;
    known++;
    if (p < 0.5) gone++;
  }
  const bins = counts.map((count, k) => ({
    from: k / BINS,
    to: (k + 1) / BINS,
    label: `${k * 10}–${(k + 1) * 10}%`,
    customers: count,
    share: known > 0 ? count / known : 0,
  }));
  const likelyGone = known > 0 ? gone / known : 0;
  const reading =
    known > 0
      ? `${percentText(likelyGone)} of customers are more likely gone than alive (P(alive) < 50%).`
      : 'No customer has a P(alive) yet.';
  return { bins, customers: known, likelyGone, reading };
}
