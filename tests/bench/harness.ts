/**
 * Benchmark helpers: the shape of a benchmark, timing (median of runs), memory deltas, and
 * seeded synthetic data (BG/NBD and Pareto/NBD customers, transaction-log text).
 * Run by scripts/bench.mjs (`npm run bench`), one benchmark per child process so memory figures
 * are not polluted by the others.
 */
import { beta, exponential, gamma, mulberry32, type Random } from '../helpers/simulate';

export interface Measurement {
  /** The figure compared with the target (e.g. median seconds, rows per second). */
  value: number;
  /** Unit of value: 's' or 'KB' (lower is better) or 'rows/s' (higher is better). */
  unit: 's' | 'rows/s' | 'KB';
  /** Peak RSS increase during the measured work, in MB (when measured). */
  memoryMB?: number;
  /** Memory in words, shown instead of memoryMB (the browser benchmarks: peak heaps of page and workers). */
  memory?: string;
  /** The work was stopped before it finished: value is a lower bound. */
  lowerBound?: boolean;
  /** Anything else worth printing (rows after compression, parameters, runs). */
  detail: string;
}

export interface Benchmark {
  name: string;
  /** The target, in the measurement's unit (seconds: at most; rows/s: at least). */
  target: number;
  /** Memory target in MB (peak RSS increase), if any. */
  memoryTargetMB?: number;
  /** Reference figure from Python lifetimes on this machine (seconds), if any. */
  reference?: { seconds: number; memoryMB?: number; label: string };
  /** The measurement (a promise for those that wait on a database). */
  run(): Measurement | Promise<Measurement>;
}

/** Median of a list. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Seconds taken by f. */
export function seconds(f: () => void): number {
  const start = performance.now();
  f();
  return (performance.now() - start) / 1000;
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

/**
 * Runs f once and measures the peak resident memory it added: the process's peak RSS
 * (resourceUsage().maxRSS) after f minus the RSS before f. Returns f's result, seconds and MB.
 */
export function withMemory<T>(f: () => T): { result: T; seconds: number; memoryMB: number } {
  collect();
  const before = process.memoryUsage().rss;
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  const start = performance.now();
  const result = f();
  const elapsed = (performance.now() - start) / 1000;
  const peakAfter = process.resourceUsage().maxRSS * 1024;
  const now = process.memoryUsage().rss;
  const peak = Math.max(peakAfter > peakBefore ? peakAfter : 0, now);
  return { result, seconds: elapsed, memoryMB: Math.max(0, peak - before) / 2 ** 20 };
}

/**
 * The benchmarks' seeded uniform generator: mulberry32 from tests/helpers/simulate.ts, the one the
 * unit tests' simulators use (its gamma, beta and exponential draws are used here too).
 */
export const rng: (seed: number) => Random = mulberry32;

export interface SyntheticSummary {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
}

/**
 * Purchases at `lambda` per day on (0, end] days after a first purchase on day 0, counted in whole
 * days (several on one day count once; day 0 is the first purchase, not a repeat). With `dropout`,
 * the customer leaves after each purchase with that probability (BG/NBD). Returns [repeat days,
 * last repeat day].
 */
function wholeDayRepeats(u: Random, lambda: number, end: number, dropout = 0): [number, number] {
  let t = 0;
  let count = 0;
  let last = 0;
  for (;;) {
    t += exponential(u, lambda);
    if (t > end) return [count, last];
    const day = Math.floor(t);
    if (day !== last) {
      count++;
      last = day;
    }
    if (dropout > 0 && u() < dropout) return [count, last];
  }
}

/** Observation length in days: acquired uniformly over the first 84 days of a 273-day calibration. */
const observedDays = (u: Random) => 273 - Math.floor(u() * 84);

function summaryOf(n: number, customer: (i: number) => [number, number, number]): SyntheticSummary {
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [count, lastDay, Tdays] = customer(i);
    x[i] = count;
    tx[i] = lastDay / 7;
    T[i] = Tdays / 7;
  }
  return { x, tx, T };
}

/**
 * Customers from BG/NBD (FHL 2005) with CDNOW-like parameters, acquired uniformly over the first
 * 84 days of a 273-day calibration, purchases on whole days (same day counts once), in weeks.
 */
export function simulateBgnbd(n: number, seed = 1, params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }): SyntheticSummary {
  const u = rng(seed);
  return summaryOf(n, () => {
    const Tdays = observedDays(u);
    const lambda = gamma(u, params.r, params.alpha) / 7; // per day
    const p = beta(u, params.a, params.b);
    return [...wholeDayRepeats(u, lambda, Tdays, p), Tdays];
  });
}

/** Customers from Pareto/NBD (Schmittlein, Morrison & Colombo 1987) with CDNOW-like parameters, whole days, in weeks. */
export function simulateParetoNbd(n: number, seed = 2, params = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 }): SyntheticSummary {
  const u = rng(seed);
  return summaryOf(n, () => {
    const Tdays = observedDays(u);
    const lambda = gamma(u, params.r, params.alpha) / 7;
    const mu = gamma(u, params.s, params.beta) / 7;
    const death = exponential(u, mu);
    return [...wholeDayRepeats(u, lambda, Math.min(death, Tdays)), Tdays];
  });
}

/**
 * A transaction-log CSV text (header id,date,amount; ids like C0001234; ISO dates over two
 * years; amounts with two decimals) of about `rows` rows.
 */
export function syntheticLogText(rows: number, customers: number, seed = 3): string {
  const u = rng(seed);
  const start = Date.UTC(2022, 0, 1) / 86400000;
  const dates = Array.from({ length: 730 }, (_, k) => new Date((start + k) * 86400000).toISOString().slice(0, 10));
  const parts: string[] = ['id,date,amount'];
  for (let i = 0; i < rows; i++) {
    const c = Math.floor(u() * customers);
    const date = dates[Math.floor(u() * 730)] as string;
    const amount = (5 + u() * 200).toFixed(2);
    parts.push(`C${String(c).padStart(7, '0')},${date},${amount}`);
  }
  return parts.join('\n') + '\n';
}
