/**
 * A warehouse for real: DuckDB (the npm package @duckdb/node-api, in memory) loads the CDNOW log,
 * runs the SQL `centric sql --dialect duckdb --output summary` prints, exports the result as CSV with
 * DuckDB's own COPY … TO, and that file goes through PUT /v1/data/summaries. What the service stores
 * must be what lib/clv/summary.ts computes from the same log in TypeScript: x exactly, t_x, T and m
 * to 1e-9 relative (absolute below 1). tests/unit/cli/sql-postgres.test.ts does the same for the
 * PostgreSQL dialect (the SQL against the TypeScript summary, then `centric fit`); this one adds the
 * DuckDB dialect executed and the service's reader of the exported file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeTransactions } from '~/lib/clv/summary';
import { parseDay } from '~/lib/clv/time';
import { summarySql } from '~/lib/cli/sql';
import { readTransactionLog } from '~/lib/csv/transactions';
import { buildApp } from '~/lib/server/app';
import { openDatabase, type Sql } from '~/lib/server/database';
import { shardOf } from '~/lib/server/imports';
import { migrate } from '~/lib/server/migrations';
import { createToken } from '~/lib/server/tokens';
import { datasetPath, readDataset } from '../../helpers/datasets';

/** The package, or why it could not load (then the test is skipped, saying so). */
const duckdb = await import('@duckdb/node-api').catch((error: unknown) => {
  console.warn(`[warehouse.test] SKIPPED: the package @duckdb/node-api cannot load here (${(error as Error).message}); run npm install.`);
  return null;
});

const OBSERVATION_END = '1998-06-30';
const TOLERANCE = 1e-9;

let db: Sql;
let app: FastifyInstance;
let manager = '';
let dir = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'centric-duckdb-'));
  db = await openDatabase({});
  await migrate(db);
  manager = (await createToken(db, { name: 'warehouse person', role: 'manager' })).token;
  app = await buildApp({ db, log: () => {} });
});
afterAll(async () => {
  await app?.close();
  await db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const relDiff = (actual: number, expected: number) => Math.abs(actual - expected) / Math.max(1, Math.abs(expected));

describe.skipIf(!duckdb)('DuckDB runs the summary SQL; its export goes through PUT /v1/data/summaries', () => {
  it('stores, customer by customer, what lib/clv/summary.ts computes from the same CDNOW log', async () => {
    const { DuckDBInstance } = duckdb!;
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const exported = join(dir, 'summary.csv');
    try {
      // The BTYD elog as it is: masterid, sampleid, date (YYYYMMDD), cds, sales.
      await connection.run(`CREATE TABLE cdnow (masterid INTEGER, sampleid INTEGER, "date" DATE, cds INTEGER, sales DOUBLE)`);
      const source = datasetPath('btyd_cdnowElog.csv').replace(/'/g, "''");
      await connection.run(`INSERT INTO cdnow SELECT * FROM read_csv('${source}', header = true, dateformat = '%Y%m%d', columns = {'masterid': 'INTEGER', 'sampleid': 'INTEGER', 'date': 'DATE', 'cds': 'INTEGER', 'sales': 'DOUBLE'})`);
      const loaded = await connection.runAndReadAll('SELECT count(*) AS n FROM cdnow');
      expect(Number(loaded.getRowObjects()[0]!.n)).toBe(6919);
      const sql = summarySql({ dialect: 'duckdb', table: 'cdnow', customer: 'sampleid', date: 'date', amount: 'sales', observationEnd: OBSERVATION_END, unit: 'week', output: 'summary' });
      // The query as printed (comments and all), its result exported by DuckDB as a CSV file with a header.
      await connection.run(`CREATE TABLE centric_result AS ${sql.trim().replace(/;$/, '')}`);
      await connection.run(`COPY centric_result TO '${exported.replace(/'/g, "''")}' (HEADER, DELIMITER ',')`);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    const csv = readFileSync(exported, 'utf8');
    expect(csv.split('\n')[0]).toBe('id,x,t_x,T,m,first,last,total');

    const up = await app.inject({ method: 'PUT', url: '/v1/data/summaries?unit=week&file=cdnow-summary.csv', headers: { authorization: `Bearer ${manager}`, 'content-type': 'text/csv' }, payload: csv });
    expect(up.statusCode).toBe(200);
    expect(up.json()).toMatchObject({ unit: 'week', customers: 2357, holdout: false });

    // The same log summarised in TypeScript.
    const log = readTransactionLog(readDataset('btyd_cdnowElog.csv'), { id: 'sampleid' });
    const s = summarizeTransactions({ customer: log.customer, day: log.day, amount: log.amount, customerCount: log.customers.length, lines: log.lines }, { unit: 'week', observationEnd: parseDay(OBSERVATION_END) });
    const stored = new Map(
      (await db.query<{ customer_id: string; shard: number; x: number; t_x: number; t: number; m: number | null; unit: string }>('SELECT customer_id, shard, x, t_x, t, m, unit FROM summaries')).rows.map((r) => [r.customer_id, r]),
    );
    expect(stored.size).toBe(s.x.length);
    const bad: string[] = [];
    let worst = 0;
    for (let i = 0; i < s.x.length; i++) {
      const id = log.customers[s.customer[i] as number] as string;
      const row = stored.get(id);
      if (!row) {
        bad.push(`${id}: not stored`);
        continue;
      }
      if (row.x !== s.x[i]) bad.push(`${id} x: stored ${row.x}, TypeScript ${s.x[i]}`);
      if (row.shard !== shardOf(id) || row.unit !== 'week') bad.push(`${id}: shard ${row.shard}, unit ${row.unit}`);
      for (const [field, actual, expected] of [['t_x', row.t_x, s.tx[i]], ['T', row.t, s.T[i]], ['m', row.m, s.m[i]]] as const) {
        const d = relDiff(Number(actual), expected as number);
        worst = Math.max(worst, d);
        if (!(d <= TOLERANCE)) bad.push(`${id} ${field}: stored ${actual}, TypeScript ${expected}`);
      }
    }
    expect(bad.slice(0, 20)).toEqual([]);
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
  }, 60_000);
});
