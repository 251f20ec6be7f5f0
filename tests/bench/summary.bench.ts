/**
 * Transaction log -> summary throughput: a synthetic log of 3,000,000 rows held as text in memory,
 * parsed (lib/csv) and summarised (lib/clv/summary). Also times papaparse on the same text, the
 * measurement behind the choice of a dedicated parser (docs/engine.md).
 */
import Papa from 'papaparse';
import { summarizeTransactions } from '../../lib/clv/summary';
import { readTransactionLog } from '../../lib/csv/transactions';
import { type Benchmark, median, seconds, syntheticLogText } from './harness';

const ROWS = 3_000_000;
const CUSTOMERS = 300_000;

export const benchmarks: Benchmark[] = [
  {
    name: `Transaction log -> summary, ${(ROWS / 1e6).toFixed(0)}M rows of CSV text (parse + summarise, median of 3)`,
    target: 1_000_000,
    run() {
      const text = syntheticLogText(ROWS, CUSTOMERS);
      let customers = 0;
      let parseShare = 0;
      const run = () => {
        const t0 = performance.now();
        const log = readTransactionLog(text);
        const t1 = performance.now();
        const s = summarizeTransactions(
          { customer: log.customer, day: log.day, amount: log.amount, customerCount: log.customers.length, lines: log.lines },
          { unit: 'week' },
        );
        const t2 = performance.now();
        customers = s.x.length;
        parseShare = (t1 - t0) / (t2 - t0);
      };
      run(); // warm-up
      const time = median([seconds(run), seconds(run), seconds(run)]);
      return {
        value: ROWS / time,
        unit: 'rows/s',
        detail: `${customers.toLocaleString('en-US')} customers, ${(text.length / 2 ** 20).toFixed(0)} MB text, ${time.toFixed(2)} s (${(parseShare * 100).toFixed(0)} % parsing)`,
      };
    },
  },
  {
    name: `papaparse alone on the same ${(ROWS / 1e6).toFixed(0)}M rows (split only, no dates/summary; for comparison)`,
    target: Number.NaN,
    run() {
      const text = syntheticLogText(ROWS, CUSTOMERS);
      let rows = 0;
      const run = () => {
        const result = Papa.parse<string[]>(text, { delimiter: ',', skipEmptyLines: true });
        rows = result.data.length;
      };
      run();
      const time = median([seconds(run), seconds(run), seconds(run)]);
      return { value: ROWS / time, unit: 'rows/s', detail: `${rows.toLocaleString('en-US')} records, ${time.toFixed(2)} s` };
    },
  },
];
