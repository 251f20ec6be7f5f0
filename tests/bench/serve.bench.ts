/**
 * "Team service lookups" (issue 19): `centric serve` on PostgreSQL (the throw-away server of
 * tests/support/postgres.ts; the embedded database, with a note, when PostgreSQL is not installed)
 * with 1,000,000 customers at --scale=1, uploaded as a score file in today's format (PUT /v1/scores,
 * the CSV `centric score` writes: lib/dashboard/export.ts), then lookups by email over real HTTP at 1,
 * 50 and 200 concurrent clients beside a static file of the same bytes (one lookup's answer) served by
 * Node's http module from another process, interleaved round by round (service, static, then static,
 * service, …) so both see the same machine. The headline is the ratio service / static of the median
 * latency: min and median over the rounds. Also a batch of 200 identities (POST /v1/lookup/batch) and
 * the service's memory (RSS).
 *
 * Four processes besides PostgreSQL: this one (data, bookkeeping), the service (serve/service.ts), the
 * static server (serve/static.ts) and the load generator (serve/load.ts), whose CPU use is printed to
 * show it was not what limited the figures. Never fails on timing.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreRowsToCsv, type ScoreRow } from '../../lib/dashboard/export';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { type Benchmark, type BenchOptions, median, type NamedMeasurement, rng } from './harness';
import { forkTs, next, type PhaseResult, type Usage, usageOf } from './serve/ipc';
import type { Phase } from './serve/load';

/** Customers at --scale=1. */
const CUSTOMERS = 1_000_000;
const CONCURRENCY = [1, 50, 200] as const;
const ROUNDS = 3;
const PHASE_SECONDS = 3;
const WARMUP_SECONDS = 0.5;
const BATCH = 200;
const BATCH_SECONDS = 5;

const email = (i: number) => `customer${i}@company${i % 20_011}.example`;
/** The default tier names (lib/tiers/config.ts), as `centric score` writes them. */
const TIERS = ['Platinum', 'Gold', 'Iron', 'Lead'] as const;

/** The score file of `customers` customers (ids are email addresses, as a CRM export's often are). */
function scoreFile(customers: number): string {
  const u = rng(19);
  function* rows(): Generator<ScoreRow> {
    for (let i = 0; i < customers; i++) {
      const x = Math.floor(u() * 12);
      const T = 20 + u() * 50;
      const tx = x === 0 ? 0 : u() * T;
      const monetary = 10 + u() * 200;
      const pAlive = x === 0 ? 1 : u();
      const expectedTransactions = pAlive * x * 0.4;
      const clv = expectedTransactions * monetary * 0.9;
      yield { id: email(i), x, tx, T, monetary, pAlive, expectedTransactions, expectedSpend: monetary, clv, lifetimeValue: clv * 1.6, tier: TIERS[clv > 800 ? 0 : clv > 300 ? 1 : clv > 60 ? 2 : 3] };
    }
  }
  return scoreRowsToCsv(rows());
}

const ms = (s: number) => (Number.isFinite(s) ? `${(s * 1000).toFixed(s < 0.01 ? 2 : 1)} ms` : '—');
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const rate = (r: PhaseResult) => r.requests / r.seconds;
/** The machine's CPU time so far: idle and total, all cores (ms). */
const machineCpu = () => cpus().reduce((t, c) => ({ idle: t.idle + c.times.idle, total: t.total + c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq }), { idle: 0, total: 0 });
/**
 * CPU seconds used so far by a process and its children that are still running (PostgreSQL's
 * postmaster and its backends), from /proc; NaN where there is no /proc (not Linux).
 */
function treeCpuSeconds(root: number): number {
  if (!existsSync('/proc/self/stat')) return Number.NaN;
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    if (Number(entry) === root || ppid === root) total += (Number(fields[11]) + Number(fields[12])) / tick;
  }
  return total;
}

const log = (line: string) => process.stderr.write(`  [team service bench] ${line}\n`);

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send({ type: 'stop' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function measure({ scale }: BenchOptions): Promise<NamedMeasurement[]> {
  const customers = Math.max(1000, Math.round(CUSTOMERS * scale));
  const dir = mkdtempSync(join(tmpdir(), 'centric-serve-bench-'));
  let pg: PostgresServer | undefined;
  let service: ChildProcess | undefined;
  let staticServer: ChildProcess | undefined;
  let load: ChildProcess | undefined;
  try {
    let where = 'embedded';
    let database = 'embedded database (PGlite, in memory)';
    try {
      pg = startPostgres();
      where = `postgres://${pg.user}@localhost/${pg.database}?host=${encodeURIComponent(pg.socketDir)}&port=${pg.port}`;
      database = `PostgreSQL ${pg.version.split(' ')[0]} (throw-away cluster, fsync off)`;
    } catch (error) {
      log(`PostgreSQL is not available, so the embedded database is measured instead: ${(error as Error).message}`);
      database = 'embedded database (PGlite, in memory) — PostgreSQL not installed';
    }

    service = forkTs(new URL('./serve/service.ts', import.meta.url), [where, join(dir, 'service.log')]);
    const ready = await next(service, 'ready', 'The team service');
    const { manager, agent } = ready.tokens!;
    const base = ready.address;
    const usageBefore = await usageOf(service, 'The team service');

    // The scores, through the API as a manager would upload them.
    const text = scoreFile(customers);
    log(`uploading ${customers.toLocaleString('en-US')} customers (${mb(text.length)} of CSV) to ${database} …`);
    const t0 = performance.now();
    const uploaded = await fetch(`${base}/v1/scores?name=bench.csv`, { method: 'PUT', headers: { authorization: `Bearer ${manager}`, 'content-type': 'text/csv' }, body: text });
    const uploadSeconds = (performance.now() - t0) / 1000;
    if (uploaded.status !== 200) throw new Error(`The upload was refused: HTTP ${uploaded.status} ${(await uploaded.text()).slice(0, 500)}`);
    const textMB = text.length / 2 ** 20;
    const afterUpload = await usageOf(service, 'The team service');
    log(`uploaded in ${uploadSeconds.toFixed(1)} s`);

    // The static file: the bytes of one real answer.
    const sample = await fetch(`${base}/v1/lookup?email=${encodeURIComponent(email(7))}`, { headers: { authorization: `Bearer ${agent}` } });
    const answer = await sample.text();
    if (sample.status !== 200) throw new Error(`A lookup failed: HTTP ${sample.status} ${answer.slice(0, 300)}`);
    const file = join(dir, 'answer.json');
    writeFileSync(file, answer);
    staticServer = forkTs(new URL('./serve/static.ts', import.meta.url), [file], 256);
    const staticBase = (await next(staticServer, 'ready', 'The static file server')).address;
    load = forkTs(new URL('./serve/load.ts', import.meta.url), [], 1024);
    await next(load, 'ready', 'The load generator');

    const u = rng(7);
    const pick = () => Math.floor(u() * customers);
    const lookups = Array.from({ length: 20_000 }, () => `/v1/lookup?email=${encodeURIComponent(email(pick()))}`);
    // PostgreSQL's CPU (postmaster and backends): the first line of postmaster.pid is its process id.
    const postmasterPid = pg && existsSync(join(pg.dir, 'data', 'postmaster.pid')) ? Number(readFileSync(join(pg.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]) : Number.NaN;
    const databaseCpu = () => (Number.isFinite(postmasterPid) ? treeCpuSeconds(postmasterPid) : Number.NaN);
    type Measured = PhaseResult & { serverCpu: number; machineBusy: number; databaseCpu: number };
    const phase = async (p: Omit<Phase, 'type' | 'warmupSeconds' | 'seconds'> & Partial<Phase>): Promise<Measured> => {
      const server = p.base === base ? service! : staticServer!;
      const before = await usageOf(server, 'a server');
      const machineBefore = machineCpu();
      const databaseBefore = databaseCpu();
      const result = next(load!, 'phase', 'The load generator');
      load!.send({ type: 'phase', warmupSeconds: WARMUP_SECONDS, seconds: PHASE_SECONDS, ...p } satisfies Phase);
      const r = (await result).result;
      const after = await usageOf(server, 'a server');
      const machineAfter = machineCpu();
      const databaseAfter = databaseCpu();
      // Server and database CPU over the whole phase (warm-up included), per second of phase; the machine's share of busy cores.
      const elapsed = r.seconds + (p.warmupSeconds ?? WARMUP_SECONDS);
      return {
        ...r,
        serverCpu: (after.cpuSeconds - before.cpuSeconds) / elapsed,
        databaseCpu: (databaseAfter - databaseBefore) / elapsed,
        machineBusy: 1 - (machineAfter.idle - machineBefore.idle) / Math.max(1, machineAfter.total - machineBefore.total),
      };
    };

    const rows: NamedMeasurement[] = [];
    let peak: Usage = afterUpload;
    for (const concurrency of CONCURRENCY) {
      const svc: Measured[] = [];
      const stat: Measured[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const runService = async () => svc.push(await phase({ base, method: 'GET', paths: lookups, headers: { authorization: `Bearer ${agent}` }, concurrency }));
        const runStatic = async () => stat.push(await phase({ base: staticBase, method: 'GET', paths: ['/answer.json'], headers: { authorization: `Bearer ${agent}` }, concurrency }));
        if (round % 2 === 0) {
          await runService();
          await runStatic();
        } else {
          await runStatic();
          await runService();
        }
        log(`${concurrency} client(s), round ${round + 1}: service p50 ${ms(svc.at(-1)!.p50)} ${rate(svc.at(-1)!).toFixed(0)} req/s; static p50 ${ms(stat.at(-1)!.p50)} ${rate(stat.at(-1)!).toFixed(0)} req/s`);
      }
      const now = await usageOf(service, 'The team service');
      if (now.maxRss > peak.maxRss) peak = now;
      const latencyRatios = svc.map((s, i) => s.p50 / stat[i]!.p50);
      const throughputRatios = svc.map((s, i) => rate(stat[i]!) / rate(s));
      const errors = svc.reduce((n, r) => n + r.errors, 0);
      const samples = [...new Set(svc.flatMap((r) => r.errorSamples))].slice(0, 3);
      const loadCpu = median(svc.map((r) => r.cpuSeconds / r.seconds));
      const clients = `${concurrency} client${concurrency === 1 ? '' : 's'}`;
      rows.push({
        name: `Team service lookup by email, ${clients}, ${customers.toLocaleString('en-US')} customers (median p50 of ${ROUNDS} rounds)`,
        unit: 's',
        value: median(svc.map((r) => r.p50)),
        memory: `service RSS ${mb(now.rss)}`,
        detail:
          `p95 ${ms(median(svc.map((r) => r.p95)))}, p99 ${ms(median(svc.map((r) => r.p99)))}, ${median(svc.map(rate)).toFixed(0)} req/s, ${errors} error${errors === 1 ? '' : 's'}${samples.length ? ` (${samples.join('; ')})` : ''} of ${svc.reduce((n, r) => n + r.requests + r.errors, 0)}; ` +
          `CPU: service ${(median(svc.map((r) => r.serverCpu)) * 100).toFixed(0)} %, ${pg ? `PostgreSQL ${(median(svc.map((r) => r.databaseCpu)) * 100).toFixed(0)} %, ` : ''}load generator ${(loadCpu * 100).toFixed(0)} % of a core, machine ${(median(svc.map((r) => r.machineBusy)) * 100).toFixed(0)} % busy (${cpus().length} cores); ${database}`,
      });
      rows.push({
        name: `  … service / static file (${answer.length} B), ${clients}: p50 latency ratio (median of rounds)`,
        unit: '×',
        value: median(latencyRatios),
        detail:
          `min ${Math.min(...latencyRatios).toFixed(2)}×; static p50 ${ms(median(stat.map((r) => r.p50)))}, p95 ${ms(median(stat.map((r) => r.p95)))}, p99 ${ms(median(stat.map((r) => r.p99)))}, ${median(stat.map(rate)).toFixed(0)} req/s, ` +
          `${stat.reduce((n, r) => n + r.errors, 0)} errors; throughput static/service ${median(throughputRatios).toFixed(2)}× (min ${Math.min(...throughputRatios).toFixed(2)}×); static server ${(median(stat.map((r) => r.serverCpu)) * 100).toFixed(0)} %, load generator ${(median(stat.map((r) => r.cpuSeconds / r.seconds)) * 100).toFixed(0)} % of a core, machine ${(median(stat.map((r) => r.machineBusy)) * 100).toFixed(0)} % busy`,
      });
    }

    // Batches of 200 identities (what the extension asks for a list view), one client.
    const bodies = Array.from({ length: 50 }, () => JSON.stringify({ identities: Array.from({ length: BATCH }, () => ({ email: email(pick()) })) }));
    const batch = await phase({ base, method: 'POST', paths: ['/v1/lookup/batch'], bodies, headers: { authorization: `Bearer ${agent}` }, concurrency: 1, seconds: BATCH_SECONDS });
    const end = await usageOf(service, 'The team service');
    if (end.maxRss > peak.maxRss) peak = end;
    rows.push({
      name: `Team service batch lookup of ${BATCH} emails (POST /v1/lookup/batch), 1 client`,
      unit: 's',
      value: batch.p50,
      memory: `service RSS ${mb(end.rss)}`,
      detail: `p95 ${ms(batch.p95)}, p99 ${ms(batch.p99)}, ${batch.requests} batches in ${batch.seconds.toFixed(1)} s (${((batch.requests * BATCH) / batch.seconds).toFixed(0)} identities/s), ${batch.errors} errors`,
    });
    rows.push({
      name: `Team service upload of ${customers.toLocaleString('en-US')} customers (PUT /v1/scores, ${textMB.toFixed(0)} MB CSV)`,
      unit: 's',
      value: uploadSeconds,
      memory: `service peak RSS ${mb(peak.maxRss)}`,
      detail: `${(customers / uploadSeconds).toFixed(0)} customers/s; service RSS ${mb(usageBefore.rss)} before, ${mb(afterUpload.rss)} after the upload (peak ${mb(afterUpload.maxRss)}); ${database}`,
    });
    return rows;
  } finally {
    await Promise.all([stopChild(load), stopChild(staticServer), stopChild(service)]);
    pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmarks: Benchmark[] = [
  {
    name: 'Team service lookups (PostgreSQL, HTTP, 1/50/200 clients, beside a static file)',
    target: Number.NaN,
    run: measure,
  },
];
