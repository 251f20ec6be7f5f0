/**
 * Customer equity by acquisition cohort (the month or quarter of each customer's first purchase),
 * the way customer-based corporate valuation looks at a business (Gupta, Lehmann & Stuart 2004;
 * McCarthy & Fader 2018): per cohort, customers, repeat transactions, revenue so far, expected active
 * customers (Σ P(alive)) and the equity the model expects from them. The rows add up to the totals.
 */
import { civilFromDayNumber, dayNumberFromCivil } from '../clv/time';
import { NOT_SCORED, type RunSnapshot } from './snapshot';
import { Sum } from './sum';

export type CohortPeriod = 'month' | 'quarter';

export interface CohortRow {
  /** "1997-01" or "1997 Q1". */
  label: string;
  /** Day number of the cohort's first day. */
  start: number;
  customers: number;
  repeatTransactions: number;
  revenue: number;
  /** Σ P(alive): customers the model expects to be still active. */
  expectedActive: number;
  equity: number;
}

export interface Cohorts {
  period: CohortPeriod;
  rows: CohortRow[];
  total: Omit<CohortRow, 'label' | 'start'>;
  /** Customers with no first purchase (only returns), left out of the rows. */
  withoutPurchase: number;
  /**
   * Repeat purchase days per calendar period (columns) of each cohort (rows, in the order of `rows`):
   * the "C3" view of customer-based valuation. Null for snapshots that do not hold it.
   */
  byPeriod: { periods: string[]; counts: number[][] } | null;
}

export function cohortOf(day: number, period: CohortPeriod): { key: number; label: string; start: number } {
  const { year, month } = civilFromDayNumber(day);
  if (period === 'month') {
    return { key: year * 12 + (month - 1), label: `${year}-${String(month).padStart(2, '0')}`, start: dayNumberFromCivil(year, month, 1) };
  }
  const q = Math.floor((month - 1) / 3);
  return { key: year * 4 + q, label: `${year} Q${q + 1}`, start: dayNumberFromCivil(year, q * 3 + 1, 1) };
}

export function cohorts(snapshot: RunSnapshot, period: CohortPeriod): Cohorts {
  const byKey = new Map<number, { label: string; start: number; customers: number; repeat: Sum; revenue: Sum; active: Sum; equity: Sum }>();
  let withoutPurchase = 0;
  for (let i = 0; i < snapshot.ids.length; i++) {
    const day = snapshot.firstDay[i] as number;
    if (Number.isNaN(day)) {
      withoutPurchase++;
      continue;
    }
    const c = cohortOf(day, period);
    let row = byKey.get(c.key);
    if (!row) byKey.set(c.key, (row = { label: c.label, start: c.start, customers: 0, repeat: new Sum(), revenue: new Sum(), active: new Sum(), equity: new Sum() }));
    row.customers++;
    const scored = (snapshot.tier[i] as number) !== NOT_SCORED;
    if (scored) {
      row.repeat.add(snapshot.x[i] as number);
      row.active.add(snapshot.pAlive[i] as number);
    }
    row.revenue.add(snapshot.revenue[i] as number);
    row.equity.add(snapshot.clv[i] as number);
  }
  const rows = [...byKey.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, r]) => ({ label: r.label, start: r.start, customers: r.customers, repeatTransactions: r.repeat.value, revenue: r.revenue.value, expectedActive: r.active.value, equity: r.equity.value }));
  const total = { customers: 0, repeatTransactions: 0, revenue: 0, expectedActive: 0, equity: 0 };
  const sums = { repeat: new Sum(), revenue: new Sum(), active: new Sum(), equity: new Sum() };
  for (const r of rows) {
    total.customers += r.customers;
    sums.repeat.add(r.repeatTransactions);
    sums.revenue.add(r.revenue);
    sums.active.add(r.expectedActive);
    sums.equity.add(r.equity);
  }
  total.repeatTransactions = sums.repeat.value;
  total.revenue = sums.revenue.value;
  total.expectedActive = sums.active.value;
  total.equity = sums.equity.value;
  return { period, rows, total, withoutPurchase, byPeriod: repeatByPeriod(snapshot, period, rows) };
}

/** The snapshot's cohort × calendar-month matrix, summed to `period`, with one row per cohort row. */
function repeatByPeriod(snapshot: RunSnapshot, period: CohortPeriod, rows: readonly CohortRow[]): Cohorts['byPeriod'] {
  const m = snapshot.repeatByMonth;
  if (!m) return null;
  const keyOfMonth = (absolute: number) => (period === 'month' ? absolute : Math.floor(absolute / 3));
  const labelOf = (absolute: number) => {
    const year = Math.floor(absolute / 12);
    const month = (absolute % 12) + 1;
    return cohortOf(dayNumberFromCivil(year, month, 1), period);
  };
  const firstKey = keyOfMonth(m.firstMonth);
  const lastKey = keyOfMonth(m.firstMonth + m.months - 1);
  const periods: string[] = [];
  for (let k = firstKey; k <= lastKey; k++) {
    const absolute = period === 'month' ? k : k * 3;
    periods.push(labelOf(absolute).label);
  }
  const rowOfLabel = new Map(rows.map((r, i) => [r.label, i]));
  const counts = rows.map(() => new Array<number>(periods.length).fill(0));
  for (let c = 0; c < m.months; c++) {
    const row = rowOfLabel.get(labelOf(m.firstMonth + c).label);
    if (row === undefined) continue; // no customer's first purchase in that month
    for (let t = 0; t < m.months; t++) {
      const v = m.counts[c * m.months + t] as number;
      if (v) counts[row]![keyOfMonth(m.firstMonth + t) - firstKey]! += v;
    }
  }
  return { periods, counts };
}
