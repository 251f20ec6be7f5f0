/**
 * A customer's purchase history by month, and the model's forecast of their purchases for the next
 * twelve months (expected transactions per month, from the fitted model and their history), for the
 * sidebar's history chart.
 */
import { readPurchases } from '../db/purchases';
import { withValue } from '../db/values';
import { isTransactionModelName, TRANSACTION_MODELS } from '../clv/auto';
import { convert, type TimeUnit } from '../clv/time';
import type { CentricDb } from '../db/db';

export interface MonthPoint {
  /** "1997-03" */
  month: string;
  orders: number;
  amount: number;
}

export interface CustomerHistory {
  customerId: string;
  name: string;
  months: MonthPoint[];
  /** Expected purchases in each of the next 12 months after the scoring date (empty when not scored). */
  forecast: { month: string; expected: number }[];
  /** The model and data end the forecast starts from. */
  model: string | null;
  asOf: string | null;
}

function addMonths(month: string, k: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + k;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Orders and spend per calendar month, every month from the first to the last purchase (gaps as 0). */
export function monthlyHistory(purchases: readonly { date: string; amount: number }[]): MonthPoint[] {
  if (purchases.length === 0) return [];
  const byMonth = new Map<string, MonthPoint>();
  let first = '9999-12';
  let last = '0000-01';
  for (const p of purchases) {
    const month = p.date.slice(0, 7);
    const point = byMonth.get(month) ?? { month, orders: 0, amount: 0 };
    point.orders++;
    point.amount = Math.round((point.amount + p.amount) * 100) / 100;
    byMonth.set(month, point);
    if (month < first) first = month;
    if (month > last) last = month;
  }
  const out: MonthPoint[] = [];
  for (let month = first; month <= last; month = addMonths(month, 1)) out.push(byMonth.get(month) ?? { month, orders: 0, amount: 0 });
  return out;
}

export async function customerHistory(db: CentricDb, customerId: string): Promise<CustomerHistory | null> {
  const customer = await withValue(db, await db.customers.get(customerId));
  if (!customer) return null;
  const record = await readPurchases(db, customerId);
  const months = monthlyHistory(record ? record.dates.map((date, i) => ({ date, amount: record.amounts[i]! })) : []);
  const value = customer.value;
  const run = value ? await db.modelRuns.get(value.modelRunId) : undefined;
  const forecast: CustomerHistory['forecast'] = [];
  if (value && run && isTransactionModelName(run.model)) {
    const model = TRANSACTION_MODELS[run.model];
    const unit = (run.settings.unit as TimeUnit | undefined) ?? 'week';
    const history = { x: value.x, tx: value.tx, T: value.T };
    const startMonth = (run.dataEnd ?? run.at).slice(0, 7);
    let previous = 0;
    for (let k = 1; k <= 12; k++) {
      const cumulative = model.conditionalExpectedTransactions(run.params, convert(k, 'month', unit), history);
      forecast.push({ month: addMonths(startMonth, k), expected: Math.max(0, cumulative - previous) });
      previous = cumulative;
    }
  }
  return { customerId, name: customer.name, months, forecast, model: value?.model ?? null, asOf: value?.scoredAt ?? null };
}
