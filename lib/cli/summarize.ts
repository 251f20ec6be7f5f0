/**
 * `centric summarize <log>`: the per-customer summary a model is fitted on (x, t_x, T, m, holdout
 * counts), as CSV or JSON, with what was merged or left out on standard error.
 */
import { formatDay } from '../clv/time';
import { type OptionSpec, type ParsedArgs, UsageError, flag, stringOption } from './args';
import { type CsvCell, csvText, fileNumber } from '../csv/write';
import { jsonText } from './format';
import { INPUT_OPTIONS, loadCustomerData } from './inputs';
import type { CliIo } from './io';

export const SUMMARIZE_OPTIONS: readonly OptionSpec[] = [
  ...INPUT_OPTIONS.filter((o) => o.name !== 'holdout-length'),
  { name: 'out', type: 'string', value: 'FILE', help: 'write to FILE (.json for JSON, otherwise CSV) instead of standard output' },
  { name: 'json', type: 'boolean', help: 'write JSON instead of CSV' },
  { name: 'help', type: 'boolean', short: 'h', help: 'show this help' },
];

export const SUMMARIZE_HELP = `Usage: centric summarize <log> [options]

Turns a transaction log (customer id, date[, amount]) into one row per customer:
  id, x (repeat purchase days), t_x (first to last purchase), T (first purchase to the end of
  calibration), m (mean value of the repeat purchase days), first, last, total (net spend),
  and with --holdout-start: x_star (repeat purchase days in the holdout) and holdout_spend.
Same-day purchases count once. Returns and zero amounts: see docs/engine.md (netted per day; every
exclusion is counted and reported on standard error).

Options:
`;

/** Runs `centric summarize`. Returns the exit code. */
export function runSummarize(args: ParsedArgs, io: CliIo): number {
  const file = args.positionals[0];
  if (!file || args.positionals.length > 1) throw new UsageError('summarize takes one file: centric summarize <log>.', 'summarize');
  const data = loadCustomerData(io.readFile(file), args, 'summarize');
  if (data.kind !== 'log' || !data.summary) throw new UsageError('summarize needs a transaction log; this file is already a per-customer summary.', 'summarize');
  const s = data.summary;
  const holdout = data.xStar !== null;
  const header = ['id', 'x', 't_x', 'T', 'm', 'first', 'last', 'total', ...(holdout ? ['x_star', 'holdout_spend'] : [])];
  const rows: CsvCell[][] = [];
  for (let i = 0; i < s.x.length; i++) {
    rows.push([
      data.ids[i] as string,
      s.x[i],
      s.tx[i],
      s.T[i],
      s.hasAmounts ? s.m[i] : null,
      formatDay(s.firstDay[i] as number),
      formatDay(s.lastDay[i] as number),
      s.hasAmounts ? s.totalSpend[i] : null,
      ...(holdout ? [s.xStar[i], s.hasAmounts ? s.holdoutSpend[i] : null] : []),
    ]);
  }
  const out = stringOption(args, 'out');
  const asJson = flag(args, 'json') || (out !== undefined && /\.json$/i.test(out));
  /** A cell for JSON: numbers with the precision of the CSV, missing or non-finite as null. */
  const jsonCell = (cell: CsvCell) => (typeof cell === 'number' ? (Number.isFinite(cell) ? Number(fileNumber(cell)) : null) : (cell ?? null));
  const body = asJson
    ? jsonText({
        unit: s.unit,
        calibrationEnd: formatDay(s.calibrationEnd),
        observationEnd: formatDay(s.observationEnd),
        holdoutLength: holdout ? s.holdoutLength : null,
        report: s.report,
        customers: rows.map((r) => Object.fromEntries(header.map((h, j) => [h, jsonCell(r[j])]))),
      })
    : csvText(header, rows);
  if (out !== undefined) io.writeFile(out, body);
  else io.stdout(body);
  for (const note of data.notes) io.stderr(`${note}\n`);
  return 0;
}
