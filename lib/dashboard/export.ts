/**
 * The scores file, defined once: the columns and number formatting of `centric score` (CSV or JSON),
 * used by the CLI and by the options page's "Export scores".
 */
import { jsonText } from '../format/json';
import { csvText } from '../csv/write';
import type { CustomerWithValue } from '../db/records';

/** The columns of a scores file, in order. */
export const SCORE_COLUMNS = ['id', 'x', 't_x', 'T', 'monetary', 'pAlive', 'expectedTransactions', 'expectedSpend', 'clv', 'lifetimeValue', 'tier'] as const;

/** One customer's scores; null = not available (no amounts, or not scored). */
export interface ScoreRow {
  id: string;
  x: number | null;
  tx: number | null;
  T: number | null;
  /** Mean repeat spend. */
  monetary: number | null;
  pAlive: number | null;
  expectedTransactions: number | null;
  /** Expected spend per transaction. */
  expectedSpend: number | null;
  /** Value over the scoring horizon, discounted (lib/labels/value.ts: "Next 12 months (discounted)"). */
  clv: number | null;
  /** Residual lifetime value ("Lifetime value"); null for a value scored before it was computed. */
  lifetimeValue?: number | null;
  tier: string;
}

/**
 * CSV text of score rows: a header of SCORE_COLUMNS, numbers with up to 10 significant digits, empty
 * cells for null; ids and tiers that a spreadsheet would run as formulas are neutralised (lib/csv/write).
 */
export function scoreRowsToCsv(rows: Iterable<ScoreRow>): string {
  function* cells() {
    for (const r of rows) yield scoreRowCells(r);
  }
  return csvText(SCORE_COLUMNS, cells());
}

/** The cells of one row, in the order of SCORE_COLUMNS (for writers that stream the file line by line). */
export function scoreRowCells(r: ScoreRow): (string | number | null)[] {
  return [r.id, r.x, r.tx, r.T, r.monetary, r.pAlive, r.expectedTransactions, r.expectedSpend, r.clv, r.lifetimeValue ?? null, r.tier];
}

/** One row as the JSON file's object, keyed by SCORE_COLUMNS. */
export function scoreRowObject(r: ScoreRow): Record<(typeof SCORE_COLUMNS)[number], string | number | null> {
  return {
    id: r.id,
    x: r.x,
    t_x: r.tx,
    T: r.T,
    monetary: r.monetary,
    pAlive: r.pAlive,
    expectedTransactions: r.expectedTransactions,
    expectedSpend: r.expectedSpend,
    clv: r.clv,
    lifetimeValue: r.lifetimeValue ?? null,
    tier: r.tier,
  };
}

/** JSON text of score rows: an array of objects keyed by SCORE_COLUMNS, numbers at full precision. */
export function scoreRowsToJson(rows: Iterable<ScoreRow>): string {
  const objects = [];
  for (const r of rows) objects.push(scoreRowObject(r));
  return jsonText(objects);
}

/** The score row of a stored customer (empty scores when the customer has not been scored). */
export function scoreRowOf(customer: CustomerWithValue): ScoreRow {
  const v = customer.value;
  if (!v) {
    return { id: customer.id, x: null, tx: null, T: null, monetary: null, pAlive: null, expectedTransactions: null, expectedSpend: null, clv: null, lifetimeValue: null, tier: '' };
  }
  return {
    id: customer.id,
    x: v.x,
    tx: v.tx,
    T: v.T,
    monetary: v.monetary,
    pAlive: v.pAlive,
    expectedTransactions: v.expectedTransactions,
    expectedSpend: v.expectedSpend,
    clv: v.clv,
    lifetimeValue: v.lifetimeValue ?? null,
    tier: v.tier,
  };
}

/** The stored customers' scores as a CSV file in the format of `centric score`, in the given order. */
export function scoresToCsv(customers: Iterable<CustomerWithValue>): string {
  function* rows() {
    for (const c of customers) yield scoreRowOf(c);
  }
  return scoreRowsToCsv(rows());
}
