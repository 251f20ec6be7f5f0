import { withValues } from '~/lib/db/values';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, type DashboardData } from '~/lib/dashboard/dashboard';
import { scoresToCsv } from '~/lib/dashboard/export';
import { createCustomerTableModel } from '~/lib/dashboard/table';
import { CentricDb } from '~/lib/db/db';
import type { CustomerWithValue, ModelRunRecord } from '~/lib/db/records';
import { loadSampleData } from '~/lib/sample/install';
import { DEFAULT_SCORING_SETTINGS } from '~/lib/scoring/settings';
import { scoreStore } from '~/lib/scoring/store';
import { readBundledSample } from '../../helpers/sample';

// The bundled CDNOW sample (2,357 customers), scored twice as the options page would: the second
// run (Pareto/NBD, margin 30%) is "latest", the first "previous".
let db: CentricDb;
let customers: CustomerWithValue[];
let latest: ModelRunRecord;
let previous: ModelRunRecord;
let dashboard: DashboardData;

beforeAll(async () => {
  db = new CentricDb('centric-dashboard-sample');
  await loadSampleData(db, readBundledSample());
  await scoreStore(db, DEFAULT_SCORING_SETTINGS, { now: () => new Date('2026-03-01T00:00:00Z') });
  await scoreStore(db, { ...DEFAULT_SCORING_SETTINGS, model: 'pareto-nbd', margin: 0.3 }, { now: () => new Date('2026-03-02T00:00:00Z') });
  customers = await withValues(db, await db.customers.toArray());
  [latest, previous] = (await db.modelRuns.orderBy('at').reverse().limit(2).toArray()) as [ModelRunRecord, ModelRunRecord];
  dashboard = buildDashboard(customers, latest, previous);
});
afterAll(async () => {
  await db.delete();
});

describe('the dashboard of the scored CDNOW sample', () => {
  it('sums customer equity and compares it with the previous scoring', () => {
    expect(dashboard.scored).toBe(2357);
    expect(dashboard.unscored).toBe(0);
    expect(dashboard.equity.equity).toBeCloseTo(latest.customerEquity, -1);
    expect(dashboard.equity.previous).toBeCloseTo(previous.customerEquity, 6);
    // A margin of 30% instead of 100%: equity falls by about 70%.
    expect(dashboard.equity.changeShare).toBeLessThan(-0.6);
    expect(dashboard.equity.changeText).toMatch(/^−\$[\d,]+ \(−\d+\.\d%\) since the previous scoring$/);
    expect(dashboard.equity.reading).toMatch(/^Customer equity is \$[\d,]+: the predicted value of 2,357 customers over the next 12 months, discounted, down /);
  });

  it('marks the tier boundaries of the 5/15/60/20 pyramid on the concentration curve', () => {
    const { boundaries, points, reading } = dashboard.concentration;
    expect(boundaries.map((b) => [b.tier.name, b.customers])).toEqual([
      ['Platinum', 118],
      ['Gold', 472],
      ['Iron', 1886],
    ]);
    expect(boundaries[0]!.customersPercent).toBeCloseTo((100 * 118) / 2357, 10);
    // Customers are not equal: the top 5% hold far more than 5% of the value, and the curve only rises.
    expect(boundaries[0]!.valueShare).toBeGreaterThan(0.2);
    expect(points.every((p, i) => i === 0 || p.valueShare >= points[i - 1]!.valueShare)).toBe(true);
    expect(points[100]!.valueShare).toBeCloseTo(1, 12);
    const top = Math.round(boundaries[0]!.valueShare * 100);
    const next = Math.round(boundaries[1]!.valueShare * 100);
    expect(reading).toBe(`The top 5% of customers (Platinum) hold ${top}% of the value; the top 20% hold ${next}%.`);
  });

  it('counts customers and value per tier', () => {
    expect(dashboard.tiers.rows.map((r) => r.customers)).toEqual([118, 354, 1414, 471]);
    expect(dashboard.tiers.rows.reduce((s, r) => s + r.value, 0)).toBeCloseTo(dashboard.equity.equity, 6);
    expect(dashboard.tiers.reading).toMatch(/^The 118 Platinum customers \(5%\) hold \d+% of the value; the 471 Lead customers \(20%\) hold \d+(\.\d)?%\.$/);
  });

  it('bins P(alive)', () => {
    const { bins, likelyGone, reading } = dashboard.pAlive;
    expect(bins.reduce((s, b) => s + b.customers, 0)).toBe(2357);
    expect(likelyGone).toBeCloseTo(customers.filter((c) => c.value!.pAlive < 0.5).length / 2357, 12);
    expect(reading).toBe(`${Math.round(likelyGone * 100)}% of customers are more likely gone than alive (P(alive) < 50%).`);
  });

  it('shows the holdout check: the per-frequency table and 78 weeks of tracking', () => {
    const { trust } = dashboard;
    expect(trust.judged).toBe(true);
    expect(trust.table.map((r) => r.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
    expect(trust.table.reduce((s, r) => s + r.customers, 0)).toBe(2357);
    expect(trust.tracking).toHaveLength(78);
    expect(trust.tracking.every((p) => p.actual !== null)).toBe(true);
    // 546 days observed, a third held out: 52 calibration weeks, the holdout starts in week 53.
    expect(trust.holdoutStartPeriod).toBe(53);
    expect(trust.reading).toMatch(/^Holdout check: fitted on the earlier part of the data, the model predicted [\d,]+ repeat transactions in the holdout, actual [\d,]+ \([+−]\d+\.\d%\)\./);
  });

  it('exports every customer in the format of centric score', () => {
    const lines = scoresToCsv(customers).trim().split('\n');
    expect(lines).toHaveLength(2358);
    expect(lines[0]).toBe('id,x,t_x,T,monetary,pAlive,expectedTransactions,expectedSpend,clv,lifetimeValue,tier');
    const first = customers[0]!;
    const cells = lines[1]!.split(',');
    expect(cells[0]).toBe(first.id);
    expect(Number(cells[8])).toBeCloseTo(first.value!.clv, 7); // the file keeps 10 significant digits
    expect(Number(cells[9])).toBeCloseTo(first.value!.lifetimeValue!, 7);
    expect(cells[10]).toBe(first.value!.tier);
  });

  it('finds and sorts the sample customers', () => {
    const table = createCustomerTableModel(customers);
    const top = table.query({ search: '', column: 'clv', direction: 'desc', page: 0 });
    expect(top.pages).toBe(48);
    expect(top.rows[0]!.value!.rank).toBe(1);
    const name = customers[0]!.name;
    const found = table.query({ search: name.toUpperCase(), column: 'name', direction: 'asc', page: 0 });
    expect(found.rows.map((r) => r.name)).toContain(name);
  });
});
