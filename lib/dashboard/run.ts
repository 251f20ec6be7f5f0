/**
 * What the dashboard reads from a model run: the display settings (currency, locale, horizon), the
 * tiers in order with their colours, and the holdout check. A run's `settings` and `holdout` are
 * stored as plain objects, so every field is checked here and missing ones become null.
 */
import type { CustomerWithValue, ModelRunRecord } from '../db/records';
import { parseTierConfig, tierForeground } from '../tiers/config';
import { DEFAULT_DISPLAY, type DisplayFormat } from './format';

/** One tier as the dashboard shows it. */
export interface TierLegend {
  /** Position in the pyramid, 0 = best. */
  index: number;
  name: string;
  /** Badge background and text colours. */
  color: string;
  foreground: string;
}

/** The settings of a run that the readings need. */
export interface RunDisplay extends DisplayFormat {
  /** Months of the value horizon (null when unknown). */
  horizonMonths: number | null;
  /** Time unit of the model ("week"…). */
  unit: string;
  /** Share of the observed span held out to judge the model (null when unknown). */
  holdoutShare: number | null;
  tiers: TierLegend[];
}

/** One line of the per-frequency holdout table (FHL 2005, Figure 5). */
export interface HoldoutRow {
  /** Calibration repeat purchases: "0", "1", …, "7+". */
  label: string;
  customers: number;
  /** Mean actual and predicted holdout transactions per customer. */
  actual: number;
  predicted: number;
}

/** The holdout record of a run, with its fields checked. */
export interface RunHoldout {
  sentence: string | null;
  table: HoldoutRow[];
  actualTotal: number | null;
  predictedTotal: number | null;
  aggregateError: number | null;
  tableMape: number | null;
  tracking: { predicted: number[]; actual: number[] | null } | null;
  choice: { sentence: string; candidates: { model: string; score: number | null; error?: string }[] } | null;
  previousEquity: number | null;
  notes: string[];
  unit: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const numberOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const stringOrNull = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
const numbers = (value: unknown): number[] | null =>
  Array.isArray(value) && value.every((v) => typeof v === 'number') ? (value as number[]) : null;

function holdoutRows(value: unknown): HoldoutRow[] {
  if (!Array.isArray(value)) return [];
  const rows: HoldoutRow[] = [];
  for (const row of value) {
    if (!isRecord(row)) continue;
    const label = stringOrNull(row.label);
    const customers = numberOrNull(row.customers);
    const actual = numberOrNull(row.actual);
    const predicted = numberOrNull(row.predicted);
    if (label !== null && customers !== null && actual !== null && predicted !== null) rows.push({ label, customers, actual, predicted });
  }
  return rows;
}

function choiceOf(value: unknown): RunHoldout['choice'] {
  if (!isRecord(value)) return null;
  const sentence = stringOrNull(value.sentence);
  if (sentence === null) return null;
  const candidates = Array.isArray(value.candidates)
    ? value.candidates.filter(isRecord).map((c) => ({
        model: String(c.model ?? ''),
        score: numberOrNull(c.score),
        ...(typeof c.error === 'string' ? { error: c.error } : {}),
      }))
    : [];
  return { sentence, candidates };
}

/** The checked holdout record of a run (empty fields when the run has none). */
export function runHoldout(run: ModelRunRecord): RunHoldout {
  const h = isRecord(run.holdout) ? run.holdout : {};
  const tracking = isRecord(h.tracking) ? h.tracking : null;
  const predicted = tracking ? numbers(tracking.predicted) : null;
  return {
    sentence: stringOrNull(h.sentence),
    table: holdoutRows(h.table),
    actualTotal: numberOrNull(h.actualTotal),
    predictedTotal: numberOrNull(h.predictedTotal),
    aggregateError: numberOrNull(h.aggregateError),
    tableMape: numberOrNull(h.tableMape),
    tracking: predicted ? { predicted, actual: tracking ? numbers(tracking.actual) : null } : null,
    choice: choiceOf(h.choice),
    previousEquity: numberOrNull(h.previousEquity),
    notes: Array.isArray(h.notes) ? h.notes.filter((n): n is string => typeof n === 'string') : [],
    unit: stringOrNull(h.unit) ?? stringOrNull(run.settings.unit) ?? 'week',
  };
}

/** The tiers of the scored customers, by tier index, from their stored badge colours. */
function tiersFromCustomers(customers: readonly CustomerWithValue[]): TierLegend[] {
  const byIndex = new Map<number, TierLegend>();
  for (const c of customers) {
    const v = c.value;
    if (v && !byIndex.has(v.tierIndex)) byIndex.set(v.tierIndex, { index: v.tierIndex, name: v.tier, color: v.tierColor, foreground: v.tierForeground });
  }
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/**
 * The display settings of a run: currency and locale of the tier display settings, horizon, unit,
 * holdout share, and the tiers (from the run's tier configuration; from the customers' stored badges
 * when the run has none).
 */
export function runDisplay(run: ModelRunRecord, customers: readonly CustomerWithValue[]): RunDisplay {
  const s = run.settings;
  let tiers: TierLegend[];
  let display: DisplayFormat = DEFAULT_DISPLAY;
  try {
    const config = parseTierConfig(s.tiers);
    tiers = config.tiers.map((t, index) => ({ index, name: t.name, color: t.color, foreground: tierForeground(t) }));
    display = { currency: config.display.currency, locale: config.display.locale };
  } catch {
    tiers = tiersFromCustomers(customers);
  }
  return {
    ...display,
    horizonMonths: numberOrNull(s.horizonMonths),
    unit: stringOrNull(s.unit) ?? 'week',
    holdoutShare: numberOrNull(s.holdoutShare),
    tiers,
  };
}

/** The customers that carry a value (imported after the last scoring ones do not). */
export function scoredCustomers(customers: readonly CustomerWithValue[]): CustomerWithValue[] {
  return customers.filter((c) => c.value !== undefined);
}
