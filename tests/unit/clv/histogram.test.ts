import { describe, expect, it } from 'vitest';
import { bgnbd } from '../../../lib/clv/bgnbd';
import { ClvError } from '../../../lib/clv/errors';
import { compressRfm, expandToRows, totalWeight } from '../../../lib/clv/histogram';
import { toRfmData } from '../../../lib/clv/model';
import { readSimpleCsv } from '../../helpers/datasets';

const cbs = readSimpleCsv('btyd_cdnowSummary_cbs.csv').map((r) => ({ x: Number(r.x), tx: Number(r['t.x']), T: Number(r['T.cal']) }));

describe('compressRfm', () => {
  it('merges identical rows, summing weights, keeping first-appearance order and a map back', () => {
    const c = compressRfm({ x: [1, 0, 1, 0, 2], tx: [3, 0, 3, 0, 4], T: [5, 5, 5, 6, 6], weight: [1, 2, 3, 4, 5] });
    expect(Array.from(c.data.x)).toEqual([1, 0, 0, 2]);
    expect(Array.from(c.data.T)).toEqual([5, 5, 6, 6]);
    expect(Array.from(c.data.weight)).toEqual([4, 2, 4, 5]);
    expect(Array.from(c.rowOf)).toEqual([0, 1, 0, 2, 3]);
    expect(Array.from(expandToRows([10, 20, 30, 40], c.rowOf))).toEqual([10, 20, 10, 30, 40]);
  });

  it('treats -0 and 0 as the same value', () => {
    expect(compressRfm({ x: [0, -0], tx: [0, -0], T: [1, 1] }).data.weight[0]).toBe(2);
  });

  it('CDNOW: 2,357 customers -> fewer distinct rows, same total weight and the same BG/NBD log-likelihood (to 1e-9 relative)', () => {
    const full = toRfmData(cbs);
    const c = compressRfm(full);
    expect(c.data.x.length).toBeLessThan(1100);
    expect(totalWeight(c.data)).toBe(2357);
    const params = { r: 0.2425945, alpha: 4.4136019, a: 0.7929199, b: 2.4258881 };
    const ll = bgnbd.logLikelihood(params, c.data);
    expect(Math.abs(ll - bgnbd.logLikelihood(params, full))).toBeLessThan(1e-9 * Math.abs(ll));
    expect(ll).toBeCloseTo(-9582.429, 3); // FHL 2005 (REFERENCE.md)
  });

  it('rejects non-finite values and negative weights, naming the row', () => {
    expect(() => compressRfm({ x: [0, NaN], tx: [0, 0], T: [1, 1] })).toThrow(/Row 2/);
    expect(() => compressRfm({ x: [0], tx: [0], T: [1], weight: [-1] })).toThrow(ClvError);
    expect(() => compressRfm({ x: [0], tx: [0, 1], T: [1] })).toThrow(/same length/);
  });

  it('1,000,000 customers in whole days compress to fewer than half as many rows (speed: npm run bench)', () => {
    const n = 1_000_000;
    const x = new Float64Array(n);
    const tx = new Float64Array(n);
    const T = new Float64Array(n);
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < n; i++) {
      T[i] = Math.floor(rand() * 365) / 7;
      x[i] = Math.floor(rand() * 6);
      tx[i] = x[i] ? Math.floor(rand() * (T[i] as number) * 7) / 7 : 0;
    }
    const c = compressRfm({ x, tx, T });
    expect(totalWeight(c.data)).toBe(n);
    expect(c.data.x.length).toBeLessThan(n / 2);
  });
});
