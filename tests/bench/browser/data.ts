/**
 * Seeded synthetic data for the browser benchmarks: a transaction log shaped like a shop's order
 * export (customer_id,date,amount) and customer records to fill the store for the lookup benchmark.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exponential, gamma, mulberry32 } from '../../helpers/simulate';

/** Days covered by the log: two years, 2023-01-01 to 2024-12-30. */
const DAYS = 730;
const FIRST_DAY = Date.UTC(2023, 0, 1) / 86_400_000;

export interface LogFile {
  path: string;
  rows: number;
  customers: number;
  bytes: number;
}

/** "C0012345" for customer 12345. */
export const customerId = (i: number) => `C${String(i).padStart(7, '0')}`;

/**
 * Writes a transaction log of exactly `rows` rows for `customers` customers to a temp file, in date
 * order (as an order export is). Each customer is acquired on a uniform day of the two years (but
 * the last), buys
 * at a rate ~ Gamma(0.9, 60) per day (about 5.5 a year on average, very unequal) while alive for an
 * exponential lifetime at a dropout rate ~ Gamma(0.6, 0.6 × 548) per day (Pareto/NBD's assumptions;
 * a lifetime of 18 months at the mean rate), and spends around a personal mean ~ Gamma(3, 3/60) dollars
 * (amounts with cents). Every customer has their first purchase; the other rows go to customers in
 * proportion to their expected purchases. Deterministic for a seed.
 */
export function writeTransactionLog(rows: number, customers: number, seed = 7): LogFile {
  const u = mulberry32(seed);
  const first = new Int32Array(customers);
  const end = new Int32Array(customers);
  const meanSpend = new Float64Array(customers);
  const cumulative = new Float64Array(customers);
  let total = 0;
  for (let i = 0; i < customers; i++) {
    // Not on the last day: the engine cannot yet score a customer whose first purchase is on the
    // day scoring is as of (T = 0 is refused by lib/clv/clv.ts), which would stop the benchmark.
    first[i] = Math.floor(u() * (DAYS - 1));
    const lifetime = exponential(u, gamma(u, 0.6, 0.6 * 548));
    end[i] = Math.min(DAYS - 1, first[i]! + Math.floor(lifetime));
    const rate = gamma(u, 0.9, 60);
    meanSpend[i] = 5 + gamma(u, 3, 3 / 60);
    total += rate * (end[i]! - first[i]! + 1);
    cumulative[i] = total;
  }
  // Rows by day (counting sort), so the file comes out in date order.
  const customerOf = new Int32Array(rows);
  const dayOf = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let i: number;
    if (r < customers) i = r;
    else {
      const target = u() * total;
      let lo = 0;
      let hi = customers - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! < target) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    }
    customerOf[r] = i;
    dayOf[r] = r < customers ? first[i]! : first[i]! + Math.floor(u() * (end[i]! - first[i]! + 1));
  }
  const perDay = new Int32Array(DAYS + 1);
  for (let r = 0; r < rows; r++) perDay[dayOf[r]! + 1]!++;
  for (let d = 0; d < DAYS; d++) perDay[d + 1]! += perDay[d]!;
  const order = new Int32Array(rows);
  for (let r = 0; r < rows; r++) order[perDay[dayOf[r]!]!++] = r;

  const dates = Array.from({ length: DAYS }, (_, d) => new Date((FIRST_DAY + d) * 86_400_000).toISOString().slice(0, 10));
  const lines: string[] = ['customer_id,date,amount'];
  for (let k = 0; k < rows; k++) {
    const r = order[k]!;
    const i = customerOf[r]!;
    const amount = Math.max(0.5, meanSpend[i]! * gamma(u, 6, 6));
    lines.push(`${customerId(i)},${dates[dayOf[r]!]},${amount.toFixed(2)}`);
  }
  const text = lines.join('\n') + '\n';
  const dir = join(tmpdir(), 'centric-bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `transactions-${rows}-${customers}-seed${seed}.csv`);
  writeFileSync(path, text);
  return { path, rows, customers, bytes: Buffer.byteLength(text) };
}
