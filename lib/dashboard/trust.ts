/**
 * How far to trust the model (docs/engine.md section 3): the per-frequency holdout table and the
 * cumulative tracking of the model run, with one line a manager can read.
 */
import type { HoldoutRow, RunHoldout } from './run';
import { percentText } from './format';

/** One period of the cumulative tracking. */
export interface TrackingPoint {
  /** 1, 2, … (in the run's unit). */
  period: number;
  predicted: number;
  /** null when the run has no actual series. */
  actual: number | null;
}

export interface TrustView {
  /** Whether the model was judged on a holdout at all. */
  judged: boolean;
  table: HoldoutRow[];
  tracking: TrackingPoint[];
  /** Time unit of the periods ("week"). */
  unit: string;
  /**
   * First holdout period of the tracking, from the run's holdout share (the scoring holds out
   * round(span × share) days, so this is exact to within one period); null when unknown.
   */
  holdoutStartPeriod: number | null;
  /** "Holdout check: predicted 1,820 repeat transactions in the holdout, actual 1,882 (−3.3%). …" */
  reading: string;
}

/** Periods of the tracking, pairing the predicted and actual cumulative series. */
export function trackingPoints(tracking: RunHoldout['tracking']): TrackingPoint[] {
  if (!tracking) return [];
  const actual = tracking.actual && tracking.actual.length === tracking.predicted.length ? tracking.actual : null;
  return tracking.predicted.map((predicted, j) => ({ period: j + 1, predicted, actual: actual ? (actual[j] as number) : null }));
}

function trustReading(holdout: RunHoldout): string {
  if (!holdout.sentence) {
    const why = holdout.notes.find((n) => /holdout|hold part/i.test(n));
    return why ?? 'The model was not judged on a holdout, so there is no check of its predictions yet.';
  }
  const parts = [`Holdout check: fitted on the earlier part of the data, the model ${holdout.sentence}.`];
  if (holdout.tableMape !== null && holdout.table.length > 0) {
    parts.push(`Grouped by repeat purchases before the holdout, its predictions per customer are off by ${percentText(holdout.tableMape)} on average.`);
  }
  if (holdout.choice) parts.push(holdout.choice.sentence);
  return parts.join(' ');
}

/** The trust view of a run: table, tracking, where the holdout starts, and the reading. */
export function trustView(holdout: RunHoldout, holdoutShare: number | null): TrustView {
  const tracking = trackingPoints(holdout.tracking);
  const holdoutStartPeriod =
    holdoutShare !== null && tracking.length > 0 ? Math.max(1, Math.min(tracking.length, Math.round(tracking.length * (1 - holdoutShare)) + 1)) : null;
  return {
    judged: holdout.sentence !== null,
    table: holdout.table,
    tracking,
    unit: holdout.unit,
    holdoutStartPeriod,
    reading: trustReading(holdout),
  };
}
