/**
 * Benchmark helpers: the shape of a benchmark, timing (median of runs), memory deltas, and
 * seeded synthetic data (BG/NBD and Pareto/NBD customers, transaction-log text).
 * Run by scripts/bench.mjs (`npm run bench`), one benchmark per child process so memory figures
 * are not polluted by the others.
 */

export interface Measurement {
  /** The figure compared with the target (e.g. median seconds, rows per second). */
  value: number;
  /** Unit of value: 's' (lower is better) or 'rows/s' (higher is better). */
  unit: 's' | 'rows/s';
  /** Peak RSS increase during the measured work, in MB (when measured). */
  memoryMB?: number;
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
  run(): Measurement;
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

/** A seeded uniform generator on (0, 1) (xorshift128+ style via two 32-bit states). */
export function rng(seed: number): () => number {
  let a = seed >>> 0 || 1;
  let b = (seed * 2654435761) >>> 0 || 2;
  return () => {
    let t = a ^ (a << 11);
    a = b;
    b = b ^ (b >>> 19) ^ (t ^ (t >>> 8));
    t = b >>> 0;
    return (t + 0.5) / 4294967296;
  };
}

/** Standard normal (Box-Muller). */
function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** Gamma(shape, rate) draw (Marsaglia & Tsang 2000; shape < 1 by the boost u^(1/shape)). */
export function gamma(u: () => number, shape: number, rate: number): number {
  if (shape < 1) return gamma(u, shape + 1, rate) * Math.pow(u(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(u);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const w = u();
    if (w < 1 - 0.0331 * x * x * x * x || Math.log(w) < 0.5 * x * x + d * (1 - v + Math.log(v))) return (d * v) / rate;
  }
}

/** Beta(a, b) draw. */
export function beta(u: () => number, a: number, b: number): number {
  const x = gamma(u, a, 1);
  return x / (x + gamma(u, b, 1));
}

export interface SyntheticSummary {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
}

/**
 * Customers from BG/NBD (FHL 2005) with CDNOW-like parameters, acquired uniformly over the first
 * 84 days of a 273-day calibration, purchases on whole days (same day counts once), in weeks.
 */
export function simulateBgnbd(n: number, seed = 1, params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }): SyntheticSummary {
  const u = rng(seed);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const Tdays = 273 - Math.floor(u() * 84);
    const lambda = gamma(u, params.r, params.alpha) / 7; // per day
    const p = beta(u, params.a, params.b);
    let t = 0;
    let count = 0;
    let last = 0;
    let lastDay = 0;
    for (;;) {
      t += -Math.log(u()) / lambda;
      if (t > Tdays) break;
      const day = Math.floor(t);
      if (day !== lastDay) {
        count++;
        last = day;
        lastDay = day;
      }
      if (u() < p) break;
    }
    x[i] = count;
    tx[i] = last / 7;
    T[i] = Tdays / 7;
  }
  return { x, tx, T };
}

/** Customers from Pareto/NBD (Schmittlein, Morrison & Colombo 1987) with CDNOW-like parameters, whole days, in weeks. */
export function simulateParetoNbd(n: number, seed = 2, params = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 }): SyntheticSummary {
  const u = rng(seed);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const Tdays = 273 - Math.floor(u() * 84);
    const lambda = gamma(u, params.r, params.alpha) / 7;
    const mu = gamma(u, params.s, params.beta) / 7;
    const death = -Math.log(u()) / mu;
    const end = Math.min(death, Tdays);
    let t = 0;
    let count = 0;
    let last = 0;
    for (;;) {
      t += -Math.log(u()) / lambda;
      if (t > end) break;
      const day = Math.floor(t);
      if (day !== last) {
        count++;
        last = day;
      }
    }
    x[i] = count;
    tx[i] = last / 7;
    T[i] = Tdays / 7;
  }
  return { x, tx, T };
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
