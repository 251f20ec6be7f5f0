/**
 * GET /v1/scores/summary: the team's base (customers, customer equity, each tier's customers and value)
 * added up by the database from the current run, for any token; and the extension's reading of it.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '~/lib/server/app';
import { openDatabase, type Sql } from '~/lib/server/database';
import { migrate } from '~/lib/server/migrations';
import { createToken } from '~/lib/server/tokens';
import { readScoresSummary } from '~/lib/team/values-summary';

let db: Sql;
let app: FastifyInstance;
let manager = '';
let agent = '';

const header = 'id,tier,clv,email\n';

beforeAll(async () => {
  db = await openDatabase({});
  await migrate(db);
  manager = (await createToken(db, { name: 'Mia manager', role: 'manager' })).token;
  agent = (await createToken(db, { name: 'Al agent', role: 'agent' })).token;
  app = await buildApp({ db, log: () => {}, ratePerMinute: 10_000 });
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

const summary = (token = agent) => app.inject({ method: 'GET', url: '/v1/scores/summary', headers: { authorization: `Bearer ${token}` } });
const upload = (text: string) => app.inject({ method: 'PUT', url: '/v1/scores?name=team.csv', headers: { authorization: `Bearer ${manager}`, 'content-type': 'text/csv' }, payload: text });

describe('the team base summary', () => {
  it('says there is no run before the first upload, and refuses a request without a token', async () => {
    expect((await summary()).json()).toEqual({ run: null, customers: 0, valued: 0, equity: 0, tiers: [] });
    const refused = await app.inject({ method: 'GET', url: '/v1/scores/summary' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('unauthenticated');
  });

  it('adds up the current run by tier, most valuable tier first, with the equity and the run’s time and file', async () => {
    // 30 Gold at 100.25 .. , 10 Platinum at 1000, 5 Bronze with no value (empty clv).
    const rows: string[] = [];
    for (let i = 0; i < 30; i++) rows.push(`G-${i},Gold,${(100 + i / 4).toFixed(2)},g${i}@a.example`);
    for (let i = 0; i < 10; i++) rows.push(`P-${i},Platinum,1000,p${i}@b.example`);
    const first = await upload(header + rows.join('\n') + '\n');
    expect(first.statusCode).toBe(200);
    const body = (await summary()).json();
    const gold = Array.from({ length: 30 }, (_, i) => Number((100 + i / 4).toFixed(2))).reduce((a, b) => a + b, 0);
    expect(body.run).toMatchObject({ at: first.json().run.at, source: 'team.csv', uploadedBy: 'Mia manager' });
    expect(body.customers).toBe(40);
    expect(body.valued).toBe(40);
    expect(body.equity).toBeCloseTo(gold + 10_000, 6);
    expect(body.tiers).toEqual([
      { tier: 'Platinum', customers: 10, value: 10_000 },
      { tier: 'Gold', customers: 30, value: expect.closeTo(gold, 6) as unknown as number },
    ]);
    const read = readScoresSummary(body);
    expect(read.ok && read.summary.tiers.map((t) => t.tier)).toEqual(['Platinum', 'Gold']);
  });

  it('follows the newest run only', async () => {
    expect((await upload(`${header}X-1,Silver,5,x1@c.example\nX-2,Silver,7.5,x2@c.example\n`)).statusCode).toBe(200);
    const body = (await summary(manager)).json();
    expect(body).toMatchObject({ customers: 2, valued: 2, equity: 12.5, tiers: [{ tier: 'Silver', customers: 2, value: 12.5 }] });
  });
});

describe('the extension’s reading of a summary', () => {
  it('refuses a wrong shape in words and never passes a number that is not finite', () => {
    expect(readScoresSummary({ customers: 1, valued: 1, equity: 2, tiers: [], run: null })).toMatchObject({ ok: true });
    expect(readScoresSummary('nope')).toMatchObject({ ok: false, problem: expect.stringContaining('not an object') });
    expect(readScoresSummary({ customers: 1, valued: 1, equity: Number.NaN, tiers: [] })).toMatchObject({ ok: false });
    expect(readScoresSummary({ customers: 1, valued: 1, equity: 2, tiers: [{ tier: 'Gold', customers: 1, value: 'x' }] })).toMatchObject({ ok: false, problem: expect.stringContaining('tiers[0]') });
    expect(readScoresSummary({ customers: 1, valued: 1, equity: 2, tiers: [], run: { id: 1, at: 'yesterday', source: 'x' } })).toMatchObject({ ok: false, problem: expect.stringContaining('run') });
  });
});
