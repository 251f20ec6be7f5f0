/**
 * `centric sql --dialect postgres|duckdb|bigquery|snowflake --table T --observation-end DATE …`:
 * prints the SQL that turns a transactions table into the per-customer summary (the output of
 * `centric summarize`) or its compressed histogram, for customer bases too large for one machine.
 * Export the query's result as CSV and give it to `centric fit` / `centric score`.
 *
 * The query text is built by pure functions (lib/cli/sql/summary.ts, one small file per dialect in
 * lib/cli/sql/); every name and date from a flag is validated before it reaches the text.
 */
import { type TimeUnit, formatDay, tryParseDay } from '../clv/time';
import { type OptionSpec, type ParsedArgs, UsageError, stringOption } from './args';
import type { CliIo } from './io';
import { SQL_DIALECTS, type SqlDialectName, checkIsoDate } from './sql/dialect';
import { SQL_OUTPUTS, type SqlOutput, type SummarySqlOptions, summarySql } from './sql/summary';

export { DIALECTS, SQL_OUTPUTS, type SqlOutput, type SummarySqlOptions, type SummarySqlPlan, nextCommand, planSummarySql, summarySql } from './sql/summary';
export { SQL_DIALECTS, type SqlDialect, type SqlDialectName, checkIdentifier, checkIsoDate, checkTableName } from './sql/dialect';

export const SQL_OPTIONS: readonly OptionSpec[] = [
  { name: 'dialect', type: 'string', value: 'NAME', choices: SQL_DIALECTS, help: 'postgres, duckdb, bigquery or snowflake — required' },
  { name: 'table', type: 'string', value: 'NAME', help: 'the transactions table: table, schema.table or database.schema.table — required' },
  { name: 'customer', type: 'string', value: 'COLUMN', help: 'customer id column (default customer_id)' },
  { name: 'date', type: 'string', value: 'COLUMN', help: 'date column: DATE, TIMESTAMP or YYYY-MM-DD text (default date)' },
  { name: 'amount', type: 'string', value: 'COLUMN', help: 'amount column, negative for returns (default amount; "none" for no amounts)' },
  { name: 'observation-end', type: 'string', value: 'DATE', help: 'last day observed, YYYY-MM-DD: later rows are ignored — required' },
  { name: 'calibration-end', type: 'string', value: 'DATE', help: 'last day of the calibration period (default: the observation end, no holdout)' },
  { name: 'holdout-start', type: 'string', value: 'DATE', help: 'or: first day of the holdout period (the calibration ends the day before)' },
  { name: 'unit', type: 'string', value: 'UNIT', choices: ['day', 'week', 'month'], help: 'time unit of t_x and T: day, week (default) or month (365.25/12 days)' },
  { name: 'output', type: 'string', value: 'KIND', choices: SQL_OUTPUTS, help: 'summary (one row per customer, default) or histogram (x, t_x, T[, x_star], count)' },
  { name: 'out', type: 'string', value: 'FILE', help: 'write the SQL to FILE instead of standard output' },
  { name: 'help', type: 'boolean', short: 'h', help: 'show this help' },
];

export const SQL_HELP = `Usage: centric sql --dialect NAME --table NAME --observation-end DATE [options]

Prints the SQL that summarises a transactions table (one row per purchase or return: customer, date,
amount) inside the warehouse, for customer bases too large for one machine. Nothing is run: paste
the SQL into the warehouse, export the result as CSV with a header row, and give the file to
centric fit or centric score with the same --unit (and --holdout-length N with a holdout; the
SQL's header comment says N).

--output summary    one row per customer, the columns of centric summarize: id, x, t_x, T, m,
                    first, last, total, and with a holdout x_star, holdout_spend
--output histogram  one row per distinct (x, t_x, T[, x_star]) with count = its customers: the
                    compressed input of the transaction models (not for Gamma-Gamma, which
                    needs m per customer)

Same rules as centric summarize (docs/engine.md): same-day rows merged, amounts added; a day with a
negative net amount (a return) is not a purchase; customers with only returns, or first buying after
the calibration end, are left out; rows after the observation end are ignored; rows with a NULL
customer, date or amount are left out.

Names are quoted, so write them as the warehouse stores them (PostgreSQL: lower case for names
created without quotes; Snowflake: UPPER case). Only plain names (letters, digits, _) are accepted.

Examples:
  centric sql --dialect postgres --table sales.orders --customer customer_id --date ordered_on \\
      --amount total --holdout-start 2024-07-01 --observation-end 2024-12-31 > summary.sql
  centric sql --dialect bigquery --table my-project.shop.orders --observation-end 2024-12-31 --output histogram

Options:
`;

function requireOption(args: ParsedArgs, name: string, example: string): string {
  const value = stringOption(args, name);
  if (value === undefined) throw new UsageError(`sql needs --${name} ${example}.`, 'sql');
  return value;
}

/** Reads a date flag: YYYY-MM-DD (or YYYYMMDD, written back as YYYY-MM-DD); checked again by the builder. */
function dateFlag(args: ParsedArgs, name: string): string | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  return compact ? `${compact[1]}-${compact[2]}-${compact[3]}` : text;
}

/** The builder options from the parsed flags. Throws UsageError naming the flag. */
export function sqlOptionsFromArgs(args: ParsedArgs): SummarySqlOptions {
  if (args.positionals.length > 0) {
    throw new UsageError(`sql takes no file: it reads a table in the warehouse (got ${args.positionals.join(', ')}). Name it with --table.`, 'sql');
  }
  const dialect = requireOption(args, 'dialect', SQL_DIALECTS.join('|')) as SqlDialectName;
  const table = requireOption(args, 'table', 'NAME (the transactions table)');
  const observationEnd = dateFlag(args, 'observation-end');
  if (observationEnd === undefined) {
    throw new UsageError('sql needs --observation-end YYYY-MM-DD (the last day observed; fixed in the SQL so the same text always gives the same summary).', 'sql');
  }
  let calibrationEnd = dateFlag(args, 'calibration-end');
  const holdoutStart = dateFlag(args, 'holdout-start');
  if (holdoutStart !== undefined) {
    if (calibrationEnd !== undefined) throw new UsageError('Give either --calibration-end or --holdout-start, not both.', 'sql');
    const start = tryParseDay(checkIsoDate(holdoutStart, 'holdout-start')) as number;
    calibrationEnd = formatDay(start - 1);
  }
  const amount = stringOption(args, 'amount') ?? 'amount';
  return {
    dialect,
    table,
    customer: stringOption(args, 'customer') ?? 'customer_id',
    date: stringOption(args, 'date') ?? 'date',
    amount: amount === 'none' ? null : amount,
    ...(calibrationEnd !== undefined ? { calibrationEnd } : {}),
    observationEnd,
    unit: (stringOption(args, 'unit') as TimeUnit | undefined) ?? 'week',
    output: (stringOption(args, 'output') as SqlOutput | undefined) ?? 'summary',
  };
}

/** Runs `centric sql`. Returns the exit code. */
export function runSql(args: ParsedArgs, io: CliIo): number {
  const text = summarySql(sqlOptionsFromArgs(args));
  const out = stringOption(args, 'out');
  if (out !== undefined) {
    io.writeFile(out, text);
    io.stderr(`Wrote the SQL to ${out}.\n`);
  } else io.stdout(text);
  return 0;
}
