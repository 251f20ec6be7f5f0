/**
 * The one interface every model shares: fit -> parameters, log-likelihood, convergence report.
 * Models live one per file beside this one (bgnbd.ts, mbgnbd.ts, paretonbd.ts, bgbb.ts,
 * gammagamma.ts, sbg.ts). Pure TypeScript: no DOM, no browser-extension APIs, no Node APIs.
 */

export type ModelName = 'bgnbd' | 'mbgnbd' | 'pareto-nbd' | 'bgbb' | 'gamma-gamma' | 'sbg';

/** Parameters by name, e.g. { r, alpha, a, b }. Always finite and > 0. */
export type Params = Record<string, number>;

export interface FitOptions {
  /** L2 penalty added to the negative log-likelihood: penalizer * sum(params^2) (lifetimes' convention). Default 0. */
  penalizer?: number;
  /** How many starting points the optimizer tries (the best result wins). Default: model-specific, >= 3. */
  starts?: number;
  /** Maximum iterations per start. */
  maxIterations?: number;
  /** Convergence tolerance on the relative change of the objective. */
  tolerance?: number;
  /** A starting point to try first (by parameter name). */
  initial?: Params;
  /** Called with a fraction in [0,1] while fitting (for progress bars in a Web Worker). */
  onProgress?: (fraction: number) => void;
}

export interface ConvergenceReport {
  converged: boolean;
  iterations: number;
  evaluations: number;
  starts: number;
  /** Norm of the gradient (in log-parameter space) at the optimum. */
  gradientNorm: number;
  /** Plain-language status, e.g. "converged after 84 iterations" or why it did not. */
  message: string;
}

export interface FitResult<P extends Params = Params> {
  model: ModelName;
  params: P;
  /** Total (weighted) log-likelihood at params, in the data's own time unit; never penalised. */
  logLikelihood: number;
  /** Number of customers (sum of weights). */
  n: number;
  /** Number of distinct rows the fit worked on (after compression). */
  rows: number;
  converged: boolean;
  convergence: ConvergenceReport;
  /** Standard errors from the inverse Hessian of the log-likelihood, where it is positive definite; else null. */
  standardErrors: Partial<Record<keyof P & string, number>> | null;
}

/**
 * Recency/frequency data for the continuous-time non-contractual models, columnar and weighted:
 * row i stands for weight[i] customers with x[i] repeat purchases, last at tx[i], observed for T[i]
 * (in the model's time unit since their first purchase). A compressed histogram is exactly this shape.
 */
export interface RfmData {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
}

/** The per-customer history the continuous models condition on. */
export interface History {
  x: number;
  tx: number;
  T: number;
}

/** Common surface of BG/NBD, MBG/NBD and Pareto/NBD, so scoring, CLV and "auto" can treat them alike. */
export interface TransactionModel<P extends Params = Params> {
  readonly name: ModelName;
  readonly paramNames: readonly (keyof P & string)[];
  /** Total weighted log-likelihood; throws ClvError('numeric') rather than return a non-finite value. */
  logLikelihood(params: P, data: RfmData): number;
  fit(data: RfmData, options?: FitOptions): FitResult<P>;
  /** P(alive at T | x, t_x, T). */
  pAlive(params: P, h: History): number;
  /** E[Y(t) | x, t_x, T]: expected transactions in (T, T+t]. */
  conditionalExpectedTransactions(params: P, t: number, h: History): number;
  /** E[X(t)]: expected transactions in (0, t] of a customer just acquired (the population curve). */
  expectedTransactionsNew(params: P, t: number): number;
  /** P(X(t) = n) for a customer just acquired. */
  probabilityOfN(params: P, n: number, t: number): number;
  /** P(Y(t) = n | x, t_x, T) for an existing customer, where the model defines it in closed form. */
  conditionalProbabilityOfN?(params: P, n: number, t: number, h: History): number;
  /**
   * Discounted expected residual transactions (continuous compounding at rate delta per time unit),
   * where the literature defines them (Pareto/NBD: Fader, Hardie & Lee 2005, "RFM and CLV").
   */
  derT?(params: P, delta: number, h: History): number;
}

/** Turns an array of rows into RfmData (weight 1 unless given). */
export function toRfmData(rows: ReadonlyArray<History & { weight?: number }>): RfmData {
  const n = rows.length;
  const data: RfmData = {
    x: new Float64Array(n),
    tx: new Float64Array(n),
    T: new Float64Array(n),
    weight: new Float64Array(n),
  };
  rows.forEach((row, i) => {
    data.x[i] = row.x;
    data.tx[i] = row.tx;
    data.T[i] = row.T;
    data.weight[i] = row.weight ?? 1;
  });
  return data;
}
