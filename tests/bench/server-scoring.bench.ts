/**
 * The team service's scoring (lib/server/scoring.ts) on PostgreSQL: 1,000,000 synthetic customers
 * (a few million transactions over two years, BG/NBD-like: each buys from a random first day, dropping
 * out after a purchase with their own probability; made in the database with generate_series), scored
 * sharded by worker threads; `npm run bench -- "service scoring" --scale=10` does 10,000,000. Prints the
 * time of each stage, the peak RSS of the process (its worker threads included: threads share it) and
 * of the main thread's heap, and the database's generation time. Never fails on timing.
 *
 * Shards here are hashtext(id) mod 1024 (the imports use FNV-1a; scoring only needs a stable spread).
 */
import { resourceUsage } from 'node:process';
import { openDatabase } from '../../lib/server/database';
import { migrate } from '../../lib/server/migrations';
import { requestScoring, ScoringService, type ScoringJob } from '../../lib/server/scoring';
import { startPostgres } from '../support/postgres';
import type { Benchmark, Measurement } from './harness';

const scale = Number(process.argv.find((a) => a.startsWith('--scale='))?.slice('--scale='.length) ?? 1) || 1;
const CUSTOMERS = Math.round(1_000_000 * scale);

async function scoreSynthetic(customers: number): Promise<Measurement> {
  const pg = startPostgres();
  const url = `postgres://${pg.user}@localhost/${pg.database}?host=${encodeURIComponent(pg.socketDir)}&port=${pg.port}`;
  const db = await openDatabase({ url });
  try {
    await migrate(db);
    const made = performance.now();
    await db.exec(`
      SELECT setseed(0.42);
      -- BG/NBD-like: after each purchase a customer drops out with probability q (their own), else buys
      -- again after about \`gap\` days; purchases after the end of the two years are not seen.
      CREATE TEMP TABLE gen AS
        SELECT c, floor(random() * 365)::int AS first, 7 + -ln(1 - random()) * 60 AS gap,
               least(30, 1 + floor(ln(1 - random()) / ln(0.95 - random() * 0.5)))::int AS n, 20 + random() * 80 AS spend
        FROM generate_series(1, ${customers}) AS c;
      INSERT INTO transactions (key, customer_id, shard, day, amount)
        SELECT 'k' || c || '-' || j, 'c' || c, abs(hashtext('c' || c)) % 1024, DATE '2023-01-01' + first + floor(j * gap * (0.5 + random()))::int,
               round((spend * (0.5 + random()))::numeric, 2)
        FROM gen, generate_series(0, n - 1) AS j
        WHERE first + floor(j * gap) < 730;
      INSERT INTO customers (customer_id, shard, email)
        SELECT 'c' || c, abs(hashtext('c' || c)) % 1024, 'c' || c || '@example.com' FROM gen;
      DROP TABLE gen;
      ANALYZE transactions;
    `);
    const generated = (performance.now() - made) / 1000;
    const rows = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM transactions')).rows[0]!.n);

    const lines: string[] = [];
    let peakHeap = 0;
    const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 100);
    const rssBefore = process.memoryUsage().rss;
    const service = new ScoringService(db, { url, pollMs: 3_600_000, log: (line) => lines.push(line) });
    const started = performance.now();
    const { job } = (await requestScoring(db, 'schedule'))!;
    await service.start();
    let done: ScoringJob | null = null;
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const { rows: found } = await db.query<{ state: string; message: string | null }>('SELECT state, message FROM scoring_jobs WHERE id = $1', [job.id]);
      if (found[0]!.state === 'done' || found[0]!.state === 'failed') done = { ...job, state: found[0]!.state as 'done', message: found[0]!.message };
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    await service.close();
    if (done.state !== 'done') throw new Error(`The scoring job failed: ${done.message}`);
    const peakRss = resourceUsage().maxRSS / 1024;
    const stages = lines.find((l) => l.includes(': run '))?.replace(/^scoring job \d+: /, '') ?? '';
    return {
      value: seconds,
      unit: 's',
      memoryMB: peakRss - rssBefore / 1_048_576,
      detail: `${customers.toLocaleString('en-US')} customers, ${rows.toLocaleString('en-US')} transactions (made in PostgreSQL in ${generated.toFixed(0)} s); ${stages}; peak RSS of the process with its worker threads ${peakRss.toFixed(0)} MB, main thread heap peak ${(peakHeap / 1_048_576).toFixed(0)} MB`,
    };
  } finally {
    await db.close();
    pg.stop();
  }
}

export const benchmarks: Benchmark[] = [
  {
    name: `Team service scoring, ${CUSTOMERS.toLocaleString('en-US')} customers on PostgreSQL (sharded, 2 worker threads)`,
    target: 120 * scale,
    memoryTargetMB: 1000,
    run: () => scoreSynthetic(CUSTOMERS),
  },
];
