import { describe, expect, it } from 'vitest';
import { clvDescending, cumulativeSums, valueConcentration } from '~/lib/dashboard/concentration';
import { buildDashboard } from '~/lib/dashboard/dashboard';
import { customerEquity } from '~/lib/dashboard/equity';
import { moneyText, percentText, signedPercentText } from '~/lib/dashboard/format';
import { pAliveBin, pAliveDistribution } from '~/lib/dashboard/palive';
import { runDisplay, runHoldout } from '~/lib/dashboard/run';
import { tierDistribution } from '~/lib/dashboard/tiers';
import { trustView } from '~/lib/dashboard/trust';
import { customer, modelRun, smallBase } from './base';

const display = { currency: 'USD', locale: 'en-US' };
const tiers = runDisplay(modelRun(), []).tiers;

describe('number words', () => {
  it('percents, signed percents and amounts', () => {
    expect([0, 0.004, 0.05006, 0.41, 0.997, 1].map(percentText)).toEqual(['0%', '0.4%', '5%', '41%', '99.7%', '100%']);
    expect([-0.033, 0.021, 0, 0.00001].map(signedPercentText)).toEqual(['−3.3%', '+2.1%', '0.0%', '0.0%']);
    expect([31205.4, 3.4, 0].map((v) => moneyText(v))).toEqual(['$31,205', '$3.40', '$0']);
    expect(moneyText(1234, { currency: 'EUR', locale: 'de-DE' })).toBe('1.234\u00a0€');
  });
});

describe('the run', () => {
  it('reads the tiers, currency, horizon and holdout of a run, tolerating missing fields', () => {
    const d = runDisplay(modelRun(), []);
    expect(d).toMatchObject({ currency: 'USD', locale: 'en-US', horizonMonths: 12, unit: 'week', holdoutShare: 1 / 3 });
    expect(d.tiers.map((t) => [t.index, t.name, t.color, t.foreground])).toEqual([
      [0, 'Platinum', '#e2e8f0', '#0f172a'],
      [1, 'Gold', '#facc15', '#1f2937'],
      [2, 'Iron', '#64748b', '#ffffff'],
      [3, 'Lead', '#1e293b', '#ffffff'],
    ]);
    // Without a tier configuration, the tiers come from the customers' stored badges.
    const bare = runDisplay(modelRun({}, { settings: {} }), smallBase());
    expect(bare.tiers.map((t) => t.name)).toEqual(['Platinum', 'Gold', 'Iron', 'Lead']);
    expect(bare).toMatchObject({ currency: 'USD', horizonMonths: null, holdoutShare: null });

    const h = runHoldout(modelRun({ table: [{ label: '0', customers: 'many' }, { label: '1', customers: 2, actual: 1, predicted: 2 }], tracking: 'x' }));
    expect(h.table).toEqual([{ label: '1', customers: 2, actual: 1, predicted: 2 }]);
    expect(h.tracking).toBeNull();
    expect(runHoldout(modelRun({}, { holdout: undefined }))).toMatchObject({ sentence: null, table: [], previousEquity: null, choice: null });
  });
});

describe('customer equity', () => {
  it('sums CLV and measures the change since the previous scoring', () => {
    const e = customerEquity(smallBase(), 80, { display, horizonMonths: 12 });
    expect(e).toMatchObject({ equity: 100, customers: 10, previous: 80, change: 20, changeShare: 0.25 });
    expect(e.changeText).toBe('+$20 (+25.0%) since the previous scoring');
    expect(e.reading).toBe('Customer equity is $100: the predicted value of 10 customers over the next 12 months, discounted, up $20 (+25.0%) from $80 at the previous scoring.');
  });

  it('says so at the first scoring, and when value went down', () => {
    const first = customerEquity(smallBase(), null, { display, horizonMonths: 12 });
    expect(first.change).toBeNull();
    expect(first.changeText).toBe('First scoring: nothing to compare with yet');
    expect(first.reading).toBe('Customer equity is $100: the predicted value of 10 customers over the next 12 months, discounted.');
    const down = customerEquity(smallBase(), 125, { display });
    expect(down.changeText).toBe('−$25 (−20.0%) since the previous scoring');
    expect(down.reading).toContain('down $25 (−20.0%) from $125');
  });
});

describe('value concentration', () => {
  it('sorts CLV highest first and sums it', () => {
    const sorted = clvDescending([...smallBase()].reverse());
    expect(Array.from(sorted)).toEqual([50, 20, 10, 8, 5, 3, 2, 1, 1, 0]);
    expect(Array.from(cumulativeSums(sorted))).toEqual([0, 50, 70, 80, 88, 93, 96, 98, 99, 100, 100]);
  });

  it('gives the share of value of the top x% on 101 points, with the tier boundaries', () => {
    const curve = valueConcentration(smallBase(), tiers);
    expect(curve.points).toHaveLength(101);
    const at = (x: number) => curve.points[x]!.valueShare;
    expect([at(0), at(5), at(10), at(15), at(20), at(50), at(100)]).toEqual([0, 0.25, 0.5, 0.6, 0.7, 0.93, 1]);
    expect(curve.boundaries.map((b) => [b.tier.name, b.customers, b.customersPercent, b.valueShare])).toEqual([
      ['Platinum', 1, 10, 0.5],
      ['Gold', 2, 20, 0.7],
      ['Iron', 8, 80, 0.99],
    ]);
    expect(curve.reading).toBe('The top 10% of customers (Platinum) hold 50% of the value; the top 20% hold 70%.');
  });

  it('is flat, and says why, when nobody has value', () => {
    const curve = valueConcentration([customer('1', { clv: 0, tierIndex: 3, pAlive: 0.2, rank: 0 })], tiers);
    expect(curve.points.every((p) => p.valueShare === 0)).toBe(true);
    expect(curve.reading).toMatch(/No customer has a predicted value/);
  });
});

describe('tier distribution', () => {
  it('counts customers and value per tier in tier order, with colours', () => {
    const t = tierDistribution(smallBase(), tiers, display);
    expect(t.rows.map((r) => [r.name, r.color, r.customers, r.value, r.customerShare, r.valueShare])).toEqual([
      ['Platinum', '#e2e8f0', 1, 50, 0.1, 0.5],
      ['Gold', '#facc15', 1, 20, 0.1, 0.2],
      ['Iron', '#64748b', 6, 29, 0.6, 0.29],
      ['Lead', '#1e293b', 2, 1, 0.2, 0.01],
    ]);
    expect(t.reading).toBe('The 1 Platinum customer (10%) holds 50% of the value; the 2 Lead customers (20%) hold 1%.');
  });
});

describe('P(alive) distribution', () => {
  it('puts every customer in one of ten bins and reads the share more likely gone', () => {
    expect([0, 0.05, 0.1, 0.3, 0.7, 0.99999, 1].map(pAliveBin)).toEqual([0, 0, 1, 3, 7, 9, 9]);
    const h = pAliveDistribution(smallBase());
    expect(h.bins.map((b) => b.customers)).toEqual([1, 1, 1, 1, 1, 2, 0, 0, 1, 2]);
    expect(h.bins[0]).toMatchObject({ from: 0, to: 0.1, label: '0–10%', share: 0.1 });
    expect(h.bins[9]!.label).toBe('90–100%');
    expect(h.likelyGone).toBe(0.5);
    expect(h.reading).toBe('50% of customers are more likely gone than alive (P(alive) < 50%).');
  });
});

describe('trust view', () => {
  it('keeps the holdout table and pairs the tracking series', () => {
    const v = trustView(runHoldout(modelRun()), 1 / 3);
    expect(v.judged).toBe(true);
    expect(v.table.map((r) => r.label)).toEqual(['0', '1', '7+']);
    expect(v.tracking[1]).toEqual({ period: 2, predicted: 3, actual: 2 });
    expect(v.tracking).toHaveLength(6);
    expect(v.holdoutStartPeriod).toBe(5);
    expect(v.reading).toBe(
      'Holdout check: fitted on the earlier part of the data, the model predicted 1,820 repeat transactions in the holdout, actual 1,882 (−3.3%). ' +
        'Grouped by repeat purchases before the holdout, its predictions per customer are off by 12% on average. ' +
        'Pareto/NBD predicts the holdout best (RMSE 1.603 vs 1.607 MBG/NBD, 1.608 BG/NBD).',
    );
  });

  it('says why when the model was not judged', () => {
    const note = 'The data covers too short a time to hold part of it out, so the model was not judged on a holdout.';
    const v = trustView(runHoldout(modelRun({ sentence: null, table: [], tracking: null, choice: null, notes: ['BG/NBD fitted.', note] })), 1 / 3);
    expect(v).toMatchObject({ judged: false, table: [], tracking: [], holdoutStartPeriod: null, reading: note });
  });
});

describe('the whole dashboard', () => {
  it('counts the customers imported since the scoring and uses the recorded previous equity', () => {
    const customers = [...smallBase(), customer('new', null)];
    const d = buildDashboard(customers, modelRun());
    expect(d).toMatchObject({ scored: 10, unscored: 1 });
    expect(d.equity).toMatchObject({ equity: 100, previous: 80 });
    expect(d.tiers.rows.map((r) => r.customers)).toEqual([1, 1, 6, 2]);
    // The previous run's equity is the fallback when the run did not record it.
    const noRecord = buildDashboard(smallBase(), modelRun({ previousEquity: null }), modelRun({}, { customerEquity: 50 }));
    expect(noRecord.equity.change).toBe(50);
  });
});
