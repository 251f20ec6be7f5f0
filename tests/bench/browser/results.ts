/**
 * What a browser benchmark reports: each figure as a table row and, with --emit, at once as a
 * `BENCH_RESULT {json}` line that scripts/bench.mjs collects. Shared by run.ts, sidebar.ts and lists.ts.
 */
import type { Measurement } from '../harness';
import { formatTable, type Row } from '../report';

export const MARK = 'BENCH_RESULT ';

export class BenchResults {
  readonly rows: Row[] = [];

  constructor(readonly emitLines: boolean) {}

  add(row: Row): void {
    this.rows.push(row);
    if (this.emitLines) process.stdout.write(`${MARK}${JSON.stringify(row)}\n`);
  }

  /** A figure by name and target (NaN: no target), or the error that stopped it. */
  emit(name: string, target: number, m: Measurement | Error): void {
    this.add(m instanceof Error ? { b: { name, target }, error: m.message } : { b: { name, target }, m });
  }

  /** The table of the rows (what a run without --emit prints at the end). */
  table(): string[] {
    return formatTable(this.rows);
  }

  /** Whether something broke (never a timing: those are reported, not judged). */
  get failed(): boolean {
    return this.rows.some((r) => Boolean(r.error));
  }
}
