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
  return { period, rows, total, withoutPurchase };
}
