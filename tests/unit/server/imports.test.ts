/**
 * The team's data in, on the embedded database: transactions and customers CSV read by the import
 * wizard's reader (presets detected, columns named in the address), all or nothing with every
 * problem's line, column, value and reason; re-sending a file adds nothing; mode=replace; shards;
 * warehouse summaries replaced whole, their unit checked. Faults (a database restart during an
 * import, bad bodies, limits) are in imports-faults.test.ts, on PostgreSQL.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '~/lib/server/app';
import { openDatabase, type Sql } from '~/lib/server/database';
import { CHUNK, SHARDS, fnv1a32, shardOf } from '~/lib/server/imports';
import { migrate } from '~/lib/server/migrations';
import { createToken } from '~/lib/server/tokens';

let db: Sql;
let app: FastifyInstance;
const tokens = { manager: '', agent: '', admin: '' };
/** A fixed "today" (readImport refuses purchases dated after tomorrow). */
const NOW = Date.parse('2025-06-30T12:00:00Z');

beforeAll(async () => {
  db = await openDatabase({});
  await migrate(db);
  for (const role of ['manager', 'agent', 'admin'] as const) tokens[role] = (await createToken(db, { name: `${role} person`, role })).token;
  app = await buildApp({ db, log: () => {}, ratePerMinute: 10_000, now: () => NOW });
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});
beforeEach(async () => {
  await db.exec('DELETE FROM transactions; DELETE FROM customers; DELETE FROM summaries;');
});

const put = (kind: string, body: string, query = '', token = tokens.manager, type = 'text/csv') =>
  app.inject({ method: 'PUT', url: `/v1/data/${kind}${query}`, headers: { authorization: `Bearer ${token}`, 'content-type': type }, payload: body });
const count = async (table: string) => Number((await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
const lastAudit = async () => (await db.query<{ action: string; target: string; outcome: string; token_name: string; after: Record<string, unknown> | null }>('SELECT action, target, outcome, token_name, after FROM audit ORDER BY id DESC LIMIT 1')).rows[0]!;

describe('shardOf', () => {
  it('is FNV-1a 32-bit of the UTF-8 bytes, modulo 1024', () => {
    // Published FNV-1a test vectors.
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    expect(shardOf('foobar')).toBe(0xbf9cf968 % 1024);
    // UTF-8, not UTF-16: "é" is the two bytes C3 A9.
    const manual = Math.imul(Math.imul(0x811c9dc5 ^ 0xc3, 0x01000193) ^ 0xa9, 0x01000193) >>> 0;
    expect(fnv1a32('é')).toBe(manual);
  });

  it('spreads ids over the 1024 shards', () => {
    const counts = new Array<number>(SHARDS).fill(0);
    for (let i = 0; i < 102_400; i++) counts[shardOf(`C-${i}`)]!++;
    expect(Math.min(...counts)).toBeGreaterThan(50);
    expect(Math.max(...counts)).toBeLessThan(160);
  });
});

const GENERIC = `customer_id,date,amount,email,name
C1,2025-01-05,10.50,ana@acme.example,Ana Lopez
C1,2025-01-05,10.50,,
C1,2025-02-01,-3,,
C2,2025-03-10,99,bo@beta.example,
C3,2025-04-01,0,,Cy
`;

describe('PUT /v1/data/transactions', () => {
  it('reads a file as the wizard does and stores customers and transactions with their shard, once', async () => {
    const done = await put('transactions', GENERIC, '?file=shop.csv');
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({
      file: 'shop.csv',
      mode: 'merge',
      mapping: { preset: 'generic-transactions', columns: { customer: 'customer_id', date: 'date', amount: 'amount', email: 'email', name: 'name' }, dateFormat: 'YYYY-MM-DD' },
      rows: 5,
      customers: 3,
      customersAdded: 3,
      transactions: 5,
      transactionsAdded: 5,
      alreadyPresent: 0,
      removed: 0,
      excluded: 0,
      foldedRows: 0,
    });
    const stored = (await db.query<{ key: string; customer_id: string; shard: number; day: Date | string; amount: number }>('SELECT key, customer_id, shard, day, amount FROM transactions ORDER BY key')).rows;
    // Two equal purchases on one day stay two (the reader's occurrence count in the key).
    expect(stored.map((r) => r.key)).toEqual(['C1|2025-01-05|1050|0', 'C1|2025-01-05|1050|1', 'C1|2025-02-01|-300|0', 'C2|2025-03-10|9900|0', 'C3|2025-04-01|0|0']);
    for (const r of stored) expect(r.shard).toBe(shardOf(r.customer_id));
    expect(stored.map((r) => new Date(r.day).toISOString().slice(0, 10))).toContain('2025-03-10');
    expect((await db.query('SELECT customer_id, shard, name, email FROM customers ORDER BY customer_id')).rows).toEqual([
      { customer_id: 'C1', shard: shardOf('C1'), name: 'Ana Lopez', email: 'ana@acme.example' },
      { customer_id: 'C2', shard: shardOf('C2'), name: null, email: 'bo@beta.example' },
      { customer_id: 'C3', shard: shardOf('C3'), name: 'Cy', email: null },
    ]);
    expect(await lastAudit()).toMatchObject({ action: 'upload-transactions', target: 'transactions', outcome: 'done', token_name: 'manager person', after: { file: 'shop.csv', rows: 5, customers: 3, transactionsAdded: 5 } });

    // The same file again: nothing added, nothing doubled.
    const again = await put('transactions', GENERIC, '?file=shop.csv');
    expect(again.json()).toMatchObject({ transactions: 5, transactionsAdded: 0, transactionsUpdated: 0, alreadyPresent: 5, customersAdded: 0, customersUpdated: 0 });
    expect(await count('transactions')).toBe(5);
  });

  it('a Shopify export: line items folded, unpaid orders left out, refunds netted; a newer export updates the refunded order', async () => {
    const shopify = (refunded: string) => `Name,Email,Financial Status,Paid at,Created at,Total,Refunded Amount,Billing Name,Lineitem name
#1001,ana@acme.example,paid,,2025-01-10 10:00:00 +0100,50.00,${refunded},Ana Lopez,Mug
#1001,ana@acme.example,,,2025-01-10 10:00:00 +0100,,,,Plate
#1002,bo@beta.example,pending,,2025-01-11 09:00:00 +0100,20.00,0,Bo,Cup
#1003,bo@beta.example,paid,,2025-02-11 09:00:00 +0100,30.00,0,Bo,Cup
`;
    const first = await put('transactions', shopify('0'));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ mapping: { preset: 'shopify-orders' }, rows: 4, transactions: 2, transactionsAdded: 2, foldedRows: 1, excluded: 1, excludedByStatus: { pending: 1 } });
    const refunded = await put('transactions', shopify('15.00'));
    expect(refunded.json()).toMatchObject({ transactions: 2, transactionsAdded: 0, transactionsUpdated: 1, alreadyPresent: 1 });
    expect((await db.query<{ amount: number }>("SELECT amount FROM transactions WHERE key = 'ana@acme.example|##1001'")).rows[0]!.amount).toBe(35);
  });

  it('takes the columns named in the address when no preset fits, and says which to name when missing', async () => {
    const file = 'buyer;when;paid\nK-1;2025-05-01;12,5\nK-2;2025-05-02;7\n';
    const missing = await put('transactions', file);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({ code: 'missing-columns', columns: ['buyer', 'when', 'paid'], missing: ['customer', 'date', 'amount'] });
    expect(missing.json().error.message).toMatch(/\?customer=<column>&date=<column>&amount=<column>/);
    const named = await put('transactions', file, '?customer=buyer&date=when&amount=3');
    expect(named.statusCode).toBe(200);
    expect(named.json()).toMatchObject({ mapping: { preset: null, columns: { customer: 'buyer', date: 'when', amount: 'paid' } }, transactionsAdded: 2 });
    expect((await db.query<{ amount: number }>("SELECT amount FROM transactions WHERE customer_id = 'K-1'")).rows[0]!.amount).toBe(12.5);
    const wrong = await put('transactions', file, '?customer=buyer&date=nowhere&amount=paid');
    expect(wrong.json().error).toMatchObject({ code: 'invalid-request' });
    expect(wrong.json().error.message).toMatch(/No column "nowhere" for the date/);
    expect((await put('transactions', file, '?preset=stripe')).json().error.message).toMatch(/one of shopify-orders, stripe-payments/);
  });

  it('asks for the date layout when the dates fit several', async () => {
    const file = 'customer_id,date,amount\nA,01/02/2025,5\nB,03/04/2025,6\n';
    const refused = await put('transactions', file);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'ambiguous-dates', candidates: ['DD/MM/YYYY', 'MM/DD/YYYY'] });
    const done = await put('transactions', file, '?dateFormat=DD/MM/YYYY');
    expect(done.statusCode).toBe(200);
    expect((await db.query<{ day: Date | string }>("SELECT day FROM transactions WHERE customer_id = 'B'")).rows.map((r) => new Date(r.day).toISOString().slice(0, 10))).toEqual(['2025-04-03']);
  });

  it('refuses a file with problems whole, listing each one’s line, column, value and reason (the first 200, all counted)', async () => {
    await put('transactions', GENERIC);
    const before = await count('transactions');
    const bad = 'customer_id,date,amount,email\nA,2025-01-01,5,\n,2025-01-02,6,\nB,2025-13-40,7,\nC,2025-01-03,lots,\nD,2025-01-04,8,not-an-email\nE,2031-01-01,9,\n';
    const refused = await put('transactions', bad, '?file=bad.csv');
    expect(refused.statusCode).toBe(400);
    const error = refused.json().error;
    expect(error).toMatchObject({ code: 'invalid-file', problemCount: 5, rows: 6, rejectedRows: 5 });
    expect(error.message).toMatch(/^bad\.csv was not stored \(nothing was changed\): 5 problems/);
    expect(error.problems).toEqual([
      { line: 3, field: 'customer_id', value: '', message: 'empty: a customer id is needed' },
      { line: 4, field: 'date', value: '2025-13-40', message: 'not a date in the format YYYY-MM-DD' },
      { line: 5, field: 'amount', value: 'lots', message: 'not a number' },
      { line: 6, field: 'email', value: 'not-an-email', message: 'not an email address' },
      { line: 7, field: 'date', value: '2031-01-01', message: 'in the future (after 2025-07-01)' },
    ]);
    expect(await count('transactions')).toBe(before);
    // Many problems: the first 200 listed, all counted.
    const many = 'customer_id,date,amount\n' + Array.from({ length: 450 }, (_, i) => `X${i},someday,1\n`).join('');
    const capped = (await put('transactions', many)).json().error;
    expect(capped.problems).toHaveLength(200);
    expect(capped.problemCount).toBe(450);
    expect(capped.message).toMatch(/450 problems, the first 200 listed/);
    expect(await count('transactions')).toBe(before);
  });

  it('mode=replace makes the file the whole history, in one transaction', async () => {
    await put('transactions', GENERIC);
    const replaced = await put('transactions', 'customer_id,date,amount\nZ,2025-05-05,1\n', '?mode=replace');
    expect(replaced.json()).toMatchObject({ mode: 'replace', removed: 5, transactionsAdded: 1 });
    expect((await db.query('SELECT key FROM transactions')).rows).toEqual([{ key: 'Z|2025-05-05|100|0' }]);
    // Customers are kept (a replace is about the purchase history).
    expect(await count('customers')).toBe(4);
    expect((await put('transactions', GENERIC, '?mode=everything')).json().error.code).toBe('invalid-request');
  });

  it('writes a file larger than a chunk completely', async () => {
    const n = CHUNK * 2 + 17;
    const file = 'customer_id,date,amount\n' + Array.from({ length: n }, (_, i) => `C-${i % 3000},2025-0${1 + (i % 6)}-${String(1 + (i % 28)).padStart(2, '0')},${(i % 97) + 0.5}\n`).join('');
    const done = await put('transactions', file);
    expect(done.json()).toMatchObject({ rows: n, transactions: n, transactionsAdded: n, customers: 3000, customersAdded: 3000 });
    expect(await count('transactions')).toBe(n);
    const wrongShards = await db.query<{ n: string | number }>('SELECT count(*) AS n FROM customers WHERE shard < 0 OR shard >= 1024');
    expect(Number(wrongShards.rows[0]!.n)).toBe(0);
  });

  it('agents may not upload: 403, audited, nothing stored', async () => {
    const refused = await put('transactions', GENERIC, '', tokens.agent);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('forbidden');
    expect(await lastAudit()).toMatchObject({ action: 'change-config', target: 'transactions', outcome: 'refused', token_name: 'agent person' });
    expect(await count('transactions')).toBe(0);
    expect((await put('customers', 'id,name\n1,A\n', '', tokens.agent)).statusCode).toBe(403);
    expect((await put('summaries', 'id,x,t_x,T\n1,0,0,1\n', '?unit=week', tokens.agent)).statusCode).toBe(403);
  });
});

describe('PUT /v1/data/customers', () => {
  it('upserts names, emails and companies; an empty cell keeps what is stored', async () => {
    await put('transactions', GENERIC);
    const done = await put('customers', 'customer_id,name,email,company\nC1,,ana@new.example,Acme\nC9,Nina,nina@x.example,\n', '?file=crm.csv');
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ kind: 'customers', mapping: { preset: 'customers' }, rows: 2, customers: 2, customersAdded: 1, customersUpdated: 1, transactions: 0 });
    expect((await db.query("SELECT name, email, company FROM customers WHERE customer_id = 'C1'")).rows[0]).toEqual({ name: 'Ana Lopez', email: 'ana@new.example', company: 'Acme' });
    expect((await db.query("SELECT shard FROM customers WHERE customer_id = 'C9'")).rows[0]).toEqual({ shard: shardOf('C9') });
    expect(await lastAudit()).toMatchObject({ action: 'upload-customers', outcome: 'done', after: { file: 'crm.csv', customersAdded: 1 } });
    // mode belongs to transactions only.
    const refused = await put('customers', 'customer_id,name\nC1,A\n', '?mode=replace');
    expect(refused.json().error).toMatchObject({ code: 'unknown-parameter' });
    expect(refused.json().error.message).toMatch(/This upload takes: file, preset, customer, name, email, company/);
  });
});

const SUMMARY = `id,x,t_x,T,m,first,last,total
A,2,3,10,15.5,2025-01-01,2025-01-22,46.5
B,0,0,8,0,2025-01-15,2025-01-15,9
"C,1",1,1,4,7,2025-02-12,2025-02-19,14
`;

describe('PUT /v1/data/summaries', () => {
  it('stores a warehouse summary whole, replacing the previous one', async () => {
    const done = await put('summaries', SUMMARY, '?unit=week&file=summary.csv');
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ file: 'summary.csv', unit: 'week', customers: 3, replaced: 0, holdout: false, columns: { id: 'id', x: 'x', t_x: 't_x', T: 'T', m: 'm' } });
    expect((await db.query('SELECT customer_id, shard, x, t_x, t, m, unit FROM summaries ORDER BY customer_id')).rows).toEqual([
      { customer_id: 'A', shard: shardOf('A'), x: 2, t_x: 3, t: 10, m: 15.5, unit: 'week' },
      { customer_id: 'B', shard: shardOf('B'), x: 0, t_x: 0, t: 8, m: 0, unit: 'week' },
      { customer_id: 'C,1', shard: shardOf('C,1'), x: 1, t_x: 1, t: 4, m: 7, unit: 'week' },
    ]);
    expect(await lastAudit()).toMatchObject({ action: 'upload-summaries', outcome: 'done', after: { file: 'summary.csv', unit: 'week', customers: 3 } });
    const next = await put('summaries', 'id,x,t_x,T\nD,1,1,2\n', '?unit=week');
    expect(next.json()).toMatchObject({ customers: 1, replaced: 3 });
    expect(next.json().notes.join(' ')).toMatch(/no m column/);
    expect((await db.query('SELECT customer_id, m FROM summaries')).rows).toEqual([{ customer_id: 'D', m: null }]);
  });

  it('needs the unit, and refuses one the file contradicts (first + T is one day for everyone)', async () => {
    expect((await put('summaries', SUMMARY)).json().error.message).toMatch(/\?unit=day\|week\|month/);
    expect((await put('summaries', SUMMARY, '?unit=fortnight')).json().error.code).toBe('invalid-request');
    const mismatch = await put('summaries', SUMMARY, '?unit=day');
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().error).toMatchObject({ code: 'unit-mismatch', fitting: ['week'] });
    expect(await count('summaries')).toBe(0);
  });

  it('refuses bad values, repeated customers and histograms with their lines, storing nothing', async () => {
    await put('summaries', SUMMARY, '?unit=week');
    const bad = await put('summaries', 'id,x,t_x,T,m\nA,1,5,4,3\nB,-1,0,4,2\nC,1,2,x,1\n', '?unit=week');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'invalid-file', problemCount: 1, problems: [{ line: 4, field: 'T', value: 'x' }] });
    const values = await put('summaries', 'id,x,t_x,T,m\nA,1,5,4,3\nB,-1,0,4,2\n', '?unit=week');
    expect(values.json().error.problems).toEqual([
      { line: 2, field: 't_x', value: '5', message: 'recency is after the end of observation (T = 4)' },
      { line: 3, field: 'x', value: '-1', message: 'the number of repeat purchases must be 0 or more' },
    ]);
    const twice = await put('summaries', 'id,x,t_x,T\nA,1,1,4\nA,0,0,4\n', '?unit=week');
    expect(twice.json().error.problems).toEqual([{ line: 3, field: 'id', value: 'A', message: 'the same customer as line 2: one row per customer' }]);
    expect((await put('summaries', 'x,t_x,T,count\n1,1,4,10\n', '?unit=week')).json().error.message).toMatch(/histogram/);
    expect((await put('summaries', 'customer_id,date,amount\nA,2025-01-01,4\n', '?unit=week')).json().error.message).toMatch(/not a per-customer summary/);
    expect(await count('summaries')).toBe(3);
  });
});
