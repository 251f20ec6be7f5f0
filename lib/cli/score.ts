/**
 * `centric score <file> --horizon N …`: one row per customer with P(alive), expected transactions,
 * expected spend, CLV and tier — fitting the models on the file, or applying parameters given with
 * --params (a model fitted elsewhere).
 */
import { AUTO_CRITERION, chooseModel } from '../clv/auto';
import { type ScoreColumns, scoreCustomers } from '../clv/clv';
import { ClvError } from '../clv/errors';
import * as gammaGamma from '../clv/gammagamma';
import type { Params } from '../clv/model';
import type { Horizon, TimeUnit } from '../clv/time';
import { type ScoreRow, scoreRowsToCsv, scoreRowsToJson } from '../dashboard/export';
import { DEFAULT_TIER_CONFIG, assignTiers } from '../tiers';
import { type OptionSpec, type ParsedArgs, UsageError, flag, numberOption, stringOption } from './args';
import { significant } from './format';
import { type CustomerData, INPUT_OPTIONS, loadCustomerData, withoutHoldout } from './inputs';
import type { CliIo } from './io';
import {
  MODEL_LABELS,
  type TransactionModelName,
  checkParamNames,
  fitTransactionModel,
  isTransactionModelName,
  readParamsOption,
  transactionModel,
} from './models';

export const SCORE_OPTIONS: readonly OptionSpec[] = [
  { name: 'horizon', type: 'string', value: 'N', help: 'how far ahead to value, in --unit (or with a unit: 12m, 52w, 365d) — required' },
  { name: 'model', type: 'string', value: 'MODEL', choices: ['bgnbd', 'mbgnbd', 'pareto-nbd', 'auto'], help: 'bgnbd (default), mbgnbd, pareto-nbd, or auto (needs --holdout-start)' },
  { name: 'spend-model', type: 'string', value: 'MODEL', choices: ['gamma-gamma', 'none'], help: 'gamma-gamma (default when there are amounts) or none' },
  { name: 'params', type: 'string', value: 'JSON', help: 'apply these transaction-model parameters instead of fitting (JSON text or file, e.g. the output of fit --json)' },
  { name: 'spend-params', type: 'string', value: 'JSON', help: 'apply these Gamma-Gamma parameters instead of fitting' },
  { name: 'discount', type: 'number', value: 'D', help: 'annual discount rate (default 0.1 = 10 % a year)' },
  { name: 'margin', type: 'number', value: 'M', help: 'share of spend kept as profit (default 1: CLV in revenue)' },
  { name: 'out', type: 'string', value: 'FILE', help: 'write to FILE (.json for JSON, otherwise CSV) instead of standard output' },
  { name: 'json', type: 'boolean', help: 'write JSON instead of CSV' },
  { name: 'penalizer', type: 'number', value: 'P', help: 'L2 penalty when fitting (default 0)' },
  ...INPUT_OPTIONS,
  { name: 'help', type: 'boolean', short: 'h', help: 'show this help' },
];

export const SCORE_HELP = `Usage: centric score <file> --horizon N [options]

Scores every customer: P(alive), expected transactions over the horizon, expected spend per
transaction (Gamma-Gamma), the value over the horizon, the lifetime value, and tier
(Platinum top 5 %, Gold next 15 %, Iron next 60 %, Lead the rest, by the value over the horizon).

Output columns: id, x, t_x, T, monetary, pAlive, expectedTransactions, expectedSpend, clv, lifetimeValue, tier
  clv            value over the horizon: margin over --horizon, discounted at monthly steps
                 (the sidebar's "Next 12 months (discounted)" for a 12-month horizon)
  lifetimeValue  lifetime value: margin over the rest of the customer's life, discounted (DERT;
                 Pareto/NBD in closed form, BG/NBD and MBG/NBD by quadrature)
(CSV on standard output unless --out or --json).

The input is a transaction log or a customer summary (see centric fit --help). With a log, customers
are scored as of its last day (or --end). --model auto chooses the model on a calibration/holdout split
(--holdout-start) by the ${AUTO_CRITERION}, then refits it on all the data.

Options:
`;

/** Reads --horizon: "12" (in the model's unit) or "12m", "52w", "365d", "12 months". */
export function parseHorizon(text: string, unit: TimeUnit): Horizon {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) throw new UsageError(`--horizon must be a number, optionally with a unit (12m, 52w, 365d); got "${text}".`, 'score');
  const value = Number(match[1]);
  const suffix = (match[2] ?? '').toLowerCase();
  const units: Record<string, TimeUnit> = { d: 'day', day: 'day', days: 'day', w: 'week', week: 'week', weeks: 'week', m: 'month', month: 'month', months: 'month' };
  if (suffix === '') return { value, unit };
  if (suffix === 'y' || suffix === 'year' || suffix === 'years') return { value: value * 12, unit: 'month' };
  const u = units[suffix];
  if (!u) throw new UsageError(`--horizon unit must be d, w, m or y (got "${suffix}").`, 'score');
  return { value, unit: u };
}

interface ScoreRun {
  data: CustomerData;
  modelName: TransactionModelName;
  params: Params;
  spend: Float64Array | null;
  scores: ScoreColumns;
  tiers: string[];
  notes: string[];
}

/** Runs `centric score`. Returns the exit code. */
export function runScore(args: ParsedArgs, io: CliIo): number {
  const file = args.positionals[0];
  if (args.positionals.length > 1) throw new UsageError(`score takes one file (got ${args.positionals.length}).`, 'score');
  if (!file) throw new UsageError('score needs a file: centric score <file> --horizon N.', 'score');
  const horizonText = stringOption(args, 'horizon');
  if (horizonText === undefined) throw new UsageError('score needs --horizon N (in --unit, or e.g. 12m, 52w).', 'score');
  const discount = numberOption(args, 'discount') ?? 0.1;
  if (!(discount >= 0)) throw new UsageError('--discount must be 0 or more (an annual rate, 0.1 = 10 %).', 'score');
  const margin = numberOption(args, 'margin') ?? 1;
  if (!(margin > 0)) throw new UsageError('--margin must be more than 0.', 'score');
  const penalizer = numberOption(args, 'penalizer');
  const fitOptions = penalizer !== undefined ? { penalizer } : {};

  // Parameters given?
  const paramsText = stringOption(args, 'params');
  const given = paramsText !== undefined ? readParamsOption(paramsText, io, 'score') : null;
  let modelName = stringOption(args, 'model') ?? given?.model ?? 'bgnbd';
  if (given?.model && stringOption(args, 'model') && given.model !== modelName) {
    throw new UsageError(`--params is for ${given.model} but --model is ${modelName}.`, 'score');
  }
  if (given && modelName === 'auto') throw new UsageError('--model auto chooses by fitting; it cannot be combined with --params.', 'score');
  if (modelName !== 'auto' && !isTransactionModelName(modelName)) {
    throw new UsageError(`score needs a transaction model (bgnbd, mbgnbd, pareto-nbd or auto); got ${modelName}.`, 'score');
  }

  const text = io.readFile(file);
  let data = loadCustomerData(text, args, 'score');
  const horizon = parseHorizon(horizonText, data.unit);
  const notes = [...data.notes];

  let params: Params;
  if (modelName === 'auto') {
    if (!data.xStar || data.holdoutLength === null) {
      throw new UsageError('--model auto needs a holdout: a log with --holdout-start DATE (or a summary with x.star and --holdout-length).', 'score');
    }
    const choice = chooseModel({ x: data.x, tx: data.tx, T: data.T, xStar: data.xStar, weight: data.weight }, data.holdoutLength, { fitOptions });
    notes.push(`Auto: ${choice.sentence}`);
    modelName = choice.best;
  }
  const name = modelName as TransactionModelName;
  data = withoutHoldout(data);
  if (data.notes.length > notes.length) notes.push(data.notes[data.notes.length - 1] as string);
  if (given) {
    checkParamNames(name, given.params, 'score');
    params = given.params;
    notes.push(`Applied the given ${MODEL_LABELS[name]} parameters (${Object.entries(params).map(([k, v]) => `${k} ${significant(v, 5)}`).join(', ')}).`);
  } else {
    const fit = fitTransactionModel(name, data, fitOptions);
    if (!fit.converged) notes.push(`Warning: the ${MODEL_LABELS[name]} fit did not converge (${fit.convergence.message}).`);
    params = fit.params;
    notes.push(`Fitted ${MODEL_LABELS[name]}: ${Object.entries(params).map(([k, v]) => `${k} ${significant(v, 5)}`).join(', ')} (log-likelihood ${fit.logLikelihood.toFixed(3)}).`);
  }

  // Spend per transaction.
  const spendModel = stringOption(args, 'spend-model') ?? (data.m ? 'gamma-gamma' : 'none');
  let spend: Float64Array | null = null;
  if (spendModel === 'gamma-gamma') {
    if (!data.m) throw new ClvError('invalid-input', 'The Gamma-Gamma spend model needs amounts: a log with an amount column or a summary with mean spend (m). Use --spend-model none to score transactions only.');
    const spendText = stringOption(args, 'spend-params');
    let ggParams: gammaGamma.GammaGammaParams;
    if (spendText !== undefined) {
      const sp = readParamsOption(spendText, io, 'score', 'spend-params');
      if (sp.model && sp.model !== 'gamma-gamma') throw new UsageError(`--spend-params is for ${sp.model}, not gamma-gamma.`, 'score');
      checkParamNames('gamma-gamma', sp.params, 'score', 'spend-params');
      ggParams = sp.params as gammaGamma.GammaGammaParams;
    } else {
      const selection = gammaGamma.spendDataFrom(data.x, data.m, data.weight ?? undefined);
      if (selection.data.x.length === 0) throw new ClvError('invalid-input', 'No customer has repeat purchases with a positive amount: the spend model cannot be fitted.');
      const fit = gammaGamma.fit(selection.data, fitOptions);
      ggParams = fit.params;
      notes.push(`Fitted Gamma-Gamma on ${selection.data.x.length.toLocaleString('en-US')} customers with repeat purchases: p ${significant(ggParams.p, 5)}, q ${significant(ggParams.q, 5)}, gamma ${significant(ggParams.gamma, 5)}.`);
    }
    spend = gammaGamma.conditionalExpectedSpendBatch(ggParams, data.x, data.m);
  } else if (spendText(args)) {
    throw new UsageError('--spend-params needs --spend-model gamma-gamma.', 'score');
  } else {
    notes.push('No spend model: expectedSpend and clv are left empty and tiers rank customers by expected transactions.');
  }

  const scores = scoreCustomers(transactionModel(name), params, { x: data.x, tx: data.tx, T: data.T }, spend ?? 1, {
    modelUnit: data.unit,
    horizon,
    annualDiscountRate: discount,
    margin,
  });
  const assignment = assignTiers(
    {
      value: spend ? scores.clv : scores.expectedTransactions,
      ids: data.ids,
      pAlive: scores.pAlive,
      x: data.x,
      ...(data.firstDay && data.asOfDay !== null ? { firstPurchaseDay: data.firstDay, asOfDay: data.asOfDay } : {}),
    },
    DEFAULT_TIER_CONFIG,
  );
  const tierNames = DEFAULT_TIER_CONFIG.tiers.map((t) => t.name);
  const tiers = Array.from(assignment.tier, (t) => tierNames[t] as string);
  const run: ScoreRun = { data, modelName: name, params, spend, scores, tiers, notes };

  const out = stringOption(args, 'out');
  const asJson = flag(args, 'json') || (out !== undefined && /\.json$/i.test(out));
  const body = asJson ? scoreRowsToJson(scoreRows(run)) : scoreRowsToCsv(scoreRows(run));
  if (out !== undefined) {
    io.writeFile(out, body);
    notes.push(`Wrote ${data.x.length.toLocaleString('en-US')} customers to ${out}.`);
  } else io.stdout(body);
  for (const note of notes) io.stderr(`${note}\n`);
  return 0;
}

function spendText(args: ParsedArgs): boolean {
  return stringOption(args, 'spend-params') !== undefined;
}

/** The rows of the scores file (lib/dashboard/export.ts defines its columns and formatting). */
function* scoreRows(run: ScoreRun): Generator<ScoreRow> {
  const { data, scores, spend, tiers } = run;
  for (let i = 0; i < data.x.length; i++) {
    yield {
      id: data.ids[i] as string,
      x: data.x[i] as number,
      tx: data.tx[i] as number,
      T: data.T[i] as number,
      monetary: data.m ? (data.m[i] as number) : null,
      pAlive: scores.pAlive[i] as number,
      expectedTransactions: scores.expectedTransactions[i] as number,
      expectedSpend: spend ? (scores.expectedSpend[i] as number) : null,
      clv: spend ? (scores.clv[i] as number) : null,
      lifetimeValue: spend ? (scores.lifetimeValue[i] as number) : null,
      tier: tiers[i] as string,
    };
  }
}
