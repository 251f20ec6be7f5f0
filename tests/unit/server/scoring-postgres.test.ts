/**
 * Scoring on PostgreSQL with two service instances: a job is run by one of them only (the other finds
 * it taken: FOR UPDATE SKIP LOCKED), its workers on their own connections; a job asked for twice while
 * waiting is one job.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Sql } from '~/lib/server/database';
import { migrate } from '~/lib/server/migrations';
import { readJob, requestScoring, ScoringService, type ScoringJob } from '~/lib/server/scoring';
import { readTransactionLog } from '~/lib/csv/transactions';
import { readDataset } from '../../helpers/datasets';
import { startPostgres, type PostgresServer } from '../../support/postgres';

let pg: PostgresServer;
let url: string;
const open: Sql[] = [];
const services: ScoringService[] = [];

beforeAll(async () => {
  pg = startPostgres();
  url = `postgres://${pg.user}@localhost/${pg.database}?host=${encodeURIComponent(pg.socketDir)}&port=${pg.port}`;
}, 60_000);
afterAll(async () => {
  for (const s of services) await s.close().catch(() => {});
  for (const db of open) await db.close().catch(() => {});
  pg?.stop();
});

describe('scoring on PostgreSQL, two instances', () => {
  it('runs each job once, on one instance', async () => {
    const [a, b] = [await openDatabase({ url }), await openDatabase({ url })];
    open.push(a, b);
    await migrate(a);
    // CDNOW's transactions (2,357 customers).
    const log = readTransactionLog(readDataset('btyd_cdnowElog.csv'));
    const ids = Array.from(log.customer, (c) => log.customers[c]!);
    await a.query(
      'INSERT INTO transactions (key, customer_id, shard, day, amount) SELECT k, c, abs(hashtext(c)) % 1024, d::date, a FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[]) AS u(k, c, d, a)',
      [ids.map((_, i) => `t${i}`), ids, Array.from(log.day, (d) => new Date(d * 86_400_000).toISOString().slice(0, 10)), Array.from(log.amount!)],
    );
    const asked = await requestScoring(a, { tokenId: 'tok_a', name: 'Ana', role: 'manager' });
    const again = await requestScoring(b, { tokenId: 'tok_b', name: 'Bo', role: 'admin' });
    expect(again).toMatchObject({ created: false, job: { id: asked!.job.id } });
    const logs: string[] = [];
    for (const db of [a, b]) services.push(new ScoringService(db, { url, workers: 1, sliceRows: 2500, pollMs: 100, log: (line) => logs.push(line) }));
    await Promise.all(services.map((s) => s.start()));
    let job: ScoringJob | null = null;
    while (job?.state !== 'done' && job?.state !== 'failed') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = await readJob(a, asked!.job.id);
    }
    expect(job, job.message ?? '').toMatchObject({ state: 'done', attempts: 1, requestedBy: 'Ana' });
    await Promise.all(services.map((s) => s.idle()));
    expect(logs.filter((l) => l.includes(': run '))).toHaveLength(1);
    expect(Number((await a.query<{ n: string }>('SELECT count(*) AS n FROM score_runs')).rows[0]!.n)).toBe(1);
    expect(Number((await a.query<{ n: string }>('SELECT count(*) AS n FROM scores')).rows[0]!.n)).toBe(2357);
    expect(Number((await a.query<{ n: string }>("SELECT count(*) AS n FROM audit WHERE action = 'score-run'")).rows[0]!.n)).toBe(1);
    // Unchanged data: the schedule queues nothing; changed data: it does (the services stopped first, so none runs it).
    for (const service of services.splice(0)) await service.close();
    expect(await requestScoring(b, 'schedule', { onlyIfChanged: true })).toBeNull();
    await a.query("INSERT INTO transactions (key, customer_id, shard, day, amount) VALUES ('new', 'c1', 0, DATE '2025-06-01', 50)");
    expect(await requestScoring(b, 'schedule', { onlyIfChanged: true })).toMatchObject({ created: true, job: { requestedBy: 'schedule' } });
  }, 120_000);
});
