/**
 * Uploads when things go wrong, on a real PostgreSQL (tests/support/postgres.ts): the database
 * restarted in the middle of a large import (the upload answers 503 database-unavailable in words,
 * nothing of it is stored, and the same upload succeeds once the database is back); the database
 * down; malformed bodies, an oversized upload and unknown parameters refused with a reason, changing
 * nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '~/lib/server/app';
import { openDatabase, type Sql } from '~/lib/server/database';
import { migrate } from '~/lib/server/migrations';
import { createToken } from '~/lib/server/tokens';
import { startPostgres, type PostgresServer } from '../../support/postgres';

let pg: PostgresServer;
let db: Sql;
let app: FastifyInstance;
let manager = '';
const logs: string[] = [];

beforeAll(async () => {
  pg = startPostgres();
  const url = `postgres://${pg.user}@localhost/${pg.database}?host=${encodeURIComponent(pg.socketDir)}&port=${pg.port}`;
  db = await openDatabase({ url });
  await migrate(db);
  manager = (await createToken(db, { name: 'uploader', role: 'manager' })).token;
  app = await buildApp({ db, log: (line) => logs.push(line), ratePerMinute: 10_000, uploadLimit: 32 * 1024 * 1024 });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await db?.close().catch(() => {});
  pg?.stop();
});

const put = (target: FastifyInstance, path: string, body: string | Buffer, type = 'text/csv') =>
  target.inject({ method: 'PUT', url: path, headers: { authorization: `Bearer ${manager}`, 'content-type': type }, payload: body });
/** Rows in the data tables, read with psql (not through the service's pool). */
const counts = () => pg.query('SELECT (SELECT count(*) FROM transactions) AS t, (SELECT count(*) FROM customers) AS c, (SELECT count(*) FROM summaries) AS s').trim().split('\n')[1] ?? '';
/** Waits for a condition, checking every few milliseconds, failing after `ms`. */
async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const ROWS = 50_000;
const bigFile = () =>
  'customer_id,date,amount,email\n' +
  Array.from({ length: ROWS }, (_, i) => `C-${i % 12_500},2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},${(i % 300) + 0.25},c${i % 12_500}@shop${i % 40}.example\n`).join('');

describe('the database restarted during an import', () => {
  it('answers 503 database-unavailable, stores nothing, and the same upload succeeds once it is back', async () => {
    const small = await put(app, '/v1/data/transactions', 'customer_id,date,amount\nKEEP,2024-01-01,5\n');
    expect(small.statusCode).toBe(200);
    expect(counts()).toBe('1,1,0');
    const file = bigFile();

    // Hold the audit table (written last, in the import's transaction): the import writes its 50,000
    // transactions, then waits there, its transaction open. That is the moment to restart.
    let release: () => void = () => {};
    const held = db
      .transaction(async (tx) => {
        await tx.query('LOCK TABLE audit IN ACCESS EXCLUSIVE MODE');
        await new Promise<void>((resolve) => (release = resolve));
      })
      .catch((error: unknown) => error);
    await until('the audit table locked', () => pg.query("SELECT count(*) FROM pg_locks WHERE relation = 'audit'::regclass AND mode = 'AccessExclusiveLock' AND granted").includes('\n1'));
    const upload = put(app, '/v1/data/transactions?file=big.csv', file);
    await until(
      'the import waiting in its transaction, its rows written',
      () => pg.query("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO audit%' AND backend_xid IS NOT NULL").includes('\n1'),
      120_000,
    );
    pg.stopServer('fast');
    pg.startServer();
    release();

    const failed = await upload;
    expect(failed.statusCode).toBe(503);
    expect(failed.headers['retry-after']).toBe('5');
    expect(failed.json().error.code).toBe('database-unavailable');
    expect(failed.json().error.message).toMatch(/did not complete .* none of it was kept\)\. Send it again/);
    expect(logs.some((line) => line.includes('database unavailable'))).toBe(true);
    expect(await held).toBeInstanceOf(Error);
    // Nothing half-stored: the one transaction from before, nothing of the big file.
    expect(counts()).toBe('1,1,0');

    const retried = await put(app, '/v1/data/transactions?file=big.csv', file);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ rows: ROWS, transactions: ROWS, transactionsAdded: ROWS, customersAdded: 12_500 });
    expect(counts()).toBe(`${ROWS + 1},12501,0`);
  }, 240_000);

  it('while the database is down, every upload answers 503 in words; after it is back, they work', async () => {
    const before = counts();
    pg.stopServer('fast');
    try {
      const down = await put(app, '/v1/data/summaries?unit=week', 'id,x,t_x,T\nA,1,1,2\n');
      expect(down.statusCode).toBe(503);
      expect(down.json().error.code).toBe('database-unavailable');
    } finally {
      pg.startServer();
    }
    expect(counts()).toBe(before);
    const up = await put(app, '/v1/data/summaries?unit=week', 'id,x,t_x,T\nA,1,1,2\n');
    expect(up.statusCode).toBe(200);
    expect(counts()).toBe(before.replace(/,0$/, ',1'));
  }, 120_000);
});

describe('bad uploads change nothing', () => {
  it('malformed bodies, an oversized upload and unknown parameters: a 4xx with a reason', async () => {
    const before = counts();
    const cases: [string, string | Buffer, string, number, string, RegExp][] = [
      ['/v1/data/transactions', Buffer.from('PK\u0003\u0004\u0014\u0000\u0006\u0000binary workbook', 'latin1'), 'text/csv', 400, 'invalid-file', /zip file, perhaps an Excel workbook/],
      ['/v1/data/transactions', Buffer.from([0x63, 0x00, 0x75, 0x00, 0x73, 0x00, 0x74, 0x00]), 'text/csv', 400, 'invalid-file', /not a text file/],
      ['/v1/data/customers', '', 'text/csv', 400, 'invalid-file', /empty/],
      ['/v1/data/transactions', 'customer_id,date,amount\n', 'text/csv', 400, 'invalid-file', /no data rows/],
      ['/v1/data/transactions', 'customer_id,date,amount\nA,2024-01-01,"5\nB,2024-01-02,6\n', 'text/csv', 400, 'invalid-file', /1 problem/],
      ['/v1/data/transactions', Buffer.concat([Buffer.from('customer_id,date,amount\nJos'), Buffer.from([0xe9]), Buffer.from(',2024-01-01,5\n')]), 'text/csv', 400, 'invalid-file', /1 problem/],
      ['/v1/data/transactions', '{"customer_id": "A"}', 'application/json', 415, 'unsupported-media-type', /text\/csv/],
      ['/v1/data/transactions', 'customer_id,date,amount\nA,2024-01-01,5\n', 'application/octet-stream', 415, 'unsupported-media-type', /text\/csv/],
      ['/v1/data/transactions?customer=customer_id&colour=blue', 'customer_id,date,amount\nA,2024-01-01,5\n', 'text/csv', 400, 'unknown-parameter', /Unknown query parameter: colour\. This upload takes: file, preset, dateFormat, mode, customer/],
      ['/v1/data/summaries?unit=week&unti=week', 'id,x,t_x,T\nA,1,1,2\n', 'text/csv', 400, 'unknown-parameter', /unti/],
      ['/v1/data/summaries?unit=week&unit=day', 'id,x,t_x,T\nA,1,1,2\n', 'text/csv', 400, 'invalid-request', /more than once/],
      ['/v1/data/summaries?unit=week', Buffer.from('PK\u0003\u0004', 'latin1'), 'text/csv', 400, 'invalid-file', /zip file/],
    ];
    for (const [path, body, type, status, code, message] of cases) {
      const answer = await put(app, path, body, type);
      const label = `${path} ${type} ${String(body).slice(0, 30)}`;
      expect(answer.statusCode, label).toBe(status);
      expect(answer.json().error.code, label).toBe(code);
      expect(answer.json().error.message, label).toMatch(message);
    }
    // The problems of an unclosed quote and of text that is not UTF-8, with their lines.
    const quote = (await put(app, '/v1/data/transactions', 'customer_id,date,amount\nA,2024-01-01,"5\nB,2024-01-02,6\n')).json().error.problems[0];
    expect(quote).toMatchObject({ line: 2, field: 'quotes' });
    const latin1 = (await put(app, '/v1/data/transactions', Buffer.concat([Buffer.from('customer_id,date,amount\nJos'), Buffer.from([0xe9]), Buffer.from(',2024-01-01,5\n')]))).json().error.problems[0];
    expect(latin1).toMatchObject({ line: 2, field: 'customer_id', message: expect.stringMatching(/not UTF-8/) });

    // An upload over the limit: 413 with the limit in words.
    const limited = await buildApp({ db, log: () => {}, uploadLimit: 1000 });
    try {
      const big = await put(limited, '/v1/data/transactions', 'customer_id,date,amount\n' + 'A,2024-01-01,5\n'.repeat(100));
      expect(big.statusCode).toBe(413);
      expect(big.json().error).toMatchObject({ code: 'body-too-large', limit: 1000 });
      expect(big.json().error.message).toMatch(/larger than 1,000 bytes/);
    } finally {
      await limited.close();
    }
    expect(counts()).toBe(before);
  }, 60_000);
});
