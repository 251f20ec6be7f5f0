/**
 * What changed between two scoring runs, from their snapshots: customers who moved up or down a
 * tier, high-value customers who became at risk, and the customer-equity bridge
 *
 *   equity now − equity before = new customers + lost customers + repeat buyers + quiet customers
 *
 * exactly (every customer falls in one part): new = scored now but not before (+ their value);
 * lost = scored before but gone or without value now (− their previous value); repeat buyers =
 * customers in both runs with more repeat purchases now (the change in their value); quiet = the
 * others in both runs (the change in their value: time passing without a purchase, or a changed model
 * or setting when the data did not change).
 */
import { FLAG_AT_RISK } from '../tiers/assign';
import { NOT_SCORED, type RunSnapshot } from './snapshot';
import { Sum, sumOf } from './sum';

export interface CustomerChange {
  id: string;
  tierBefore: number;
  tierNow: number;
  clvBefore: number;
  clvNow: number;
  pAliveNow: number;
}

export interface BridgePart {
  customers: number;
  /** Contribution to the change in equity (signed). */
  value: number;
}

export interface EquityBridge {
  previous: number;
  current: number;
  /** current − previous. */
  change: number;
  newCustomers: BridgePart;
  lostCustomers: BridgePart;
  repeatBuyers: BridgePart;
  quietCustomers: BridgePart;
}

export interface RunChanges {
  previousRunId: number;
  currentRunId: number;
  previousAt: string;
  currentAt: string;
  movedUp: number;
  movedDown: number;
  /** moves[from][to]: customers scored in both runs, by tier before and now (tier counts may differ). */
  moves: number[][];
  /** The largest moves by value, up to `listLimit` each. */
  topUp: CustomerChange[];
  topDown: CustomerChange[];
  /** Flagged at risk now (high value with a low P(alive)) but not before; by value now, highest first. */
  becameAtRisk: CustomerChange[];
  becameAtRiskCount: number;
  bridge: EquityBridge;
}

const scored = (s: RunSnapshot, i: number) => (s.tier[i] as number) !== NOT_SCORED;

/** The changes from `previous` to `current` (throws when they are not in that order). */
export function runChanges(previous: RunSnapshot, current: RunSnapshot, options: { listLimit?: number } = {}): RunChanges {
  if (!(previous.modelRunId < current.modelRunId)) {
    throw new Error(`The earlier scoring (run ${previous.modelRunId}) must come before the later one (run ${current.modelRunId}).`);
  }
  const limit = options.listLimit ?? 25;
  const before = new Map<string, number>();
  previous.ids.forEach((id, i) => before.set(id, i));
  const tiersBefore = 1 + Math.max(0, ...[...previous.tier].filter((t) => t !== NOT_SCORED));
  const tiersNow = 1 + Math.max(0, ...[...current.tier].filter((t) => t !== NOT_SCORED));
  const moves = Array.from({ length: tiersBefore }, () => new Array<number>(tiersNow).fill(0));
  const parts = { newCustomers: [0, new Sum()], lostCustomers: [0, new Sum()], repeatBuyers: [0, new Sum()], quietCustomers: [0, new Sum()] } as Record<keyof Omit<EquityBridge, 'previous' | 'current' | 'change'>, [number, Sum]>;
  const count = (part: keyof typeof parts, value: number) => {
    parts[part][0]++;
    parts[part][1].add(value);
  };
  let movedUp = 0;
  let movedDown = 0;
  const up: CustomerChange[] = [];
  const down: CustomerChange[] = [];
  const atRisk: CustomerChange[] = [];
  const seen = new Uint8Array(previous.ids.length);
  for (let i = 0; i < current.ids.length; i++) {
    const id = current.ids[i] as string;
    const j = before.get(id);
    if (j !== undefined) seen[j] = 1;
    const nowScored = scored(current, i);
    const wasScored = j !== undefined && scored(previous, j);
    const clvNow = current.clv[i] as number;
    if (!wasScored) {
      if (nowScored) count('newCustomers', clvNow);
      continue;
    }
    const clvBefore = previous.clv[j] as number;
    if (!nowScored) {
      count('lostCustomers', -clvBefore);
      continue;
    }
    const grew = (current.x[i] as number) > (previous.x[j] as number);
    count(grew ? 'repeatBuyers' : 'quietCustomers', clvNow - clvBefore);
    const tierBefore = previous.tier[j] as number;
    const tierNow = current.tier[i] as number;
    (moves[tierBefore] as number[])[tierNow]!++;
    const change: CustomerChange = { id, tierBefore, tierNow, clvBefore, clvNow, pAliveNow: current.pAlive[i] as number };
    if (tierNow < tierBefore) {
      movedUp++;
      up.push(change);
    } else if (tierNow > tierBefore) {
      movedDown++;
      down.push(change);
    }
    if ((current.flags[i] as number) & FLAG_AT_RISK && !((previous.flags[j] as number) & FLAG_AT_RISK)) atRisk.push(change);
  }
  for (let j = 0; j < previous.ids.length; j++) {
    if (!seen[j] && scored(previous, j)) count('lostCustomers', -(previous.clv[j] as number));
  }
  const previousEquity = sumOf(previous.clv);
  const currentEquity = sumOf(current.clv);
  const part = (k: keyof typeof parts): BridgePart => ({ customers: parts[k][0], value: parts[k][1].value });
  const byGain = (a: CustomerChange, b: CustomerChange) => Math.abs(b.clvNow - b.clvBefore) - Math.abs(a.clvNow - a.clvBefore) || a.id.localeCompare(b.id);
  return {
    previousRunId: previous.modelRunId,
    currentRunId: current.modelRunId,
    previousAt: previous.at,
    currentAt: current.at,
    movedUp,
    movedDown,
    moves,
    topUp: up.sort(byGain).slice(0, limit),
    topDown: down.sort(byGain).slice(0, limit),
    becameAtRisk: atRisk.sort((a, b) => b.clvNow - a.clvNow || a.id.localeCompare(b.id)).slice(0, limit),
    becameAtRiskCount: atRisk.length,
    bridge: {
      previous: previousEquity,
      current: currentEquity,
      change: currentEquity - previousEquity,
      newCustomers: part('newCustomers'),
      lostCustomers: part('lostCustomers'),
      repeatBuyers: part('repeatBuyers'),
      quietCustomers: part('quietCustomers'),
    },
  };
}

/** The high-value customers at risk in a run (the at-risk flag), by value, highest first. */
export function watchList(snapshot: RunSnapshot, limit = 20): { id: string; tier: number; clv: number; pAlive: number }[] {
  const out: { id: string; tier: number; clv: number; pAlive: number }[] = [];
  for (let i = 0; i < snapshot.ids.length; i++) {
    if ((snapshot.flags[i] as number) & FLAG_AT_RISK && scored(snapshot, i)) {
      out.push({ id: snapshot.ids[i] as string, tier: snapshot.tier[i] as number, clv: snapshot.clv[i] as number, pAlive: snapshot.pAlive[i] as number });
    }
  }
  return out.sort((a, b) => b.clv - a.clv || a.id.localeCompare(b.id)).slice(0, limit);
}
