/**
 * Model plumbing shared by the commands: names, fitting the continuous-time models on customer
 * data (compressed first), spend models, and reading parameters given with --params.
 */
import { MODEL_LABELS, TRANSACTION_MODELS, type TransactionModelName, isTransactionModelName } from '../clv/auto';
import { ClvError } from '../clv/errors';
import { toHistogram } from '../clv/histogram';
import type { FitOptions, FitResult, ModelName, Params, TransactionModel } from '../clv/model';
import { UsageError } from './args';
import type { CliIo } from './io';
import type { CustomerData } from './inputs';

export const MODEL_NAMES: readonly ModelName[] = ['bgnbd', 'mbgnbd', 'pareto-nbd', 'bgbb', 'gamma-gamma', 'sbg'];

/** Parameter names per model, in the order they are printed. */
export const PARAM_NAMES: Readonly<Record<ModelName, readonly string[]>> = {
  bgnbd: ['r', 'alpha', 'a', 'b'],
  mbgnbd: ['r', 'alpha', 'a', 'b'],
  'pareto-nbd': ['r', 'alpha', 's', 'beta'],
  bgbb: ['alpha', 'beta', 'gamma', 'delta'],
  'gamma-gamma': ['p', 'q', 'gamma'],
  sbg: ['alpha', 'beta'],
};

export { MODEL_LABELS, TRANSACTION_MODELS, isTransactionModelName };
export type { TransactionModelName };

/** The transaction model object for a name. */
export function transactionModel(name: TransactionModelName): TransactionModel<Params> {
  return TRANSACTION_MODELS[name];
}

/** Fits a continuous-time model on customer data (compressed to distinct (x, t_x, T) rows). */
export function fitTransactionModel(name: TransactionModelName, data: CustomerData, options: FitOptions = {}): FitResult {
  const histogram = toHistogram({ x: data.x, tx: data.tx, T: data.T, weight: data.weight });
  return transactionModel(name).fit(histogram, options);
}

/**
 * Reads --params: inline JSON or a path to a JSON file; either the output of `centric fit --json`
 * ({"model": …, "params": {…}}) or the bare parameters ({"r": …, …}). Checks the names and values
 * against the model.
 */
export function readParamsOption(text: string, io: CliIo, command: string, optionName = 'params'): { model: ModelName | null; params: Params } {
  const trimmed = text.trim();
  const source = trimmed.startsWith('{') ? trimmed : io.readFile(trimmed);
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    throw new UsageError(`--${optionName} is not valid JSON (${(error as Error).message}).`, command);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new UsageError(`--${optionName} must be a JSON object.`, command);
  const object = parsed as Record<string, unknown>;
  const model = typeof object.model === 'string' ? object.model : null;
  if (model !== null && !(MODEL_NAMES as readonly string[]).includes(model)) {
    throw new UsageError(`--${optionName} names an unknown model "${model}".`, command);
  }
  const raw = typeof object.params === 'object' && object.params !== null ? (object.params as Record<string, unknown>) : object;
  const params: Params = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'model') continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new UsageError(`--${optionName}: parameter ${key} must be a positive number (got ${JSON.stringify(value)}).`, command);
    }
    params[key] = value;
  }
  return { model: model as ModelName | null, params };
}

/** Checks that params has exactly the model's parameter names. */
export function checkParamNames(model: ModelName, params: Params, command: string, optionName = 'params'): void {
  const expected = PARAM_NAMES[model];
  const missing = expected.filter((n) => !(n in params));
  const extra = Object.keys(params).filter((n) => !expected.includes(n));
  if (missing.length > 0 || extra.length > 0) {
    throw new UsageError(
      `--${optionName} for ${MODEL_LABELS[model]} needs ${expected.join(', ')}` +
        `${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; unknown ${extra.join(', ')}` : ''}.`,
      command,
    );
  }
}

/** Throws a ClvError when a fit did not converge (the caller decides whether that is fatal). */
export function convergenceNote(fit: FitResult): string {
  return fit.converged ? `yes (${fit.convergence.message})` : `NO: ${fit.convergence.message}`;
}

export function assertModelData(condition: boolean, message: string): void {
  if (!condition) throw new ClvError('invalid-input', message);
}
