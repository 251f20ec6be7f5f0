/**
 * The issue-4 benchmarks measured in real Chromium with the built extension (Debian's
 * /usr/bin/chromium through playwright-core, headless):
 *
 *   1. import 1,000,000 transactions (100,000 customers) through the options page's wizard, with the
 *      page's responsiveness (long tasks, timer lateness, frame gaps) and peak memory of the page
 *      and the import worker;
 *   2. score the 100,000 customers (the "Score now" button, default settings; then BG/NBD chosen);
 *   3. look up customers by email through the background with 1,000,000 customers stored (p95).
 *
 * Usage: npx tsx tests/bench/browser/run.ts [FILTER] [--scale=0.1] [--emit]
 *   FILTER   runs the benchmarks whose name contains it ("lookup", "score", "import")
 *   --scale  multiplies every size (a quick check; the targets are for scale 1)
 *   --emit   prints each result as a `BENCH_RESULT {json}` line for scripts/bench.mjs instead of
 *            the table at the end
 * Progress goes to standard error. The exit code is 1 only when something broke, never for timing.
 */
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page, Worker } from 'playwright-core';
import type { Benchmark, Measurement } from '../harness';
import { ensureBuilt } from './build';
import { writeTransactionLog } from './data';
import { fillCustomers, quantile, timeLookups, timeStoreReads } from './lookup';
import { valueBucketCount } from '../../../lib/db/values';
import { describePeaks, MemorySampler } from './memory';
import { allowEvaluate, clickAndTime, startProbe, stopProbe, type ClickTiming } from './page';
import { BenchResults } from './results';
import { SCORING_STAGES as SCORING_STAGE_ORDER, STAGE_LABELS } from '../../../lib/scoring/progress';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** How long scoring may run before it is stopped (reported as a lower bound). */
const SCORING_LIMIT_S = 180;
const IMPORT_LIMIT_S = 1200;

const log = (line: string) => process.stderr.write(`  [browser] ${line}\n`);
const count = (n: number) => n.toLocaleString('en-US');
const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
const s = (milliseconds: number) => `${(milliseconds / 1000).toFixed(1)} s`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

type Spec = Pick<Benchmark, 'name' | 'target'>;

/**
 * The benchmarks at a scale (1 = issue 4's sizes). The size targets hold at scale 1 only; "responsive"
 * is read as no long task over 100 ms on the page's main thread (an input answered within 100 ms, RAIL).
 */
function specs(scale: number) {
  const rows = Math.round(1_000_000 * scale);
  const customers = Math.round(100_000 * scale);
  const stored = Math.round(1_000_000 * scale);
  const at = (target: number) => (scale === 1 ? target : Number.NaN);
  return {
    rows,
    customers,
    stored,
    import: { name: `Browser: import ${count(rows)} transactions (${count(customers)} customers), choose file → done`, target: at(30) },
    responsive: { name: 'Browser: options page during that import, longest long task', target: 0.1 },
    score: { name: `Browser: score ${count(customers)} customers, Score now → done (default settings)`, target: at(5) },
    scoreBgnbd: { name: `Browser: score ${count(customers)} customers with BG/NBD chosen, Save → done`, target: at(5) },
    lookup: { name: `Browser: lookup by email via the background, ${count(stored)} customers stored (p95)`, target: at(0.005) },
  } satisfies Record<string, Spec | number>;
}

/** Waits for a page promise at most `limit` seconds; null when it took longer. */
async function within<T>(promise: Promise<T>, limitS: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((done) => (timer = setTimeout(() => done(null), limitS * 1000)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** "start 0.2 s, reading transactions 25.2 s, …": how long each stage shown in the progress line lasted. */
function stages(timing: ClickTiming): string {
  const marks = Object.entries(timing.marks).sort((a, b) => a[1] - b[1]);
  const first = marks[0]?.[1] ?? timing.ms;
  return [`until the first stage ${s(first)}`, ...marks.map(([label, at], i) => `${label.toLowerCase()} ${s((marks[i + 1]?.[1] ?? timing.ms) - at)}`)].join(', ');
}

/** The scoring stages in words, as the progress shows them (lib/scoring/progress.ts). */
const SCORING_STAGES = SCORING_STAGE_ORDER.map((stage) => STAGE_LABELS[stage]);

async function openOptions(page: Page, url: string): Promise<void> {
  await page.goto(url);
  // The page shows its data once the background has done its first-run work (the sample, scored).
  await page.getByTestId('summary-customers').waitFor({ timeout: 120_000 });
}

interface Context {
  page: Page;
  memory: MemorySampler;
  url: string;
  /** The extension's background (service worker). */
  worker: Worker;
  emit(spec: Spec, result: Measurement | Error): void;
  /** Reports an error for spec, with the uncaught exceptions seen in the page and its workers. */
  fail(spec: Spec, error: unknown): void;
}

async function importBench(ctx: Context, sizes: ReturnType<typeof specs>): Promise<boolean> {
  const { page, memory } = ctx;
  const started = performance.now();
  const file = writeTransactionLog(sizes.rows, sizes.customers);
  log(`wrote ${file.path} (${count(file.rows)} rows, ${(file.bytes / 2 ** 20).toFixed(1)} MB) in ${s(performance.now() - started)}`);
  await page.locator('input[name="import-kind"][value="transactions"]').check();
  await page.getByTestId('import-file').setInputFiles(file.path);
  await page.getByTestId('import-mapping').waitFor();
  log('importing…');
  memory.start();
  await startProbe(page);
  const timing = await within(
    clickAndTime(page, {
      click: '[data-testid="import-start"]',
      done: '[data-testid="import-done"]',
      fail: ['[data-testid="import-failed"]', '[data-testid="import-review"]'],
      marks: ['Saving to the local store'],
      marksIn: '[data-testid="import-progress"]',
    }),
    IMPORT_LIMIT_S,
  );
  const probe = await stopProbe(page);
  const peaks = await memory.stop();
  if (!timing) {
    await openOptions(page, ctx.url); // stops the import (its worker ends, its transaction is aborted)
    throw new Error(`the import did not finish within ${IMPORT_LIMIT_S} s`);
  }
  if (timing.ended !== '[data-testid="import-done"]') throw new Error(`the import did not succeed: ${timing.text.slice(0, 300)}`);
  const writing = timing.marks['Saving to the local store'];
  const phases = writing === undefined ? '' : `reading ${s(writing)}, writing ${s(timing.ms - writing)}; `;
  log(`imported in ${s(timing.ms)} (${phases}load ${load()})`);
  ctx.emit(sizes.import, {
    value: timing.ms / 1000,
    unit: 's',
    memory: describePeaks(peaks, ['page', 'import-worker']),
    detail: `${phases}${(file.bytes / 2 ** 20).toFixed(1)} MB file, ${count(Math.round(file.rows / (timing.ms / 1000)))} rows/s; "${timing.text.replace(/Import another file$/, '').trim()}"; load ${load()}`,
  });
  const longest = probe.longTasks.reduce((a, b) => (b.ms > a.ms ? b : a), { at: 0, ms: 0 });
  const total = probe.longTasks.reduce((sum, t) => sum + t.ms, 0);
  // The headline is the page's own work (long tasks); the timer and frame probes also count the
  // time the main thread waited for a CPU, which on a loaded machine is most of their figure.
  ctx.emit(sizes.responsive, {
    value: longest.ms / 1000,
    unit: 's',
    detail:
      `${probe.longTasks.length} long tasks, ${ms(total)} in all` +
      (longest.ms > 0 ? `, the longest ${s(longest.at)} after the click` : '') +
      `; 20 ms timer at most ${ms(probe.maxTimerDelay)} late; ${count(probe.frames)} frames, largest gap ` +
      `${Number.isNaN(probe.maxFrameGap) ? 'not measured' : ms(probe.maxFrameGap)}; over ${s(probe.seconds * 1000)}; load ${load()}`,
  });
  return true;
}

/** Clicks `click` and times scoring to done; stops it (by reloading the page) after the limit. */
async function timeScoring(ctx: Context, spec: Spec, click: string): Promise<void> {
  const { page, memory } = ctx;
  memory.start();
  const timing = await within(
    clickAndTime(page, {
      click,
      done: '[data-testid="scoring-done"]',
      fail: ['[data-testid="scoring-failed"]'],
      marks: SCORING_STAGES,
      marksIn: '[data-testid="scoring-stage"]',
    }),
    SCORING_LIMIT_S,
  );
  const peaks = await memory.stop();
  const memoryText = describePeaks(peaks, ['page', 'score-worker']);
  if (!timing) {
    const stage = await page.getByTestId('scoring-stage').textContent().catch(() => null);
    log(`scoring still running after ${SCORING_LIMIT_S} s (${stage?.trim() ?? 'stage unknown'}); stopping it by reloading the page`);
    await openOptions(page, ctx.url);
    ctx.emit(spec, {
      value: SCORING_LIMIT_S,
      unit: 's',
      lowerBound: true,
      memory: memoryText,
      detail: `stopped after ${SCORING_LIMIT_S} s, still at "${stage?.trim() ?? '?'}"`,
    });
    return;
  }
  if (timing.ended !== '[data-testid="scoring-done"]') throw new Error(timing.text.slice(0, 300));
  log(`scored in ${s(timing.ms)}: ${timing.text} (load ${load()})`);
  ctx.emit(spec, { value: timing.ms / 1000, unit: 's', memory: memoryText, detail: `${stages(timing)}; "${timing.text.trim()}"; load ${load()}` });
}

async function scoreBench(ctx: Context, sizes: ReturnType<typeof specs>): Promise<void> {
  const { page } = ctx;
  // The import starts scoring by itself; reloading the page stops that run (nothing is written), so
  // the measured run starts from the button on an idle page.
  await openOptions(page, ctx.url);
  await page.getByTestId('score-now').waitFor();
  log('scoring (default settings)…');
  try {
    await timeScoring(ctx, sizes.score, '[data-testid="score-now"]');
  } catch (error) {
    ctx.fail(sizes.score, error);
  }
  // The dashboard re-reads the store after a scoring (on the page's main thread): timed on its own,
  // and awaited, so that the next scoring starts from an idle page as the first one did.
  const refreshStarted = performance.now();
  await page.locator('[data-testid="dashboard"][data-state="ready"]').waitFor({ timeout: 120_000 });
  log(`dashboard refreshed ${s(performance.now() - refreshStarted)} after "done" (load ${load()})`);
  log('scoring with BG/NBD chosen…');
  await page.getByTestId('setting-model').selectOption('bgnbd');
  await timeScoring(ctx, sizes.scoreBgnbd, '[data-testid="settings-save"]');
}

async function lookupBench(ctx: Context, sizes: ReturnType<typeof specs>): Promise<void> {
  const { page, memory } = ctx;
  log(`filling the store to ${count(sizes.stored)} customers…`);
  const fill = await fillCustomers(page, sizes.stored, (done, of) => log(`  ${count(done)} of ${count(of)} customers written`));
  log(`store filled: ${count(fill.written)} added in ${s(fill.seconds * 1000)} (${count(Math.round(fill.written / fill.seconds))}/s), ${count(fill.total)} in all`);
  if (fill.written === 0) throw new Error('no filler customers could be written');
  const warmUp = 200;
  const lookups = 2000;
  const started = performance.now();
  const times = await timeLookups(page, fill.written, lookups, warmUp);
  const elapsed = performance.now() - started;
  // Peak memory from a second pass: the sampler's CDP calls pause the contexts they read, which
  // would add to the latencies timed above.
  memory.start();
  const sampled = await timeLookups(page, fill.written, 500, 0, 13);
  const peaks = await memory.stop();
  if (sampled.wrong.length > 0) throw new Error(`${sampled.wrong.length} lookups answered wrongly, e.g. ${sampled.wrong[0]}`);
  if (times.wrong.length > 0) throw new Error(`${times.wrong.length} lookups answered wrongly, e.g. ${times.wrong[0]}`);
  const all = [...times.found, ...times.unknown];
  const p95 = quantile(all, 0.95);
  const inner = await ctx.worker.evaluate(() => ({ h: (globalThis as any).__h as number[], r: (globalThis as any).__r as number[] }));
  if (inner.h) log(`DEBUG handler p50 ${ms(quantile(inner.h.slice(-2000), 0.5))} p95 ${ms(quantile(inner.h.slice(-2000), 0.95))}; readMatch p50 ${ms(quantile(inner.r.slice(-2000), 0.5))} p95 ${ms(quantile(inner.r.slice(-2000), 0.95))}`);
  // The store's share: the same reads, raw, inside the background.
  const reads = await timeStoreReads(ctx.worker, fill.written, 1000, valueBucketCount(fill.total));
  log(`store reads alone (in the background): p50 ${ms(quantile(reads, 0.5))}, p95 ${ms(quantile(reads, 0.95))}`);
  log(`lookups: p50 ${ms(quantile(all, 0.5))}, p95 ${ms(p95)} (load ${load()})`);
  ctx.emit(sizes.lookup, {
    value: p95 / 1000,
    unit: 's',
    memory: describePeaks(peaks, ['background', 'page']),
    detail:
      `${count(lookups)} sequential lookups after ${warmUp} warm-up (${count(times.unknown.length)} unknown emails) in ${s(elapsed)}: ` +
      `p50 ${ms(quantile(all, 0.5))}, p99 ${ms(quantile(all, 0.99))}, max ${ms(Math.max(...all))}; ` +
      `found p95 ${ms(quantile(times.found, 0.95))}, unknown p95 ${ms(quantile(times.unknown, 0.95))}; ` +
      `the store's reads alone (raw IndexedDB in the background, one transaction): p50 ${ms(quantile(reads, 0.5))}, p95 ${ms(quantile(reads, 0.95))}; ` +
      `store filled from the page (${count(fill.written)} records, ${s(fill.seconds * 1000)}); load ${load()}`,
  });
}

export async function main(argv: string[]): Promise<number> {
  const emitLines = argv.includes('--emit');
  const scaleArg = argv.find((a) => a.startsWith('--scale='));
  const scale = scaleArg ? Number(scaleArg.slice('--scale='.length)) : 1;
  const filter = argv.find((a) => !a.startsWith('--'))?.toLowerCase();
  if (!(scale > 0)) throw new Error(`--scale must be a positive number, not ${scaleArg}`);
  const sizes = specs(scale);
  const wants = (spec: Spec) => !filter || 'browser chromium'.includes(filter) || spec.name.toLowerCase().includes(filter);
  const runImport = [sizes.import, sizes.responsive, sizes.score, sizes.scoreBgnbd].some(wants);
  const runScore = [sizes.score, sizes.scoreBgnbd].some(wants);
  const runLookup = wants(sizes.lookup);
  if (!runImport && !runLookup) return 0;

  const results = new BenchResults(emitLines);
  const emit = (spec: Spec, result: Measurement | Error) =>
    results.add(result instanceof Error ? { b: spec, error: result.message.split('\n')[0] } : { b: spec, m: result });
  const benchStarted = performance.now();
  process.stderr.write('running: browser benchmarks (Chromium with the built extension) …\n');
  log(`load average ${load()} at the start (1, 5, 15 min)`);
  process.chdir(ROOT); // tests/support/chromium.ts finds the build relative to the working directory
  const { launchWithExtension, EXTENSION_DIRS } = await import('../../support/chromium');
  ensureBuilt(ROOT, EXTENSION_DIRS.production, log);

  // The build that ships (`wxt build`), not the e2e build with sites granted at install.
  const browser = await launchWithExtension({ build: 'production' });
  try {
    await allowEvaluate(browser.context);
    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const url = browser.extensionUrl('options.html');
    await openOptions(page, url);
    const memory = await MemorySampler.attach(page);
    for (const problem of memory.problems) log(`memory: ${problem}`);
    const fail = (spec: Spec, error: unknown) => {
      const seen = [...pageErrors, ...memory.exceptions];
      emit(spec, new Error(`${(error as Error).message}${seen.length ? ` (uncaught: ${seen.slice(-3).join('; ')})` : ''}`));
    };
    const ctx: Context = { page, memory, url, emit, fail, worker: browser.serviceWorker };

    let imported = false;
    if (runImport) {
      try {
        imported = await importBench(ctx, sizes);
      } catch (error) {
        fail(sizes.import, error);
      }
    }
    if (runScore) {
      if (!imported) emit(sizes.score, new Error('not measured: the import did not succeed'));
      else {
        try {
          await scoreBench(ctx, sizes);
        } catch (error) {
          fail(sizes.scoreBgnbd, error);
        }
      }
    }
    if (runLookup) {
      try {
        await lookupBench(ctx, sizes);
      } catch (error) {
        fail(sizes.lookup, error);
      }
    }
    await memory.detach();
  } finally {
    await browser.close();
  }
  log(`done in ${s(performance.now() - benchStarted)}; load average ${load()} at the end`);
  if (!emitLines) {
    console.log('');
    for (const line of results.table()) console.log(line);
    console.log('');
    console.log(`Chromium (headless) with the built extension; load average at the end ${load()} (1, 5, 15 min) on ${(await import('node:os')).cpus().length} cores.`);
    console.log('Memory: peak V8 heap in use of each context (with ArrayBuffers and Blink objects in brackets), sampled every 200 ms over CDP; the RSS is the whole extension renderer process (page, workers, background).');
  }
  return results.failed ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
