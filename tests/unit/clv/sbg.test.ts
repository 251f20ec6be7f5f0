import { describe, expect, it } from 'vitest';
import { ClvError } from '../../../lib/clv/errors';
import {
  type LifetimeData,
  type SbgParams,
  DEL,
  DERL,
  churnProbability,
  clvContractual,
  cohortLogLikelihood,
  cohortToLifetimes,
  fitCohort,
  fitLifetimes,
  lifetimeLogLikelihood,
  projectCohort,
  retention,
  survival,
} from '../../../lib/clv/sbg';
import { readSimpleCsv } from '../../helpers/datasets';

// Source: Fader & Hardie (2007), "How to project customer retention", J. Interactive Marketing 21(1),
// via ../shared/datasets/REFERENCE.md: fit years 0-7, hold out 8-12.
const table = readSimpleCsv('sbg_fader_hardie_2007_survival.csv');
const regularAll = table.map((row) => Number(row['regular_alive']));
const highEndAll = table.map((row) => Number(row['highend_alive']));
const regular = regularAll.slice(0, 8);
const highEnd = highEndAll.slice(0, 8);

describe('sBG cohort fit (Fader & Hardie 2007)', () => {
  it('regular cohort: alpha, beta = 0.704, 1.182 (published 3 decimals)', () => {
    const result = fitCohort(regular);
    expect(result.model).toBe('sbg');
    expect(result.converged).toBe(true);
    expect(result.n).toBe(1000);
    expect(Math.abs(result.params.alpha - 0.704)).toBeLessThan(0.0005);
    expect(Math.abs(result.params.beta - 1.182)).toBeLessThan(0.0005);
    // r_1 = beta / (alpha + beta) ≈ 0.627
    expect(Math.abs(retention(result.params, 1) - 0.627)).toBeLessThan(0.0005);
  });

  it('high-end cohort: alpha, beta = 0.668, 3.806 (published 3 decimals)', () => {
    const result = fitCohort(highEnd);
    expect(result.converged).toBe(true);
    expect(Math.abs(result.params.alpha - 0.668)).toBeLessThan(0.0005);
    expect(Math.abs(result.params.beta - 3.806)).toBeLessThan(0.0005);
  });

  it('holdout years 8-12: projected survivors within 5 % of the actual counts', () => {
    // Measured: regular 220.1/204.4/191.2/179.9/170.0 vs actual 223/207/194/183/173;
    // high end 460.4/435.8/414.2/395.1/378.0 vs 468/445/427/409/394 (the largest gap, year 12, is 4.1 %).
    for (const [calibration, all] of [
      [regular, regularAll],
      [highEnd, highEndAll],
    ] as const) {
      const { params } = fitCohort(calibration);
      const projected = projectCohort(params, 1000, 12);
      for (let year = 8; year <= 12; year++) {
        const actual = all[year] as number;
        expect(Math.abs((projected[year] as number) / actual - 1)).toBeLessThan(0.05);
        // The sBG projection bends the right way: below the actual count for these cohorts (the paper's Fig. 4).
        expect(projected[year] as number).toBeLessThan(actual);
      }
    }
  });

  it('retention rises with tenure (heterogeneity), and S, P(T = t), r_t agree', () => {
    const params: SbgParams = { alpha: 0.704, beta: 1.182 };
    let previous = 0;
    let s = 1;
    for (let t = 1; t <= 30; t++) {
      const r = retention(params, t);
      expect(r).toBeGreaterThan(previous);
      previous = r;
      const next = s * r;
      expect(survival(params, t)).toBeCloseTo(next, 12);
      expect(churnProbability(params, t)).toBeCloseTo(s - next, 12);
      s = next;
    }
    expect(survival(params, 0)).toBe(1);
  });
});

describe('sBG individual right-censored fit', () => {
  function expand(alive: number[]): LifetimeData {
    // One row per customer (weight 1): the individual-level form of the cohort table.
    const k = alive.length - 1;
    const lifetimes: number[] = [];
    const censored: number[] = [];
    for (let t = 1; t <= k; t++) {
      for (let j = 0; j < (alive[t - 1] as number) - (alive[t] as number); j++) {
        lifetimes.push(t);
        censored.push(0);
      }
    }
    for (let j = 0; j < (alive[k] as number); j++) {
      lifetimes.push(k);
      censored.push(1);
    }
    return {
      lifetime: Float64Array.from(lifetimes),
      censored: Uint8Array.from(censored),
      weight: new Float64Array(lifetimes.length).fill(1),
    };
  }

  it('equals the cohort fit when the data is the expansion of the cohort table', () => {
    const individual = expand(regular);
    expect(individual.lifetime.length).toBe(1000);
    const cohort = fitCohort(regular);
    const fromIndividuals = fitLifetimes(individual);
    expect(fromIndividuals.n).toBe(1000);
    expect(fromIndividuals.rows).toBe(1000);
    expect(Math.abs(fromIndividuals.params.alpha / cohort.params.alpha - 1)).toBeLessThan(1e-6);
    expect(Math.abs(fromIndividuals.params.beta / cohort.params.beta - 1)).toBeLessThan(1e-6);
    expect(fromIndividuals.logLikelihood).toBeCloseTo(cohort.logLikelihood, 8);
  });

  it('individual and cohort log-likelihoods agree at any parameters', () => {
    for (const params of [
      { alpha: 0.3, beta: 5 },
      { alpha: 2, beta: 0.5 },
    ]) {
      const cohort = cohortLogLikelihood(params, highEnd);
      expect(lifetimeLogLikelihood(params, expand(highEnd))).toBeCloseTo(cohort, 8);
      expect(lifetimeLogLikelihood(params, cohortToLifetimes(highEnd))).toBeCloseTo(cohort, 8);
    }
  });

  it('rejects data it cannot model', () => {
    expect(() => fitCohort([1000, 900, 950])).toThrow(/cannot rise/);
    expect(() => fitCohort([1000, 1000, 1000])).toThrow(/No customer/);
    const bad: LifetimeData = { lifetime: Float64Array.from([2.5]), censored: Uint8Array.from([0]), weight: Float64Array.from([1]) };
    expect(() => fitLifetimes(bad)).toThrow(/Row 0/);
    const zero: LifetimeData = { lifetime: Float64Array.from([0]), censored: Uint8Array.from([0]), weight: Float64Array.from([1]) };
    expect(() => lifetimeLogLikelihood({ alpha: 1, beta: 1 }, zero)).toThrow(ClvError);
    const allCensored: LifetimeData = { lifetime: Float64Array.from([3]), censored: Uint8Array.from([1]), weight: Float64Array.from([5]) };
    expect(() => fitLifetimes(allCensored)).toThrow(/No customer/);
  });
});

describe('DEL / DERL (Fader & Hardie 2010)', () => {
  const params: SbgParams = { alpha: 0.704, beta: 1.182 };

  /** Brute force: Σ_{t=n}^{N} S(t)/S(n−1) / (1+d)^(t−n), truncated where the terms are below 1e-18 of the sum. */
  function bruteForceDerl(p: SbgParams, d: number, renewals: number): number {
    const n = renewals + 1;
    const base = survival(p, n - 1);
    let sum = 0;
    for (let t = n; t < n + 100000; t++) {
      const term = survival(p, t) / base / Math.pow(1 + d, t - n);
      sum += term;
      if (term < 1e-18 * sum) break;
    }
    return sum;
  }

  it('DERL equals the brute-force discounted sum of survival probabilities (relative 1e-10)', () => {
    for (const d of [0.05, 0.1, 0.3]) {
      for (const renewals of [0, 1, 4, 20]) {
        const exact = DERL(params, d, renewals);
        expect(Math.abs(exact / bruteForceDerl(params, d, renewals) - 1)).toBeLessThan(1e-10);
      }
    }
  });

  it('DEL = 1 + DERL(0 renewals) / (1 + d) (the first period is paid now)', () => {
    for (const d of [0.02, 0.1]) {
      expect(DEL(params, d)).toBeCloseTo(1 + DERL(params, d, 0) / (1 + d), 10);
    }
  });

  it('a tiny discount rate (beyond the 2F1 series budget) still works and approaches the undiscounted value', () => {
    const p = { alpha: 3, beta: 4 };
    // 2F1(1, beta; alpha + beta; 1/(1+d)) at d = 1e-5 needs ~4 million terms: the positive-series fallback sums them.
    expect(Math.abs(DEL(p, 1e-5) / DEL(p, 0) - 1)).toBeLessThan(1e-3);
    expect(DEL(p, 1e-5)).toBeLessThan(DEL(p, 0));
    expect(DEL(p, 1e-5)).toBeGreaterThan(DEL(p, 1e-3));
  });

  it('DERL grows with the number of renewals (survivors are the loyal ones)', () => {
    expect(DERL(params, 0.1, 4)).toBeGreaterThan(DERL(params, 0.1, 0));
    expect(Number.isFinite(DERL(params, 0.1, 1000))).toBe(true);
  });

  it('without discounting: the closed form for alpha > 1, an explained error otherwise', () => {
    const p = { alpha: 3, beta: 4 };
    expect(DEL(p, 0)).toBeCloseTo((3 + 4 - 1) / (3 - 1), 12);
    expect(DERL(p, 0, 2)).toBeCloseTo(bruteForceDerl(p, 0, 2), 6);
    expect(() => DEL(params, 0)).toThrow(/alpha <= 1/);
    expect(() => DERL(params, -0.1, 0)).toThrow(ClvError);
    expect(() => DERL(params, 0.1, 1.5)).toThrow(/whole number/);
  });

  it('clvContractual = margin × DERL (or × DEL for a new customer)', () => {
    expect(clvContractual(params, { margin: 100, discountRate: 0.1, renewals: 3 })).toBeCloseTo(100 * DERL(params, 0.1, 3), 10);
    expect(clvContractual(params, { margin: 100, discountRate: 0.1 })).toBeCloseTo(100 * DEL(params, 0.1), 10);
    expect(() => clvContractual(params, { margin: Number.NaN, discountRate: 0.1 })).toThrow(ClvError);
  });
});
