#!/usr/bin/env node
/**
 * `npm run bench [-- FILTER]`: runs the benchmarks in tests/bench/*.bench.ts, each in its own Node
 * process (so time and memory figures do not disturb each other), and prints a table of the figures,
 * their ratio to the targets and to the Python lifetimes reference. Never fails on timing: the exit
 * code is 0 unless a benchmark crashes.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
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

async function child(file, index) {
  const benchmarks = await load(file);
  const result = benchmarks[index].run();
  process.stdout.write(`${MARK}${JSON.stringify(result)}\n`);
}

function formatValue(value, unit) {
  if (!Number.isFinite(value)) return '—';
  if (unit === 'rows/s') return `${(value / 1e6).toFixed(2)} M rows/s`;
  return value < 1 ? `${(value * 1000).toFixed(1)} ms` : `${value.toFixed(2)} s`;
}

function pad(text, width) {
  return String(text).padEnd(width);
}

async function parent(filter) {
  const files = readdirSync(BENCH_DIR).filter((f) => f.endsWith('.bench.ts')).sort();
  const rows = [];
  for (const file of files) {
    const benchmarks = await load(file);
    for (let i = 0; i < benchmarks.length; i++) {
      const b = benchmarks[i];
      if (filter && !b.name.toLowerCase().includes(filter.toLowerCase())) continue;
      process.stderr.write(`running: ${b.name} …\n`);
      const run = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', fileURLToPath(import.meta.url), '--child', file, String(i)], {
        cwd: ROOT,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      const line = (run.stdout ?? '').split('\n').find((l) => l.startsWith(MARK));
      if (run.status !== 0 || !line) {
        rows.push({ b, error: (run.stderr || run.stdout || `exit ${run.status}`).trim().split('\n').slice(-3).join(' | ') });
        continue;
      }
      rows.push({ b, m: JSON.parse(line.slice(MARK.length)) });
    }
  }

  const table = rows.map(({ b, m, error }) => {
    if (error) return [b.name, 'FAILED', '', '', '', '', error];
    const lowerIsBetter = m.unit === 's';
    let vsTarget = '—';
    let target = '—';
    if (Number.isFinite(b.target)) {
      target = `${lowerIsBetter ? '≤' : '≥'} ${formatValue(b.target, m.unit)}`;
      const ratio = lowerIsBetter ? m.value / b.target : b.target / m.value;
      vsTarget = `${ratio.toFixed(2)}× ${ratio <= 1 ? '(met)' : '(missed)'}`;
    }
    let memory = m.memoryMB === undefined ? '—' : `${m.memoryMB.toFixed(0)} MB`;
    if (m.memoryMB !== undefined && b.memoryTargetMB !== undefined) {
      memory += ` / ≤ ${b.memoryTargetMB} MB ${m.memoryMB <= b.memoryTargetMB ? '(met)' : '(missed)'}`;
    }
    let reference = '—';
    if (b.reference && lowerIsBetter) {
      reference = `${b.reference.label}: ${(b.reference.seconds / m.value).toFixed(0)}× faster`;
      if (b.reference.memoryMB !== undefined && m.memoryMB !== undefined) reference += `, ${(b.reference.memoryMB / Math.max(1, m.memoryMB)).toFixed(1)}× less memory`;
    }
    return [b.name, formatValue(m.value, m.unit), target, vsTarget, memory, reference, m.detail];
  });
  const header = ['benchmark', 'measured', 'target', 'ratio to target', 'memory (peak RSS Δ)', 'vs Python lifetimes', 'detail'];
  const widths = header.map((h, j) => Math.max(h.length, ...table.map((r) => String(r[j]).length)));
  const line = (cells) => cells.map((c, j) => (j === cells.length - 1 ? c : pad(c, widths[j]))).join(' | ');
  console.log('');
  console.log(line(header));
  console.log(widths.map((w, j) => '-'.repeat(j === widths.length - 1 ? Math.min(w, 40) : w)).join('-|-'));
  for (const row of table) console.log(line(row));
  console.log('');
  console.log(`Node ${process.version}; "ratio to target" below 1 is better for times (measured / target) and for throughput (target / measured).`);
  console.log('Timings vary with the machine and its load; this script reports them and never fails on them.');
  process.exitCode = rows.some((r) => r.error) ? 1 : 0;
}

const args = process.argv.slice(2);
if (args[0] === '--child') await child(args[1], Number(args[2]));
else await parent(args[0]);
