import { describe, expect, it } from 'vitest';
import { bgnbd } from '../../../lib/clv/bgnbd';
import { ClvError } from '../../../lib/clv/errors';
import { toRfmData, type RfmData } from '../../../lib/clv/model';
import { mbgnbd, type MbgnbdParams } from '../../../lib/clv/mbgnbd';
import { readSimpleCsv } from '../../helpers/datasets';
import { mulberry32, simulateMbgnbd } from '../../helpers/simulate';

function cdnow(): RfmData {
  return toRfmData(
    readSimpleCsv('btyd_cdnowSummary_cbs.csv').map((row) => ({
      x: Number(row['x']),
      tx: Number(row['t.x']),
      T: Number(row['T.cal']),
    })),
  );
}

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('MBG/NBD on CDNOW (Batislam, Denizel & Filiztekin 2007)', () => {
  const data = cdnow();

  it('fits: converged, finite LL at least as good as BG/NBD (-9582.429) within 1', () => {
    const fit = mbgnbd.fit(data);
    const bg = bgnbd.fit(data);
    expect(fit.model).toBe('mbgnbd');
    expect(fit.converged).toBe(true);
    expect(Number.isFinite(fit.logLikelihood)).toBe(true);
    // Measured: -9582.136 (MBG/NBD) vs -9582.429 (BG/NBD). The models are not nested, so "better or close".
    expect(fit.logLikelihood).toBeGreaterThan(bg.logLikelihood - 1);
    expect(Math.abs(fit.logLikelihood - -9582.1357)).toBeLessThan(1e-3);
    // The estimates we measured (r, alpha, a, b = 0.5248, 6.183, 0.8914, 1.614), as a regression guard.
    expect(relativeError(fit.params.r, 0.5248)).toBeLessThan(1e-3);
    expect(relativeError(fit.params.alpha, 6.183)).toBeLessThan(1e-3);
    expect(relativeError(fit.params.a, 0.8914)).toBeLessThan(1e-3);
    expect(relativeError(fit.params.b, 1.614)).toBeLessThan(1e-3);
    expect(fit.standardErrors).not.toBeNull();
    // The 946 repeat buyers' forecasts stay close to BG/NBD's on the 39-week holdout (sum over customers).
    let mbgTotal = 0;
    let bgTotal = 0;
    for (let i = 0; i < data.x.length; i++) {
      const h = { x: data.x[i]!, tx: data.tx[i]!, T: data.T[i]! };
      mbgTotal += mbgnbd.conditionalExpectedTransactions(fit.params, 39, h);
      bgTotal += bgnbd.conditionalExpectedTransactions(bg.params, 39, h);
    }
    expect(relativeError(mbgTotal, bgTotal)).toBeLessThan(0.1);
  });

  it('P(alive) is below 1 when x = 0 (unlike BG/NBD): 1 / (1 + a/b ((alpha+T)/alpha)^r)', () => {
    const p: MbgnbdParams = { r: 0.5248, alpha: 6.183, a: 0.8914, b: 1.614 };
    const alive = mbgnbd.pAlive(p, { x: 0, tx: 0, T: 30 });
    expect(alive).toBeLessThan(1);
    expect(alive).toBeGreaterThan(0);
    expect(relativeError(alive, 1 / (1 + (p.a / p.b) * ((p.alpha + 30) / p.alpha) ** p.r))).toBeLessThan(1e-14);
    // Just acquired (T = 0): alive with probability b/(a+b), the chance of not dropping out at the first purchase.
    expect(relativeError(mbgnbd.pAlive(p, { x: 0, tx: 0, T: 0 }), p.b / (p.a + p.b))).toBeLessThan(1e-14);
  });
});

describe('MBG/NBD quantities checked against numerical integration (mpmath, 20-30 digits)', () => {
  // References computed by integrating over lambda ~ Gamma(r, alpha), p ~ Beta(a, b) with mpmath.quad,
  // from the model's story (drop out with probability p at time 0 and after every purchase), not from the
  // closed forms in the code.
  const p: MbgnbdParams = { r: 0.5248, alpha: 6.183, a: 0.8914, b: 1.614 };
  const h = { x: 3, tx: 20.5, T: 38 };

  it('individual log-likelihoods', () => {
    const cases: Array<[number, number, number, number]> = [
      [0, 0, 30, -0.49318760467095],
      [3, 20.5, 38, -12.061874912789],
      [1, 1, 1, -3.1348626188896],
    ];
    for (const [x, tx, T, expected] of cases) {
      expect(Math.abs(mbgnbd.logLikelihood(p, toRfmData([{ x, tx, T }])) - expected)).toBeLessThan(1e-11);
    }
  });

  it('E[X(t)] = b/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b+1; a+b; t/(alpha+t))] for t = 1, 10, 52', () => {
    const expected: Array<[number, number]> = [
      [1, 0.0530557739553],
      [10, 0.433212149129],
      [52, 1.41874582101],
    ];
    for (const [t, value] of expected) expect(relativeError(mbgnbd.expectedTransactionsNew(p, t), value)).toBeLessThan(1e-10);
  });

  it('P(X(30) = n), conditional P(Y(20) = n | x=3, t_x=20.5, T=38) and E[Y(20) | ...]', () => {
    const unconditional = [0.610676692519, 0.181705694029, 0.026411529667];
    const conditional = [0.658479633917, 0.165413865311, 0.0207295629962];
    [0, 1, 4].forEach((n, i) => {
      expect(relativeError(mbgnbd.probabilityOfN(p, n, 30), unconditional[i]!)).toBeLessThan(1e-10);
      expect(relativeError(mbgnbd.conditionalProbabilityOfN!(p, n, 20, h), conditional[i]!)).toBeLessThan(1e-10);
    });
    expect(relativeError(mbgnbd.conditionalExpectedTransactions(p, 20, h), 0.657722831948)).toBeLessThan(1e-10);
  });

  it('probabilities sum to 1 and their means match the expectations', () => {
    let sum = 0;
    let mean = 0;
    for (let n = 0; n < 400; n++) {
      const q = mbgnbd.probabilityOfN(p, n, 52);
      sum += q;
      mean += n * q;
    }
    expect(Math.abs(sum - 1)).toBeLessThan(1e-9);
    expect(relativeError(mean, mbgnbd.expectedTransactionsNew(p, 52))).toBeLessThan(1e-7);
    for (const history of [h, { x: 0, tx: 0, T: 25 }]) {
      sum = 0;
      mean = 0;
      for (let n = 0; n < 400; n++) {
        const q = mbgnbd.conditionalProbabilityOfN!(p, n, 39, history);
        sum += q;
        mean += n * q;
      }
      expect(Math.abs(sum - 1)).toBeLessThan(1e-9);
      expect(relativeError(mean, mbgnbd.conditionalExpectedTransactions(p, 39, history))).toBeLessThan(1e-7);
    }
  });
});

describe('MBG/NBD synthetic recovery and edge cases', () => {
  it('recovers known parameters from 20,000 simulated customers', () => {
    const truth: MbgnbdParams = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
    const random = mulberry32(99);
    const T = Float64Array.from({ length: 20_000 }, () => 26 + 13 * random());
    const data = simulateMbgnbd(truth, 20_000, T, 12345);
    const fit = mbgnbd.fit(data);
    expect(fit.converged).toBe(true);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(mbgnbd.logLikelihood(truth, data));
    // Within 4 standard errors and 25% of the truth (the x = 0 customers make r and b harder to separate).
    for (const name of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(fit.params[name] - truth[name])).toBeLessThan(4 * fit.standardErrors![name]!);
      expect(relativeError(fit.params[name], truth[name])).toBeLessThan(0.25);
    }
  });

  it('all one-time buyers: ClvError("invalid-input"), never NaN', () => {
    const data = toRfmData(Array.from({ length: 20 }, (_, i) => ({ x: 0, tx: 0, T: 5 + i })));
    expect(() => mbgnbd.fit(data)).toThrow(ClvError);
    expect(Number.isFinite(mbgnbd.logLikelihood({ r: 1, alpha: 1, a: 1, b: 1 }, data))).toBe(true);
  });

  it('huge x (500) and T = t_x give finite values', () => {
    const p: MbgnbdParams = { r: 0.5248, alpha: 6.183, a: 0.8914, b: 1.614 };
    const h = { x: 500, tx: 39, T: 39 };
    expect(Number.isFinite(mbgnbd.logLikelihood(p, toRfmData([h])))).toBe(true);
    expect(relativeError(mbgnbd.pAlive(p, h), 1 / (1 + p.a / (p.b + 500)))).toBeLessThan(1e-14);
    expect(Number.isFinite(mbgnbd.conditionalExpectedTransactions(p, 52, h))).toBe(true);
  });
});
