/**
 * `centric evaluate <file> --holdout-start DATE`: fits BG/NBD, MBG/NBD and Pareto/NBD on the
 * calibration period, compares their holdout predictions with what happened, and says which to use.
 */
import { AUTO_CRITERION, type AutoChoice, chooseModel } from '../clv/auto';
import { type TrackingCurve, formatSignedPercent, trackCohort } from '../clv/holdout';
import { repeatTransactionsByPeriod } from '../clv/summary';
import { DAYS_PER } from '../clv/time';
import { type OptionSpec, type ParsedArgs, UsageError, flag, numberOption } from './args';
import { holdoutJson } from './fit';
import { humanNumber, jsonText, significant, textTable } from './format';
import { type CustomerData, INPUT_OPTIONS, loadCustomerData } from './inputs';
import type { CliIo } from './io';
import { MODEL_LABELS, PARAM_NAMES, transactionModel } from './models';

export const EVALUATE_OPTIONS: readonly OptionSpec[] = [
  ...INPUT_OPTIONS,
  { name: 'json', type: 'boolean', help: 'print the result as JSON (with the weekly tracking curves)' },
  { name: 'penalizer', type: 'number', value: 'P', help: 'L2 penalty when fitting (default 0)' },
  { name: 'help', type: 'boolean', short: 'h', help: 'show this help' },
];

export const EVALUATE_HELP = `Usage: centric evaluate <file> --holdout-start DATE [options]

Fits BG/NBD, MBG/NBD and Pareto/NBD on the calibration period (before --holdout-start) and compares
each model's predictions for the holdout period (to the log's last day, or --end) with what happened:
  - the per-frequency table: mean holdout transactions, actual vs predicted, by calibration
    repeat purchases x = 0, 1, …, 7+ (and its mean absolute percentage error, MAPE);
  - the total: "predicted 1,820 repeat transactions in the holdout, actual 1,882 (−3.3%)";
  - cumulative tracking of the cohort's repeat transactions per period (transaction logs only);
and recommends the model with the ${AUTO_CRITERION}.
A summary file works too when it has an x.star column: give --holdout-length N.

Options:
`;

interface Evaluation {
  choice: AutoChoice;
  tracking: Map<string, TrackingCurve>;
}

function trackingFor(data: CustomerData, choice: AutoChoice): Map<string, TrackingCurve> {
  const out = new Map<string, TrackingCurve>();
  if (data.kind !== 'log' || !data.days || !data.summary || !data.firstDay) return out;
  const s = data.summary;
  const unitDays = DAYS_PER[data.unit];
  let origin = Infinity;
  for (let i = 0; i < data.firstDay.length; i++) origin = Math.min(origin, data.firstDay[i] as number);
  const periods = Math.floor((s.observationEnd + 1 - origin) / unitDays + 1e-9);
  const actual = repeatTransactionsByPeriod(data.days, { unit: data.unit, periods, origin, acquiredBy: s.calibrationEnd });
  for (const c of choice.candidates) {
    if (!c.fit) continue;
    out.set(
      c.model,
      trackCohort(transactionModel(c.model), c.fit.params, { firstDay: data.firstDay, unitDays, calibrationEnd: s.calibrationEnd, observationEnd: s.observationEnd, origin }, actual),
    );
  }
  return out;
}

function percent(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '' : `${(v * 100).toFixed(1)}%`;
}

/** Runs `centric evaluate`. Returns the exit code. */
export function runEvaluate(args: ParsedArgs, io: CliIo): number {
  const file = args.positionals[0];
  if (!file || args.positionals.length > 1) throw new UsageError('evaluate takes one file: centric evaluate <file> --holdout-start DATE.', 'evaluate');
  const data = loadCustomerData(io.readFile(file), args, 'evaluate');
  if (!data.xStar || data.holdoutLength === null) {
    throw new UsageError(
      data.kind === 'log' ? 'evaluate needs --holdout-start DATE (the first day of the holdout period).' : 'evaluate on a summary needs an x.star column and --holdout-length N.',
      'evaluate',
    );
  }
  const penalizer = numberOption(args, 'penalizer');
  const choice = chooseModel({ x: data.x, tx: data.tx, T: data.T, xStar: data.xStar, weight: data.weight }, data.holdoutLength, {
    fitOptions: penalizer !== undefined ? { penalizer } : {},
  });
  const evaluation: Evaluation = { choice, tracking: trackingFor(data, choice) };
  if (flag(args, 'json')) io.stdout(jsonText(evaluationJson(data, evaluation)));
  else io.stdout(evaluationReport(data, evaluation));
  return 0;
}

function evaluationJson(data: CustomerData, e: Evaluation) {
  return {
    unit: data.unit,
    holdoutLength: data.holdoutLength,
    criterion: e.choice.criterion,
    best: e.choice.best,
    sentence: e.choice.sentence,
    notes: data.notes,
    candidates: e.choice.candidates.map((c) => {
      const t = e.tracking.get(c.model);
      return {
        model: c.model,
        params: c.fit?.params ?? null,
        logLikelihood: c.fit?.logLikelihood ?? null,
        converged: c.fit?.converged ?? false,
        fitMilliseconds: c.fitMilliseconds,
        error: c.error,
        holdout: c.holdout ? holdoutJson(c.holdout) : null,
        tracking: t
          ? {
              mape: t.mape,
              holdoutMape: t.holdoutMape,
              finalRelativeError: t.finalRelativeError,
              period: Array.from(t.time),
              predicted: Array.from(t.predicted),
              actual: t.actual ? Array.from(t.actual) : null,
            }
          : null,
      };
    }),
  };
}

function evaluationReport(data: CustomerData, e: Evaluation): string {
  const { choice } = e;
  const lines: string[] = [...data.notes, ''];
  lines.push(`Recommended: ${MODEL_LABELS[choice.best]}. ${choice.sentence}`);
  lines.push(`Criterion: ${choice.criterion}.`);
  lines.push('');
  lines.push(
    textTable(
      ['model', 'log-likelihood', 'RMSE', 'MAE', 'table MAPE', 'holdout total', 'tracking MAPE'],
      choice.candidates.map((c) => {
        const t = e.tracking.get(c.model);
        return c.fit && c.holdout
          ? [
              MODEL_LABELS[c.model],
              c.fit.logLikelihood.toFixed(3),
              c.holdout.rmse.toFixed(3),
              c.holdout.mae.toFixed(3),
              percent(c.holdout.tableMape),
              `${humanNumber(c.holdout.predictedTotal, 0)} (${formatSignedPercent(c.holdout.aggregateError)})`,
              percent(t?.holdoutMape ?? null),
            ]
          : [MODEL_LABELS[c.model], 'failed', '', '', '', '', c.error ?? ''];
      }),
    ).trimEnd(),
  );
  for (const c of choice.candidates) {
    if (!c.fit || !c.holdout) continue;
    lines.push('');
    lines.push(`${MODEL_LABELS[c.model]} (${PARAM_NAMES[c.model].map((n) => `${n} ${significant(c.fit?.params[n] as number, 5)}`).join(', ')}): ${c.holdout.sentence}.`);
    lines.push(
      textTable(
        ['x (calibration)', 'customers', 'actual', 'predicted'],
        c.holdout.table.map((r) => [r.label, humanNumber(r.customers, 0), r.actual.toFixed(3), r.predicted.toFixed(3)]),
      ).trimEnd(),
    );
    const t = e.tracking.get(c.model);
    if (t && t.actual) {
      const last = t.actual.length - 1;
      lines.push(
        `Cumulative repeat transactions after ${t.actual.length} ${data.unit}s: predicted ${humanNumber(t.predicted[last] as number, 0)}, actual ` +
          `${humanNumber(t.actual[last] as number, 0)} (${t.finalRelativeError === null ? 'n/a' : formatSignedPercent(t.finalRelativeError)}); tracking MAPE ${percent(t.mape)} overall, ${percent(t.holdoutMape)} in the holdout.`,
      );
    }
  }
  return lines.join('\n') + '\n';
}
