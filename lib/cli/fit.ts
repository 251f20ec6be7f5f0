/**
 * `centric fit <file> --model NAME [--json]`: fits a model and prints its parameters,
 * log-likelihood and convergence (and, with a holdout, how well it predicted it).
 */
import { AUTO_CRITERION, chooseModel } from '../clv/auto';
import { ClvError } from '../clv/errors';
import * as gammaGamma from '../clv/gammagamma';
import { type HoldoutEvaluation, evaluateHoldout } from '../clv/holdout';
import type { FitResult, ModelName } from '../clv/model';
import { fitCohort } from '../clv/sbg';
import { type OptionSpec, type ParsedArgs, UsageError, flag, numberOption, stringOption } from './args';
import { fitDiscrete } from './discrete';
import { fileNumber, jsonText, significant, textTable } from './format';
import { type CustomerData, INPUT_OPTIONS, loadCohortData, loadCustomerData, loadDiscreteData } from './inputs';
import type { CliIo } from './io';
import { MODEL_LABELS, PARAM_NAMES, convergenceNote, fitTransactionModel, isTransactionModelName, transactionModel } from './models';

export const FIT_OPTIONS: readonly OptionSpec[] = [
  { name: 'model', type: 'string', value: 'MODEL', choices: ['bgnbd', 'mbgnbd', 'pareto-nbd', 'bgbb', 'gamma-gamma', 'sbg', 'auto'], help: 'bgnbd, mbgnbd, pareto-nbd, bgbb, gamma-gamma, sbg, or auto (needs a holdout)' },
  { name: 'json', type: 'boolean', help: 'print the result as JSON' },
  { name: 'penalizer', type: 'number', value: 'P', help: 'L2 penalty on the parameters (default 0)' },
  ...INPUT_OPTIONS,
  { name: 'column', type: 'string', value: 'NAME', help: 'sBG: the survivors column (default: the first column after the period)' },
  { name: 'periods', type: 'number', value: 'N', help: 'sBG: fit periods 1..N only (the rest is the holdout; default: all)' },
  { name: 'help', type: 'boolean', short: 'h', help: 'show this help' },
];

export const FIT_HELP = `Usage: centric fit <file> --model MODEL [options]

Fits a model by maximum likelihood and prints its parameters, log-likelihood and convergence.

Input files (detected from the columns):
  transaction log     one row per purchase: customer id, date[, amount] (bgnbd, mbgnbd, pareto-nbd, gamma-gamma)
  customer summary    id,x,t_x,T[,m][,weight]; also the lifetimes names frequency,recency,T,monetary_value
                      and the BTYD names cust,x,t.x,T.cal,m.x[,x.star]
  BG/BB table         frequency,recency,periods[,weights] (or x,t.x,n.cal,custs)
  sBG cohort          a period (or year) column and a column of survivors (first one, or --column NAME)

Parameters: BG/NBD and MBG/NBD r, alpha, a, b; Pareto/NBD r, alpha, s, beta; Gamma-Gamma p, q, gamma;
BG/BB alpha, beta, gamma, delta; sBG alpha, beta.

--model auto fits BG/NBD, MBG/NBD and Pareto/NBD on the calibration period and keeps the one with the
${AUTO_CRITERION}.

Options:
`;

interface FitOutput {
  model: ModelName;
  params: Record<string, number>;
  logLikelihood: number;
  n: number;
  rows: number;
  converged: boolean;
  convergence: FitResult['convergence'];
  standardErrors: FitResult['standardErrors'];
  unit?: string;
  notes: string[];
  holdout?: ReturnType<typeof holdoutJson>;
  auto?: { criterion: string; sentence: string; candidates: unknown[] };
}

/** The JSON of a holdout evaluation (without the per-customer predictions). */
export function holdoutJson(h: HoldoutEvaluation) {
  return {
    length: h.holdoutLength,
    customers: h.customers,
    actual: h.actualTotal,
    predicted: h.predictedTotal,
    aggregateError: h.aggregateError,
    tableMape: h.tableMape,
    mae: h.mae,
    rmse: h.rmse,
    sentence: h.sentence,
    table: h.table,
  };
}

function output(fit: FitResult, notes: string[], unit?: string): FitOutput {
  return {
    model: fit.model,
    params: { ...fit.params },
    logLikelihood: fit.logLikelihood,
    n: fit.n,
    rows: fit.rows,
    converged: fit.converged,
    convergence: fit.convergence,
    standardErrors: fit.standardErrors,
    ...(unit ? { unit } : {}),
    notes,
  };
}

function holdoutOf(data: CustomerData, fit: FitResult): HoldoutEvaluation | null {
  if (!data.xStar || data.holdoutLength === null || !isTransactionModelName(fit.model)) return null;
  return evaluateHoldout(transactionModel(fit.model), fit.params, { x: data.x, tx: data.tx, T: data.T, xStar: data.xStar, weight: data.weight }, data.holdoutLength);
}

/** Runs `centric fit`. Returns the exit code. */
export function runFit(args: ParsedArgs, io: CliIo): number {
  const file = args.positionals[0];
  if (args.positionals.length > 1) throw new UsageError(`fit takes one file (got ${args.positionals.length}: ${args.positionals.join(', ')}).`, 'fit');
  if (!file) throw new UsageError('fit needs a file: centric fit <file> --model MODEL.', 'fit');
  const modelName = stringOption(args, 'model');
  if (!modelName) throw new UsageError('fit needs --model: bgnbd, mbgnbd, pareto-nbd, bgbb, gamma-gamma, sbg or auto.', 'fit');
  const penalizer = numberOption(args, 'penalizer');
  if (penalizer !== undefined && !(penalizer >= 0)) throw new UsageError('--penalizer must be 0 or more.', 'fit');
  const fitOptions = penalizer !== undefined ? { penalizer } : {};
  const text = io.readFile(file);
  let result: FitOutput;

  if (modelName === 'sbg') {
    const cohort = loadCohortData(text, args);
    const periods = numberOption(args, 'periods');
    let alive = cohort.alive;
    if (periods !== undefined) {
      if (!Number.isInteger(periods) || periods < 1 || periods > alive.length - 1) {
        throw new UsageError(`--periods must be a whole number from 1 to ${alive.length - 1}.`, 'fit');
      }
      alive = alive.slice(0, periods + 1);
    }
    const notes = [...cohort.notes, ...(periods !== undefined ? [`Fitted on periods 1 to ${periods}.`] : [])];
    result = output(fitCohort(alive, fitOptions), notes);
  } else if (modelName === 'bgbb') {
    const data = loadDiscreteData(text, args);
    result = output(fitDiscrete(data, fitOptions), data.notes);
  } else if (modelName === 'gamma-gamma') {
    const data = loadCustomerData(text, args, 'fit');
    if (!data.m) throw new ClvError('invalid-input', 'Gamma-Gamma needs amounts: a log with an amount column, or a summary with a mean spend column (m, m.x, monetary_value).');
    const selection = gammaGamma.spendDataFrom(data.x, data.m, data.weight ?? undefined);
    const notes = [...data.notes];
    const left: string[] = [];
    if (selection.excludedNoRepeat > 0) left.push(`${selection.excludedNoRepeat.toLocaleString('en-US')} rows without repeat purchases`);
    if (selection.excludedNonPositiveSpend > 0) left.push(`${selection.excludedNonPositiveSpend.toLocaleString('en-US')} rows with a mean repeat spend of 0`);
    if (left.length) notes.push(`Gamma-Gamma uses customers with repeat purchases and positive spend; left out: ${left.join(', ')}.`);
    result = output(gammaGamma.fit(selection.data, fitOptions), notes);
  } else if (modelName === 'auto') {
    const data = loadCustomerData(text, args, 'fit');
    if (!data.xStar || data.holdoutLength === null) {
      throw new UsageError('--model auto needs a holdout: a log with --holdout-start DATE, or a summary with x.star and --holdout-length N.', 'fit');
    }
    const choice = chooseModel({ x: data.x, tx: data.tx, T: data.T, xStar: data.xStar, weight: data.weight }, data.holdoutLength, { fitOptions });
    result = output(choice.fit, data.notes, data.unit);
    result.holdout = holdoutJson(choice.holdout);
    result.auto = {
      criterion: choice.criterion,
      sentence: choice.sentence,
      candidates: choice.candidates.map((c) => ({
        model: c.model,
        params: c.fit?.params ?? null,
        logLikelihood: c.fit?.logLikelihood ?? null,
        converged: c.fit?.converged ?? false,
        rmse: c.holdout?.rmse ?? null,
        mae: c.holdout?.mae ?? null,
        tableMape: c.holdout?.tableMape ?? null,
        aggregateError: c.holdout?.aggregateError ?? null,
        sentence: c.holdout?.sentence ?? null,
        error: c.error,
      })),
    };
  } else if (isTransactionModelName(modelName)) {
    const data = loadCustomerData(text, args, 'fit');
    const fit = fitTransactionModel(modelName, data, fitOptions);
    result = output(fit, data.notes, data.unit);
    const holdout = holdoutOf(data, fit);
    if (holdout) result.holdout = holdoutJson(holdout);
  } else {
    throw new UsageError(`Unknown model "${modelName}".`, 'fit');
  }

  if (flag(args, 'json')) io.stdout(jsonText(result));
  else io.stdout(fitReport(result));
  return 0;
}

/** The readable fit report. */
export function fitReport(r: FitOutput): string {
  const lines: string[] = [];
  lines.push(`${MODEL_LABELS[r.model]} fitted on ${r.n.toLocaleString('en-US')} ${r.model === 'sbg' ? 'cohort members' : 'customers'} (${r.rows.toLocaleString('en-US')} distinct rows${r.unit ? `, time unit ${r.unit}` : ''}).`);
  lines.push('');
  const names = PARAM_NAMES[r.model];
  lines.push(
    textTable(
      ['parameter', 'estimate', 'std. error'],
      names.map((n) => [n, significant(r.params[n] as number), r.standardErrors?.[n] !== undefined ? significant(r.standardErrors[n] as number, 4) : '']),
    ).trimEnd(),
  );
  lines.push('');
  lines.push(`log-likelihood: ${fileNumber(Number(r.logLikelihood.toFixed(4)))}`);
  lines.push(`convergence:    ${convergenceNote({ converged: r.converged, convergence: r.convergence } as FitResult)}`);
  if (r.auto) {
    lines.push('');
    lines.push(`Auto choice (${r.auto.criterion}):`);
    lines.push(`  ${r.auto.sentence}`);
  }
  if (r.holdout) {
    lines.push('');
    lines.push(`Holdout: ${r.holdout.sentence}; per-frequency table MAPE ${(r.holdout.tableMape * 100).toFixed(1)}%.`);
  }
  if (r.notes.length) {
    lines.push('');
    for (const note of r.notes) lines.push(note);
  }
  return lines.join('\n') + '\n';
}
