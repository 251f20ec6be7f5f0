/**
 * From a transaction log to every customer's value, in one pure function: summarise, judge the
 * model on a holdout (and choose it, with "auto"), refit on all the data, estimate spend
 * (Gamma-Gamma, or the mean when it cannot be fitted), score, and place in tiers. Runs in Node (the
 * CLI, tests) and in a Web Worker (the options page); no browser APIs.
 */
import { chooseModel, MODEL_LABELS, TRANSACTION_MODELS, type AutoChoice, type TransactionModelName } from '../clv/auto';
import { scoreCustomers, type ClvOptions, type ScoreColumns } from '../clv/clv';
import { ClvError } from '../clv/errors';
import * as gammaGamma from '../clv/gammagamma';
import { compressRfm } from '../clv/histogram';
import { evaluateHoldout, trackCohort, type HoldoutData, type HoldoutEvaluation, type TrackingCurve } from '../clv/holdout';
import type { FitResult } from '../clv/model';
import { groupByCustomerDay, repeatTransactionsByPeriod, summarizeCustomerDays, type CustomerSummary, type TransactionInput } from '../clv/summary';
import { DAYS_PER } from '../clv/time';
import { assignTiers, type TierAssignment } from '../tiers';
import type { ScoringSettings } from './settings';
import type { ScoringStage } from './progress';

export interface ScoringResult {
  /** The full-period summary the scores are based on (row r = input customer summary.customer[r]). */
  summary: CustomerSummary;
  model: TransactionModelName;
  fit: FitResult;
  /** The fit on the calibration part only, which the holdout judges; null when the data is too short. */
  calibrationFit: FitResult | null;
  /** How the model did on the holdout (fitted on the calibration part only); null when the data is too short. */
  holdout: HoldoutEvaluation | null;
  /** The model choice, with every candidate's scores (model "auto" only). */
  choice: AutoChoice | null;
  /** Predicted vs actual cumulative repeat transactions per period, for the trust view. */
  tracking: TrackingCurve | null;
  spend: { model: 'gamma-gamma'; params: gammaGamma.GammaGammaParams } | { model: 'mean'; mean: number };
  /** Spend per transaction per summary row. */
  expectedSpend: Float64Array;
  scores: ScoreColumns;
  /** Tiers over ALL input customers (index = input customer index); those not in the summary have no value. */
  tiers: TierAssignment;
  /** Per input customer: the summary row, or -1 (only returns, no purchase). */
  rowOf: Int32Array;
  customerEquity: number;
  notes: string[];
}

export interface ScoringProgress {
  /** `stage` (lib/scoring/progress.ts) has begun (`fraction` 0) or is that far done. */
  (stage: ScoringStage, fraction: number): void;
}

/**
 * Fits a transaction model on customer histories (compressed to distinct rows first). `weight` (customers
 * per row) lets a caller pass histories already merged, e.g. the team service's per-shard histograms:
 * the estimates are the same, the likelihood being a weighted sum over rows.
 */
export function fitTransactions(name: TransactionModelName, summary: { x: ArrayLike<number>; tx: ArrayLike<number>; T: ArrayLike<number>; weight?: ArrayLike<number> | null }): FitResult {
  const histogram = compressRfm({ x: summary.x, tx: summary.tx, T: summary.T, weight: summary.weight ?? null }).data;
  return TRANSACTION_MODELS[name].fit(histogram);
}

export type SpendModel = ScoringResult['spend'];

/**
 * Chooses and fits the spend model on (x, m) per customer — or per merged (x, m) pair with `weight`
 * customers each: Gamma-Gamma where it can be fitted (10 customers with repeat purchases at least),
 * else the mean repeat spend. Says why in `notes`.
 */
export function fitSpend(data: { x: ArrayLike<number>; m: ArrayLike<number>; weight?: ArrayLike<number> | null }, notes: string[]): SpendModel {
  const n = data.x.length;
  const weight = data.weight ?? undefined;
  const selection = gammaGamma.spendDataFrom(data.x, data.m, weight);
  let total = 0;
  let count = 0;
  let customers = 0;
  for (let i = 0; i < n; i++) {
    const x = data.x[i] as number;
    const m = data.m[i] as number;
    if (x > 0 && m > 0) {
      const w = weight ? (weight[i] as number) : 1;
      total += w * m * x;
      count += w * x;
      customers += w;
    }
  }
  const fallbackMean = count > 0 ? total / count : 0;
  if (customers >= 10) {
    try {
      return { model: 'gamma-gamma', params: gammaGamma.fit(selection.data).params };
    } catch (error) {
      if (!(error instanceof ClvError)) throw error;
      notes.push(`Spend per transaction is the mean repeat purchase (${fallbackMean.toFixed(2)}): the Gamma-Gamma model could not be used (${error.message})`);
    }
  } else {
    notes.push(`Spend per transaction is the mean repeat purchase: too few customers with repeat purchases (${customers}) to fit the Gamma-Gamma model.`);
  }
  return { model: 'mean', mean: fallbackMean };
}

/** Spend per transaction of each customer under a fitted spend model. */
export function expectedSpendOf(spend: SpendModel, x: ArrayLike<number>, m: ArrayLike<number>): Float64Array {
  return spend.model === 'gamma-gamma' ? gammaGamma.conditionalExpectedSpendBatch(spend.params, x, m) : new Float64Array(x.length).fill(spend.mean);
}

/** Spend per transaction: Gamma-Gamma E[M | x, m] where it can be fitted, else the mean repeat spend. */
function estimateSpend(summary: CustomerSummary, notes: string[]): Pick<ScoringResult, 'spend' | 'expectedSpend'> {
  const spend = fitSpend(summary, notes);
  return { spend, expectedSpend: expectedSpendOf(spend, summary.x, summary.m) };
}

/** How the settings value customers (scoreCustomers' options). */
export function clvOptionsOf(settings: Pick<ScoringSettings, 'unit' | 'horizonMonths' | 'annualDiscountRate' | 'margin'>): ClvOptions {
  return {
    modelUnit: settings.unit,
    horizon: { value: settings.horizonMonths, unit: 'month' },
    annualDiscountRate: settings.annualDiscountRate,
    margin: settings.margin,
  };
}

/** The model judged on a holdout: with "auto", the one that predicts it best. */
export interface ModelJudgement {
  name: TransactionModelName;
  calibrationFit: FitResult;
  holdout: HoldoutEvaluation;
  choice: AutoChoice | null;
}

/**
 * Fits the model (or, with "auto", each candidate) on the calibration histories and judges it on the
 * holdout. `data` may be merged histories with a weight per row. Throws ClvError when nothing fits.
 */
export function judgeModel(settings: Pick<ScoringSettings, 'model'>, data: HoldoutData, holdoutLength: number, notes: string[]): ModelJudgement {
  if (settings.model === 'auto') {
    const choice = chooseModel(data, holdoutLength);
    notes.push(choice.sentence);
    return { name: choice.best, calibrationFit: choice.fit, holdout: choice.holdout, choice };
  }
  const calibrationFit = fitTransactions(settings.model, data);
  return { name: settings.model, calibrationFit, holdout: evaluateHoldout(TRANSACTION_MODELS[settings.model], calibrationFit.params, data, holdoutLength), choice: null };
}

/** The calibration end of the holdout split (a day number), or null when the data covers too short a time. */
export function calibrationEndOf(settings: Pick<ScoringSettings, 'unit' | 'holdoutShare'>, minDay: number, observationEnd: number): number | null {
  const span = observationEnd - minDay + 1;
  const holdoutDays = Math.round(span * settings.holdoutShare);
  const unitDays = DAYS_PER[settings.unit];
  return holdoutDays >= unitDays && span - holdoutDays >= 2 * unitDays ? observationEnd - holdoutDays : null;
}

export const TOO_SHORT_FOR_HOLDOUT = 'The data covers too short a time to hold part of it out, so the model was not judged on a holdout.';

/**
 * Scores a base. `log` holds one row per transaction (customer index, day number, amount); `ids`
 * names the customers by index. `asOfDay` is the last observed day (default: the log's last day).
 */
export function scoreBase(
  log: TransactionInput,
  ids: readonly string[],
  settings: ScoringSettings,
  options: { asOfDay?: number; onProgress?: ScoringProgress } = {},
): ScoringResult {
  const progress = options.onProgress ?? (() => {});
  const notes: string[] = [];
  progress('summarise', 0);
  const days = groupByCustomerDay({ ...log, customerCount: ids.length });
  const observationEnd = options.asOfDay ?? days.maxDay;
  const unitDays = DAYS_PER[settings.unit];
  const summary = summarizeCustomerDays(days, { unit: settings.unit, observationEnd });

  // Judge (and choose) the model on a holdout: fit on the calibration part, predict the rest.
  progress('holdout', 0);
  const span = observationEnd - days.minDay + 1;
  let holdout: HoldoutEvaluation | null = null;
  let choice: AutoChoice | null = null;
  let tracking: TrackingCurve | null = null;
  let calibrationFit: FitResult | null = null;
  let name: TransactionModelName = settings.model === 'auto' ? 'bgnbd' : settings.model;
  const calibrationEnd = calibrationEndOf(settings, days.minDay, observationEnd);
  if (calibrationEnd !== null) {
    try {
      const calibration = summarizeCustomerDays(days, { unit: settings.unit, observationEnd, calibrationEnd });
      const data = { x: calibration.x, tx: calibration.tx, T: calibration.T, xStar: calibration.xStar };
      ({ name, calibrationFit, holdout, choice } = judgeModel(settings, data, calibration.holdoutLength, notes));
      const actual = repeatTransactionsByPeriod(days, {
        unit: settings.unit,
        periods: Math.floor(span / unitDays),
        acquiredBy: calibrationEnd,
      });
      tracking = trackCohort(
        TRANSACTION_MODELS[name],
        calibrationFit.params,
        { firstDay: calibration.firstDay, unitDays, calibrationEnd, observationEnd, origin: days.minDay },
        actual,
      );
    } catch (error) {
      if (!(error instanceof ClvError)) throw error;
      notes.push(`The model could not be judged on a holdout: ${error.message}`);
    }
  } else {
    notes.push(TOO_SHORT_FOR_HOLDOUT);
  }

  progress('fit', 0);
  const fit = fitTransactions(name, summary);
  if (!fit.converged) notes.push(`The ${MODEL_LABELS[name]} fit did not fully converge: ${fit.convergence.message}`);
  notes.push(`${MODEL_LABELS[name]} fitted on ${summary.x.length.toLocaleString('en-US')} customers.`);

  progress('spend', 0);
  const { spend, expectedSpend } = estimateSpend(summary, notes);

  progress('score', 0);
  const scores = scoreCustomers(TRANSACTION_MODELS[name], fit.params, summary, expectedSpend, clvOptionsOf(settings));

  progress('tiers', 0);
  // Tiers over every input customer; those without a purchase (only returns) have no value.
  const count = ids.length;
  const rowOf = new Int32Array(count).fill(-1);
  for (let r = 0; r < summary.customer.length; r++) rowOf[summary.customer[r] as number] = r;
  const value = new Float64Array(count).fill(Number.NaN);
  const pAlive = new Float64Array(count).fill(Number.NaN);
  const x = new Float64Array(count).fill(Number.NaN);
  const firstPurchaseDay = new Float64Array(count).fill(Number.NaN);
  let customerEquity = 0;
  for (let i = 0; i < count; i++) {
    const r = rowOf[i] as number;
    if (r < 0) continue;
    value[i] = scores.clv[r] as number;
    pAlive[i] = scores.pAlive[r] as number;
    x[i] = summary.x[r] as number;
    firstPurchaseDay[i] = summary.firstDay[r] as number;
    customerEquity += scores.clv[r] as number;
  }
  const tiers = assignTiers({ value, ids, pAlive, x, firstPurchaseDay, asOfDay: observationEnd }, settings.tiers);
  progress('tiers', 1);
  return { summary, model: name, fit, calibrationFit, holdout, choice, tracking, spend, expectedSpend, scores, tiers, rowOf, customerEquity, notes };
}
