import { describe, expect, it } from 'vitest';
import { bgnbd } from '~/lib/clv/bgnbd';
import { readTransactionLog } from '~/lib/csv/transactions';
import { scoreBase } from '~/lib/scoring/pipeline';
import { DEFAULT_SCORING_SETTINGS, parseScoringSettings, SettingsError } from '~/lib/scoring/settings';
import { readDataset } from '../../helpers/datasets';

describe('scoring pipeline on the CDNOW sample', () => {
  const log = readTransactionLog(readDataset('btyd_cdnowElog.csv'), { id: 'sampleid', date: 'date', amount: 'sales' });
  const input = { customer: log.customer, day: log.day, amount: log.amount, lines: log.lines };

  it('scores every customer with the model chosen on the holdout', () => {
    const result = scoreBase(input, log.customers, DEFAULT_SCORING_SETTINGS);
    expect(result.summary.x).toHaveLength(2357);
    expect(['bgnbd', 'mbgnbd', 'pareto-nbd']).toContain(result.model);
    expect(result.choice?.candidates).toHaveLength(3);
    expect(result.holdout?.actualTotal).toBeGreaterThan(0);
    expect(result.tracking?.predicted.length).toBe(78);
    expect(result.tiers.tierCounts).toEqual([118, 354, 1414, 471]);
    expect(result.customerEquity).toBeGreaterThan(0);
    for (const column of [result.scores.clv, result.scores.pAlive, result.scores.expectedTransactions]) {
      expect(column.every(Number.isFinite)).toBe(true);
    }
    // Gamma-Gamma on the full 78 weeks, fitted on customers with repeat purchases.
    expect(result.spend.model).toBe('gamma-gamma');
  });

  it('with BG/NBD fixed and the paper split, matches the published calibration fit', () => {
    // 39 of 78 weeks held out: the calibration fit is Fader, Hardie & Lee (2005)'s.
    const result = scoreBase(input, log.customers, { ...DEFAULT_SCORING_SETTINGS, model: 'bgnbd', holdoutShare: 273 / 546 });
    expect(result.holdout?.actualTotal).toBe(1882);
    // REFERENCE.md: r, alpha, a, b = 0.2425945, 4.4136019, 0.7929199, 2.4258881 (to 1e-4 relative).
    const published = { r: 0.2425945, alpha: 4.4136019, a: 0.7929199, b: 2.4258881 };
    for (const [name, value] of Object.entries(published)) {
      expect(Math.abs(result.calibrationFit!.params[name]! / value - 1)).toBeLessThan(1e-4);
    }
    expect(result.calibrationFit!.logLikelihood).toBeCloseTo(-9582.429, 3);
    expect(result.tracking!.predicted.length).toBe(78);
    // Whole-period customer-level check: the refit on all 78 weeks is a valid BG/NBD fit.
    expect(result.fit.converged).toBe(true);
    expect(bgnbd.logLikelihood(result.fit.params as never, {
      x: result.summary.x, tx: result.summary.tx, T: result.summary.T, weight: new Float64Array(result.summary.x.length).fill(1),
    })).toBeCloseTo(result.fit.logLikelihood, 6);
  });
});

describe('scoring settings', () => {
  it('accepts the defaults and rejects bad values with every problem named', () => {
    expect(parseScoringSettings(JSON.parse(JSON.stringify(DEFAULT_SCORING_SETTINGS)))).toEqual(DEFAULT_SCORING_SETTINGS);
    expect(() => parseScoringSettings({ ...DEFAULT_SCORING_SETTINGS, margin: 0, horizonMonths: 0 })).toThrow(SettingsError);
    expect(() => parseScoringSettings({ ...DEFAULT_SCORING_SETTINGS, margin: 0 })).toThrow(/margin/);
    expect(() =>
      parseScoringSettings({ ...DEFAULT_SCORING_SETTINGS, tiers: { ...DEFAULT_SCORING_SETTINGS.tiers, cutoff: 'percentile', tiers: [] } }),
    ).toThrow(/tier/i);
  });
});
