/**
 * The benchmarks' table: each figure, its target and their ratio, memory, the Python lifetimes
 * reference and details. Shared by scripts/bench.mjs (`npm run bench`) and the browser benchmarks
 * when run on their own (tests/bench/browser/run.ts).
 */
import type { Benchmark, Measurement } from './harness';

/** A benchmark's row: its measurement, or the error that stopped it. */
export interface Row {
  b: Pick<Benchmark, 'name' | 'target' | 'memoryTargetMB' | 'reference'>;
  m?: Measurement;
  error?: string;
}

export function formatValue(value: number, unit: Measurement['unit']): string {
  if (!Number.isFinite(value)) return '—';
  if (unit === 'rows/s') return `${(value / 1e6).toFixed(2)} M rows/s`;
  if (unit === 'req/s') return `${value.toFixed(0)} req/s`;
  if (unit === 'KB') return `${value.toFixed(1)} KB`;
  if (unit === '×') return `${value.toFixed(2)}×`;
  return value < 1 ? `${(value * 1000).toFixed(1)} ms` : `${value.toFixed(2)} s`;
}

function cells({ b, m, error }: Row): string[] {
  if (error || !m) return [b.name, 'FAILED', '', '', '', '', error ?? 'no result'];
  const lowerIsBetter = m.unit !== 'rows/s' && m.unit !== 'req/s';
  const atLeast = m.lowerBound ? '> ' : '';
  let vsTarget = '—';
  let target = '—';
  if (Number.isFinite(b.target)) {
    target = `${lowerIsBetter ? '≤' : '≥'} ${formatValue(b.target, m.unit)}`;
    const ratio = lowerIsBetter ? m.value / b.target : b.target / m.value;
    vsTarget = `${atLeast}${ratio.toFixed(2)}× ${ratio <= 1 && !m.lowerBound ? '(met)' : '(missed)'}`;
  }
  let memory = m.memory ?? (m.memoryMB === undefined ? '—' : `${m.memoryMB.toFixed(0)} MB`);
  if (m.memoryMB !== undefined && b.memoryTargetMB !== undefined) {
    memory += ` / ≤ ${b.memoryTargetMB} MB ${m.memoryMB <= b.memoryTargetMB ? '(met)' : '(missed)'}`;
  }
  let reference = '—';
  if (b.reference && lowerIsBetter) {
    reference = `${b.reference.label}: ${(b.reference.seconds / m.value).toFixed(0)}× faster`;
    if (b.reference.memoryMB !== undefined && m.memoryMB !== undefined) reference += `, ${(b.reference.memoryMB / Math.max(1, m.memoryMB)).toFixed(1)}× less memory`;
  }
  return [b.name, `${atLeast}${formatValue(m.value, m.unit)}`, target, vsTarget, memory, reference, m.detail];
}

/** The table as lines of text (the last column, details, is not padded). */
export function formatTable(rows: Row[]): string[] {
  const table = rows.map(cells);
  const header = ['benchmark', 'measured', 'target', 'ratio to target', 'memory', 'vs Python lifetimes', 'detail'];
  const widths = header.map((h, j) => Math.max(h.length, ...table.map((r) => String(r[j]).length)));
  const line = (row: string[]) => row.map((c, j) => (j === row.length - 1 ? c : String(c).padEnd(widths[j] as number))).join(' | ');
  return [
    line(header),
    widths.map((w, j) => '-'.repeat(j === widths.length - 1 ? Math.min(w, 40) : w)).join('-|-'),
    ...table.map(line),
  ];
}
