/**
 * `centric sql` without a database: the text of the four dialects, the validation of every name and
 * date that reaches it, and the command line. The PostgreSQL text is run on a real server in
 * sql-postgres.test.ts; DuckDB, BigQuery and Snowflake cannot be run here, so their text is checked
 * structurally — in particular that, once the dialect pieces are normalised, it is the very same
 * query as the PostgreSQL one, so the semantics tested there carry over.
 */
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../lib/cli/io';
import { main } from '../../../lib/cli/main';
import { SQL_DIALECTS, type SqlDialectName, type SummarySqlOptions, checkTableName, planSummarySql, summarySql } from '../../../lib/cli/sql';

const BASE: SummarySqlOptions = {
  dialect: 'postgres',
  table: 'shop.orders',
  customer: 'customer_id',
  date: 'ordered_on',
  amount: 'amount',
  calibrationEnd: '1997-09-30',
  observationEnd: '1998-06-30',
  unit: 'week',
  output: 'summary',
};

function sql(overrides: Partial<SummarySqlOptions> = {}): string {
  return summarySql({ ...BASE, ...overrides });
}

/** The statement without its header comments. */
function body(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.startsWith('--'))
    .join('\n');
}

/** Replaces the dialect-specific pieces by neutral tokens, so the four texts can be compared. */
function normalise(text: string): string {
  return body(text)
    .replace(/TO_DATE\('(\d{4}-\d{2}-\d{2})', 'YYYY-MM-DD'\)/g, "DATE '$1'")
    .replace(/date_diff\('day', ([^,()]+), ([^()]+?)\)/g, 'DAYS($1, $2)')
    .replace(/DATE_DIFF\(([^,()]+), ([^,()]+), DAY\)/g, 'DAYS($2, $1)')
    .replace(/DATEDIFF\(day, ([^,()]+), ([^()]+?)\)/g, 'DAYS($1, $2)')
    .replace(/\(([a-z_]+|DATE '[\d-]+') - ([a-z_]+)\)/g, 'DAYS($2, $1)')
    .replace(/double precision|DOUBLE|FLOAT64/g, 'DOUBLE')
    .replace(/AS date\)/g, 'AS DATE)')
    .replace(/`([^`]+)`/g, '"$1"');
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  written: Map<string, string>;
}

async function cli(argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const written = new Map<string, string>();
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readFile: () => {
      throw new Error('sql reads no file');
    },
    writeFile: (path, text) => {
      written.set(path, text);
    },
  };
  const code = await main(argv, io);
  return { code, stdout, stderr, written };
}

const REQUIRED = ['sql', '--dialect', 'postgres', '--table', 'orders', '--observation-end', '1998-06-30'];

describe('the dialects: date arithmetic, quoting, types', () => {
  it('PostgreSQL: date − date in days, double precision, double-quoted names', () => {
    const text = sql();
    expect(text).toContain('FROM "shop"."orders" AS src');
    expect(text).toContain('CAST(src."ordered_on" AS date) AS purchase_day');
    expect(text).toContain('(last_day - first_day) AS tx_days');
    expect(text).toContain("(DATE '1997-09-30' - first_day) AS t_days");
    expect(text).toContain("WHERE purchase_day <= DATE '1998-06-30'");
    expect(text).toContain('CAST(tx_days AS double precision) / CAST(7 AS double precision) AS "t_x"');
    expect(text).toContain('CAST(t_days AS double precision) / CAST(7 AS double precision) AS "T"');
    expect(text).not.toMatch(/date_diff|DATEDIFF|DATE_DIFF|`/);
  });
  it("DuckDB: date_diff('day', a, b), DOUBLE", () => {
    const text = sql({ dialect: 'duckdb' });
    expect(text).toContain("date_diff('day', first_day, last_day) AS tx_days");
    expect(text).toContain("date_diff('day', first_day, DATE '1997-09-30') AS t_days");
    expect(text).toContain('CAST(tx_days AS DOUBLE) / CAST(7 AS DOUBLE) AS "t_x"');
    expect(text).toContain('FROM "shop"."orders" AS src');
  });
  it('BigQuery: DATE_DIFF(b, a, DAY), FLOAT64, backquoted names, a project id with hyphens', () => {
    const text = sql({ dialect: 'bigquery', table: 'my-project.shop.orders' });
    expect(text).toContain('DATE_DIFF(last_day, first_day, DAY) AS tx_days');
    expect(text).toContain("DATE_DIFF(DATE '1997-09-30', first_day, DAY) AS t_days");
    expect(text).toContain('CAST(t_days AS FLOAT64) / CAST(7 AS FLOAT64) AS `T`');
    expect(text).toContain('FROM `my-project`.`shop`.`orders` AS src');
    expect(text).toContain('src.`customer_id` AS customer_key');
    expect(body(text)).not.toContain('"');
  });
  it('Snowflake: DATEDIFF(day, a, b), TO_DATE with an explicit format, DOUBLE', () => {
    const text = sql({ dialect: 'snowflake', table: 'SALES.PUBLIC.ORDERS', customer: 'CUSTOMER_ID' });
    expect(text).toContain('DATEDIFF(day, first_day, last_day) AS tx_days');
    expect(text).toContain("DATEDIFF(day, first_day, TO_DATE('1997-09-30', 'YYYY-MM-DD')) AS t_days");
    expect(text).toContain("WHERE purchase_day <= TO_DATE('1998-06-30', 'YYYY-MM-DD')");
    expect(text).toContain('FROM "SALES"."PUBLIC"."ORDERS" AS src');
    expect(text).toContain('src."CUSTOMER_ID" AS customer_key');
    expect(body(text)).not.toMatch(/DATE '/);
  });
  it.each(SQL_DIALECTS.filter((d) => d !== 'postgres'))('%s: the same query as PostgreSQL once the dialect pieces are normalised', (dialect) => {
    for (const output of ['summary', 'histogram'] as const) {
      for (const amount of ['amount', null]) {
        for (const calibrationEnd of ['1997-09-30', '1998-06-30']) {
          const options = { output, amount, calibrationEnd };
          const text = sql({ ...options, dialect });
          expect(text).not.toBe(sql(options));
          expect(normalise(text)).toBe(normalise(sql(options)));
          expect(normalise(text)).toContain('DAYS(first_day, last_day) AS tx_days');
          expect(normalise(text)).toContain(`DAYS(first_day, DATE '${calibrationEnd}') AS t_days`);
        }
      }
    }
  });
  it('every dialect: one statement ending with ";", CTEs in order, output names quoted', () => {
    for (const dialect of SQL_DIALECTS) {
      const text = body(sql({ dialect }));
      expect(text.trim().endsWith(';')).toBe(true);
      expect(text.split(';').length).toBe(2);
      const order = ['centric_rows AS (', 'centric_days AS (', 'centric_marked AS (', 'centric_customers AS (', 'centric_summary AS ('].map((c) => text.indexOf(c));
      expect(order.every((p, i) => p >= 0 && (i === 0 || p > (order[i - 1] as number)))).toBe(true);
      const q = dialect === 'bigquery' ? '`' : '"';
      for (const column of ['id', 'x', 't_x', 'T', 'm', 'first', 'last', 'total', 'x_star', 'holdout_spend']) expect(text).toContain(` AS ${q}${column}${q}`);
    }
  });
});

describe('the policy in the text', () => {
  const text = body(sql());
  it('same-day rows merged with their amounts added; rows after the observation end left out first', () => {
    expect(text).toMatch(/SUM\(amount\) AS net_amount\s+FROM centric_rows\s+WHERE purchase_day <= DATE '1998-06-30'\s+GROUP BY customer_key, purchase_day/);
  });
  it('a purchase day has a net amount of 0 or more; first_day is the first of them; later customers left out', () => {
    expect(text).toContain('MIN(CASE WHEN net_amount >= 0 THEN purchase_day END) OVER (PARTITION BY customer_key) AS first_day');
    expect(text).toContain("WHERE first_day <= DATE '1997-09-30'");
    expect(text).toContain("SUM(CASE WHEN net_amount >= 0 AND purchase_day <= DATE '1997-09-30' THEN 1 ELSE 0 END) - 1 AS x");
    expect(text).toContain("SUM(CASE WHEN net_amount >= 0 AND purchase_day > DATE '1997-09-30' THEN 1 ELSE 0 END) AS x_star");
  });
  it('m is the mean of the repeat days (first excluded), 0 when x = 0; net spend keeps the returns', () => {
    expect(text).toContain("SUM(CASE WHEN net_amount >= 0 AND purchase_day <= DATE '1997-09-30' AND purchase_day > first_day THEN net_amount ELSE 0 END) AS repeat_spend");
    expect(text).toContain('CASE WHEN x > 0 THEN CAST(repeat_spend AS double precision) / CAST(x AS double precision) ELSE CAST(0 AS double precision) END AS "m"');
    expect(text).toContain("SUM(CASE WHEN purchase_day <= DATE '1997-09-30' THEN net_amount ELSE 0 END) AS total_spend");
    expect(text).toContain("SUM(CASE WHEN purchase_day > DATE '1997-09-30' THEN net_amount ELSE 0 END) AS holdout_spend");
  });
  it('rows with NULLs are left out', () => {
    expect(text).toMatch(/WHERE src\."customer_id" IS NOT NULL\s+AND src\."ordered_on" IS NOT NULL\s+AND src\."amount" IS NOT NULL/);
  });
  it('without amounts: every customer-day is a purchase day; no m, total or holdout_spend', () => {
    const none = body(sql({ amount: null }));
    expect(none).not.toMatch(/net_amount|amount|"m"|"total"|holdout_spend/);
    expect(none).toContain('MIN(purchase_day) OVER (PARTITION BY customer_key) AS first_day');
    expect(none).toContain("SUM(CASE WHEN purchase_day <= DATE '1997-09-30' THEN 1 ELSE 0 END) - 1 AS x");
    expect(planSummarySql({ ...BASE, amount: null }).columns).toEqual(['id', 'x', 't_x', 'T', 'first', 'last', 'x_star']);
  });
});

describe('time unit and outputs', () => {
  it.each([
    ['day', '1'],
    ['week', '7'],
    ['month', '30.4375'],
  ] as const)('%s: t_x and T are whole days / %s, in doubles', (unit, days) => {
    for (const dialect of SQL_DIALECTS) {
      const text = sql({ unit, dialect });
      const type = { postgres: 'double precision', duckdb: 'DOUBLE', bigquery: 'FLOAT64', snowflake: 'DOUBLE' }[dialect];
      expect(text).toContain(`CAST(tx_days AS ${type}) / CAST(${days} AS ${type})`);
      expect(text).toContain(`CAST(t_days AS ${type}) / CAST(${days} AS ${type})`);
    }
    expect(30.4375).toBe(365.25 / 12); // exact in binary: no rounding in the literal
  });
  it('the holdout length in the unit, for --holdout-length (273 days: 39 weeks, 8.969 months)', () => {
    expect(planSummarySql(BASE).holdoutLength).toBe(39);
    expect(sql()).toContain('centric fit summary.csv --model bgnbd --unit week --holdout-length 39');
    expect(planSummarySql({ ...BASE, unit: 'month' }).holdoutLength).toBe(273 / 30.4375);
    expect(sql({ unit: 'month' })).toContain(`--holdout-length ${String(273 / 30.4375)}`);
    expect(planSummarySql({ ...BASE, unit: 'day' }).holdoutLength).toBe(273);
  });
  it('summary columns are those of centric summarize; without a holdout no x_star', () => {
    expect(planSummarySql(BASE).columns).toEqual(['id', 'x', 't_x', 'T', 'm', 'first', 'last', 'total', 'x_star', 'holdout_spend']);
    const noHoldout = { ...BASE, calibrationEnd: undefined };
    expect(planSummarySql(noHoldout).columns).toEqual(['id', 'x', 't_x', 'T', 'm', 'first', 'last', 'total']);
    expect(summarySql(noHoldout)).not.toMatch(/x_star|holdout_spend|--holdout-length/);
    expect(planSummarySql({ ...BASE, calibrationEnd: '1998-06-30' }).holdoutLength).toBe(0);
  });
  it('histogram: grouped on whole days, (x, t_x, T[, x_star], count)', () => {
    const text = body(sql({ output: 'histogram' }));
    expect(text).toContain('COUNT(*) AS "count"');
    expect(text).toContain('GROUP BY x, tx_days, t_days, x_star');
    expect(text).toContain('ORDER BY "x", "t_x", "T", "x_star";');
    expect(planSummarySql({ ...BASE, output: 'histogram' }).columns).toEqual(['x', 't_x', 'T', 'x_star', 'count']);
    const plain = body(sql({ output: 'histogram', calibrationEnd: undefined }));
    expect(plain).toContain('GROUP BY x, tx_days, t_days\n');
    expect(plain).not.toContain('x_star');
    expect(sql({ output: 'histogram' })).toContain('centric fit histogram.csv');
  });
});

describe('names and dates are validated: no SQL injection through a flag', () => {
  const badTables = [
    'orders; DROP TABLE orders',
    'orders"; DROP TABLE orders; --',
    'orders--',
    'orders /* x */',
    "orders'",
    'orders`',
    '"orders"',
    'or ders',
    'orders\n',
    '1orders',
    '',
    '.orders',
    'shop.',
    'shop..orders',
    'a.b.c.d',
    'ordérs',
    'shop.orders)',
    'my-project.shop.orders',
    'shop-1.orders',
  ];
  it.each(badTables)('--table %j is refused (postgres)', (table) => {
    expect(() => sql({ table })).toThrow(/--table must be a table name/);
  });
  it('BigQuery accepts a project id with hyphens as the first of three parts only', () => {
    expect(checkTableName('my-project.shop.orders', 'table', true)).toEqual(['my-project', 'shop', 'orders']);
    for (const table of ['my-project.orders', 'shop.my-orders', 'my-project.shop.orders-1', '-x.shop.orders', 'my-project`.shop.orders', 'My-Project.shop.orders']) {
      expect(() => sql({ dialect: 'bigquery', table }), table).toThrow(/--table/);
    }
    for (const dialect of ['duckdb', 'snowflake'] as SqlDialectName[]) expect(() => sql({ dialect, table: 'my-project.shop.orders' })).toThrow(/--table/);
  });
  it('accepts plain names and up to three parts, quoting each part', () => {
    expect(sql({ table: 'orders' })).toContain('FROM "orders" AS src');
    expect(sql({ table: 'db.shop._orders_2024' })).toContain('FROM "db"."shop"."_orders_2024" AS src');
    expect(sql({ dialect: 'snowflake', date: 'date' })).toContain('CAST(src."date" AS DATE)');
  });
  it.each([
    ['customer', 'customer_id) OR (1=1'],
    ['customer', 'shop.customer_id'],
    ['date', 'ordered_on"'],
    ['date', 'x; DELETE FROM orders'],
    ['amount', 'amount -- '],
    ['amount', '$amount'],
    ['customer', 'a'.repeat(129)],
  ] as const)('--%s %j is refused', (option, value) => {
    expect(() => sql({ [option]: value })).toThrow(new RegExp(`--${option} must be a plain column name`));
  });
  it('two roles on one column are refused', () => {
    expect(() => sql({ customer: 'id', date: 'ID' })).toThrow(/--customer and --date name the same column/);
    expect(() => sql({ amount: 'ordered_on' })).toThrow(/--date and --amount/);
  });
  it.each(["1998-06-30' OR '1'='1", '1998-6-30', '98-06-30', '1998-02-29', '1998-13-01', '1998-06-31', '1998-06-30T00:00:00', ' 1998-06-30', ''])(
    '--observation-end %j is refused',
    (observationEnd) => {
      expect(() => sql({ observationEnd })).toThrow(/--observation-end must be a date written YYYY-MM-DD/);
    },
  );
  it('dates: a leap day is fine; the calibration cannot end after the observation', () => {
    expect(sql({ calibrationEnd: '1996-02-29', observationEnd: '1996-03-01' })).toContain("DATE '1996-02-29'");
    expect(() => sql({ calibrationEnd: '1998-07-01' })).toThrow(/--calibration-end 1998-07-01 is after --observation-end 1998-06-30/);
    expect(() => sql({ calibrationEnd: '1997-09-31' })).toThrow(/--calibration-end must be a date/);
  });
  it('unknown dialect, unit or output (API callers)', () => {
    expect(() => sql({ dialect: 'mysql' as SqlDialectName })).toThrow(/--dialect must be one of postgres, duckdb, bigquery, snowflake/);
    expect(() => sql({ dialect: 'toString' as SqlDialectName })).toThrow(/--dialect/);
    expect(() => sql({ unit: 'year' as 'week' })).toThrow(/--unit/);
    expect(() => sql({ output: 'report' as 'summary' })).toThrow(/--output/);
  });
});

describe('centric sql (command line)', () => {
  it('prints the SQL on standard output, exit 0; defaults: customer_id, date, amount, week, summary, no holdout', async () => {
    const r = await cli(REQUIRED);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(summarySql({ dialect: 'postgres', table: 'orders', customer: 'customer_id', date: 'date', amount: 'amount', observationEnd: '1998-06-30', unit: 'week', output: 'summary' }));
  });
  it('--holdout-start is the day after the calibration end; YYYYMMDD is accepted', async () => {
    const a = await cli([...REQUIRED, '--holdout-start', '1997-10-01']);
    const b = await cli([...REQUIRED, '--calibration-end', '19970930']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain("WHERE first_day <= DATE '1997-09-30'");
    const leap = await cli([...REQUIRED, '--holdout-start', '2000-03-01', '--observation-end', '2000-06-30']);
    expect(leap.stdout).toContain("WHERE first_day <= DATE '2000-02-29'");
  });
  it('all the flags', async () => {
    const r = await cli([
      'sql', '--dialect', 'bigquery', '--table', 'my-project.shop.orders', '--customer', 'cust', '--date', 'day', '--amount', 'none',
      '--calibration-end', '2024-06-30', '--observation-end', '2024-12-31', '--unit', 'month', '--output', 'histogram',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      summarySql({ dialect: 'bigquery', table: 'my-project.shop.orders', customer: 'cust', date: 'day', amount: null, calibrationEnd: '2024-06-30', observationEnd: '2024-12-31', unit: 'month', output: 'histogram' }),
    );
  });
  it('--out writes the file', async () => {
    const r = await cli([...REQUIRED, '--out', 'summary.sql']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.written.get('summary.sql')).toContain('WITH\ncentric_rows AS (');
    expect(r.stderr).toContain('Wrote the SQL to summary.sql');
  });
  it('help: centric sql --help, centric help sql, and the command in the main help', async () => {
    const r = await cli(['sql', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: centric sql --dialect NAME');
    for (const flag of ['--dialect', '--table', '--customer', '--date', '--amount', '--observation-end', '--calibration-end', '--holdout-start', '--unit', '--output']) expect(r.stdout).toContain(flag);
    expect((await cli(['help', 'sql'])).stdout).toBe(r.stdout);
    expect((await cli(['--help'])).stdout).toMatch(/\n {2}sql +print the SQL/);
  });
  it.each([
    [['sql', '--table', 'orders', '--observation-end', '1998-06-30'], /sql needs --dialect/],
    [['sql', '--dialect', 'postgres', '--observation-end', '1998-06-30'], /sql needs --table/],
    [['sql', '--dialect', 'postgres', '--table', 'orders'], /sql needs --observation-end/],
    [['sql', '--dialect', 'oracle', '--table', 'orders', '--observation-end', '1998-06-30'], /--dialect must be one of postgres, duckdb, bigquery, snowflake/],
    [[...REQUIRED.slice(0, 3), '--table', 'orders;drop table x', '--observation-end', '1998-06-30'], /--table must be a table name/],
    [[...REQUIRED, '--customer', 'a b'], /--customer must be a plain column name/],
    [[...REQUIRED, '--date', 'd)'], /--date must be a plain column name/],
    [[...REQUIRED, '--amount', "a'"], /--amount must be a plain column name/],
    [[...REQUIRED, '--observation-end', '30/06/1998'], /--observation-end must be a date written YYYY-MM-DD/],
    [[...REQUIRED, '--holdout-start', '1997-10-32'], /--holdout-start must be a date written YYYY-MM-DD/],
    [[...REQUIRED, '--calibration-end', '1997-09-30', '--holdout-start', '1997-10-01'], /either --calibration-end or --holdout-start/],
    [[...REQUIRED, '--calibration-end', '1999-01-01'], /--calibration-end 1999-01-01 is after --observation-end 1998-06-30/],
    [[...REQUIRED, '--unit', 'year'], /--unit must be one of day, week, month/],
    [[...REQUIRED, '--output', 'report'], /--output must be one of summary, histogram/],
    [[...REQUIRED, 'orders.csv'], /sql takes no file/],
    [[...REQUIRED, '--tabel', 'x'], /Unknown option --tabel\. Did you mean --table\?/],
  ])('%j: usage error naming the flag, exit 2', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('Run "centric sql --help"');
    expect(r.stdout).toBe('');
  });
});
