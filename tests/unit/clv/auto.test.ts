import { describe, expect, it } from 'vitest';
import { AUTO_CRITERION, chooseModel } from '../../../lib/clv/auto';
import { ClvError } from '../../../lib/clv/errors';
import { readSimpleCsv } from '../../helpers/datasets';

const rows = readSimpleCsv('btyd_cdnowSummary_cbs.csv');
const data = {
  x: rows.map((r) => Number(r.x)),
  tx: rows.map((r) => Number(r['t.x'])),
  T: rows.map((r) => Number(r['T.cal'])),
  xStar: rows.map((r) => Number(r['x.star'])),
};

describe('chooseModel on CDNOW (calibration 39 weeks, holdout 39 weeks)', () => {
  const choice = chooseModel(data, 39);

  it('fits all three candidates to the published optima (FHL 2005; REFERENCE.md: LL to 1e-3)', () => {
    const byModel = Object.fromEntries(choice.candidates.map((c) => [c.model, c]));
    expect(choice.candidates.map((c) => c.model)).toEqual(['bgnbd', 'mbgnbd', 'pareto-nbd']);
    expect(byModel.bgnbd?.fit?.logLikelihood).toBeCloseTo(-9582.429, 3);
    expect(byModel['pareto-nbd']?.fit?.logLikelihood).toBeCloseTo(-9594.976, 3);
    for (const c of choice.candidates) {
      expect(c.error).toBeNull();
      expect(c.fit?.converged).toBe(true);
      expect(c.fit?.n).toBe(2357);
    }
  });

  it('picks the smallest customer-level RMSE and returns every score', () => {
    const scores = choice.candidates.map((c) => c.score);
    expect(choice.holdout.rmse).toBe(Math.min(...scores));
    for (const c of choice.candidates) expect(c.score).toBe(c.holdout?.rmse);
    expect(choice.best).toBe(choice.candidates[scores.indexOf(Math.min(...scores))]?.model);
    expect(choice.criterion).toBe(AUTO_CRITERION);
    expect(choice.sentence).toMatch(/predicts the holdout best \(RMSE \d\.\d{3} vs /);
  });

  it('a subset of candidates; when every candidate fails, the error names each failure', () => {
    expect(chooseModel(data, 39, { candidates: ['bgnbd'] }).best).toBe('bgnbd');
    const none = { x: [0, 0], tx: [0, 0], T: [10, 12], xStar: [0, 1] };
    expect(() => chooseModel(none, 5, { candidates: ['bgnbd', 'mbgnbd'] })).toThrow(ClvError);
    expect(() => chooseModel(none, 5, { candidates: ['bgnbd', 'mbgnbd'] })).toThrow(/BG\/NBD: .*MBG\/NBD: /);
  });
});
