/**
 * "Auto" model choice: fit BG/NBD, MBG/NBD and Pareto/NBD on the calibration period and keep the
 * one that predicts the holdout period best.
 *
 * Criterion: the smallest customer-level root mean squared error between each customer's predicted
 * holdout transactions E[Y(t*) | x, t_x, T] and the actual ones x*. The conditional expectation is
 * the predictor that minimises squared error, so this rewards the model whose per-customer
 * predictions are right — not one whose over- and under-predictions merely cancel in the total.
 * Every candidate's scores (RMSE, MAE, the per-frequency table's MAPE, the aggregate error and its
 * plain sentence) are returned so the choice can be shown and checked.
 */
import { bgnbd } from './bgnbd';
import { ClvError } from './errors';
import { compressRfm } from './histogram';
import { type HoldoutData, type HoldoutEvaluation, evaluateHoldout } from './holdout';
import { mbgnbd } from './mbgnbd';
import type { FitOptions, FitResult, ModelName, Params, TransactionModel } from './model';
import { paretoNbd } from './paretonbd';

/** The continuous-time transaction models, by name. */
export const TRANSACTION_MODELS = {
  bgnbd: bgnbd as unknown as TransactionModel<Params>,
  mbgnbd: mbgnbd as unknown as TransactionModel<Params>,
  'pareto-nbd': paretoNbd as unknown as TransactionModel<Params>,
} as const;

export type TransactionModelName = keyof typeof TRANSACTION_MODELS;

/** Whether a model name is one of the continuous-time transaction models. */
export function isTransactionModelName(name: string): name is TransactionModelName {
  return name === 'bgnbd' || name === 'mbgnbd' || name === 'pareto-nbd';
}

/** The criterion, in words (for reports and --help). */
export const AUTO_CRITERION =
  'lowest customer-level root mean squared error of the predicted vs actual holdout repeat transactions';

/** One candidate of the choice. */
export interface CandidateResult {
  model: TransactionModelName;
  /** The calibration fit (null when the fit failed). */
  fit: FitResult | null;
  /** Its holdout evaluation (null when the fit failed). */
  holdout: HoldoutEvaluation | null;
  /** The criterion's value (RMSE; Infinity when the fit failed). */
  score: number;
  /** Why the candidate failed, if it did. */
  error: string | null;
  /** Fitting time in milliseconds. */
  fitMilliseconds: number;
}

export interface AutoChoice {
  /** The chosen model, its fit and evaluation. */
  best: TransactionModelName;
  fit: FitResult;
  holdout: HoldoutEvaluation;
  criterion: string;
  /** All candidates, in the order tried. */
  candidates: CandidateResult[];
  /** "Pareto/NBD predicts the holdout best (RMSE 1.603 vs 1.607 MBG/NBD, 1.608 BG/NBD)." */
  sentence: string;
}

/** Display names of the models. */
export const MODEL_LABELS: Readonly<Record<ModelName, string>> = {
  bgnbd: 'BG/NBD',
  mbgnbd: 'MBG/NBD',
  'pareto-nbd': 'Pareto/NBD',
  bgbb: 'BG/BB',
  'gamma-gamma': 'Gamma-Gamma',
  sbg: 'sBG',
};

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/**
 * Fits each candidate on the calibration histories (compressed to distinct rows first) and
 * evaluates it on the holdout; returns the best by AUTO_CRITERION and every candidate's scores.
 * Throws ClvError('not-converged') when no candidate could be fitted.
 */
export function chooseModel(
  data: HoldoutData,
  holdoutLength: number,
  options: { candidates?: readonly TransactionModelName[]; fitOptions?: FitOptions } = {},
): AutoChoice {
  const names = options.candidates ?? (['bgnbd', 'mbgnbd', 'pareto-nbd'] as const);
  if (names.length === 0) throw new ClvError('invalid-input', 'No candidate models to choose from.');
  const histogram = compressRfm({ x: data.x, tx: data.tx, T: data.T, weight: data.weight }).data;
  const candidates: CandidateResult[] = names.map((name) => {
    const model = TRANSACTION_MODELS[name];
    const start = now();
    try {
      const fit = model.fit(histogram, options.fitOptions);
      const fitMilliseconds = now() - start;
      const holdout = evaluateHoldout(model, fit.params, data, holdoutLength);
      return { model: name, fit, holdout, score: holdout.rmse, error: null, fitMilliseconds };
    } catch (error) {
      if (!(error instanceof ClvError)) throw error;
      return { model: name, fit: null, holdout: null, score: Infinity, error: error.message, fitMilliseconds: now() - start };
    }
  });
  let best: CandidateResult | null = null;
  for (const c of candidates) if (c.fit && (best === null || c.score < best.score)) best = c;
  if (best === null || !best.fit || !best.holdout) {
    throw new ClvError('not-converged', `No model could be fitted: ${candidates.map((c) => `${MODEL_LABELS[c.model]}: ${c.error}`).join('; ')}`);
  }
  const others = candidates
    .filter((c) => c !== best)
    .map((c) => (c.fit ? `${c.score.toFixed(3)} ${MODEL_LABELS[c.model]}` : `${MODEL_LABELS[c.model]} failed`))
    .join(', ');
  return {
    best: best.model,
    fit: best.fit,
    holdout: best.holdout,
    criterion: AUTO_CRITERION,
    candidates,
    sentence: `${MODEL_LABELS[best.model]} predicts the holdout best (RMSE ${best.score.toFixed(3)}${others ? ` vs ${others}` : ''}).`,
  };
}
