/**
 * Seeded simulators of customers from known parameters, for synthetic-recovery tests of the models.
 * Every simulator is deterministic given its seed (mulberry32 PRNG), so tests are reproducible.
 *
 * Time unit: whatever the parameters are in (the rates lambda ~ Gamma(r, alpha) are per unit of T).
 * Each customer's first purchase is at time 0; x counts repeat purchases, t_x is the time of the
 * last one (0 when x = 0), T is the observation length.
 */
import type { RfmData } from '../../lib/clv/model';

/** A uniform [0, 1) generator. */
export type Random = () => number;

/** mulberry32: a small, fast 32-bit seeded PRNG (Tommy Ettinger's public-domain design). */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform in (0, 1): never exactly 0, so logs stay finite. */
function uniformOpen(random: Random): number {
  let u = random();
  while (u === 0) u = random();
  return u;
}

/** Standard normal by Box-Muller. */
export function normal(random: Random): number {
  const u = uniformOpen(random);
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, rate) by Marsaglia & Tsang (2000), with the u^(1/shape) boost for shape < 1. */
export function gamma(random: Random, shape: number, rate = 1): number {
  if (shape < 1) return gamma(random, shape + 1, rate) * Math.pow(uniformOpen(random), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = uniformOpen(random);
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return (d * v) / rate;
  }
}

/** Beta(a, b) as a ratio of gammas. */
export function beta(random: Random, a: number, b: number): number {
  const x = gamma(random, a);
  const y = gamma(random, b);
  return x / (x + y);
}

/** Exponential with the given rate. */
export function exponential(random: Random, rate: number): number {
  return -Math.log(uniformOpen(random)) / rate;
}

/** Observation lengths: one T for everyone, or one per customer. */
export type Horizon = number | ArrayLike<number>;

function horizonOf(T: Horizon, i: number): number {
  return typeof T === 'number' ? T : (T[i] as number);
}

function emptyRfm(n: number): RfmData {
  return {
    x: new Float64Array(n),
    tx: new Float64Array(n),
    T: new Float64Array(n),
    weight: new Float64Array(n).fill(1),
  };
}

/** Purchases of a Poisson(lambda) process on (0, end], returning [count, time of last]. */
function poissonPath(random: Random, lambda: number, end: number): [number, number] {
  let t = 0;
  let count = 0;
  let last = 0;
  for (;;) {
    t += exponential(random, lambda);
    if (t > end) return [count, last];
    count++;
    last = t;
  }
}

/**
 * BG/NBD (Fader, Hardie & Lee 2005): lambda ~ Gamma(r, alpha), p ~ Beta(a, b); purchases at rate
 * lambda; after each repeat purchase the customer drops out with probability p.
 */
export function simulateBgnbd(
  params: { r: number; alpha: number; a: number; b: number },
  n: number,
  T: Horizon,
  seed: number,
): RfmData {
  return simulateGeometricDropout(params, n, T, seed, false);
}

/**
 * MBG/NBD (Batislam, Denizel & Filiztekin 2007): as BG/NBD, but the customer may also drop out
 * right after the first purchase (at time 0) with probability p.
 */
export function simulateMbgnbd(
  params: { r: number; alpha: number; a: number; b: number },
  n: number,
  T: Horizon,
  seed: number,
): RfmData {
  return simulateGeometricDropout(params, n, T, seed, true);
}

function simulateGeometricDropout(
  params: { r: number; alpha: number; a: number; b: number },
  n: number,
  T: Horizon,
  seed: number,
  dropAtStart: boolean,
): RfmData {
  const random = mulberry32(seed);
  const data = emptyRfm(n);
  for (let i = 0; i < n; i++) {
    const end = horizonOf(T, i);
    const lambda = gamma(random, params.r, params.alpha);
    const p = beta(random, params.a, params.b);
    let alive = !(dropAtStart && random() < p);
    let t = 0;
    let x = 0;
    let last = 0;
    while (alive) {
      t += exponential(random, lambda);
      if (t > end) break;
      x++;
      last = t;
      if (random() < p) alive = false;
    }
    data.x[i] = x;
    data.tx[i] = last;
    data.T[i] = end;
  }
  return data;
}

/**
 * Pareto/NBD (Schmittlein, Morrison & Colombo 1987): lambda ~ Gamma(r, alpha), mu ~ Gamma(s, beta);
 * an exponential(mu) lifetime, Poisson(lambda) purchases while alive.
 */
export function simulateParetoNbd(
  params: { r: number; alpha: number; s: number; beta: number },
  n: number,
  T: Horizon,
  seed: number,
): RfmData {
  const random = mulberry32(seed);
  const data = emptyRfm(n);
  for (let i = 0; i < n; i++) {
    const end = horizonOf(T, i);
    const lambda = gamma(random, params.r, params.alpha);
    const mu = gamma(random, params.s, params.beta);
    const lifetime = exponential(random, mu);
    const [x, last] = poissonPath(random, lambda, Math.min(lifetime, end));
    data.x[i] = x;
    data.tx[i] = last;
    data.T[i] = end;
  }
  return data;
}

/** Discrete-time data for BG/BB: x repeat transactions, last at opportunity tx, out of n opportunities. */
export interface BgbbSimulated {
  x: Float64Array;
  tx: Float64Array;
  n: Float64Array;
  weight: Float64Array;
}

/**
 * BG/BB (Fader, Hardie & Shang 2010): p ~ Beta(alpha, beta) per-opportunity transaction probability,
 * theta ~ Beta(gamma, delta) dropout probability. At each of the `periods` opportunities a living
 * customer first dies with probability theta (at the start of the opportunity), else transacts with
 * probability p. `periods` is one number for everyone or one per customer.
 */
export function simulateBgbb(
  params: { alpha: number; beta: number; gamma: number; delta: number },
  n: number,
  periods: Horizon,
  seed: number,
): BgbbSimulated {
  const random = mulberry32(seed);
  const out: BgbbSimulated = {
    x: new Float64Array(n),
    tx: new Float64Array(n),
    n: new Float64Array(n),
    weight: new Float64Array(n).fill(1),
  };
  for (let i = 0; i < n; i++) {
    const opportunities = horizonOf(periods, i);
    const p = beta(random, params.alpha, params.beta);
    const theta = beta(random, params.gamma, params.delta);
    let x = 0;
    let last = 0;
    for (let t = 1; t <= opportunities; t++) {
      if (random() < theta) break;
      if (random() < p) {
        x++;
        last = t;
      }
    }
    out.x[i] = x;
    out.tx[i] = last;
    out.n[i] = opportunities;
  }
  return out;
}
