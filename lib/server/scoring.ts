/**
 * Scoring in the team service (issue 19): the team's customers valued with the browser's pipeline
 * (lib/scoring/pipeline.ts, lib/scoring/settings.ts defaults, the team's tiers), in worker threads
 * (lib/server/scoring-worker.ts), never on the thread that answers requests.
 *
 * Jobs are rows of scoring_jobs: asked for (POST /v1/scores/runs) or queued by the schedule
 * (`--score-every`, only when the data changed since the last job). Every instance polls for a job and
 * takes one with `FOR UPDATE SKIP LOCKED`, so on one PostgreSQL only one instance runs it; it keeps a
 * heartbeat, and a job whose heartbeat is older than the lease (its instance died) is taken again and
 * redone from the start. On the embedded database only one process runs, so a job found 'running' at
 * start was left by a stopped service and is taken again at once.
 *
 * A job: (0) the shards' sizes and the data's first and last day; (1) workers summarise slices of the
 * 1024 shards into compressed histograms; (2) one fit on the merged histograms; (3) workers score their
 * slices into scoring_staging; (4) one transaction makes the run: the tiers by rank over the whole run
 * (SQL window), the scores, the old runs beyond KEEP_RUNS removed, the job done, the audit entry.
 * Readers see the previous run until that commits.
 */
import { cpus } from 'node:os';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { formatDay } from '../clv/time';
import { calibrationEndOf } from '../scoring/pipeline';
import { DEFAULT_SCORING_SETTINGS } from '../scoring/settings';
import { ceilShare } from '../tiers/assign';
import { parseTierConfig, type TierConfig } from '../tiers/config';
import { recordAudit } from './audit';
import { readConfig } from './config';
import type { Sql } from './database';
import { KEEP_RUNS } from './scores';
import type { FittedModel, FromWorker, JobFrame, SliceSummary, Task, TaskResult, ToWorker, WorkerSetup } from './scoring-worker';
import type { Caller } from './tokens';

export const SHARDS = 1024;
/** Who queued a scheduled job. */
export const SCHEDULE = 'schedule';

export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface ScoringJob {
  id: number;
  state: JobState;
  requestedAt: string;
  requestedBy: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  runId: number | null;
  message: string | null;
  attempts: number;
  progress: { stage: string; done: number; total: number } | null;
}

interface JobRow {
  id: string;
  state: JobState;
  requested_at: Date | string;
  requested_by: string | null;
  started_at: Date | string | null;
  finished_at: Date | string | null;
  run_id: string | null;
  message: string | null;
  attempts: number;
  progress: ScoringJob['progress'];
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
const jobOf = (r: JobRow): ScoringJob => ({
  id: Number(r.id),
  state: r.state,
  requestedAt: iso(r.requested_at)!,
  requestedBy: r.requested_by,
  startedAt: iso(r.started_at),
  finishedAt: iso(r.finished_at),
  runId: r.run_id === null ? null : Number(r.run_id),
  message: r.message,
  attempts: Number(r.attempts),
  progress: r.progress,
});
const JOB_COLUMNS = 'id, state, requested_at, requested_by, started_at, finished_at, run_id, message, attempts, progress';

/** An arbitrary, fixed key: queueing a job is done under it, so two instances never queue two at once. */
const QUEUE_LOCK = 1_918_273_646;

/**
 * Queues a job, or answers the one already waiting (asking twice does not score twice). `requestedBy`:
 * the caller, or SCHEDULE. With `onlyIfChanged`, nothing is queued when the data did not change since
 * the last job that finished (or one is waiting or running): null then.
 */
export async function requestScoring(db: Sql, requestedBy: Caller | typeof SCHEDULE, options: { onlyIfChanged?: boolean } = {}): Promise<{ job: ScoringJob; created: boolean } | null> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [QUEUE_LOCK]);
    const waiting = await tx.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM scoring_jobs WHERE state = 'queued' ORDER BY id LIMIT 1`);
    if (waiting.rows[0]) return { job: jobOf(waiting.rows[0]), created: false };
    if (options.onlyIfChanged) {
      const version = await dataVersion(tx);
      const { rows } = await tx.query<{ n: string }>(
        // A job that read this version (or is about to read it) covers it; a failed one too: the same data would fail again.
        "SELECT count(*) AS n FROM scoring_jobs WHERE (state = 'running' AND data_version IS NULL) OR (state IN ('running', 'done', 'failed') AND data_version >= $1)",
        [version],
      );
      if (Number(rows[0]!.n) > 0) return null;
    }
    const name = requestedBy === SCHEDULE ? SCHEDULE : requestedBy.name;
    const { rows } = await tx.query<JobRow>(`INSERT INTO scoring_jobs (requested_by, state) VALUES ($1, 'queued') RETURNING ${JOB_COLUMNS}`, [name]);
    const job = jobOf(rows[0]!);
    await recordAudit(tx, requestedBy === SCHEDULE ? null : requestedBy, { action: 'request-scoring', target: `job ${job.id}`, outcome: 'done', after: { job: job.id, requestedBy: name } });
    return { job, created: true };
  });
}

export async function readJob(db: Sql, id: number): Promise<ScoringJob | null> {
  const { rows } = await db.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM scoring_jobs WHERE id = $1`, [id]);
  return rows[0] ? jobOf(rows[0]) : null;
}

export async function dataVersion(db: Sql): Promise<number> {
  const { rows } = await db.query<{ version: string }>('SELECT version FROM data_state WHERE id = 1');
  return Number(rows[0]?.version ?? 0);
}

/** Parses a duration: 30s, 30m, 6h, 1d (also "1 day", "90 minutes"); milliseconds, or null when it is not one. */
export function parseDuration(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?|d|days?)\s*$/i.exec(text);
  if (!match) return null;
  const value = Number(match[1]);
  const unit = match[2]!.toLowerCase()[0]!;
  const ms = value * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit as 's' | 'm' | 'h' | 'd'];
  return ms > 0 && Number.isFinite(ms) ? ms : null;
}

// ---------------------------------------------------------------------------------------------
// Worker threads

/**
 * Starts a worker on the module next to this one: the built bundle's scoring-worker.mjs, or (running
 * from the TypeScript sources: tests, `centric` before a build) scoring-worker.ts compiled by tsx,
 * registered inside the worker first.
 */
function startWorker(setup: WorkerSetup): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./scoring-worker.mjs', here), { workerData: setup });
  // tsx's ESM entry (its package exports map 'tsx/esm/api' to it for `import`).
  const tsx = pathToFileURL(join(dirname(createRequire(here).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./scoring-worker.ts', here).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, { eval: true, workerData: setup });
}

/** Worker threads running tasks, one at a time each; the embedded database's queries answered here. */
class WorkerPool {
  private readonly workers: Worker[] = [];
  private closed = false;

  constructor(
    private readonly db: Sql,
    private readonly size: number,
    private readonly url: string | undefined,
  ) {}

  private spawn(): Promise<Worker> {
    const worker = startWorker({ centricScoring: true, ...(this.url ? { url: this.url } : {}) });
    this.workers.push(worker);
    worker.on('message', (message: FromWorker) => {
      if (message.type !== 'sql') return;
      this.db.query(message.text, message.params).then(
        ({ rows }) => worker.postMessage({ type: 'sql-result', id: message.id, rows } satisfies ToWorker),
        (error: Error) => worker.postMessage({ type: 'sql-error', id: message.id, message: error.message } satisfies ToWorker),
      );
    });
    return new Promise((resolve, reject) => {
      const ready = (message: FromWorker) => {
        if (message.type !== 'ready') return;
        worker.off('message', ready);
        worker.off('error', reject);
        resolve(worker);
      };
      worker.on('message', ready);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`The scoring worker stopped before it started (exit ${code}).`)));
    });
  }

  private run(worker: Worker, task: Task): Promise<TaskResult> {
    const id = Math.floor(Math.random() * 2 ** 31);
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        if ((message.type === 'done' || message.type === 'failed') && message.id === id) {
          cleanup();
          if (message.type === 'done') resolve(message.result);
          else reject(new Error(message.message));
        }
      };
      const onExit = (code: number) => {
        cleanup();
        reject(new Error(this.closed ? 'The service is stopping.' : `A scoring worker stopped (exit ${code}).`));
      };
      const onError = (error: Error) => {
        cleanup();
        reject(new Error(`A scoring worker failed: ${error.message}`));
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        worker.off('error', onError);
      };
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.once('error', onError);
      worker.postMessage({ type: 'task', id, task } satisfies ToWorker);
    });
  }

  /** Runs the tasks on up to `size` workers; `onDone` after each; the results in the tasks' order. */
  async all(tasks: readonly Task[], onDone: (done: number) => void | Promise<void>): Promise<TaskResult[]> {
    const results: TaskResult[] = new Array(tasks.length);
    let next = 0;
    let done = 0;
    const lanes = Math.min(this.size, tasks.length);
    await Promise.all(Array.from({ length: Math.max(0, lanes - this.workers.length) }, () => this.spawn()));
    await Promise.all(
      this.workers.slice(0, lanes).map(async (worker) => {
        while (next < tasks.length) {
          const i = next++;
          results[i] = await this.run(worker, tasks[i]!);
          await onDone(++done);
        }
      }),
    );
    return results;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}

// ---------------------------------------------------------------------------------------------
// The service

export interface ScoringOptions {
  /** Worker threads per job (default min(2, CPUs)). */
  workers?: number;
  /** Queue a job this often when the data changed (ms); absent: only on demand. */
  everyMs?: number;
  /** How long a running job's heartbeat stays valid (ms, default 60 s); beyond it another instance takes the job. */
  leaseMs?: number;
  /** How often to look for a queued job (ms, default 2 s). */
  pollMs?: number;
  /** Transactions per slice of shards read at once by a worker (default 200,000). */
  sliceRows?: number;
  /** The PostgreSQL URL (workers open their own connections); absent on the embedded database. */
  url?: string;
  log?: (line: string) => void;
}

class LostJob extends Error {}

const MAX_ATTEMPTS = 3;

export class ScoringService {
  readonly owner = `${process.pid}-${randomBytes(4).toString('hex')}`;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private scheduleTimer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | null = null;
  private pool: WorkerPool | null = null;
  private stopping = false;
  private readonly workers: number;
  private readonly leaseMs: number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly db: Sql,
    private readonly options: ScoringOptions = {},
  ) {
    this.workers = Math.max(1, Math.floor(options.workers ?? Math.min(2, cpus().length)));
    this.leaseMs = options.leaseMs ?? 60_000;
    this.log = options.log ?? (() => {});
  }

  /** Starts looking for jobs (and, with everyMs, the schedule). */
  async start(): Promise<void> {
    if (this.db.kind === 'embedded') {
      // One process holds the embedded database: a job 'running' now was left by a service that stopped.
      const { rows } = await this.db.query<{ id: string }>("UPDATE scoring_jobs SET state = 'queued', owner = NULL, progress = NULL WHERE state = 'running' RETURNING id");
      for (const r of rows) this.log(`scoring job ${r.id}: left running by a stopped service; it is redone.`);
    }
    this.pollTimer = setInterval(() => this.nudge(), this.options.pollMs ?? 2000);
    if (this.options.everyMs) {
      this.scheduleTimer = setInterval(() => void this.schedule(), this.options.everyMs);
      void this.schedule();
    }
    this.nudge();
  }

  /** Queues a job when the data changed since the last one (what the schedule does each time). */
  async schedule(): Promise<ScoringJob | null> {
    try {
      const queued = await requestScoring(this.db, SCHEDULE, { onlyIfChanged: true });
      if (queued?.created) this.log(`scoring job ${queued.job.id}: queued by the schedule (the data changed).`);
      this.nudge();
      return queued?.job ?? null;
    } catch (error) {
      this.log(`scoring schedule: ${(error as Error).message}`);
      return null;
    }
  }

  /** Looks for a job now (after one was asked for here). */
  nudge(): void {
    if (this.running || this.stopping) return;
    this.running = this.takeAndRun()
      .catch((error: Error) => this.log(`scoring: ${error.message}`))
      .finally(() => {
        this.running = null;
      });
  }

  /** Resolves when no job is running here (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.stopping = true;
    clearInterval(this.pollTimer);
    clearInterval(this.scheduleTimer);
    await this.pool?.close();
    await this.running;
  }

  /** Takes the oldest queued job, or a running one whose heartbeat is stale, and runs it; repeats while there are some. */
  private async takeAndRun(): Promise<void> {
    for (;;) {
      if (this.stopping) return;
      const job = await this.claim();
      if (!job) return;
      await this.runJob(job);
    }
  }

  private async claim(): Promise<ScoringJob | null> {
    for (;;) {
      const { rows } = await this.db.query<JobRow>(
        `UPDATE scoring_jobs SET state = 'running', owner = $1, started_at = now(), heartbeat_at = now(), attempts = attempts + 1, progress = NULL, message = NULL
         WHERE id = (SELECT id FROM scoring_jobs
                     WHERE state = 'queued' OR (state = 'running' AND heartbeat_at < now() - make_interval(secs => $2))
                     ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
         RETURNING ${JOB_COLUMNS}`,
        [this.owner, this.leaseMs / 1000],
      );
      const row = rows[0];
      if (!row) return null;
      const job = jobOf(row);
      if (job.attempts <= MAX_ATTEMPTS) return job;
      await this.db.query("UPDATE scoring_jobs SET state = 'failed', finished_at = now(), message = $2 WHERE id = $1", [
        job.id,
        `Taken ${MAX_ATTEMPTS} times without finishing (the service stopped each time, perhaps out of memory): not tried again.`,
      ]);
      this.log(`scoring job ${job.id}: failed after ${MAX_ATTEMPTS} attempts.`);
    }
  }

  /** Renews the lease (and says how far the job is, unless null); throws LostJob when another instance took the job meanwhile. */
  private async heartbeat(jobId: number, progress: ScoringJob['progress']): Promise<void> {
    const { rows } = await this.db.query<{ id: string }>(
      "UPDATE scoring_jobs SET heartbeat_at = now(), progress = COALESCE($3, progress) WHERE id = $1 AND owner = $2 AND state = 'running' RETURNING id",
      [jobId, this.owner, progress ? JSON.stringify(progress) : null],
    );
    if (rows.length === 0) throw new LostJob(`scoring job ${jobId} was taken by another instance (this one's heartbeat was late).`);
  }

  private async runJob(job: ScoringJob): Promise<void> {
    const started = Date.now();
    let lastBeat = 0;
    let lost: LostJob | null = null;
    const beat = async (progress: ScoringJob['progress'], force = false) => {
      if (!force && Date.now() - lastBeat < this.leaseMs / 6) return;
      lastBeat = Date.now();
      await this.heartbeat(job.id, progress);
    };
    // The lease is renewed while workers compute, not only between slices.
    const keepAlive = setInterval(() => {
      this.heartbeat(job.id, null).catch((error: Error) => {
        if (error instanceof LostJob) lost = error;
      });
    }, this.leaseMs / 3);
    this.pool = new WorkerPool(this.db, this.workers, this.options.url);
    try {
      await this.db.query('DELETE FROM scoring_staging WHERE job_id = $1', [job.id]);
      const { frame, slices, tiers, customers, version } = await this.prepare(job);
      const stages = { summarise: Date.now(), fit: 0, score: 0 };
      await beat({ stage: 'summarise', done: 0, total: slices.length }, true);
      const check = () => {
        if (lost) throw lost;
      };
      const summaries = (await this.pool.all(
        slices.map(([shardFrom, shardTo]) => ({ kind: 'summarise', frame, shardFrom, shardTo })),
        (done) => (check(), beat({ stage: 'summarise', done, total: slices.length })),
      )) as SliceSummary[];
      stages.fit = Date.now();
      await beat({ stage: 'fit', done: 0, total: 1 }, true);
      const [model] = (await this.pool.all([{ kind: 'fit', frame, slices: summaries }], () => check())) as [FittedModel];
      stages.score = Date.now();
      await beat({ stage: 'score', done: 0, total: slices.length }, true);
      await this.pool.all(
        slices.map(([shardFrom, shardTo]) => ({ kind: 'score', frame, shardFrom, shardTo, model })),
        (done) => (check(), beat({ stage: 'score', done, total: slices.length })),
      );
      check();
      const scored = Date.now();
      const runId = await this.finish(job, { frame, model, tiers, customers, version, seconds: (Date.now() - started) / 1000 });
      const s = (ms: number) => (ms / 1000).toFixed(1);
      this.log(
        `scoring job ${job.id}: run ${runId}, ${customers.toLocaleString('en-US')} customers (${model.name}) in ${s(Date.now() - started)} s (summarise ${s(stages.fit - stages.summarise)}, fit ${s(stages.score - stages.fit)}, score ${s(scored - stages.score)}, write ${s(Date.now() - scored)}; ${slices.length} slices, ${this.workers} workers).`,
      );
    } catch (error) {
      if (error instanceof LostJob || this.stopping) {
        this.log(this.stopping ? `scoring job ${job.id}: stopped with the service; it is taken again at the next start.` : error instanceof Error ? error.message : String(error));
        if (this.stopping) await this.db.query("UPDATE scoring_jobs SET state = 'queued', owner = NULL WHERE id = $1 AND owner = $2 AND state = 'running'", [job.id, this.owner]).catch(() => {});
        return;
      }
      const message = (error as Error).message;
      this.log(`scoring job ${job.id}: failed: ${message}`);
      await this.db.query("UPDATE scoring_jobs SET state = 'failed', finished_at = now(), message = $3 WHERE id = $1 AND owner = $2", [job.id, this.owner, message.slice(0, 2000)]);
      await recordAudit(this.db, null, { action: 'score-run', target: `job ${job.id}`, outcome: 'refused', after: { job: job.id, requestedBy: job.requestedBy, message: message.slice(0, 500) } });
    } finally {
      clearInterval(keepAlive);
      await this.pool.close();
      this.pool = null;
      await this.db.query('DELETE FROM scoring_staging WHERE job_id = $1', [job.id]).catch(() => {});
    }
  }

  /** The job's frame: the source, its first and last day, the holdout split, the slices of shards, the tiers. */
  private async prepare(job: ScoringJob): Promise<{ frame: JobFrame; slices: [number, number][]; tiers: TierConfig; customers: number; version: number }> {
    const version = await dataVersion(this.db);
    await this.db.query('UPDATE scoring_jobs SET data_version = $2 WHERE id = $1', [job.id, version]);
    const tiers = parseTierConfig((await readConfig(this.db, 'tiers')).value);
    const { tiers: _defaultTiers, ...settings } = DEFAULT_SCORING_SETTINGS;
    const byShard = await this.db.query<{ shard: number; n: string; customers: string; first: number | null; last: number | null }>(
      "SELECT shard, count(*) AS n, count(DISTINCT customer_id) AS customers, min(day - DATE '1970-01-01') AS first, max(day - DATE '1970-01-01') AS last FROM transactions GROUP BY shard ORDER BY shard",
    );
    let source: JobFrame['source'] = 'transactions';
    let shards = byShard.rows;
    if (shards.length === 0) {
      source = 'summaries';
      shards = (await this.db.query<{ shard: number; n: string; customers: string; first: null; last: null }>('SELECT shard, count(*) AS n, count(*) AS customers, NULL AS first, NULL AS last FROM summaries GROUP BY shard ORDER BY shard')).rows;
      if (shards.length === 0) throw new Error('There is nothing to score: upload the transactions (or the warehouse summaries) first.');
    }
    let minDay = Infinity;
    let maxDay = -Infinity;
    let customers = 0;
    for (const s of shards) {
      customers += Number(s.customers);
      if (s.first !== null) minDay = Math.min(minDay, Number(s.first));
      if (s.last !== null) maxDay = Math.max(maxDay, Number(s.last));
    }
    const observationEnd = source === 'transactions' ? maxDay : Number.NaN;
    const calibrationEnd = source === 'transactions' ? calibrationEndOf(DEFAULT_SCORING_SETTINGS, minDay, maxDay) : null;
    // Contiguous shard ranges of about sliceRows rows each (a shard is never split).
    const limit = this.options.sliceRows ?? 200_000;
    const slices: [number, number][] = [];
    let from = 0;
    let rows = 0;
    for (const s of shards) {
      const n = Number(s.n);
      if (rows > 0 && rows + n > limit) {
        slices.push([from, Number(s.shard)]);
        from = Number(s.shard);
        rows = 0;
      }
      rows += n;
    }
    slices.push([from, SHARDS]);
    return { frame: { jobId: job.id, source, settings, observationEnd, calibrationEnd }, slices, tiers, customers, version };
  }

  /** The run, in one transaction: tiers over the whole run, scores, old runs dropped, the job done, audited. */
  private async finish(
    job: ScoringJob,
    done: { frame: JobFrame; model: FittedModel; tiers: TierConfig; customers: number; version: number; seconds: number },
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      const mine = await tx.query("SELECT id FROM scoring_jobs WHERE id = $1 AND owner = $2 AND state = 'running' FOR UPDATE", [job.id, this.owner]);
      if (mine.rows.length === 0) throw new LostJob(`scoring job ${job.id} was taken by another instance before it finished here; its result is dropped.`);
      const { rows: counts } = await tx.query<{ n: string; valued: string }>('SELECT count(*) AS n, count(rank_value) AS valued FROM scoring_staging WHERE job_id = $1', [job.id]);
      const n = Number(counts[0]!.n);
      const valued = Number(counts[0]!.valued);
      const { model, frame } = done;
      const summary = {
        model: model.name,
        params: model.params,
        logLikelihood: model.logLikelihood,
        converged: model.converged,
        spend: model.spend,
        holdout: model.holdout,
        choice: model.choice,
        notes: model.notes,
        source: frame.source,
        dataEnd: Number.isFinite(frame.observationEnd) ? formatDay(frame.observationEnd) : null,
        seconds: done.seconds,
      };
      const { rows } = await tx.query<{ id: string }>(
        'INSERT INTO score_runs (source, uploaded_by, customers, rows, job_id, data_version, model) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
        [`scoring job ${job.id}`, job.requestedBy, n, n, job.id, done.version, JSON.stringify(summary)],
      );
      const runId = Number(rows[0]!.id);
      await tx.query(
        `INSERT INTO scores (run_id, customer_id, email, domain, clv, score, facts)
         SELECT $1, customer_id, email, domain, clv, score || jsonb_build_object('tier', ($3::text[])[${tierCase(done.tiers, n, valued)} + 1]), facts
         FROM (SELECT s.*, CASE WHEN rank_value IS NULL THEN NULL ELSE row_number() OVER (ORDER BY rank_value DESC NULLS LAST, score->>'customerId' COLLATE "C") END AS rank
               FROM scoring_staging s WHERE job_id = $2) ranked`,
        [runId, job.id, done.tiers.tiers.map((t) => t.name)],
      );
      await tx.query('DELETE FROM scoring_staging WHERE job_id = $1', [job.id]);
      await tx.query('DELETE FROM score_runs WHERE id NOT IN (SELECT id FROM score_runs ORDER BY id DESC LIMIT $1)', [KEEP_RUNS]);
      await tx.query("UPDATE scoring_jobs SET state = 'done', finished_at = now(), run_id = $2, progress = NULL WHERE id = $1", [job.id, runId]);
      await recordAudit(tx, null, { action: 'score-run', target: 'scores', outcome: 'done', after: { run: runId, job: job.id, requestedBy: job.requestedBy, customers: n, model: model.name } });
      return runId;
    });
  }
}

/**
 * The tier index as SQL, from a row's `rank` (1 = highest value; NULL = no value) and `rank_value`:
 * lib/tiers/assign.ts's rules — percentile tiers take the ranks up to ceil(N × cumulative percent / 100)
 * of ALL N customers; absolute tiers the values reaching their minValue; no value: the last tier.
 */
export function tierCase(config: TierConfig, count: number, valued: number): string {
  const last = config.tiers.length - 1;
  const arms: string[] = [];
  if (config.cutoff === 'percentile') {
    let cumulative = 0;
    for (let k = 0; k < last; k++) {
      cumulative += config.tiers[k]?.percent ?? 0;
      const end = Math.min(valued, ceilShare(count, cumulative));
      arms.push(`WHEN rank <= ${end} THEN ${k}`);
    }
  } else {
    for (let k = 0; k < last; k++) {
      const min = config.tiers[k]?.minValue;
      if (min !== undefined && Number.isFinite(min)) arms.push(`WHEN rank_value >= ${Number(min)} THEN ${k}`);
    }
  }
  return `(CASE WHEN rank IS NULL THEN ${last} ${arms.join(' ')} ELSE ${last} END)`;
}
