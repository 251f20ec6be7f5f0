/**
 * `centric sql --dialect postgres` run for real: a throw-away PostgreSQL cluster
 * (tests/support/postgres.ts, the Debian package `postgresql`; no system server needed) loads the
 * CDNOW logs and a hand-written log with returns, runs the generated SQL, and the result is compared
 * customer by customer with lib/clv/summary.ts on the same log, then read by `centric fit` and
 * `centric score` exactly as a CSV exported from a warehouse.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressRfm } from '../../../lib/clv/histogram';
import { type CustomerSummary, summarizeTransactions } from '../../../lib/clv/summary';
import { type TimeUnit, formatDay, parseDay } from '../../../lib/clv/time';
import type { CliIo } from '../../../lib/cli/io';
import { FileError } from '../../../lib/cli/io';
import { main } from '../../../lib/cli/main';
import { type SummarySqlOptions, summarySql } from '../../../lib/cli/sql';
import { readTransactionLog } from '../../../lib/csv/transactions';
import { datasetPath, readDataset } from '../../helpers/datasets';
import { type PostgresServer, findPostgresBin, parseCsv, startPostgres } from '../../support/postgres';

const TIMEOUT = 120_000;
const ELOG = datasetPath('btyd_cdnowElog.csv');
/** FHL 2005 BG/NBD on CDNOW (REFERENCE.md): unrounded MLE and log-likelihood. */
const PUBLISHED = { r: 0.2425945, alpha: 4.4136019, a: 0.7929199, b: 2.4258881 };
const PUBLISHED_LL = -9582.429;

/**
 * The hand-written log of the policy case (docs/engine.md): calibration to 2024-01-31, observation
 * to 2024-02-29. Expected, by hand:
 *   A  same-day rows merged (10 + 5); a purchase returned the same day (01-05: 20 − 20 = 0, a
 *      zero-value purchase day); a return on another day (01-10: −7, not a purchase, in total);
 *      holdout: a purchase and a return; a row after the observation end (ignored):
 *      x 2, t_x 19 d, T 30 d, m (0 + 30) / 2 = 15, total 15 + 0 − 7 + 30 = 38, x* 1, holdout 12 − 3 = 9
 *   B  only a return: left out
 *   C  a return in calibration, first purchase in the holdout: not yet acquired, left out
 *   D  a return before the first purchase: x 0, T 23 d, m 0, total −4 + 10 = 6
 *   E  a first day netting negative (5 − 9), then a purchase of two rows, a zero-value repeat on the
 *      calibration end, a purchase on the observation end: x 1, t_x 19 d, m 0, total −4 + 7 + 0 = 3,
 *      x* 1, holdout 2
 *   F  one purchase on the calibration end: T 0
 *   G  a purchase only after the observation end: left out
 *   H  a zero-value first purchase, a return, a repeat: x 1, m 4, total 3
 */
const POLICY_LOG = `customer,day,amount
A,2024-01-01,10
A,2024-01-01,5
A,2024-01-05,20
A,2024-01-05,-20
A,2024-01-10,-7
A,2024-01-20,30
A,2024-02-05,12
A,2024-02-06,-3
A,2024-03-10,100
B,2024-01-03,-5
C,2024-01-15,-2
C,2024-02-10,8
D,2024-01-02,-4
D,2024-01-08,10
E,2024-01-12,6
E,2024-01-04,5
E,2024-01-04,-9
E,2024-01-12,1
E,2024-01-31,0
E,2024-02-29,2
F,2024-01-31,3
G,2024-03-01,5
H,2024-01-06,0
H,2024-01-07,-1
H,2024-01-09,4
`;

interface SqlRow {
  [column: string]: string;
}

let pg: PostgresServer;
let startMs = 0;

beforeAll(() => {
  const t0 = Date.now();
  pg = startPostgres();
  startMs = Date.now() - t0;
  pg.exec(`
    CREATE TABLE cdnow (masterid integer, sampleid integer, "date" date, cds integer, sales numeric(10, 2));
    CREATE SCHEMA shop;
    CREATE TABLE shop.cdnow_master (customer_id text, "date" date, number_of_cds integer, dollar_value double precision);
    CREATE TABLE policy_log (customer text, "day" date, amount numeric(10, 2));
  `);
  // The BTYD elog as it is (YYYYMMDD dates read by PostgreSQL's date input).
  pg.copyIn('cdnow', readDataset('btyd_cdnowElog.csv'));
  // The full cohort: whitespace-separated text with CRLF, turned into CSV.
  const master = readDataset('lifetimes_CDNOW_master.txt')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .map((l) => l.split(/\s+/).join(','))
    .join('\n');
  pg.copyIn('shop.cdnow_master', master + '\n');
  pg.copyIn('policy_log', POLICY_LOG);
}, TIMEOUT);

afterAll(() => {
  if (!pg) return;
  pg.stop();
  // Stopped and deleted: nothing left behind.
  expect(existsSync(pg.dir)).toBe(false);
});

/** Runs the generated SQL; returns psql's CSV text and its rows keyed by column. */
function runSql(options: SummarySqlOptions): { csv: string; header: string[]; rows: SqlRow[] } {
  const csv = pg.query(summarySql(options));
  const { header, rows } = parseCsv(csv);
  return { csv, header, rows: rows.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j] ?? '']))) };
}

/** The TypeScript summary of a CSV log. */
function tsSummary(text: string, options: { unit: TimeUnit; calibrationEnd: string; observationEnd: string; id?: string; amount?: string | false }) {
  const log = readTransactionLog(text, {
    ...(options.id ? { id: options.id } : {}),
    ...(options.amount !== undefined ? { amount: options.amount } : {}),
  });
  const summary = summarizeTransactions(
    { customer: log.customer, day: log.day, amount: log.amount, customerCount: log.customers.length, lines: log.lines },
    { unit: options.unit, calibrationEnd: parseDay(options.calibrationEnd), observationEnd: parseDay(options.observationEnd) },
  );
  return { summary, ids: Array.from(summary.customer, (k) => log.customers[k] as string) };
}

/** Relative difference, absolute below 1 (values such as m = 0 or a spend netting to 0). */
function relDiff(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
}

/**
 * Compares the SQL rows with the TypeScript summary, customer by customer: x and x_star exactly,
 * first/last as dates, t_x, T, m, total and holdout_spend to 1e-9 relative. Returns the largest
 * differences seen (for the record).
 */
function compare(rows: SqlRow[], ts: { summary: CustomerSummary; ids: string[] }, holdout: boolean, amounts = true): { maxFloat: number; maxTime: number } {
  const { summary: s, ids } = ts;
  expect(rows.length).toBe(s.x.length);
  const byId = new Map(rows.map((r) => [r.id as string, r]));
  expect(byId.size).toBe(rows.length);
  let maxFloat = 0;
  let maxTime = 0;
  const bad: string[] = [];
  const check = (id: string, field: string, ok: boolean, actual: unknown, expected: unknown) => {
    if (!ok && bad.length < 20) bad.push(`${id} ${field}: SQL ${String(actual)}, TypeScript ${String(expected)}`);
  };
  for (let i = 0; i < s.x.length; i++) {
    const id = ids[i] as string;
    const row = byId.get(id);
    if (!row) {
      bad.push(`${id}: missing from the SQL output`);
      continue;
    }
    check(id, 'x', Number(row.x) === s.x[i], row.x, s.x[i]);
    for (const [field, expected] of [
      ['t_x', s.tx[i]],
      ['T', s.T[i]],
    ] as const) {
      const d = relDiff(Number(row[field]), expected as number);
      maxTime = Math.max(maxTime, d);
      check(id, field, d <= 1e-9, row[field], expected);
    }
    check(id, 'first', row.first === formatDay(s.firstDay[i] as number), row.first, formatDay(s.firstDay[i] as number));
    check(id, 'last', row.last === formatDay(s.lastDay[i] as number), row.last, formatDay(s.lastDay[i] as number));
    const money: [string, number][] = amounts ? [['m', s.m[i] as number], ['total', s.totalSpend[i] as number]] : [];
    if (holdout) {
      check(id, 'x_star', Number(row.x_star) === s.xStar[i], row.x_star, s.xStar[i]);
      if (amounts) money.push(['holdout_spend', s.holdoutSpend[i] as number]);
    }
    for (const [field, expected] of money) {
      const d = relDiff(Number(row[field]), expected);
      maxFloat = Math.max(maxFloat, d);
      check(id, field, row[field] !== '' && d <= 1e-9, row[field], expected);
    }
  }
  expect(bad).toEqual([]);
  return { maxFloat, maxTime };
}

const CDNOW: SummarySqlOptions = {
  dialect: 'postgres',
  table: 'cdnow',
  customer: 'sampleid',
  date: 'date',
  amount: 'sales',
  calibrationEnd: '1997-09-30',
  observationEnd: '1998-06-30',
  unit: 'week',
  output: 'summary',
};

describe('PostgreSQL server (tests/support/postgres.ts)', () => {
  it('runs from the Debian binaries, on a Unix socket only, with the data loaded', () => {
    expect(pg.bin).toBe(findPostgresBin());
    expect(pg.bin).toMatch(/^\/usr\/lib\/postgresql\/\d+(\.\d+)?\/bin$/);
    expect(pg.version).toMatch(/^\d+/);
    expect(pg.query("SELECT current_setting('listen_addresses') = '' AS socket_only").trim()).toBe('socket_only\nt');
    expect(existsSync(join(pg.socketDir, `.s.PGSQL.${pg.port}`))).toBe(true);
    expect(pg.query('SELECT count(*) AS n FROM cdnow').trim()).toBe('n\n6919');
    expect(pg.query('SELECT count(*) AS n, count(DISTINCT customer_id) AS c FROM shop.cdnow_master').trim()).toBe('n,c\n69659,23570');
    console.info(`PostgreSQL ${pg.version} started in ${startMs} ms`);
  });
  it('without the binaries: a clear error naming the Debian package', () => {
    expect(() => findPostgresBin('/nonexistent/postgresql')).toThrow(/Install the Debian package "postgresql"/);
  });
});

describe('the summary SQL = lib/clv/summary.ts, customer by customer', () => {
  it.each(['week', 'day', 'month'] as const)('CDNOW sample (numeric amounts), %s, calibration to 1997-09-30, holdout to 1998-06-30', (unit) => {
    const sql = runSql({ ...CDNOW, unit });
    expect(sql.header).toEqual(['id', 'x', 't_x', 'T', 'm', 'first', 'last', 'total', 'x_star', 'holdout_spend']);
    const ts = tsSummary(readDataset('btyd_cdnowElog.csv'), { unit, calibrationEnd: '1997-09-30', observationEnd: '1998-06-30', id: 'sampleid' });
    const { maxFloat, maxTime } = compare(sql.rows, ts, true);
    // Whole days over an exact unit length in doubles: the very numbers TypeScript computes.
    expect(maxTime).toBe(0);
    expect(maxFloat).toBeLessThan(1e-12);
    // The published CDNOW figures (datasets/README.md).
    expect(sql.rows.length).toBe(2357);
    expect(sql.rows.reduce((a, r) => a + Number(r.x), 0)).toBe(2457);
    expect(sql.rows.filter((r) => Number(r.x) > 0).length).toBe(946);
    expect(sql.rows.reduce((a, r) => a + Number(r.x_star), 0)).toBe(1882);
  });

  it('CDNOW full cohort (23,570 customers, double precision amounts, zero-padded text ids, schema.table), week', () => {
    const sql = runSql({ ...CDNOW, table: 'shop.cdnow_master', customer: 'customer_id', amount: 'dollar_value' });
    const ts = tsSummary(readDataset('lifetimes_CDNOW_master.txt'), { unit: 'week', calibrationEnd: '1997-09-30', observationEnd: '1998-06-30' });
    expect(ts.summary.x.length).toBe(23570);
    expect(sql.rows[0]?.id).toBe('00001');
    const { maxFloat, maxTime } = compare(sql.rows, ts, true);
    expect(maxTime).toBe(0);
    expect(maxFloat).toBeLessThan(1e-12);
  });

  it('no holdout (observation end = calibration end): later rows ignored, no x_star columns', () => {
    const sql = runSql({ ...CDNOW, calibrationEnd: undefined, observationEnd: '1997-09-30' });
    expect(sql.header).toEqual(['id', 'x', 't_x', 'T', 'm', 'first', 'last', 'total']);
    const ts = tsSummary(readDataset('btyd_cdnowElog.csv'), { unit: 'week', calibrationEnd: '1997-09-30', observationEnd: '1997-09-30', id: 'sampleid' });
    compare(sql.rows, ts, false);
  });
});

describe('the amount policy (hand-written log: returns, same-day merging, zero values, exclusions)', () => {
  const POLICY: SummarySqlOptions = {
    dialect: 'postgres',
    table: 'policy_log',
    customer: 'customer',
    date: 'day',
    amount: 'amount',
    calibrationEnd: '2024-01-31',
    observationEnd: '2024-02-29',
    unit: 'day',
    output: 'summary',
  };

  it('the figures worked out by hand', () => {
    const { rows } = runSql(POLICY);
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(Object.keys(byId).sort()).toEqual(['A', 'D', 'E', 'F', 'H']);
    const pick = (r: SqlRow | undefined) => (r ? { x: Number(r.x), t_x: Number(r.t_x), T: Number(r.T), m: Number(r.m), first: r.first, last: r.last, total: Number(r.total), x_star: Number(r.x_star), holdout_spend: Number(r.holdout_spend) } : null);
    expect(pick(byId.A)).toEqual({ x: 2, t_x: 19, T: 30, m: 15, first: '2024-01-01', last: '2024-01-20', total: 38, x_star: 1, holdout_spend: 9 });
    expect(pick(byId.D)).toEqual({ x: 0, t_x: 0, T: 23, m: 0, first: '2024-01-08', last: '2024-01-08', total: 6, x_star: 0, holdout_spend: 0 });
    expect(pick(byId.E)).toEqual({ x: 1, t_x: 19, T: 19, m: 0, first: '2024-01-12', last: '2024-01-31', total: 3, x_star: 1, holdout_spend: 2 });
    expect(pick(byId.F)).toEqual({ x: 0, t_x: 0, T: 0, m: 0, first: '2024-01-31', last: '2024-01-31', total: 3, x_star: 0, holdout_spend: 0 });
    expect(pick(byId.H)).toEqual({ x: 1, t_x: 3, T: 25, m: 4, first: '2024-01-06', last: '2024-01-09', total: 3, x_star: 0, holdout_spend: 0 });
  });

  it.each(['day', 'week', 'month'] as const)('= lib/clv/summary.ts in %ss (and its report: the same customers left out)', (unit) => {
    const { rows } = runSql({ ...POLICY, unit });
    const ts = tsSummary(POLICY_LOG, { unit, calibrationEnd: '2024-01-31', observationEnd: '2024-02-29' });
    compare(rows, ts, true);
    expect(ts.summary.report).toMatchObject({ customersInLog: 8, customers: 5, customersWithoutPurchase: 2, customersAcquiredAfterCalibration: 1 });
  });

  it('--amount none: every customer-day is a purchase day, as in lib/clv/summary.ts without amounts', () => {
    const { header, rows } = runSql({ ...POLICY, amount: null });
    expect(header).toEqual(['id', 'x', 't_x', 'T', 'first', 'last', 'x_star']);
    const ts = tsSummary(POLICY_LOG, { unit: 'day', calibrationEnd: '2024-01-31', observationEnd: '2024-02-29', amount: false });
    compare(rows, ts, true, false);
    expect(rows.map((r) => r.id).sort()).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'H']);
  });

  it('rows with a NULL customer, date or amount are left out', () => {
    pg.exec(`
      CREATE TABLE policy_nulls AS SELECT * FROM policy_log;
      INSERT INTO policy_nulls VALUES (NULL, '2024-01-02', 50), ('A', NULL, 50), ('A', '2024-01-25', NULL), ('Z', '2024-01-02', NULL);
    `);
    expect(runSql({ ...POLICY, table: 'policy_nulls' }).csv).toBe(runSql(POLICY).csv);
  });
});

describe('the histogram SQL', () => {
  it('with a holdout: weighted totals equal the summary; one row per distinct (x, t_x, T, x_star)', () => {
    const { header, rows } = runSql({ ...CDNOW, output: 'histogram' });
    expect(header).toEqual(['x', 't_x', 'T', 'x_star', 'count']);
    const { summary: s } = tsSummary(readDataset('btyd_cdnowElog.csv'), { unit: 'week', calibrationEnd: '1997-09-30', observationEnd: '1998-06-30', id: 'sampleid' });
    const sum = (f: (r: SqlRow) => number) => rows.reduce((a, r) => a + f(r), 0);
    const tsSum = (v: Float64Array) => v.reduce((a, b) => a + b, 0);
    expect(sum((r) => Number(r.count))).toBe(2357);
    expect(sum((r) => Number(r.count) * Number(r.x))).toBe(tsSum(s.x));
    expect(sum((r) => Number(r.count) * Number(r.x_star))).toBe(1882);
    expect(Math.abs(sum((r) => Number(r.count) * Number(r.t_x)) - tsSum(s.tx))).toBeLessThan(1e-9 * tsSum(s.tx));
    expect(Math.abs(sum((r) => Number(r.count) * Number(r.T)) - tsSum(s.T))).toBeLessThan(1e-9 * tsSum(s.T));
    const distinct = new Set(Array.from(s.x, (x, i) => `${x},${s.tx[i]},${s.T[i]},${s.xStar[i]}`));
    expect(rows.length).toBe(distinct.size);
  });

  it('without a holdout: exactly compressRfm of the TypeScript summary (1,016 rows for CDNOW)', () => {
    const { header, rows } = runSql({ ...CDNOW, output: 'histogram', calibrationEnd: undefined, observationEnd: '1997-09-30' });
    expect(header).toEqual(['x', 't_x', 'T', 'count']);
    const { summary: s } = tsSummary(readDataset('btyd_cdnowElog.csv'), { unit: 'week', calibrationEnd: '1997-09-30', observationEnd: '1997-09-30', id: 'sampleid' });
    const h = compressRfm({ x: s.x, tx: s.tx, T: s.T }).data;
    expect(h.x.length).toBe(1016);
    const expected = new Map(Array.from(h.x, (x, i) => [`${x},${h.tx[i]},${h.T[i]}`, h.weight[i]]));
    const actual = new Map(rows.map((r) => [`${Number(r.x)},${Number(r.t_x)},${Number(r.T)}`, Number(r.count)]));
    expect(actual).toEqual(expected);
  });
});

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process; `files` are the warehouse exports, other paths are read from disk. */
async function cli(argv: string[], files: Record<string, string> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readFile(path) {
      if (path in files) return files[path] as string;
      try {
        return readFileSync(path, 'utf8');
      } catch {
        throw new FileError(`File not found: ${path}`);
      }
    },
    writeFile() {
      throw new Error('not expected');
    },
  };
  return { code: await main(argv, io), stdout, stderr };
}

interface FitJson {
  params: Record<string, number>;
  logLikelihood: number;
  n: number;
  rows: number;
  converged: boolean;
  holdout?: { actual: number; predicted: number };
}

async function fitJson(argv: string[], files: Record<string, string> = {}): Promise<FitJson> {
  const r = await cli(['fit', ...argv, '--json'], files);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as FitJson;
}

function expectSameParams(actual: Record<string, number>, expected: Record<string, number>, tolerance: number): void {
  for (const [k, v] of Object.entries(expected)) expect(relDiff(actual[k] as number, v), k).toBeLessThan(tolerance);
}

describe('centric fit and centric score read the SQL output (CSV exported from the warehouse)', () => {
  it('BG/NBD on the SQL summary = on the log (TypeScript summary) = FHL 2005 (REFERENCE.md)', async () => {
    const summaryCsv = runSql(CDNOW).csv;
    const fromSql = await fitJson(['summary.csv', '--model', 'bgnbd', '--unit', 'week', '--holdout-length', '39'], { 'summary.csv': summaryCsv });
    const fromLog = await fitJson([ELOG, '--model', 'bgnbd', '--unit', 'week', '--holdout-start', '1997-10-01', '--end', '1998-06-30']);
    expect(fromSql.converged).toBe(true);
    expect(fromSql.n).toBe(2357);
    expect(fromSql.rows).toBe(1016);
    expectSameParams(fromSql.params, fromLog.params, 1e-9);
    expect(Math.abs(fromSql.logLikelihood - fromLog.logLikelihood)).toBeLessThan(1e-9);
    // Published MLE (to 1e-4 relative: the optimiser stops at a gradient of ~1e-8) and log-likelihood (to 1e-3).
    expectSameParams(fromSql.params, PUBLISHED, 1e-4);
    expect(Math.abs(fromSql.logLikelihood - PUBLISHED_LL)).toBeLessThan(1e-3);
    // The holdout check reads x_star.
    expect(fromSql.holdout?.actual).toBe(1882);
    expect(fromSql.holdout?.predicted).toBeCloseTo(fromLog.holdout?.predicted as number, 6);
  });

  it('BG/NBD on the SQL histogram (weighted rows) = on the SQL summary', async () => {
    const fromSummary = await fitJson(['summary.csv', '--model', 'bgnbd', '--unit', 'week', '--holdout-length', '39'], { 'summary.csv': runSql(CDNOW).csv });
    const fromHistogram = await fitJson(['histogram.csv', '--model', 'bgnbd', '--unit', 'week', '--holdout-length', '39'], {
      'histogram.csv': runSql({ ...CDNOW, output: 'histogram' }).csv,
    });
    expect(fromHistogram.n).toBe(2357);
    expect(fromHistogram.rows).toBe(1016);
    expectSameParams(fromHistogram.params, fromSummary.params, 1e-6);
    expect(Math.abs(fromHistogram.logLikelihood - fromSummary.logLikelihood)).toBeLessThan(1e-6);
    expect(fromHistogram.holdout?.actual).toBe(1882);
    expectSameParams(fromHistogram.params, PUBLISHED, 1e-4);
  });

  it('Pareto/NBD and Gamma-Gamma on the SQL summary = on the log', async () => {
    const files = { 'summary.csv': runSql(CDNOW).csv };
    for (const model of ['pareto-nbd', 'gamma-gamma']) {
      const fromSql = await fitJson(['summary.csv', '--model', model, '--unit', 'week'], files);
      const fromLog = await fitJson([ELOG, '--model', model, '--unit', 'week', '--holdout-start', '1997-10-01', '--end', '1998-06-30']);
      expectSameParams(fromSql.params, fromLog.params, 1e-6);
    }
  });

  it('centric score on the SQL summary (observed to 1998-06-30) = on the log: P(alive), expected transactions, CLV', async () => {
    const files = { 'summary.csv': runSql({ ...CDNOW, calibrationEnd: undefined }).csv };
    const args = ['--horizon', '12m', '--unit', 'week', '--json'];
    const fromSql = await cli(['score', 'summary.csv', ...args], files);
    const fromLog = await cli(['score', ELOG, ...args, '--end', '1998-06-30']);
    expect(fromSql.code, fromSql.stderr).toBe(0);
    expect(fromLog.code, fromLog.stderr).toBe(0);
    type Score = { id: string; pAlive: number; expectedTransactions: number; clv: number; monetary: number };
    const a = JSON.parse(fromSql.stdout) as Score[];
    const b = new Map((JSON.parse(fromLog.stdout) as Score[]).map((s) => [s.id, s]));
    expect(a.length).toBe(2357);
    let max = 0;
    for (const s of a) {
      const t = b.get(s.id) as Score;
      for (const k of ['pAlive', 'expectedTransactions', 'clv', 'monetary'] as const) max = Math.max(max, relDiff(s[k], t[k]));
    }
    expect(max).toBeLessThan(1e-6);
  });
});
