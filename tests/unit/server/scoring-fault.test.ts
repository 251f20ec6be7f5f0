/**
 * The service killed (SIGKILL) while it scores: `centric serve` runs in a child process on an embedded
 * data directory; the kill comes while the workers write the job's scores. Nothing of that job is in
 * the scores (the previous run is still the current one, whole), and at the next start the job is taken
 * again and finished.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTransactionLog } from '~/lib/csv/transactions';
import { openDatabase, type Sql } from '~/lib/server/database';
import { migrate } from '~/lib/server/migrations';
import { uploadScores } from '~/lib/server/scores';
import type { ScoringJob } from '~/lib/server/scoring';
import { createToken } from '~/lib/server/tokens';
import { shardOf } from '~/lib/server/imports';
import { readDataset } from '../../helpers/datasets';

const dir = mkdtempSync(join(tmpdir(), 'centric-scoring-fault-'));
const data = join(dir, 'data');
let manager = '';
const children: ChildProcess[] = [];

async function withDatabase<T>(work: (db: Sql) => Promise<T>): Promise<T> {
  const db = await openDatabase({ data });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  await withDatabase(async (db) => {
    await migrate(db);
    manager = (await createToken(db, { name: 'Ana', role: 'manager' })).token;
    const caller = { tokenId: 'tok_test', name: 'Ana', role: 'manager' as const };
    const uploaded = await uploadScores(db, caller, 'id,tier,clv\nold-1,Gold,10\nold-2,Lead,1\n', 'old.csv');
    expect(uploaded.ok).toBe(true);
    const log = readTransactionLog(readDataset('btyd_cdnowElog.csv'));
    const ids = Array.from(log.customer, (c) => log.customers[c]!);
    await db.query(
      'INSERT INTO transactions (key, customer_id, shard, day, amount) SELECT k, c, s, d::date, a FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::float8[]) AS u(k, c, s, d, a)',
      [ids.map((_, i) => `t${i}`), ids, ids.map(shardOf), Array.from(log.day, (d) => new Date(d * 86_400_000).toISOString().slice(0, 10)), Array.from(log.amount!)],
    );
  });
}, 60_000);
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** `centric serve` on the data directory, in a child process; resolves with its address once it listens. */
function serve(): Promise<{ child: ChildProcess; address: string; log: () => string }> {
  const child = spawn(process.execPath, [resolve('bin/centric.mjs'), 'serve', '--data', data, '--port', '0', '--score-workers', '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const found = /team service on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (found) resolve({ child, address: found[1]!, log: () => err });
    });
    child.once('exit', (code) => reject(new Error(`centric serve stopped (exit ${code}): ${err}`)));
  });
}

const get = async (address: string, path: string) => (await fetch(`${address}${path}`, { headers: { authorization: `Bearer ${manager}` } })).json();

async function until<T>(what: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await what();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('killed while scoring', () => {
  it('keeps the previous run whole, and redoes the job at the next start', async () => {
    const first = await serve();
    const before = (await get(first.address, '/v1/scores/run')).run;
    expect(before).toMatchObject({ customers: 2 });
    const asked = await fetch(`${first.address}/v1/scores/runs`, { method: 'POST', headers: { authorization: `Bearer ${manager}` } });
    expect(asked.status).toBe(202);
    const id = ((await asked.json()) as { job: ScoringJob }).job.id;
    // Killed once the workers write the scores (the last stage before the run's transaction).
    await until(async () => (await get(first.address, `/v1/scores/jobs/${id}`)).job as ScoringJob, (job) => job.progress?.stage === 'score' || job.state === 'done');
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    await withDatabase(async (db) => {
      const runs = await db.query<{ id: string }>('SELECT id FROM score_runs');
      expect(runs.rows.map((r) => Number(r.id))).toEqual([before.id]);
      expect(Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM scores')).rows[0]!.n)).toBe(2);
      expect((await db.query<{ state: string }>('SELECT state FROM scoring_jobs WHERE id = $1', [id])).rows[0]!.state).toBe('running');
    });

    const second = await serve();
    const job = await until(async () => (await get(second.address, `/v1/scores/jobs/${id}`)).job as ScoringJob, (j) => j.state === 'done' || j.state === 'failed');
    expect(job, second.log()).toMatchObject({ state: 'done', attempts: 2 });
    expect((await get(second.address, '/v1/scores/run')).run).toMatchObject({ id: job.runId, customers: 2357 });
    expect(second.log()).toMatch(new RegExp(`scoring job ${id}: left running by a stopped service`));
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
  }, 120_000);
});
