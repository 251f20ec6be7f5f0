#!/usr/bin/env node
/**
 * `npm run bench [-- FILTER]`: runs the benchmarks in tests/bench/*.bench.ts, each in its own Node
 * process (so time and memory figures do not disturb each other), then the browser benchmarks
 * (tests/bench/browser/run.ts: import, scoring and lookup measured in real Chromium with the built
 * extension, which it builds first when the build is missing or stale), and prints one table of the
 * figures, their ratio to the targets and to the Python lifetimes reference. Never fails on timing:
 * the exit code is 0 unless a benchmark crashes. FILTER runs only the benchmarks whose name contains
 * it ("browser" for the browser ones, "team service" for the service's); `--scale=0.1` shrinks the browser
 * and team service benchmarks for a quick check, and `--scale=10` makes the team service's scoring
 * benchmark 10,000,000 customers (1,000,000 by default).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_DIR = join(ROOT, 'tests', 'bench');
const MARK = 'BENCH_RESULT ';

async function load(file) {
  const module = await import(pathToFileURL(join(BENCH_DIR, file)).href);
  return module.benchmarks ?? [];
}

async function child(file, index, options) {
  const benchmarks = await load(file);
  const { benchOptions } = await import(pathToFileURL(join(BENCH_DIR, 'harness.ts')).href);
  const result = await benchmarks[index].run(benchOptions(options));
  process.stdout.write(`${MARK}${JSON.stringify(result)}\n`);
}

/**
 * The browser benchmarks, in a child process (it skips those the filter leaves out); each result
 * arrives as a BENCH_RESULT line, progress on standard error. `options` (e.g. --scale=0.1) are passed on.
 */
function browserRows(filter, options, script = 'run.ts') {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(BENCH_DIR, 'browser', script), '--emit', ...options, ...(filter ? [filter] : [])], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const rows = (run.stdout ?? '')
    .split('\n')
    .filter((l) => l.startsWith(MARK))
    .map((l) => JSON.parse(l.slice(MARK.length)));
  if (run.status !== 0 && !rows.some((r) => r.error)) {
    rows.push({ b: { name: 'Browser benchmarks', target: Number.NaN }, error: `exit ${run.status ?? run.signal}; see the messages above` });
  }
  return rows;
}

async function parent(filter, options) {
  const files = readdirSync(BENCH_DIR).filter((f) => f.endsWith('.bench.ts')).sort();
  const rows = [];
  for (const file of files) {
    const benchmarks = await load(file);
    for (let i = 0; i < benchmarks.length; i++) {
      const b = benchmarks[i];
      if (filter && !b.name.toLowerCase().includes(filter.toLowerCase())) continue;
      process.stderr.write(`running: ${b.name} …\n`);
      const run = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', fileURLToPath(import.meta.url), '--child', file, String(i), ...options], {
        cwd: ROOT,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      const line = (run.stdout ?? '').split('\n').find((l) => l.startsWith(MARK));
      if (run.status !== 0 || !line) {
        rows.push({ b, error: (run.stderr || run.stdout || `exit ${run.status}`).trim().split('\n').slice(-3).join(' | ') });
        continue;
      }
      const m = JSON.parse(line.slice(MARK.length));
      // A benchmark that gives several figures (one setup, many measurements): one row each.
      if (Array.isArray(m)) for (const { name, target, ...one } of m) rows.push({ b: { name, target: target ?? Number.NaN }, m: one });
      else rows.push({ b, m });
    }
  }

  rows.push(...browserRows(filter, options));
  // Issue 5: the sidebar on a host page (tier painted after navigation, long tasks, script size).
  if (!filter || 'browser chromium sidebar'.includes(filter)) rows.push(...browserRows(undefined, [], 'sidebar.ts'));
  // Issue 8: tier chips on a 500-row list view (main-thread work, long tasks while scrolling).
  if (!filter || 'browser chromium lists chips'.includes(filter)) rows.push(...browserRows(undefined, [], 'lists.ts'));
  // Issue 19: a team rule change reaching another browser's open sidebar (min and median over 10 changes).
  if (!filter || 'browser chromium team'.includes(filter)) rows.push(...browserRows(undefined, [], 'team.ts'));

  const { formatTable } = await import(pathToFileURL(join(BENCH_DIR, 'report.ts')).href);
  console.log('');
  for (const line of formatTable(rows)) console.log(line);
  console.log('');
  console.log(`Node ${process.version}, ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min) at the end.`);
  console.log('"ratio to target" below 1 is better for times (measured / target) and for throughput (target / measured); "> " marks work stopped before it finished.');
  console.log('Memory: Node rows, the peak RSS increase; browser rows, the peak V8 heap in use of the page and its workers (with ArrayBuffers and Blink objects in brackets) sampled over CDP, and the extension renderer process RSS.');
  console.log('Timings vary with the machine and its load; this script reports them and never fails on them.');
  process.exitCode = rows.some((r) => r.error) ? 1 : 0;
}

const args = process.argv.slice(2);
if (args[0] === '--child') await child(args[1], Number(args[2]), args.slice(3));
else await parent(args.find((a) => !a.startsWith('--')), args.filter((a) => a.startsWith('--')));
