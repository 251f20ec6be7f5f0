/**
 * Scores the customers in the store: reads every transaction, runs the pipeline, and writes each
 * customer's value and a model-run record in ONE transaction (all or nothing). Used by the options
 * page's scoring worker and by the background for the bundled sample.
 */
import type { CentricDb } from '../db/db';
import { readAllPurchases } from '../db/purchases';
import type { ModelRunRecord, SlimValue } from '../db/records';
import { latestRun, replaceValues, valueBucketCount } from '../db/values';
import { writeSnapshot } from '../db/snapshots';
import { snapshotFromScoring } from '../equity/snapshot';
import { MODEL_LABELS } from '../clv/auto';
import { formatDay, parseDay } from '../clv/time';
import { scoreBase, type ScoringProgress, type ScoringResult } from './pipeline';
import { DEFAULT_SCORING_SETTINGS, parseScoringSettings, type ScoringSettings } from './settings';

const SETTINGS_KEY = 'scoringSettings';

export async function readScoringSettings(db: CentricDb): Promise<ScoringSettings> {
  const stored = await db.meta.get(SETTINGS_KEY);
  return stored ? parseScoringSettings(stored.value) : DEFAULT_SCORING_SETTINGS;
}

export async function writeScoringSettings(db: CentricDb, settings: ScoringSettings): Promise<void> {
  await db.meta.put({ key: SETTINGS_KEY, value: parseScoringSettings(settings) });
}

/**
 * The stored value of input customer i, from a scoring result: the numbers only (the run's fields
 * and the explanations are added on read, lib/tiers/value-view.ts expandValue).
 */
function slimValue(result: ScoringResult, i: number, customerId: string, runId: number): SlimValue {
  const r = result.rowOf[i] as number;
  // Full doubles: a rounded one takes the same 8 bytes, and files format their numbers themselves.
  const at0 = (column: Float64Array) => (r >= 0 ? (column[r] as number) : 0);
  const value: SlimValue = {
    customerId,
    modelRunId: runId,
    x: at0(result.summary.x),
    tx: at0(result.summary.tx),
    T: at0(result.summary.T),
    monetary: at0(result.summary.m),
    pAlive: at0(result.scores.pAlive),
    expectedTransactions: at0(result.scores.expectedTransactions),
    expectedSpend: at0(result.expectedSpend),
    clv: at0(result.scores.clv),
    next12Months: at0(result.scores.next12MonthsValue),
    lifetimeValue: at0(result.scores.lifetimeValue),
    tierIndex: result.tiers.tier[i] as number,
    rank: result.tiers.rank[i] as number,
    flagBits: result.tiers.flags[i] as number,
  };
  if (r >= 0) value.firstDay = result.summary.firstDay[r] as number;
  return value;
}

export interface StoreScoring {
  modelRunId: number;
  customers: number;
  model: string;
  customerEquity: number;
  notes: string[];
}

export async function scoreStore(
  db: CentricDb,
  settings: ScoringSettings,
  options: { onProgress?: ScoringProgress; now?: () => Date } = {},
): Promise<StoreScoring> {
  options.onProgress?.('read', 0);
  const customers = await db.customers.orderBy('id').primaryKeys();
  const index = new Map(customers.map((id, i) => [id, i]));
  options.onProgress?.('read', 0.2);
  const records = await readAllPurchases(db);
  options.onProgress?.('read', 0.9);
  let count = 0;
  for (const r of records) count += r.keys.length;
  const customer = new Int32Array(count);
  const day = new Float64Array(count);
  const amount = new Float64Array(count);
  // A store holds a few thousand distinct dates for a million purchases: each is parsed once.
  const days = new Map<string, number>();
  const dayOf = (date: string) => {
    let d = days.get(date);
    if (d === undefined) days.set(date, (d = parseDay(date)));
    return d;
  };
  let row = 0;
  for (const r of records) {
    const i = index.get(r.customerId);
    if (i === undefined) continue;
    for (let k = 0; k < r.keys.length; k++) {
      customer[row] = i;
      day[row] = dayOf(r.dates[k]!);
      amount[row] = r.amounts[k]!;
      row++;
    }
  }
  if (row === 0) throw new Error('There are no transactions to score. Import a transactions file first.');
  const log = { customer: customer.subarray(0, row), day: day.subarray(0, row), amount: amount.subarray(0, row) };
  const result = scoreBase(log, customers, settings, { onProgress: options.onProgress });

  options.onProgress?.('write', 0);
  const at = (options.now ?? (() => new Date()))().toISOString();
  const previous = await latestRun(db);
  const run: ModelRunRecord = {
    at,
    model: result.model,
    params: result.fit.params,
    logLikelihood: result.fit.logLikelihood,
    converged: result.fit.converged,
    settings: { ...settings },
    customers: customers.length,
    customerEquity: result.customerEquity,
    dataEnd: formatDay(result.summary.observationEnd),
    tierCounts: result.tiers.tierCounts,
    tierCumulativePercent: result.tiers.cumulativePercent,
    valueBuckets: valueBucketCount(customers.length),
    spend: result.spend,
    holdout: {
      sentence: result.holdout?.sentence ?? null,
      table: result.holdout?.table ?? [],
      actualTotal: result.holdout?.actualTotal ?? null,
      predictedTotal: result.holdout?.predictedTotal ?? null,
      aggregateError: result.holdout?.aggregateError ?? null,
      tableMape: result.holdout?.tableMape ?? null,
      tracking: result.tracking ? { predicted: [...result.tracking.predicted], actual: result.tracking.actual ? [...result.tracking.actual] : null } : null,
      choice: result.choice
        ? { sentence: result.choice.sentence, candidates: result.choice.candidates.map((c) => ({ model: MODEL_LABELS[c.model], score: Number.isFinite(c.score) ? c.score : null, error: c.error })) }
        : null,
      previousEquity: previous?.customerEquity ?? null,
      notes: result.notes,
      unit: settings.unit,
    },
  };
  // The run's snapshot (lib/equity/snapshot.ts) is built before the transaction and numbered inside it.
  const snapshot = snapshotFromScoring(0, at, customers, result, log);
  const modelRunId = await db.transaction('rw', db.modelRuns, db.valueBuckets, db.runSnapshots, async () => {
    const id = await db.modelRuns.add(run);
    const values = customers.map((customerId, i) => slimValue(result, i, customerId, id));
    await replaceValues(db, values, run.valueBuckets!);
    await writeSnapshot(db, { ...snapshot, modelRunId: id });
    return id;
  });
  return { modelRunId, customers: customers.length, model: result.model, customerEquity: result.customerEquity, notes: result.notes };
}
