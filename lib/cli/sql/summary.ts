/**
 * The SQL that turns a transactions table into the per-customer summary of lib/clv/summary.ts
 * (x, t_x, T, m, first, last, total, and with a holdout x_star, holdout_spend), or into its
 * compressed histogram (x, t_x, T[, x_star], count), for customer bases too large for one machine.
 *
 * One query for every dialect; only the pieces in lib/cli/sql/dialect.ts differ. It reproduces the
 * amount policy of lib/clv/summary.ts (docs/engine.md) step by step:
 *
 *   centric_rows       the source rows with a customer, a date (and an amount); NULLs left out
 *   centric_days       rows after the observation end ignored; one row per customer and day, amounts
 *                      added (policy 1: a same-day return nets against its purchase)
 *   centric_marked     a day with a net amount of 0 or more is a purchase day (policy 2), a negative
 *                      one is not (policy 3); first_day = the customer's first purchase day
 *   centric_customers  customers whose first purchase day is on or before the calibration end
 *                      (policy 4: only-returns customers have none, later ones are not yet acquired);
 *                      x = purchase days in calibration − 1, last purchase day in calibration, spend
 *                      of the repeat days, net spend per period (returns included), x_star
 *   centric_summary    t_x and T as whole days
 *   final SELECT       days / unit length in IEEE doubles (day 1, week 7, month 365.25/12 = 30.4375
 *                      days, all exact in binary), so t_x and T are the very doubles TypeScript
 *                      computes; m = repeat spend / x (0 when x = 0)
 *
 * Without an amount column every customer-day is a purchase day and m, total, holdout_spend are
 * not written (as `centric summarize` leaves them empty), so `fit`/`score` see a log without amounts.
 *
 * The output columns are those `centric summarize` writes, which `centric fit` and `centric score`
 * read (lib/cli/inputs.ts: x, t_x, T, m, x_star; `count` is a weight). Export the result as CSV
 * with a header row and pass the file to them, with the same --unit (and --holdout-length for
 * x_star).
 */
import { DAYS_PER, type TimeUnit, isTimeUnit, tryParseDay } from '../../clv/time';
import { UsageError } from '../args';
import { bigquery } from './bigquery';
import { type SqlDialect, type SqlDialectName, SQL_DIALECTS, checkIdentifier, checkIsoDate, checkTableName } from './dialect';
import { duckdb } from './duckdb';
import { postgres } from './postgres';
import { snowflake } from './snowflake';

export type SqlOutput = 'summary' | 'histogram';

export const SQL_OUTPUTS: readonly SqlOutput[] = ['summary', 'histogram'];

export const DIALECTS: Readonly<Record<SqlDialectName, SqlDialect>> = { postgres, duckdb, bigquery, snowflake };

export interface SummarySqlOptions {
  dialect: SqlDialectName;
  /** Source table: table, schema.table or database.schema.table. */
  table: string;
  /** Customer id column. */
  customer: string;
  /** Date column (DATE, TIMESTAMP, or ISO text the warehouse casts to DATE). */
  date: string;
  /** Amount column (negative for returns); null when the table has no amounts. */
  amount: string | null;
  /** Last day of the calibration period, YYYY-MM-DD, inclusive. Default: the observation end (no holdout). */
  calibrationEnd?: string;
  /** Last day observed, YYYY-MM-DD, inclusive: later rows are ignored. */
  observationEnd: string;
  unit: TimeUnit;
  output: SqlOutput;
}

/** What a summary query is about, for its header and the next command to run. */
export interface SummarySqlPlan {
  dialect: SqlDialect;
  table: string;
  customer: string;
  date: string;
  amount: string | null;
  calibrationEnd: string;
  observationEnd: string;
  /** Holdout length in `unit` (0 without a holdout). */
  holdoutLength: number;
  unit: TimeUnit;
  output: SqlOutput;
  /** The output columns, in order. */
  columns: string[];
}

/** Checks the options (every name and date that will reach the SQL text). Throws UsageError naming the flag. */
export function planSummarySql(options: SummarySqlOptions): SummarySqlPlan {
  if (!Object.prototype.hasOwnProperty.call(DIALECTS, options.dialect)) {
    throw new UsageError(`--dialect must be one of ${SQL_DIALECTS.join(', ')} (got ${JSON.stringify(options.dialect)}).`, 'sql');
  }
  const dialect = DIALECTS[options.dialect];
  if (!isTimeUnit(options.unit)) throw new UsageError(`--unit must be day, week or month (got ${JSON.stringify(options.unit)}).`, 'sql');
  if (!SQL_OUTPUTS.includes(options.output)) {
    throw new UsageError(`--output must be one of ${SQL_OUTPUTS.join(', ')} (got ${JSON.stringify(options.output)}).`, 'sql');
  }
  const tableParts = checkTableName(options.table, 'table', options.dialect === 'bigquery');
  const customer = checkIdentifier(options.customer, 'customer');
  const date = checkIdentifier(options.date, 'date');
  const amount = options.amount === null ? null : checkIdentifier(options.amount, 'amount');
  const named: [string, string | null][] = [['customer', customer], ['date', date], ['amount', amount]];
  for (let i = 0; i < named.length; i++) {
    for (let j = i + 1; j < named.length; j++) {
      const [a, va] = named[i] as [string, string | null];
      const [b, vb] = named[j] as [string, string | null];
      if (va !== null && vb !== null && va.toLowerCase() === vb.toLowerCase()) {
        throw new UsageError(`--${a} and --${b} name the same column (${JSON.stringify(va)}).`, 'sql');
      }
    }
  }
  const observationEnd = checkIsoDate(options.observationEnd, 'observation-end');
  const calibrationEnd = options.calibrationEnd === undefined ? observationEnd : checkIsoDate(options.calibrationEnd, 'calibration-end');
  const calDay = tryParseDay(calibrationEnd) as number;
  const obsDay = tryParseDay(observationEnd) as number;
  if (calDay > obsDay) {
    throw new UsageError(`--calibration-end ${calibrationEnd} is after --observation-end ${observationEnd}.`, 'sql');
  }
  const holdoutLength = (obsDay - calDay) / DAYS_PER[options.unit];
  const holdout = holdoutLength > 0;
  const columns =
    options.output === 'summary'
      ? ['id', 'x', 't_x', 'T', ...(amount ? ['m'] : []), 'first', 'last', ...(amount ? ['total'] : []), ...(holdout ? ['x_star', ...(amount ? ['holdout_spend'] : [])] : [])]
      : ['x', 't_x', 'T', ...(holdout ? ['x_star'] : []), 'count'];
  return {
    dialect,
    table: dialect.table(tableParts),
    customer,
    date,
    amount,
    calibrationEnd,
    observationEnd,
    holdoutLength,
    unit: options.unit,
    output: options.output,
    columns,
  };
}

/** A number for SQL comments and commands: integers as they are, others with up to 10 significant digits. */
function shortNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(10)));
}

/** The unit's length in days as a SQL numeric literal (1, 7, 30.4375: exact in binary). */
function unitLiteral(unit: TimeUnit): string {
  return String(DAYS_PER[unit]);
}

/** The `centric fit` command to run on the exported result. */
export function nextCommand(plan: SummarySqlPlan): string {
  const file = plan.output === 'summary' ? 'summary.csv' : 'histogram.csv';
  // Full precision for the holdout length: it enters the holdout predictions.
  const holdout = plan.holdoutLength > 0 ? ` --holdout-length ${String(plan.holdoutLength)}` : '';
  return `centric fit ${file} --model bgnbd --unit ${plan.unit}${holdout}`;
}

/**
 * The SQL text (comments, then one `WITH … SELECT …;` statement) for the options. Throws UsageError
 * (naming the flag) when a name or a date is not acceptable.
 */
export function summarySql(options: SummarySqlOptions): string {
  const plan = planSummarySql(options);
  const d = plan.dialect;
  const q = d.quote;
  const hasAmount = plan.amount !== null;
  const holdout = plan.holdoutLength > 0;
  const cal = d.date(plan.calibrationEnd);
  const obs = d.date(plan.observationEnd);
  const toDouble = (e: string) => `CAST(${e} AS ${d.double})`;
  const unitDays = toDouble(unitLiteral(plan.unit));
  /** Conditions joined with AND; the purchase-day test only when there are amounts. */
  const when = (...conditions: (string | null)[]) => conditions.filter((c): c is string => c !== null).join(' AND ');
  const purchase = hasAmount ? 'net_amount >= 0' : null;
  const src = (column: string) => `src.${q(column)}`;

  const holdoutText = holdout
    ? `calibration to ${plan.calibrationEnd}, holdout after it to ${plan.observationEnd} (${shortNumber(plan.holdoutLength)} ${plan.unit}s)`
    : `observed to ${plan.observationEnd} (no holdout)`;
  const header = [
    `-- centric sql, ${d.label}: the per-customer ${plan.output === 'summary' ? 'summary' : 'compressed histogram'} of ${plan.table}`,
    `--   customer ${q(plan.customer)}, date ${q(plan.date)}, ${hasAmount ? `amount ${q(plan.amount as string)}` : 'no amounts'}`,
    `--   ${holdoutText}; time unit ${plan.unit} = ${shortNumber(DAYS_PER[plan.unit])} days`,
    plan.output === 'summary'
      ? `-- Output, one row per customer: ${plan.columns.join(', ')} (the columns of centric summarize).`
      : `-- Output, one row per distinct (${plan.columns.slice(0, -1).join(', ')}): count = customers with it.`,
    '-- Policy (docs/engine.md): rows of a customer and day are merged, amounts added; a day with a net',
    '--   amount of 0 or more is a purchase day, a negative one (a return) is not, its amount stays in the',
    "--   period's net spend; customers with only returns, or whose first purchase is after the",
    '--   calibration end, are left out; rows after the observation end are ignored; rows with a NULL',
    `--   customer, date${hasAmount ? ' or amount' : ''} are left out.`,
    '-- Export the result as CSV with a header row, then:',
    `--   ${nextCommand(plan)}`,
  ];

  const lines = [
    ...header,
    'WITH',
    'centric_rows AS (',
    '  SELECT',
    `    ${src(plan.customer)} AS customer_key,`,
    `    ${d.castDate(src(plan.date))} AS purchase_day${hasAmount ? ',' : ''}`,
    ...(hasAmount ? [`    ${src(plan.amount as string)} AS amount`] : []),
    `  FROM ${plan.table} AS src`,
    `  WHERE ${src(plan.customer)} IS NOT NULL`,
    `    AND ${src(plan.date)} IS NOT NULL`,
    ...(hasAmount ? [`    AND ${src(plan.amount as string)} IS NOT NULL`] : []),
    '),',
    'centric_days AS (',
    `  SELECT customer_key, purchase_day${hasAmount ? ', SUM(amount) AS net_amount' : ''}`,
    '  FROM centric_rows',
    `  WHERE purchase_day <= ${obs}`,
    '  GROUP BY customer_key, purchase_day',
    '),',
    'centric_marked AS (',
    `  SELECT customer_key, purchase_day,${hasAmount ? ' net_amount,' : ''}`,
    `    MIN(${hasAmount ? `CASE WHEN ${purchase} THEN purchase_day END` : 'purchase_day'}) OVER (PARTITION BY customer_key) AS first_day`,
    '  FROM centric_days',
    '),',
    'centric_customers AS (',
    '  SELECT',
    '    customer_key,',
    '    first_day,',
    `    MAX(CASE WHEN ${when(purchase, `purchase_day <= ${cal}`)} THEN purchase_day END) AS last_day,`,
    `    SUM(CASE WHEN ${when(purchase, `purchase_day <= ${cal}`)} THEN 1 ELSE 0 END) - 1 AS x${hasAmount || holdout ? ',' : ''}`,
    ...(hasAmount
      ? [
          `    SUM(CASE WHEN ${when(purchase, `purchase_day <= ${cal}`, 'purchase_day > first_day')} THEN net_amount ELSE 0 END) AS repeat_spend,`,
          `    SUM(CASE WHEN purchase_day <= ${cal} THEN net_amount ELSE 0 END) AS total_spend${holdout ? ',' : ''}`,
        ]
      : []),
    ...(holdout
      ? [
          `    SUM(CASE WHEN ${when(purchase, `purchase_day > ${cal}`)} THEN 1 ELSE 0 END) AS x_star${hasAmount ? ',' : ''}`,
          ...(hasAmount ? [`    SUM(CASE WHEN purchase_day > ${cal} THEN net_amount ELSE 0 END) AS holdout_spend`] : []),
        ]
      : []),
    '  FROM centric_marked',
    `  WHERE first_day <= ${cal}`,
    '  GROUP BY customer_key, first_day',
    '),',
    'centric_summary AS (',
    '  SELECT',
    `    customer_key, first_day, last_day, x,${hasAmount ? ' repeat_spend, total_spend,' : ''}${holdout ? ` x_star,${hasAmount ? ' holdout_spend,' : ''}` : ''}`,
    `    ${d.daysBetween('first_day', 'last_day')} AS tx_days,`,
    `    ${d.daysBetween('first_day', cal)} AS t_days`,
    '  FROM centric_customers',
    ')',
  ];

  const tx = `${toDouble('tx_days')} / ${unitDays} AS ${q('t_x')}`;
  const T = `${toDouble('t_days')} / ${unitDays} AS ${q('T')}`;
  if (plan.output === 'summary') {
    const select = [
      `customer_key AS ${q('id')}`,
      `x AS ${q('x')}`,
      tx,
      T,
      ...(hasAmount ? [`CASE WHEN x > 0 THEN ${toDouble('repeat_spend')} / ${toDouble('x')} ELSE ${toDouble('0')} END AS ${q('m')}`] : []),
      `first_day AS ${q('first')}`,
      `last_day AS ${q('last')}`,
      ...(hasAmount ? [`total_spend AS ${q('total')}`] : []),
      ...(holdout ? [`x_star AS ${q('x_star')}`, ...(hasAmount ? [`holdout_spend AS ${q('holdout_spend')}`] : [])] : []),
    ];
    lines.push('SELECT', select.map((s) => `  ${s}`).join(',\n'), 'FROM centric_summary', `ORDER BY ${q('id')};`);
  } else {
    // Grouped on whole days (exact), then converted: one row per distinct (x, t_x, T[, x_star]).
    const keys = ['x', 'tx_days', 't_days', ...(holdout ? ['x_star'] : [])];
    const order = ['x', 't_x', 'T', ...(holdout ? ['x_star'] : [])].map(q);
    const select = [`x AS ${q('x')}`, tx, T, ...(holdout ? [`x_star AS ${q('x_star')}`] : []), `COUNT(*) AS ${q('count')}`];
    lines.push('SELECT', select.map((s) => `  ${s}`).join(',\n'), 'FROM centric_summary', `GROUP BY ${keys.join(', ')}`, `ORDER BY ${order.join(', ')};`);
  }
  return lines.join('\n') + '\n';
}
