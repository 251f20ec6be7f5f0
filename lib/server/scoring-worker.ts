/**
 * The team service's scoring work on one slice of the customers (a range of the 1024 shards), run in a
 * worker thread (lib/server/scoring.ts starts them): never on the thread that answers requests.
 *
 * - `summarise` reads the slice's transactions (or warehouse summaries) and returns only what the fit
 *   needs, compressed: the (x, t_x, T) histogram, the calibration histories with their holdout
 *   transactions (x, t_x, T, x*), and the (x, m) pairs of repeat buyers — each merged with a weight
 *   (customers per row), so memory follows the number of distinct histories, not of customers.
 * - `fit` merges every slice's histograms and fits once (lib/scoring/pipeline.ts: the browser's
 *   pipeline, the same functions).
 * - `score` reads the slice again, summarises it, scores it with the fitted model and writes its rows to
 *   scoring_staging; lib/server/scoring.ts then moves them into a run with the tiers in one transaction.
 *
 * A worker reaches the database itself (PostgreSQL: its own connection) or through the main thread
 * (the embedded database lives there: its queries are forwarded as messages).
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { TRANSACTION_MODELS, type TransactionModelName } from '../clv/auto';
import { scoreCustomers } from '../clv/clv';
import { ClvError } from '../clv/errors';
import { compressRfm } from '../clv/histogram';
import type { FitResult, Params } from '../clv/model';
import { groupByCustomerDay, summarizeCustomerDays, type CustomerSummary } from '../clv/summary';
import { convert, isTimeUnit, type TimeUnit } from '../clv/time';
import { fileNumber } from '../csv/write';
import { clvOptionsOf, expectedSpendOf, fitSpend, fitTransactions, judgeModel, TOO_SHORT_FOR_HOLDOUT, type SpendModel } from '../scoring/pipeline';
import type { ScoringSettings } from '../scoring/settings';
import type { ScoreFileEntry } from '../sources/score-file';
import { openDatabase, type Sql } from './database';

export type DataSource = 'transactions' | 'summaries';

/** What every task of a job shares. */
export interface JobFrame {
  jobId: number;
  source: DataSource;
  /** Scoring settings without the tiers (the tiers are assigned after, over the whole base). */
  settings: Omit<ScoringSettings, 'tiers'>;
  /** Last observed day (transactions: the log's last day); NaN for summaries. */
  observationEnd: number;
  /** Calibration end of the holdout split, or null (no holdout). */
  calibrationEnd: number | null;
}

/** Weighted (x, t_x, T) rows. */
export interface Histogram {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
}
export interface HoldoutHistogram extends Histogram {
  xStar: Float64Array;
}
export interface SpendPairs {
  x: Float64Array;
  m: Float64Array;
  weight: Float64Array;
}

export interface SliceSummary {
  /** Customers in the slice (those with only returns included). */
  customers: number;
  /** Customers with a purchase (the summary's rows). */
  summarised: number;
  fit: Histogram;
  holdout: HoldoutHistogram | null;
  spend: SpendPairs;
  /** Whether any row has an amount (summaries: a mean spend m). */
  hasAmounts: boolean;
}

export interface FittedModel {
  name: TransactionModelName;
  params: Params;
  logLikelihood: number;
  converged: boolean;
  /** null: no amounts, customers are ranked by expected transactions. */
  spend: SpendModel | null;
  holdout: { sentence: string; rmse: number; aggregateError: number } | null;
  choice: string | null;
  customers: number;
  notes: string[];
}

export type Task =
  | { kind: 'summarise'; frame: JobFrame; shardFrom: number; shardTo: number }
  | { kind: 'fit'; frame: JobFrame; slices: SliceSummary[] }
  | { kind: 'score'; frame: JobFrame; shardFrom: number; shardTo: number; model: FittedModel };

export type TaskResult = SliceSummary | FittedModel | { rows: number };

// ---------------------------------------------------------------------------------------------
// Reading a slice

/** The per-customer columns a slice needs (a CustomerSummary, or one made from warehouse summaries). */
type SliceRows = Pick<CustomerSummary, 'customer' | 'x' | 'tx' | 'T' | 'm' | 'xStar' | 'hasAmounts'>;

interface Slice {
  /** Customer ids as stored, by index. */
  ids: string[];
  summary: SliceRows | null;
  calibration: SliceRows | null;
}

/** A summary, or null when no customer of the slice qualifies (summarizeCustomerDays refuses an empty one). */
function summaryOrNull(make: () => CustomerSummary): CustomerSummary | null {
  try {
    return make();
  } catch (error) {
    if (error instanceof ClvError && error.detail && 'report' in error.detail) return null;
    throw error;
  }
}

async function readTransactionSlice(db: Sql, frame: JobFrame, from: number, to: number): Promise<Slice> {
  const { rows } = await db.query<{ customer_id: string; d: number; amount: number }>(
    "SELECT customer_id, (day - DATE '1970-01-01') AS d, amount FROM transactions WHERE shard >= $1 AND shard < $2",
    [from, to],
  );
  const ids: string[] = [];
  if (rows.length === 0) return { ids, summary: null, calibration: null };
  const index = new Map<string, number>();
  const customer = new Int32Array(rows.length);
  const day = new Float64Array(rows.length);
  const amount = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    let c = index.get(r.customer_id);
    if (c === undefined) {
      c = ids.length;
      index.set(r.customer_id, c);
      ids.push(r.customer_id);
    }
    customer[i] = c;
    day[i] = Number(r.d);
    amount[i] = Number(r.amount);
  }
  const days = groupByCustomerDay({ customer, day, amount, customerCount: ids.length });
  const { unit } = frame.settings;
  const observationEnd = frame.observationEnd;
  const summary = summaryOrNull(() => summarizeCustomerDays(days, { unit, observationEnd }));
  const calibrationEnd = frame.calibrationEnd;
  const calibration = calibrationEnd === null ? null : summaryOrNull(() => summarizeCustomerDays(days, { unit, observationEnd, calibrationEnd }));
  return { ids, summary, calibration };
}

/** Warehouse summaries (x, t_x, T in their own unit, m = mean repeat spend) as a summary in the settings' unit. */
async function readSummarySlice(db: Sql, frame: JobFrame, from: number, to: number): Promise<Slice> {
  const { rows } = await db.query<{ customer_id: string; x: number; t_x: number; t: number; m: number | null; unit: string }>(
    'SELECT customer_id, x, t_x, t, m, unit FROM summaries WHERE shard >= $1 AND shard < $2',
    [from, to],
  );
  const n = rows.length;
  const unit = frame.settings.unit;
  const ids: string[] = [];
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const m = new Float64Array(n);
  let hasAmounts = false;
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const from: TimeUnit | null = isTimeUnit(r.unit) ? r.unit : null;
    if (!from) throw new ClvError('invalid-input', `Summary of customer "${r.customer_id}": the unit "${r.unit}" is not day, week or month.`, { field: 'unit' });
    ids.push(r.customer_id);
    x[i] = Number(r.x);
    tx[i] = convert(Number(r.t_x), from, unit);
    T[i] = convert(Number(r.t), from, unit);
    m[i] = r.m === null ? 0 : Number(r.m);
    if (r.m !== null) hasAmounts = true;
  }
  const customer = Int32Array.from({ length: n }, (_, i) => i);
  const summary: SliceRows | null = n === 0 ? null : { customer, x, tx, T, m, xStar: new Float64Array(n), hasAmounts };
  return { ids, summary, calibration: null };
}

// ---------------------------------------------------------------------------------------------
// Merging histograms

/** Merges identical (x, t_x, T) rows of several weighted histograms into one (lib/clv/histogram). */
export function mergeHistograms(parts: readonly Histogram[]): Histogram {
  const { x, tx, T, weight } = concat(parts, ['x', 'tx', 'T', 'weight']);
  const merged = compressRfm({ x, tx, T, weight }).data;
  return { x: Float64Array.from(merged.x), tx: Float64Array.from(merged.tx), T: Float64Array.from(merged.T), weight: Float64Array.from(merged.weight) };
}

/** Merges identical rows of the given columns (all but `weight`), adding their weights. */
function mergeRows<K extends string>(parts: readonly Record<K | 'weight', Float64Array>[], keys: readonly K[]): Record<K | 'weight', Float64Array> {
  const all = concat(parts, [...keys, 'weight']);
  const n = all.weight.length;
  const at = new Map<string, number>();
  const out: Record<string, number[]> = Object.fromEntries([...keys, 'weight'].map((k) => [k, [] as number[]]));
  for (let i = 0; i < n; i++) {
    const key = keys.map((k) => all[k][i]).join(',');
    const j = at.get(key);
    if (j === undefined) {
      at.set(key, out.weight!.length);
      for (const k of keys) out[k]!.push(all[k][i] as number);
      out.weight!.push(all.weight[i] as number);
    } else out.weight![j] = (out.weight![j] as number) + (all.weight[i] as number);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Float64Array.from(v)])) as Record<K | 'weight', Float64Array>;
}

function concat<K extends string>(parts: readonly Record<K, Float64Array>[], keys: readonly K[]): Record<K, Float64Array> {
  const n = parts.reduce((sum, p) => sum + p[keys[0]!].length, 0);
  const out = Object.fromEntries(keys.map((k) => [k, new Float64Array(n)])) as Record<K, Float64Array>;
  let offset = 0;
  for (const p of parts) {
    for (const k of keys) out[k].set(p[k], offset);
    offset += p[keys[0]!].length;
  }
  return out;
}

const mergeHoldout = (parts: readonly HoldoutHistogram[]): HoldoutHistogram => mergeRows(parts, ['x', 'tx', 'T', 'xStar'] as const);
const mergeSpend = (parts: readonly SpendPairs[]): SpendPairs => mergeRows(parts, ['x', 'm'] as const);

// ---------------------------------------------------------------------------------------------
// The tasks

export async function summariseSlice(db: Sql, frame: JobFrame, from: number, to: number): Promise<SliceSummary> {
  const slice = frame.source === 'transactions' ? await readTransactionSlice(db, frame, from, to) : await readSummarySlice(db, frame, from, to);
  const hasAmounts = slice.summary?.hasAmounts ?? false;
  const empty = (): Histogram => ({ x: new Float64Array(0), tx: new Float64Array(0), T: new Float64Array(0), weight: new Float64Array(0) });
  const s = slice.summary;
  if (!s) return { customers: slice.ids.length, summarised: 0, fit: empty(), holdout: frame.calibrationEnd === null ? null : { ...empty(), xStar: new Float64Array(0) }, spend: { x: new Float64Array(0), m: new Float64Array(0), weight: new Float64Array(0) }, hasAmounts };
  const fit = mergeHistograms([{ x: s.x, tx: s.tx, T: s.T, weight: new Float64Array(s.x.length).fill(1) }]);
  const c = slice.calibration;
  const holdout =
    frame.calibrationEnd === null
      ? null
      : c
        ? mergeHoldout([{ x: c.x, tx: c.tx, T: c.T, xStar: c.xStar, weight: new Float64Array(c.x.length).fill(1) }])
        : { ...empty(), xStar: new Float64Array(0) };
  // Only repeat buyers with a positive mean spend count for the spend model (gammaGamma.spendDataFrom).
  const keep: number[] = [];
  for (let i = 0; i < s.x.length; i++) if ((s.x[i] as number) > 0 && (s.m[i] as number) > 0) keep.push(i);
  const spend = mergeSpend([{ x: Float64Array.from(keep, (i) => s.x[i] as number), m: Float64Array.from(keep, (i) => s.m[i] as number), weight: new Float64Array(keep.length).fill(1) }]);
  return { customers: slice.ids.length, summarised: s.x.length, fit, holdout, spend, hasAmounts };
}

/** Fits once on every slice's merged histograms: the browser pipeline's model choice, fit and spend model. */
export function fitSlices(frame: JobFrame, slices: readonly SliceSummary[]): FittedModel {
  const notes: string[] = [];
  const fitData = mergeHistograms(slices.map((s) => s.fit));
  const customers = slices.reduce((sum, s) => sum + s.summarised, 0);
  if (customers === 0) throw new ClvError('invalid-input', 'No customer has a purchase: there is nothing to score.');
  const settings = frame.settings;
  let name: TransactionModelName = settings.model === 'auto' ? 'bgnbd' : settings.model;
  let holdout: FittedModel['holdout'] = null;
  let choice: string | null = null;
  if (frame.source === 'summaries') notes.push('Scored from warehouse summaries: the model was not judged on a holdout (that needs the transactions).');
  else if (frame.calibrationEnd === null) notes.push(TOO_SHORT_FOR_HOLDOUT);
  else {
    const data = mergeHoldout(slices.map((s) => s.holdout!));
    const holdoutLength = convert(frame.observationEnd - frame.calibrationEnd, 'day', settings.unit);
    try {
      if (data.x.length === 0) throw new ClvError('invalid-input', 'No customer bought before the holdout.');
      const judged = judgeModel(settings, data, holdoutLength, notes);
      name = judged.name;
      holdout = { sentence: judged.holdout.sentence, rmse: judged.holdout.rmse, aggregateError: judged.holdout.aggregateError };
      choice = judged.choice?.sentence ?? null;
    } catch (error) {
      if (!(error instanceof ClvError)) throw error;
      notes.push(`The model could not be judged on a holdout: ${error.message}`);
    }
  }
  const fit: FitResult = fitTransactions(name, fitData);
  notes.push(`${name} fitted on ${customers.toLocaleString('en-US')} customers (${fitData.x.length.toLocaleString('en-US')} distinct histories).`);
  if (!fit.converged) notes.push(`The fit did not fully converge: ${fit.convergence.message}`);
  const hasAmounts = slices.some((s) => s.hasAmounts);
  const spend = hasAmounts ? fitSpend(mergeSpend(slices.map((s) => s.spend)), notes) : null;
  if (!spend) notes.push('No amounts: customers are ranked by expected transactions, without a value.');
  return { name, params: fit.params, logLikelihood: fit.logLikelihood, converged: fit.converged, spend, holdout, choice, customers, notes };
}

/** A number as the score file writes it (10 significant digits), so the file reads back as stored; undefined when not finite. */
const filed = (v: number): number | undefined => (Number.isFinite(v) ? Number(fileNumber(v)) : undefined);

const domainOf = (email: string | undefined) => (email && email.includes('@') ? email.slice(email.lastIndexOf('@') + 1).toLowerCase() : null);

/** Rows written per statement. */
const INSERT_ROWS = 2000;

export async function scoreSlice(db: Sql, frame: JobFrame, from: number, to: number, model: FittedModel): Promise<{ rows: number }> {
  const slice = frame.source === 'transactions' ? await readTransactionSlice(db, frame, from, to) : await readSummarySlice(db, frame, from, to);
  if (slice.ids.length === 0) return { rows: 0 };
  const emails = new Map<string, string>();
  const found = await db.query<{ customer_id: string; email: string }>('SELECT customer_id, email FROM customers WHERE shard >= $1 AND shard < $2 AND email IS NOT NULL', [from, to]);
  for (const r of found.rows) if (r.email.trim() !== '') emails.set(r.customer_id, r.email.trim().toLowerCase());

  const s = slice.summary;
  const rowOf = new Int32Array(slice.ids.length).fill(-1);
  let scores: ReturnType<typeof scoreCustomers> | null = null;
  let spendPer: Float64Array | null = null;
  if (s) {
    for (let r = 0; r < s.customer.length; r++) rowOf[s.customer[r] as number] = r;
    spendPer = model.spend ? expectedSpendOf(model.spend, s.x, s.m) : null;
    scores = scoreCustomers(TRANSACTION_MODELS[model.name], model.params, s, spendPer ?? 1, clvOptionsOf(frame.settings));
  }
  const columns = { id: [] as string[], email: [] as (string | null)[], domain: [] as (string | null)[], clv: [] as (number | null)[], rank: [] as (number | null)[], facts: [] as (string | null)[], score: [] as string[] };
  let written = 0;
  const flush = async () => {
    if (columns.id.length === 0) return;
    await db.query(
      `INSERT INTO scoring_staging (job_id, customer_id, email, domain, clv, rank_value, facts, score)
       SELECT $1, u.id, u.email, u.domain, u.clv, u.rank, u.facts::float8[], u.score::jsonb
       FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[], $8::text[]) AS u(id, email, domain, clv, rank, facts, score)`,
      [frame.jobId, columns.id, columns.email, columns.domain, columns.clv, columns.rank, columns.facts, columns.score],
    );
    written += columns.id.length;
    for (const k of Object.keys(columns) as (keyof typeof columns)[]) columns[k].length = 0;
  };
  for (let i = 0; i < slice.ids.length; i++) {
    const id = slice.ids[i]!;
    const email = emails.get(id) ?? (id.includes('@') ? id.trim().toLowerCase() : undefined);
    const entry: Omit<ScoreFileEntry, 'tier'> = { customerId: id.trim() };
    const r = rowOf[i] as number;
    let rank: number | null = null;
    let facts: (number | undefined)[] | null = null;
    if (r >= 0 && scores && s) {
      const set = <K extends 'clv' | 'next12Months' | 'lifetimeValue' | 'pAlive' | 'expectedTransactions'>(key: K, v: number) => {
        const n = filed(v);
        if (n !== undefined) entry[key] = n;
      };
      if (spendPer) {
        set('clv', scores.clv[r] as number);
        set('next12Months', scores.next12MonthsValue[r] as number);
        set('lifetimeValue', scores.lifetimeValue[r] as number);
      }
      set('pAlive', scores.pAlive[r] as number);
      set('expectedTransactions', scores.expectedTransactions[r] as number);
      const value = spendPer ? (scores.clv[r] as number) : (scores.expectedTransactions[r] as number);
      rank = Number.isFinite(value) && value > 0 ? value : null;
      facts = [s.x[r], s.tx[r], s.T[r], s.hasAmounts ? s.m[r] : undefined, spendPer ? spendPer[r] : undefined].map((v) => (v === undefined ? undefined : filed(v)));
    }
    if (email !== undefined) entry.email = email;
    columns.id.push(id.trim().toLowerCase());
    columns.email.push(email ?? null);
    columns.domain.push(domainOf(email));
    columns.clv.push(entry.clv ?? null);
    columns.rank.push(rank);
    columns.facts.push(facts ? `{${facts.map((v) => (v === undefined ? 'NULL' : String(v))).join(',')}}` : null);
    columns.score.push(JSON.stringify(entry));
    if (columns.id.length >= INSERT_ROWS) await flush();
  }
  await flush();
  return { rows: written };
}

export async function runTask(db: Sql, task: Task): Promise<TaskResult> {
  if (task.kind === 'summarise') return summariseSlice(db, task.frame, task.shardFrom, task.shardTo);
  if (task.kind === 'fit') return fitSlices(task.frame, task.slices);
  return scoreSlice(db, task.frame, task.shardFrom, task.shardTo, task.model);
}

// ---------------------------------------------------------------------------------------------
// The worker thread

export type ToWorker =
  | { type: 'task'; id: number; task: Task }
  | { type: 'sql-result'; id: number; rows: unknown[] }
  | { type: 'sql-error'; id: number; message: string };
export type FromWorker =
  | { type: 'done'; id: number; result: TaskResult }
  | { type: 'failed'; id: number; message: string; clv: boolean }
  | { type: 'sql'; id: number; text: string; params: unknown[] | undefined }
  | { type: 'ready' };

export interface WorkerSetup {
  centricScoring: true;
  /** PostgreSQL: the worker opens its own connection; absent: its queries go through the main thread. */
  url?: string;
}

/** The embedded database, reached through the main thread that holds it. */
function proxySql(port: MessagePort): { sql: Sql; answer(message: ToWorker): boolean } {
  let next = 0;
  const waiting = new Map<number, { resolve(rows: unknown[]): void; reject(error: Error): void }>();
  const sql: Sql = {
    kind: 'embedded',
    query: <T>(text: string, params?: readonly unknown[]) =>
      new Promise<{ rows: T[] }>((resolve, reject) => {
        const id = next++;
        waiting.set(id, { resolve: (rows) => resolve({ rows: rows as T[] }), reject });
        port.postMessage({ type: 'sql', id, text, params: params ? [...params] : undefined } satisfies FromWorker);
      }),
    exec: async (text) => void (await sql.query(text)),
    transaction: () => Promise.reject(new Error('A scoring worker writes no transaction of its own.')),
    close: async () => {},
  };
  return {
    sql,
    answer(message) {
      if (message.type !== 'sql-result' && message.type !== 'sql-error') return false;
      const w = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.type === 'sql-result') w?.resolve(message.rows);
      else w?.reject(new Error(message.message));
      return true;
    },
  };
}

async function workerMain(port: MessagePort, setup: WorkerSetup): Promise<void> {
  const proxy = setup.url ? null : proxySql(port);
  const db = setup.url ? await openDatabase({ url: setup.url }) : proxy!.sql;
  port.on('message', (message: ToWorker) => {
    if (proxy?.answer(message)) return;
    if (message.type !== 'task') return;
    runTask(db, message.task).then(
      (result) => port.postMessage({ type: 'done', id: message.id, result } satisfies FromWorker),
      (error: Error) => port.postMessage({ type: 'failed', id: message.id, message: error.message, clv: error instanceof ClvError } satisfies FromWorker),
    );
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}

if (!isMainThread && parentPort && (workerData as WorkerSetup | undefined)?.centricScoring) void workerMain(parentPort, workerData as WorkerSetup);
