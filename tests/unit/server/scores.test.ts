/**
 * The team's scores on the service (embedded database): a score file uploaded all or nothing, a new run
 * replacing the old whole, lookups by email, id and domain in the Centric JSON, batches of 200 — and
 * the extension's own lookup-service code (lib/sources fetchScore) reading the service unchanged.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '~/lib/server/app';
import { openDatabase, type Sql } from '~/lib/server/database';
import { migrate } from '~/lib/server/migrations';
import { KEEP_RUNS } from '~/lib/server/scores';
import { createToken } from '~/lib/server/tokens';
import { fetchScore } from '~/lib/sources/fetch-policy';
import { teamApi } from '../../helpers/team-sources';

let db: Sql;
let app: FastifyInstance;
let manager = '';
let agent = '';

const header = 'id,tier,x,t_x,T,monetary,pAlive,expectedTransactions,expectedSpend,clv,lifetimeValue,email\n';
const row = (i: number, tier = i % 10 === 0 ? 'Platinum' : 'Gold') => `C-${i},${tier},3,30,52,41.5,0.8,1.9,40.1,${(1000 - i).toFixed(2)},${(1500 - i).toFixed(2)},person${i}@company${i % 7}.example\n`;
const file = (n: number, from = 0) => header + Array.from({ length: n }, (_, i) => row(from + i)).join('');

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

const upload = (text: string, token = manager, type = 'text/csv') =>
  app.inject({ method: 'PUT', url: '/v1/scores?name=scores.csv', headers: { authorization: `Bearer ${token}`, 'content-type': type }, payload: text });
const ask = (query: string, token = agent) => app.inject({ method: 'GET', url: `/v1/lookup?${query}`, headers: { authorization: `Bearer ${token}` } });

describe('scores on the team service', () => {
  it('has no customer before any upload', async () => {
    expect((await ask('email=person1%40company1.example')).statusCode).toBe(404);
  });

  it('takes a score file from a manager and answers lookups by email, id and domain in the Centric JSON', async () => {
    const done = await upload(file(50));
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ run: { customers: 50, rows: 50, source: 'scores.csv', uploadedBy: 'Mia manager' }, unscored: 0 });
    const byEmail = await ask('email=Person3%40Company3.example');
    expect(byEmail.statusCode).toBe(200);
    expect(byEmail.json()).toMatchObject({ customerId: 'C-3', tier: 'Gold', clv: 997, lifetimeValue: 1497, pAlive: 0.8, expectedTransactions: 1.9 });
    expect(byEmail.json().updatedAt).toBe(done.json().run.at);
    expect((await ask('id=c-10')).json()).toMatchObject({ customerId: 'C-10', tier: 'Platinum' });
    // A domain alone: the company's most valuable customer (company0 holds C-0, C-7, …; C-0 has the highest clv).
    expect((await ask('domain=company0.example')).json()).toMatchObject({ customerId: 'C-0' });
    expect((await ask('email=nobody%40nowhere.example')).json().error.code).toBe('not-found');
    expect((await ask('name=Ana')).json().error.code).toBe('invalid-request');
  });

  it('refuses an agent’s upload (403, audited) and a bad file with every problem’s line, keeping the scores', async () => {
    expect((await upload(file(5), agent)).statusCode).toBe(403);
    const bad = await upload(header + row(1) + 'C-2,Gold,3,30,52,41.5,lots,1.9,40.1,10,20,a@b.example\n' + 'C-3,Gold,3,30,52,41.5,0.5,1.9,40.1,oops,20,c@d.example\n');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid-file');
    expect(bad.json().error.problems.join('\n')).toMatch(/Line 3.*pAlive/);
    expect(bad.json().error.problems.join('\n')).toMatch(/Line 4.*clv/);
    expect((await ask('id=C-49')).json()).toMatchObject({ customerId: 'C-49' }); // the previous run stays
  });

  it('a new run replaces the old whole, and only the last runs are kept', async () => {
    for (let k = 0; k < KEEP_RUNS + 1; k++) expect((await upload(file(20, 100 * (k + 1)))).statusCode).toBe(200);
    expect((await ask('id=C-49')).statusCode).toBe(404); // the first run's customers are gone
    expect((await ask(`id=C-${100 * (KEEP_RUNS + 1) + 3}`)).statusCode).toBe(200);
    expect(Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM score_runs')).rows[0]!.n)).toBe(KEEP_RUNS);
  });

  it('answers a batch of up to 200 identities in the order asked, null where none', async () => {
    const identities = Array.from({ length: 200 }, (_, i) => (i % 2 ? { email: `person${400 + (i % 20)}@company${(400 + (i % 20)) % 7}.example` } : { id: `nobody-${i}` }));
    const answer = await app.inject({ method: 'POST', url: '/v1/lookup/batch', headers: { authorization: `Bearer ${agent}` }, payload: { identities } });
    expect(answer.statusCode).toBe(200);
    const answers = answer.json().answers as ({ customerId: string } | null)[];
    expect(answers).toHaveLength(200);
    expect(answers[0]).toBeNull();
    expect(answers[1]).toMatchObject({ customerId: 'C-401' });
    const tooMany = await app.inject({ method: 'POST', url: '/v1/lookup/batch', headers: { authorization: `Bearer ${agent}` }, payload: { identities: [...identities, { id: 'x' }] } });
    expect(tooMany.json().error.code).toBe('too-many');
  });

  it('is read by the extension’s lookup-service source unchanged (lib/sources fetchScore over HTTP)', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const source = teamApi(`${address}/v1/lookup?email={email}`, undefined, { headers: [{ name: 'Authorization', value: `Bearer ${agent}` }] });
    const deps = { fetch: (url: string, init?: RequestInit) => fetch(url, init), now: Date.now, sleep: async () => {}, random: Math.random };
    const found = await fetchScore(deps as never, source, { email: 'person402@company3.example' });
    expect(found).toMatchObject({ ok: true, score: { tier: 'Gold', customerId: 'C-402', clv: 598 } });
    const missing = await fetchScore(deps as never, source, { email: 'nobody@nowhere.example' });
    expect(missing).toMatchObject({ ok: false, error: { kind: 'not-found' } });
  });
});
