import { describe, expect, it } from 'vitest';
import { ClvError } from '../../../lib/clv/errors';
import {
  type GammaGammaParams,
  type SpendData,
  conditionalExpectedSpend,
  conditionalExpectedSpendBatch,
  fit,
  logLikelihood,
  logLikelihoodWithGradient,
  populationMeanSpend,
  spendDataFrom,
  spendFrequencyCorrelation,
} from '../../../lib/clv/gammagamma';
import { readSimpleCsv } from '../../helpers/datasets';
import { gamma, mulberry32 } from '../../helpers/simulate';

// Source of the published figures: ../shared/datasets/REFERENCE.md, "Gamma-Gamma spend" (Fader & Hardie 2013,
// "The Gamma-Gamma model of monetary value"; Fader, Hardie & Lee 2005, "RFM and CLV").
const cbs = readSimpleCsv('btyd_cdnowSummary_cbs.csv');
const xs = cbs.map((row) => Number(row['x']));
const ms = cbs.map((row) => Number(row['m.x']));
const MLE: GammaGammaParams = { p: 6.2496, q: 3.7442, gamma: 15.4435 };

function cdnowSpend(): SpendData {
  return spendDataFrom(xs, ms).data;
}

describe('Gamma-Gamma on CDNOW (946 customers with x > 0)', () => {
  it('selects the 946 repeat customers and counts the 1,411 without a repeat purchase', () => {
    const selection = spendDataFrom(xs, ms);
    expect(selection.data.x.length).toBe(946);
    expect(selection.excludedNoRepeat).toBe(1411);
    expect(selection.excludedNonPositiveSpend).toBe(0);
    expect(selection.source[0]).toBe(0);
  });

  it('full-density log-likelihood at the published MLE is −4055.918 (±1e-3)', () => {
    expect(Math.abs(logLikelihood(MLE, cdnowSpend()) - -4055.918)).toBeLessThan(1e-3);
  });

  it('fit reproduces p, q, gamma = 6.25, 3.74, 15.44 (published precision) and the MLE to 1e-3 relative', () => {
    const result = fit(cdnowSpend());
    expect(result.model).toBe('gamma-gamma');
    expect(result.converged).toBe(true);
    expect(result.n).toBe(946);
    const { p, q, gamma } = result.params;
    expect(Math.abs(p - 6.25)).toBeLessThan(0.005);
    expect(Math.abs(q - 3.74)).toBeLessThan(0.005);
    expect(Math.abs(gamma - 15.44)).toBeLessThan(0.005);
    expect(Math.abs(p / MLE.p - 1)).toBeLessThan(1e-3);
    expect(Math.abs(q / MLE.q - 1)).toBeLessThan(1e-3);
    expect(Math.abs(gamma / MLE.gamma - 1)).toBeLessThan(1e-3);
    expect(Math.abs(result.logLikelihood - -4055.918)).toBeLessThan(1e-3);
    // The optimum is at least as good as the published (rounded) MLE.
    expect(result.logLikelihood).toBeGreaterThanOrEqual(logLikelihood(MLE, cdnowSpend()) - 1e-9);
    expect(result.standardErrors?.p).toBeGreaterThan(0);
  });

  it('E[M | x, m] for customers 1, 2, 3 is 24.66, 18.91, 35.17 (±0.005) on the published summary', () => {
    // The published figures use the lifetimes summary, whose zbar is m rounded to cents (customer 1:
    // 22.35 there, 22.345 unrounded, which gives 24.654 instead of 24.658).
    const summary = readSimpleCsv('lifetimes_cdnow_customers_summary_with_transactions.csv');
    const expected = [24.66, 18.91, 35.17];
    for (let i = 0; i < 3; i++) {
      const row = summary[i] as Record<string, string>;
      const value = conditionalExpectedSpend(MLE, Number(row['x']), Number(row['zbar']));
      expect(Math.abs(value - (expected[i] as number))).toBeLessThan(0.005);
    }
    // On the unrounded m.x of the BTYD summary the first customer moves by the rounding only.
    expect(Math.abs(conditionalExpectedSpend(MLE, 2, 22.345) - 24.654)).toBeLessThan(5e-4);
  });

  it('x = 0 gives the population mean p·gamma/(q−1) = 35.17', () => {
    expect(populationMeanSpend(MLE)).toBeCloseTo((6.2496 * 15.4435) / 2.7442, 12);
    expect(Math.abs(conditionalExpectedSpend(MLE, 0, 0) - 35.17)).toBeLessThan(0.005);
  });

  it('the batch form equals the one-at-a-time form and gives x = 0 the population mean', () => {
    const out = conditionalExpectedSpendBatch(MLE, xs, ms);
    for (const i of [0, 1, 2, 3, 100, 2356]) {
      expect(out[i]).toBeCloseTo(conditionalExpectedSpend(MLE, xs[i] as number, ms[i] as number), 12);
    }
  });

  it('the analytic gradient agrees with central differences (relative 1e-6)', () => {
    const data = cdnowSpend();
    const gradient = new Float64Array(3);
    const at: GammaGammaParams = { p: 5, q: 3, gamma: 12 };
    logLikelihoodWithGradient(at, data, gradient);
    const names = ['p', 'q', 'gamma'] as const;
    names.forEach((name, i) => {
      const h = 1e-5 * at[name];
      const up = logLikelihood({ ...at, [name]: at[name] + h }, data);
      const down = logLikelihood({ ...at, [name]: at[name] - h }, data);
      const numeric = (up - down) / (2 * h);
      expect(Math.abs((gradient[i] as number) - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
    });
  });
});

describe('Gamma-Gamma guards', () => {
  it('needs q > 1 for the mean, and says why', () => {
    const bad = { p: 2, q: 0.9, gamma: 3 };
    expect(() => conditionalExpectedSpend(bad, 2, 10)).toThrow(ClvError);
    try {
      populationMeanSpend(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ClvError);
      expect((error as ClvError).code).toBe('invalid-params');
      expect((error as ClvError).message).toMatch(/q > 1/);
      expect((error as ClvError).message).toMatch(/infinite/);
    }
  });

  it('rejects zero or negative spend in the fit with the row index', () => {
    const data: SpendData = {
      x: Float64Array.from([1, 2, 3]),
      m: Float64Array.from([10, 0, 5]),
      weight: Float64Array.from([1, 1, 1]),
    };
    try {
      fit(data);
      expect.unreachable();
    } catch (error) {
      expect((error as ClvError).code).toBe('invalid-input');
      expect((error as ClvError).detail?.['row']).toBe(1);
      expect((error as ClvError).message).toMatch(/Row 1/);
    }
    data.m[1] = -3;
    expect(() => logLikelihood(MLE, data)).toThrow(/Row 1/);
  });

  it('spendDataFrom leaves out x = 0 and non-positive spend and counts them', () => {
    const selection = spendDataFrom([0, 2, 3, 1, 4], [0, -5, 20, Number.NaN, 0]);
    expect(Array.from(selection.source)).toEqual([2]);
    expect(selection.excludedNoRepeat).toBe(1);
    expect(selection.excludedNonPositiveSpend).toBe(3);
    expect(() => spendDataFrom([-1], [3])).toThrow(ClvError);
  });

  it('rejects non-positive parameters', () => {
    expect(() => logLikelihood({ p: 0, q: 2, gamma: 1 }, cdnowSpend())).toThrow(ClvError);
  });

  it('weights are the same as repeated rows', () => {
    const compressed: SpendData = { x: Float64Array.from([1, 3]), m: Float64Array.from([12, 30]), weight: Float64Array.from([3, 2]) };
    const expanded: SpendData = {
      x: Float64Array.from([1, 1, 1, 3, 3]),
      m: Float64Array.from([12, 12, 12, 30, 30]),
      weight: new Float64Array(5).fill(1),
    };
    expect(logLikelihood(MLE, compressed)).toBeCloseTo(logLikelihood(MLE, expanded), 10);
  });
});

// Seeded generators for the simulation (tests/helpers/simulate.ts: mulberry32; Marsaglia & Tsang 2000 for Gamma draws).
const gammaDraw = (random: () => number, shape: number, rate: number) => gamma(random, shape, rate);

describe('Gamma-Gamma synthetic recovery', () => {
  it('recovers p, q, gamma from 4,000 simulated customers within 4 standard errors', () => {
    const truth = { p: 6, q: 4, gamma: 15 };
    const random = mulberry32(20240601);
    const n = 4000;
    const data: SpendData = { x: new Float64Array(n), m: new Float64Array(n), weight: new Float64Array(n).fill(1) };
    for (let i = 0; i < n; i++) {
      const x = 1 + Math.floor(random() * 8);
      const nu = gammaDraw(random, truth.q, truth.gamma); // customer's rate nu ~ Gamma(q, gamma)
      let sum = 0;
      for (let j = 0; j < x; j++) sum += gammaDraw(random, truth.p, nu); // z ~ Gamma(p, nu)
      data.x[i] = x;
      data.m[i] = sum / x;
    }
    const result = fit(data);
    expect(result.converged).toBe(true);
    const se = result.standardErrors;
    expect(se).not.toBeNull();
    for (const name of ['p', 'q', 'gamma'] as const) {
      const error = Math.abs(result.params[name] - truth[name]);
      expect(error).toBeLessThan(4 * (se?.[name] as number));
      expect(error / truth[name]).toBeLessThan(0.25);
    }
    // The population mean p·gamma/(q−1) is pinned down much better than the parameters.
    expect(Math.abs(populationMeanSpend(result.params) / ((6 * 15) / 3) - 1)).toBeLessThan(0.05);
    // x and m are independent in the simulation.
    expect(Math.abs(spendFrequencyCorrelation(data))).toBeLessThan(0.05);
  });
});
