import { discountedResidualTransactions } from '~/lib/clv/lifetime';
import { bgnbd, type BgnbdParams } from '~/lib/clv/bgnbd';
import { moneyText } from '~/lib/dashboard/format';
import { newCustomerHeadline, newCustomerSentence } from '~/lib/equity/words';
/**
 * The report's figures on the bundled CDNOW sample, scored twice in a real (fake-indexeddb) store:
 * the snapshot written with each run, the new customer's value against quadrature of the fitted
 * BG/NBD, cohorts adding up to the run's equity, the equity bridge adding up to the change exactly,
 * and the CSV carrying the numbers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planClv } from '~/lib/clv/clv';
import { CentricDb } from '~/lib/db/db';
import { KEEP_SNAPSHOTS, latestSnapshots } from '~/lib/db/snapshots';
import { withValues } from '~/lib/db/values';
import { runChanges, watchList } from '~/lib/equity/changes';
import { cohorts } from '~/lib/equity/cohorts';
import { buildReport, reportCsv } from '~/lib/equity/report';
import { NOT_SCORED, type RunSnapshot } from '~/lib/equity/snapshot';
import { loadSampleData } from '~/lib/sample/install';
import { DEFAULT_SCORING_SETTINGS } from '~/lib/scoring/settings';
import { scoreStore } from '~/lib/scoring/store';
import { FLAG_AT_RISK } from '~/lib/tiers/assign';
import { readBundledSample } from '../../helpers/sample';
import { readDataset } from '../../helpers/datasets';
import { quadratureExpected } from './reference';

let db: CentricDb;
let n = 0;
beforeEach(async () => {
  db = new CentricDb(`centric-equity-${++n}`);
  await loadSampleData(db, readBundledSample());
});
afterEach(async () => {
  await db.delete();
});

const BGNBD_SETTINGS = { ...DEFAULT_SCORING_SETTINGS, model: 'bgnbd' as const, margin: 0.3 };

describe('customer equity report on the CDNOW sample', () => {
  it('snapshots each run, and the figures agree with the stored values and independent computations', async () => {
    const run = await scoreStore(db, BGNBD_SETTINGS, { now: () => new Date('2026-03-01T00:00:00Z') });
    const { current, previous } = await latestSnapshots(db);
    expect(previous).toBeNull();
    expect(current!.modelRunId).toBe(run.modelRunId);
    expect(current!.ids).toHaveLength(2357);
    expect(current!.transactions).toBe(6919);
    // The snapshot holds what the values hold.
    const customers = await withValues(db, await db.customers.toArray());
    const index = new Map(current!.ids.map((id, i) => [id, i]));
    for (const c of customers.slice(0, 200)) {
      const i = index.get(c.id)!;
      expect(current!.clv[i]).toBeCloseTo(c.value!.clv, 3);
      expect(current!.tier[i]).toBe(c.value!.tierIndex);
      expect(current!.firstDay[i]).toBeGreaterThan(0);
    }
    // First orders: the sample's first-day amounts (customer "1" of CDNOW bought $11.77 on 1997-01-01).
    const revenue = [...current!.revenue].reduce((s, v) => s + v, 0);
    expect(revenue).toBeCloseTo(244_091.94, 2);

    const record = (await db.modelRuns.get(run.modelRunId))!;
    const report = buildReport({ run: { ...record, id: run.modelRunId }, snapshot: current!, imports: await db.importRuns.toArray(), period: 'month', now: new Date('2026-03-02T00:00:00Z') });
    expect(report.equity.total).toBeCloseTo(record.customerEquity, 4);
    expect(report.provenance).toMatchObject({ customers: 2357, scoredCustomers: 2357, transactions: 6919, dataEnd: '1998-06-30', model: 'BG/NBD' });

    // New customer: margin × p·γ/(q−1) × discounted E[X(t)] by quadrature of the fitted BG/NBD (1e-6 relative).
    expect('value' in report.newCustomer).toBe(true);
    if (!('value' in report.newCustomer)) return;
    const { p, q, gamma } = (record.spend as { params: { p: number; q: number; gamma: number } }).params;
    const plan = planClv({ modelUnit: 'week', horizon: { value: 12, unit: 'month' }, annualDiscountRate: 0.1 });
    let prev = 0;
    let discounted = 0;
    for (let i = 0; i < plan.times.length; i++) {
      const cur = quadratureExpected(plan.times[i] as number, record.params as { r: number; alpha: number; a: number; b: number });
      discounted += (cur - prev) * (plan.discount[i] as number);
      prev = cur;
    }
    const expected = 0.3 * ((p * gamma) / (q - 1)) * discounted;
    expect(Math.abs(report.newCustomer.value.repeatValue - expected) / expected).toBeLessThan(1e-6);
    // First order: the sample's mean first-day amount, computed here from the raw rows.
    const first = new Map<string, { day: string; amount: number }>();
    for (const line of readDataset('lifetimes_CDNOW_sample.txt').split(/\r?\n/)) {
      const [, id, day, , dollars] = line.trim().split(/\s+/);
      if (!id || !day || dollars === undefined) continue;
      const f = first.get(id);
      if (!f || day < f.day) first.set(id, { day, amount: Number(dollars) });
      else if (day === f.day) f.amount += Number(dollars);
    }
    expect(first.size).toBe(2357);
    const meanFirst = [...first.values()].reduce((s, f) => s + f.amount, 0) / first.size;
    expect(report.newCustomer.meanFirstOrder).toBeCloseTo(meanFirst, 6);
    // Issue 16: the most to pay is the first order's margin plus the lifetime (not 12-month) repeat value,
    // and the report's card and its sentence say the same amount.
    const lifetime = 0.3 * ((p * gamma) / (q - 1)) * discountedResidualTransactions(bgnbd, record.params as BgnbdParams, { x: 0, tx: 0, T: 0 }, 0.1, 'week');
    expect(report.newCustomer.value.lifetimeRepeatValue).toBeCloseTo(lifetime, 6);
    expect(report.newCustomer.value.lifetimeRepeatValue).toBeGreaterThan(expected);
    expect(report.newCustomer.value.valueAtAcquisition).toBeCloseTo(lifetime + 0.3 * meanFirst, 4);
    const headline = newCustomerHeadline(report);
    const sentence = newCustomerSentence(report);
    expect(sentence).toContain(`is ${headline},`);
    expect(sentence).toContain(moneyText(0.3 * meanFirst, report.display));
    expect(sentence).toContain(moneyText(lifetime, report.display));
    expect(sentence).not.toMatch(/12 months/);

    // Cohorts add up to the totals, and the totals to the run.
    const monthly = cohorts(current!, 'month');
    expect(monthly.rows.map((r) => r.label)).toEqual(['1997-01', '1997-02', '1997-03']);
    expect(monthly.total.customers).toBe(2357);
    expect(monthly.rows.reduce((s, r) => s + r.equity, 0)).toBeCloseTo(record.customerEquity, 6);
    expect(monthly.total.equity).toBeCloseTo(record.customerEquity, 6);
    expect(monthly.total.revenue).toBeCloseTo(244_091.94, 4);
    expect(monthly.total.repeatTransactions).toBe(customers.reduce((s, c) => s + c.value!.x, 0));
    expect(cohorts(current!, 'quarter').rows).toHaveLength(1);
    // Repeat purchase days by cohort and calendar period add up to each cohort's repeat transactions.
    const c3 = monthly.byPeriod!;
    expect(c3.periods).toHaveLength(18); // 1997-01 … 1998-06
    expect(c3.periods[0]).toBe('1997-01');
    expect(c3.periods[17]).toBe('1998-06');
    monthly.rows.forEach((r, i) => expect(c3.counts[i]!.reduce((s, v) => s + v, 0)).toBe(r.repeatTransactions));
    // No repeat purchase before the cohort's own month.
    expect(c3.counts[2]!.slice(0, 2)).toEqual([0, 0]);
    const quarterly = cohorts(current!, 'quarter').byPeriod!;
    expect(quarterly.periods).toEqual(['1997 Q1', '1997 Q2', '1997 Q3', '1997 Q4', '1998 Q1', '1998 Q2']);
    expect(quarterly.counts[0]!.reduce((s, v) => s + v, 0)).toBe(monthly.total.repeatTransactions);

    // Tiers: shares add to 1; the first-order profile is there; and no channel is claimed.
    expect(report.tiers.map((t) => t.name)).toEqual(['Platinum', 'Gold', 'Iron', 'Lead']);
    expect(report.tiers.reduce((s, t) => s + t.share, 0)).toBeCloseTo(1, 9);
    expect(report.tiers[0]!.firstOrder!.median).toBeGreaterThan(0);
    expect(report.channelNote).toMatch(/no channel/);
    expect('reason' in report.changes).toBe(true);

    // The CSV carries the numbers shown.
    const csv = reportCsv(report);
    expect(csv).toContain(`customer equity,${String(Number(report.equity.total.toPrecision(10)))}`);
    expect(csv).toContain('data end,1998-06-30');
    expect(csv).toContain('1997-01,');
    expect(csv.split('\n\n').length).toBeGreaterThanOrEqual(5);
    expect(csv).toContain('repeat transactions (rows: cohort; columns: month),1997-01,');
  });

  it('a second scoring with another margin shows the change, and the bridge adds up exactly', async () => {
    await scoreStore(db, BGNBD_SETTINGS);
    const second = await scoreStore(db, { ...BGNBD_SETTINGS, margin: 0.6, tiers: { ...BGNBD_SETTINGS.tiers } });
    const { current, previous } = await latestSnapshots(db);
    expect(current!.modelRunId).toBe(second.modelRunId);
    const changes = runChanges(previous!, current!);
    const b = changes.bridge;
    // Same data, double the margin: equity doubles; every customer is in "no new purchase".
    expect(b.current / b.previous).toBeCloseTo(2, 9);
    expect(b.quietCustomers.customers).toBe(2357);
    expect(b.newCustomers.customers + b.lostCustomers.customers + b.repeatBuyers.customers).toBe(0);
    expect(b.newCustomers.value + b.lostCustomers.value + b.repeatBuyers.value + b.quietCustomers.value).toBeCloseTo(b.change, 6);
    expect(changes.movedUp + changes.movedDown).toBe(0);
    // Snapshots beyond the last KEEP_SNAPSHOTS are deleted.
    for (let k = 0; k < KEEP_SNAPSHOTS; k++) await scoreStore(db, BGNBD_SETTINGS);
    expect(await db.runSnapshots.count()).toBe(KEEP_SNAPSHOTS);
  });
});

function snapshot(modelRunId: number, rows: [id: string, tier: number, clv: number, x: number, flags?: number][]): RunSnapshot {
  const k = rows.length;
  return {
    modelRunId,
    at: `2026-01-0${modelRunId}T00:00:00.000Z`,
    ids: rows.map((r) => r[0]),
    tier: Uint8Array.from(rows.map((r) => r[1])),
    flags: Uint8Array.from(rows.map((r) => r[4] ?? 0)),
    clv: Float64Array.from(rows.map((r) => r[2])),
    pAlive: new Float32Array(k).fill(0.5),
    x: Float32Array.from(rows.map((r) => r[3])),
    firstDay: new Float64Array(k).fill(10_000),
    firstAmount: new Float64Array(k).fill(20),
    revenue: new Float64Array(k).fill(50),
    transactions: k * 2,
  };
}

describe('changes between runs', () => {
  const before = snapshot(1, [
    ['a', 0, 500.1, 3],
    ['b', 1, 200.2, 1],
    ['c', 2, 50.3, 0],
    ['gone', 1, 180.7, 2],
    ['d', 0, 400, 4],
  ]);
  const after = snapshot(2, [
    ['a', 1, 300.05, 3, FLAG_AT_RISK],
    ['b', 0, 450.9, 2],
    ['c', 2, 40.1, 0],
    ['d', 0, 410, 4, FLAG_AT_RISK],
    ['new', 2, 33.3, 0],
    ['returns-only', NOT_SCORED, 0, Number.NaN],
  ]);
  const changes = runChanges(before, after);

  it('splits the change in equity into new, lost, repeat buyers and the rest, adding up exactly', () => {
    const b = changes.bridge;
    expect(b.previous).toBeCloseTo(1331.3, 9);
    expect(b.current).toBeCloseTo(1234.35, 9);
    expect(b.newCustomers).toEqual({ customers: 1, value: 33.3 });
    expect(b.lostCustomers).toEqual({ customers: 1, value: -180.7 });
    expect(b.repeatBuyers.customers).toBe(1);
    expect(b.repeatBuyers.value).toBeCloseTo(250.7, 9);
    expect(b.quietCustomers.customers).toBe(3);
    expect(b.quietCustomers.value).toBeCloseTo(-200.05 - 10.2 + 10, 9);
    expect(Math.abs(b.newCustomers.value + b.lostCustomers.value + b.repeatBuyers.value + b.quietCustomers.value - b.change)).toBeLessThan(1e-9);
  });

  it('lists tier moves and high-value customers who became at risk; the watch list is by value', () => {
    expect(changes.movedUp).toBe(1);
    expect(changes.movedDown).toBe(1);
    expect(changes.topUp.map((c) => c.id)).toEqual(['b']);
    expect(changes.topDown.map((c) => c.id)).toEqual(['a']);
    expect(changes.moves[0]![1]).toBe(1);
    expect(changes.becameAtRisk.map((c) => c.id)).toEqual(['d', 'a']);
    expect(watchList(after).map((w) => w.id)).toEqual(['d', 'a']);
    expect(() => runChanges(after, before)).toThrow(/must come before/);
  });
});

describe('snapshot purchase days', () => {
  it("follow the engine's policy: same-day rows merge, a day netting below 0 is a return", async () => {
    const { snapshotFromValues } = await import('~/lib/equity/snapshot');
    const s = snapshotFromValues(1, 'x', ['a', 'b'], new Map([['a', { tierIndex: 0, flags: ['at-risk'], clv: 10, pAlive: 0.4, x: 1 }]]), [
      { customerId: 'a', dates: ['1997-03-02', '1997-01-05', '1997-01-05', '1997-02-01'], amounts: [20, 30, -30, -10] },
      { customerId: 'b', dates: ['1997-01-09'], amounts: [-5] },
    ]);
    expect(s.firstDay[0]).toBe(Date.UTC(1997, 0, 5) / 86_400_000);
    expect(s.firstAmount[0]).toBe(0); // bought and returned the same day: still a purchase day, worth 0
    expect(s.revenue[0]).toBe(10);
    expect(s.flags[0]).toBe(FLAG_AT_RISK);
    expect(Number.isNaN(s.firstDay[1]!)).toBe(true); // only a return: no purchase
    expect(s.revenue[1]).toBe(-5);
    const c = cohorts(s, 'month');
    expect(c.withoutPurchase).toBe(1);
    expect(c.byPeriod).toEqual({ periods: ['1997-01', '1997-02', '1997-03'], counts: [[0, 0, 1]] });
  });
});
