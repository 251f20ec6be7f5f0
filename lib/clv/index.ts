/**
 * The value engine's public surface: import from 'lib/clv' rather than from the files.
 *
 * Models: BG/NBD, MBG/NBD, Pareto/NBD (continuous-time transactions), BG/BB (discrete
 * opportunities), Gamma-Gamma (spend), sBG (contractual retention); CLV, time units, the
 * transaction-log summary, the compressed histogram, holdout checks and the automatic model choice.
 *
 * Several model files use the same function names (pAlive, conditionalExpectedTransactions, …); those
 * are reached through each model's object (bgnbd, paretoNbd, bgbb, gammaGamma) or its namespace
 * (BgNbd, ParetoNbd, BgBb, GammaGamma) so nothing is ambiguous.
 *
 * Tabular file reading lives in lib/csv, tiers in lib/tiers (each with its own index).
 */

// Shared contract.
export * from './errors';
export * from './model';

// Numerics.
export * from './special';
export * from './confluent';
export * from './optimize';
export * from './fit';

// Continuous-time transaction models.
export { bgnbd, makeGeometricDropoutModel, type BgnbdParams } from './bgnbd';
export { mbgnbd, type MbgnbdParams } from './mbgnbd';
export { paretoNbd, fitParetoNbd, paretoNbdLogLikelihood, PARETO_NBD_PARAM_NAMES, type ParetoNbdParams } from './paretonbd';
export * as BgNbd from './bgnbd';
export * as ParetoNbd from './paretonbd';

// Discrete-time, spend and contractual models.
export { bgbb, fitBgbb, bgbbLogLikelihood, BGBB_PARAM_NAMES, type BgbbParams, type BgbbData } from './bgbb';
export * as BgBb from './bgbb';
export {
  gammaGamma,
  spendDataFrom,
  conditionalExpectedSpend,
  conditionalExpectedSpendBatch,
  populationMeanSpend,
  spendFrequencyCorrelation,
  GAMMA_GAMMA_PARAM_NAMES,
  type GammaGammaParams,
  type SpendData,
  type SpendDataSelection,
} from './gammagamma';
export * as GammaGamma from './gammagamma';
export * from './sbg';

// Time, CLV.
export * from './time';
export * from './clv';
export * from './lifetime';

// Data preparation, trust and choice.
export * from './summary';
export * from './histogram';
export * from './holdout';
export * from './auto';
