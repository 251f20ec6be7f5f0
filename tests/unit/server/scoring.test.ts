/**
 * Scoring in the team service (lib/server/scoring.ts) on the embedded database: CDNOW's transactions
 * (2,357 customers) scored in worker threads by slices of shards give what the browser's scoreBase gives
 * on the whole base; jobs asked for and scheduled; the run written whole; the score file served and read
 * back by the extension's reader; what changed between runs; a job left by a dead instance redone.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bgnbd } from '~/lib/clv/bgnbd';
import { toHistogram } from '~/lib/clv/histogram';
import { readTransactionLog } from '~/lib/csv/transactions';
import { scoreBase } from '~/lib/scoring/pipeline';
import { DEFAULT_SCORING_SETTINGS } from '~/lib/scoring/settings';
import { buildApp } from '~/lib/server/app';
import { openDatabase, type Sql } from '~/lib/server/database';
import { migrate } from '~/lib/server/migrations';
import { parseDuration, ScoringService, type ScoringJob } from '~/lib/server/scoring';
import { createToken } from '~/lib/server/tokens';
import { parseScoreFile, type ScoreFileEntry } from '~/lib/sources/score-file';
import { shardOf } from '~/lib/server/imports';
import { readDataset, readSimpleCsv } from '../../helpers/datasets';

// Each job starts worker threads (from the TypeScript sources here, compiled by tsx: a second or two
// each on a busy machine): the tests wait on the job's state, with room for a loaded CI machine.
vi.setConfig({ testTimeout: 120_000 });

const elog = readTransactionLog(readDataset('btyd_cdnowElog.csv'));
const dayText = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);

/** Fills transactions (and customers, a few with an email) from CDNOW, `keep` choosing the rows. */
async function fillCdnow(db: Sql, keep: (row: number) => boolean = () => true): Promise<void> {
  const ids: string[] = [];
  const days: string[] = [];
  const amounts: number[] = [];
  const keys: string[] = [];
  for (let i = 0; i < elog.day.length; i++) {
    if (!keep(i)) continue;
    ids.push(elog.customers[elog.customer[i]!]!);
    days.push(dayText(elog.day[i]!));
    amounts.push(elog.amount![i]!);
    keys.push(`t${i}`);
  }
  await db.query('DELETE FROM transactions');
  await db.query(
    'INSERT INTO transactions (key, customer_id, shard, day, amount) SELECT k, c, s, d::date, a FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::float8[]) AS u(k, c, s, d, a)',
    [keys, ids, ids.map(shardOf), days, amounts],
  );
  const people = elog.customers.slice(0, 50);
  await db.query(
    'INSERT INTO customers (customer_id, shard, email) SELECT c, s, e FROM unnest($1::text[], $2::int[], $3::text[]) AS u(c, s, e) ON CONFLICT (customer_id) DO NOTHING',
    [people, people.map(shardOf), people.map((c) => `Buyer${c}@Example.com`)],
  );
}

async function until<T>(what: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await what();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let db: Sql;
let app: FastifyInstance;
let scoring: ScoringService;
const logs: string[] = [];
const tokens: Record<'admin' | 'manager' | 'agent', string> = { admin: '', manager: '', agent: '' };
const as = (role: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[role]}` });

beforeAll(async () => {
  db = await openDatabase({});
  await migrate(db);
  for (const role of ['admin', 'manager', 'agent'] as const) tokens[role] = (await createToken(db, { name: `${role} person`, role })).token;
  // Slices of about 1,500 transactions: CDNOW's 6,919 are scored in 5 slices by 2 workers.
  scoring = new ScoringService(db, { workers: 2, sliceRows: 1500, pollMs: 60_000, log: (line) => logs.push(line) });
  app = await buildApp({ db, scoring, log: () => {}, ratePerMinute: 10_000 });
  await scoring.start();
  await fillCdnow(db);
});
afterAll(async () => {
  await scoring?.close();
  await app?.close();
  await db?.close();
});

async function runJob(role: keyof typeof tokens = 'manager'): Promise<ScoringJob> {
  const asked = await app.inject({ method: 'POST', url: '/v1/scores/runs', headers: as(role) });
  expect(asked.statusCode).toBe(202);
  const id = asked.json().job.id as number;
  return until(
    async () => (await app.inject({ method: 'GET', url: `/v1/scores/jobs/${id}`, headers: as('agent') })).json().job as ScoringJob,
    (job) => job.state === 'done' || job.state === 'failed',
  );
}

async function storedEntries(runId: number): Promise<Map<string, ScoreFileEntry>> {
  const { rows } = await db.query<{ customer_id: string; score: ScoreFileEntry }>('SELECT customer_id, score FROM scores WHERE run_id = $1', [runId]);
  return new Map(rows.map((r) => [r.customer_id, r.score]));
}

describe('scoring in the service', () => {
  let first: ScoringJob;

  it('scores sharded in worker threads as the browser does on the whole base', async () => {
    first = await runJob();
    expect(first, first.message ?? '').toMatchObject({ state: 'done', requestedBy: 'manager person' });
    const stored = await storedEntries(first.runId!);
    const ids = [...elog.customers];
    const whole = scoreBase({ customer: elog.customer, day: elog.day, amount: elog.amount! }, ids, DEFAULT_SCORING_SETTINGS);
    const names = DEFAULT_SCORING_SETTINGS.tiers.tiers.map((t) => t.name);
    expect(stored.size).toBe(ids.length);
    let worst = 0;
    const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-9, Math.abs(b));
    ids.forEach((id, i) => {
      const entry = stored.get(id.toLowerCase())!;
      const r = whole.rowOf[i]!;
      expect(entry.tier, id).toBe(names[whole.tiers.tier[i]!]);
      if (r < 0) return;
      worst = Math.max(worst, relative(entry.clv!, whole.scores.clv[r]!), relative(entry.pAlive!, whole.scores.pAlive[r]!), relative(entry.lifetimeValue!, whole.scores.lifetimeValue[r]!));
    });
    // Same data, same functions; the fit sums its histogram rows in another order, and files keep 10 digits.
    expect(worst).toBeLessThan(1e-6);
    const run = (await db.query<{ model: { model: string; source: string } }>('SELECT model FROM score_runs WHERE id = $1', [first.runId])).rows[0]!;
    expect(run.model).toMatchObject({ model: whole.model, source: 'transactions' });
    // The customers table gives emails: a lookup by email answers the Centric JSON.
    const person = elog.customers[3]!;
    const found = (await app.inject({ method: 'GET', url: `/v1/lookup?email=buyer${person}@example.com`, headers: as('agent') })).json();
    expect(found).toMatchObject({ customerId: person, tier: stored.get(person)!.tier, clv: stored.get(person)!.clv });
  });

  it('lets managers and admins ask for a run, not agents; audits who asked', async () => {
    const refused = await app.inject({ method: 'POST', url: '/v1/scores/runs', headers: as('agent') });
    expect(refused.statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/v1/scores/jobs/999999', headers: as('agent') })).statusCode).toBe(404);
    const audit = (await app.inject({ method: 'GET', url: '/v1/audit', headers: as('admin') })).json().entries as { action: string; tokenName: string | null; after: { job?: number } }[];
    expect(audit.find((e) => e.action === 'request-scoring' && e.after.job === first.id)).toMatchObject({ tokenName: 'manager person' });
    expect(audit.find((e) => e.action === 'score-run' && e.after.job === first.id)).toMatchObject({ after: { run: first.runId, requestedBy: 'manager person' } });
  });

  it('serves the run as a score file that the extension reads back identically (CSV and JSON), with ETag and Last-Modified', async () => {
    const stored = await storedEntries(first.runId!);
    for (const format of ['csv', 'json'] as const) {
      const answer = await app.inject({ method: 'GET', url: `/v1/scores/file${format === 'json' ? '?format=json' : ''}`, headers: as('agent') });
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['content-type']).toContain(format === 'csv' ? 'text/csv' : 'application/json');
      expect(answer.headers.etag).toBe(`"run-${first.runId}"`);
      expect(Date.parse(String(answer.headers['last-modified']))).toBeGreaterThan(0);
      const parsed = parseScoreFile(answer.body, { format: 'auto', contentType: String(answer.headers['content-type']) });
      if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
      expect(parsed.format).toBe(format);
      expect(parsed.scores.size).toBe(stored.size);
      for (const [key, entry] of parsed.scores) expect(entry, key).toEqual(stored.get(key));
    }
    const csv = (await app.inject({ method: 'GET', url: '/v1/scores/file', headers: as('agent') })).body;
    expect(csv.split('\n')[0]).toBe('id,x,t_x,T,monetary,pAlive,expectedTransactions,expectedSpend,clv,lifetimeValue,tier,next12Months,email,segment,treatment,updatedAt,tierColor');
    const again = await app.inject({ method: 'GET', url: '/v1/scores/file', headers: { ...as('agent'), 'if-none-match': `"run-${first.runId}"` } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect((await app.inject({ method: 'GET', url: '/v1/scores/file?format=xml', headers: as('agent') })).json().error.code).toBe('invalid-request');
  });

  it('queues on the schedule only when the data changed, and says what changed between runs', async () => {
    expect(await scoring.schedule()).toBeNull();
    // The first half of the log's days only: customers lose and gain value.
    const cut = elog.day[0]! + 300;
    await fillCdnow(db, (i) => elog.day[i]! < cut);
    const queued = await scoring.schedule();
    expect(queued).toMatchObject({ requestedBy: 'schedule' });
    const second = await until(async () => (await app.inject({ method: 'GET', url: `/v1/scores/jobs/${queued!.id}`, headers: as('agent') })).json().job as ScoringJob, (j) => j.state === 'done' || j.state === 'failed');
    expect(second.state, second.message ?? '').toBe('done');
    const changes = (await app.inject({ method: 'GET', url: `/v1/scores/changes?since=${first.runId}&limit=5`, headers: as('agent') })).json();
    const before = await storedEntries(first.runId!);
    const after = await storedEntries(second.runId!);
    let changed = 0;
    for (const [id, entry] of before) if (after.get(id)?.tier !== entry.tier) changed++;
    expect(changes.changed).toBe(changed);
    expect(changes.changed).toBeGreaterThan(0);
    expect(changes.moves.reduce((sum: number, m: { customers: number }) => sum + m.customers, 0)).toBe(changed);
    expect(changes.customers).toHaveLength(5);
    const c = changes.customers[0];
    expect(c.from).toBe(before.get(c.customerId.toLowerCase())?.tier ?? null);
    const next = (await app.inject({ method: 'GET', url: `/v1/scores/changes?since=${first.runId}&limit=5&after=${changes.next}`, headers: as('agent') })).json();
    expect(next.customers[0].customerId).not.toBe(c.customerId);
    expect((await app.inject({ method: 'GET', url: '/v1/scores/changes?since=999999', headers: as('agent') })).statusCode).toBe(404);
  });

  it('takes again, and redoes, a job whose instance died (stale heartbeat); readers kept the old run meanwhile', async () => {
    const before = (await app.inject({ method: 'GET', url: '/v1/scores/run', headers: as('agent') })).json().run;
    const { rows } = await db.query<{ id: string }>(
      "INSERT INTO scoring_jobs (requested_by, state, owner, started_at, heartbeat_at, attempts) VALUES ('manager person', 'running', 'dead-instance', now() - interval '1 hour', now() - interval '1 hour', 1) RETURNING id",
    );
    await db.query("INSERT INTO scoring_staging (job_id, customer_id, score) VALUES ($1, 'half-written', '{}')", [rows[0]!.id]);
    expect((await app.inject({ method: 'GET', url: '/v1/scores/run', headers: as('agent') })).json().run).toEqual(before);
    scoring.nudge();
    const job = await until(async () => (await app.inject({ method: 'GET', url: `/v1/scores/jobs/${rows[0]!.id}`, headers: as('agent') })).json().job as ScoringJob, (j) => j.state === 'done');
    expect(job.attempts).toBe(2);
    expect((await db.query('SELECT 1 FROM scores WHERE run_id = $1 AND customer_id = $2', [job.runId, 'half-written'])).rows).toHaveLength(0);
    expect((await db.query('SELECT 1 FROM scoring_staging')).rows).toHaveLength(0);
    // The last 3 runs are kept.
    expect(Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM score_runs')).rows[0]!.n)).toBe(3);
  });

  it('reads durations for --score-every', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('6h')).toBe(21_600_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('2 days')).toBe(172_800_000);
    for (const bad of ['', 'soon', '0h', '-1d', '5']) expect(parseDuration(bad), bad).toBeNull();
  });
});

describe('scoring warehouse summaries (no transactions)', () => {
  it('fits and scores from the summary rows, without a holdout', async () => {
    const own = await openDatabase({});
    await migrate(own);
    const service = new ScoringService(own, { workers: 1, pollMs: 60_000, log: (line) => logs.push(line) });
    try {
      const cbs = readSimpleCsv('btyd_cdnowSummary_cbs.csv');
      await own.query(
        "INSERT INTO summaries (customer_id, shard, x, t_x, t, m, unit) SELECT c, s, x, tx, t, m, 'week' FROM unnest($1::text[], $2::int[], $3::float8[], $4::float8[], $5::float8[], $6::float8[]) AS u(c, s, x, tx, t, m)",
        [cbs.map((r) => r.cust), cbs.map((r) => shardOf(r.cust!)), cbs.map((r) => Number(r.x)), cbs.map((r) => Number(r['t.x'])), cbs.map((r) => Number(r['T.cal'])), cbs.map((r) => Number(r['m.x']))],
      );
      const { rows } = await own.query<{ id: string }>("INSERT INTO scoring_jobs (requested_by, state) VALUES ('test', 'queued') RETURNING id");
      await service.start();
      const job = await until(async () => (await own.query<{ state: string; run_id: string; message: string }>('SELECT state, run_id, message FROM scoring_jobs WHERE id = $1', [rows[0]!.id])).rows[0]!, (j) => j.state === 'done' || j.state === 'failed');
      expect(job.state, job.message).toBe('done');
      const run = (await own.query<{ model: { model: string; params: Record<string, number>; holdout: unknown; notes: string[] }; customers: number }>('SELECT model, customers FROM score_runs WHERE id = $1', [job.run_id])).rows[0]!;
      expect(run.customers).toBe(cbs.length);
      expect(run.model.holdout).toBeNull();
      expect(run.model.notes.join(' ')).toMatch(/not judged on a holdout/);
      const direct = bgnbd.fit(toHistogram({ x: cbs.map((r) => Number(r.x)), tx: cbs.map((r) => Number(r['t.x'])), T: cbs.map((r) => Number(r['T.cal'])) }));
      for (const [name, value] of Object.entries(direct.params)) expect(run.model.params[name]).toBeCloseTo(value, 6);
      const tiers = (await own.query<{ tier: string; n: string }>("SELECT score->>'tier' AS tier, count(*) AS n FROM scores GROUP BY 1")).rows;
      // 2,357 customers: 118 / 354 / 1,414 / 471 by the percentile rules (lib/tiers/assign.ts).
      expect(Object.fromEntries(tiers.map((t) => [t.tier, Number(t.n)]))).toEqual({ Platinum: 118, Gold: 354, Iron: 1414, Lead: 471 });
    } finally {
      await service.close();
      await own.close();
    }
  });
});
