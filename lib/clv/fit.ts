/**
 * The shared "fit a model from its log-likelihood" helper, so each model's fit() is a few lines.
 *
 * The optimiser works on theta = ln p (all parameters positive) and minimises the mean negative
 * log-likelihood per customer plus the L2 penalty (lifetimes' convention), i.e.
 *   objective(theta) = ( -LL(exp theta) + penalizer * sum(p^2) ) / n,
 * so tolerances do not depend on the number of customers. The reported gradientNorm is the max-norm
 * of the gradient of that objective in theta at the optimum. logLikelihood in the result is the
 * unpenalised total.
 */
import { ClvError } from './errors';
import type { FitOptions, FitResult, ModelName, Params, RfmData } from './model';
import { fitWithStarts, standardErrors, type Objective, type ObjectiveWithGradient } from './optimize';

export interface ModelFitSpec<P extends Params> {
  model: ModelName;
  paramNames: readonly (keyof P & string)[];
  /** Total weighted log-likelihood at natural parameters (may throw ClvError for bad parameters). */
  logLikelihood: (params: P) => number;
  /**
   * Optional analytic gradient: returns the total log-likelihood and writes d LL / d p (natural
   * parameters, in paramNames order) into `gradient`. Makes fitting several times faster.
   */
  logLikelihoodWithGradient?: (params: P, gradient: Float64Array) => number;
  /** Number of customers (sum of weights) and distinct rows, for the report and the scaling. */
  n: number;
  rows: number;
  /**
   * Parameters outside [min, max] at the optimum mean the data do not identify the model (a parameter
   * ran off towards 0 or infinity): the fit is then reported as not converged. Default [1e-6, 1e6].
   */
  identifiedRange?: { min: number; max: number };
  /** Starting points tried after options.initial, in order; extra starts are spread around them. */
  defaultStarts: readonly P[];
  options?: FitOptions;
}

/** Natural parameters from log-parameters, by name. */
export function paramsFromTheta<P extends Params>(names: readonly (keyof P & string)[], theta: ArrayLike<number>): P {
  const params: Params = {};
  names.forEach((name, i) => {
    params[name] = Math.exp(theta[i] as number);
  });
  return params as P;
}

/** Log-parameters from natural parameters (each must be finite and > 0). */
export function thetaFromParams<P extends Params>(names: readonly (keyof P & string)[], params: P): number[] {
  return names.map((name) => {
    const value = params[name];
    if (value === undefined || !(value > 0) || !Number.isFinite(value)) {
      throw new ClvError('invalid-params', `Starting value for ${name} must be a finite positive number.`, {
        param: name,
        value: String(value),
      });
    }
    return Math.log(value);
  });
}

/** Deterministic spread of extra starting points around the given ones (factors of e^{±0.7}). */
function spreadStarts(base: number[][], count: number): number[][] {
  const starts = base.slice(0, count);
  let k = 0;
  while (starts.length < count) {
    const origin = base[k % base.length] as number[];
    const round = Math.floor(k / base.length) + 1;
    starts.push(origin.map((v, i) => v + 0.7 * (((i + round) % 2 === 0 ? 1 : -1) * (1 + (round % 3)) * 0.5)));
    k++;
  }
  return starts;
}

/** Fits a model by maximum likelihood from several starts and assembles its FitResult. */
export function fitModel<P extends Params>(spec: ModelFitSpec<P>): FitResult<P> {
  const { paramNames, n } = spec;
  const options = spec.options ?? {};
  const penalizer = options.penalizer ?? 0;
  if (!(penalizer >= 0) || !Number.isFinite(penalizer)) {
    throw new ClvError('invalid-input', `penalizer must be a finite number >= 0, got ${penalizer}.`);
  }
  if (!(n > 0)) throw new ClvError('invalid-input', 'There are no customers to fit (total weight is 0).');
  const dimension = paramNames.length;
  const scale = 1 / n;

  const objective: Objective = (theta) => {
    const params = paramsFromTheta<P>(paramNames, theta);
    let penalty = 0;
    for (const name of paramNames) penalty += (params[name] as number) ** 2;
    return (-spec.logLikelihood(params) + penalizer * penalty) * scale;
  };
  let valueAndGradient: ObjectiveWithGradient | undefined;
  if (spec.logLikelihoodWithGradient) {
    const withGradient = spec.logLikelihoodWithGradient;
    const natural = new Float64Array(dimension);
    valueAndGradient = (theta, gradient) => {
      const params = paramsFromTheta<P>(paramNames, theta);
      const ll = withGradient(params, natural);
      let penalty = 0;
      for (let i = 0; i < dimension; i++) {
        const p = params[paramNames[i] as keyof P & string] as number;
        penalty += p * p;
        // d/dtheta = p d/dp
        gradient[i] = (-(natural[i] as number) * p + 2 * penalizer * p * p) * scale;
      }
      return (-ll + penalizer * penalty) * scale;
    };
  }

  const given = options.initial ? [thetaFromParams(paramNames, options.initial as P)] : [];
  const defaults = spec.defaultStarts.map((p) => thetaFromParams(paramNames, p));
  const base = [...given, ...defaults];
  if (base.length === 0) throw new Error(`${spec.model}: no starting points`);
  const count = Math.max(1, Math.floor(options.starts ?? Math.max(3, base.length)));
  const starts = spreadStarts(base, count);

  const result = fitWithStarts(objective, starts, {
    maxIterations: options.maxIterations,
    tolerance: options.tolerance,
    valueAndGradient,
    onProgress: options.onProgress,
  });
  if (!Number.isFinite(result.value)) {
    throw new ClvError(
      'not-converged',
      `The ${spec.model} model could not be fitted: the likelihood was not finite at any starting point.`,
      { model: spec.model },
    );
  }
  const params = paramsFromTheta<P>(paramNames, result.x);
  const logLikelihood = spec.logLikelihood(params);
  const range = spec.identifiedRange ?? { min: 1e-6, max: 1e6 };
  const runaway = paramNames.filter((name) => !((params[name] as number) >= range.min && (params[name] as number) <= range.max));
  let converged = result.converged;
  let message = result.message;
  if (runaway.length > 0) {
    converged = false;
    message =
      `not identified: ${runaway.map((name) => `${name} = ${(params[name] as number).toExponential(2)}`).join(', ')} ` +
      `ran off towards 0 or infinity, so the data cannot pin the model down (${result.message})`;
  }

  const negativeLogLikelihood: Objective = (theta) => -spec.logLikelihood(paramsFromTheta<P>(paramNames, theta));
  let unscaledGradient: ObjectiveWithGradient | undefined;
  if (spec.logLikelihoodWithGradient) {
    const withGradient = spec.logLikelihoodWithGradient;
    const natural = new Float64Array(dimension);
    unscaledGradient = (theta, gradient) => {
      const p = paramsFromTheta<P>(paramNames, theta);
      const ll = withGradient(p, natural);
      for (let i = 0; i < dimension; i++) {
        gradient[i] = -(natural[i] as number) * (p[paramNames[i] as keyof P & string] as number);
      }
      return -ll;
    };
  }
  const errors = standardErrors(negativeLogLikelihood, result.x, unscaledGradient);
  let standardErrorsByName: FitResult<P>['standardErrors'] = null;
  if (errors) {
    const named: Partial<Record<keyof P & string, number>> = {};
    paramNames.forEach((name, i) => {
      named[name] = errors[i] as number;
    });
    standardErrorsByName = named;
  }
  return {
    model: spec.model,
    params,
    logLikelihood,
    n,
    rows: spec.rows,
    converged,
    convergence: {
      converged,
      iterations: result.iterations,
      evaluations: result.evaluations,
      starts: result.starts,
      gradientNorm: result.gradientNorm,
      message,
    },
    standardErrors: standardErrorsByName,
  };
}

/**
 * Checks recency/frequency data: equal column lengths, at least one row, finite values, x >= 0,
 * 0 <= t_x <= T, weight >= 0 with a positive total. Returns the total weight (number of customers).
 * Throws ClvError('invalid-input') naming the first offending row.
 */
export function validateRfmData(data: RfmData): number {
  const { x, tx, T, weight } = data;
  const rows = x.length;
  if (tx.length !== rows || T.length !== rows || weight.length !== rows) {
    throw new ClvError('invalid-input', 'The x, t_x, T and weight columns must have the same length.', {
      x: rows,
      tx: tx.length,
      T: T.length,
      weight: weight.length,
    });
  }
  if (rows === 0) throw new ClvError('invalid-input', 'There are no customers in the data.');
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const xi = x[i] as number;
    const txi = tx[i] as number;
    const Ti = T[i] as number;
    const wi = weight[i] as number;
    if (!(xi >= 0) || !Number.isFinite(xi)) {
      throw new ClvError('invalid-input', `Row ${i}: the number of repeat purchases x must be >= 0, got ${xi}.`, { row: i });
    }
    if (!(txi >= 0) || !Number.isFinite(txi) || !(Ti >= 0) || !Number.isFinite(Ti)) {
      throw new ClvError('invalid-input', `Row ${i}: t_x and T must be finite and >= 0 (got ${txi}, ${Ti}).`, { row: i });
    }
    if (txi > Ti * (1 + 1e-12)) {
      throw new ClvError('invalid-input', `Row ${i}: the last purchase (t_x = ${txi}) is after the end of observation (T = ${Ti}).`, {
        row: i,
      });
    }
    if (!(wi >= 0) || !Number.isFinite(wi)) {
      throw new ClvError('invalid-input', `Row ${i}: the weight must be a finite number >= 0, got ${wi}.`, { row: i });
    }
    total += wi;
  }
  if (!(total > 0)) throw new ClvError('invalid-input', 'The weights sum to 0: there are no customers to fit.');
  return total;
}
