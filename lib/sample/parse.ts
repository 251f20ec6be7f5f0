/**
 * Reads the bundled sample (assets/public/sample/customers.csv and transactions.csv) into customer
 * records with their purchase facts, and transaction records. The files are ours and simple (no
 * quoted fields), but a malformed line still fails loudly with its file and line number.
 */
import { OccurrenceCounter, transactionKey } from '../db/keys';
import type { CustomerWithValue, TransactionRecord } from '../db/records';
import { purchaseFacts, type Purchase } from './facts';

export interface SampleData {
  customers: CustomerWithValue[];
  transactions: Omit<TransactionRecord, 'importRunId'>[];
}

function rows(text: string, file: string, columns: number): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (index === 0 || line.trim() === '') return;
    const cells = line.split(',');
    if (cells.length !== columns) {
      throw new Error(`${file}, line ${index + 1}: expected ${columns} fields, found ${cells.length}.`);
    }
    out.push({ line: index + 1, cells });
  });
  return out;
}

export function parseSample(customersCsv: string, transactionsCsv: string, importedAt: string): SampleData {
  const purchases = new Map<string, Purchase[]>();
  const transactions: SampleData['transactions'] = [];
  const occurrences = new OccurrenceCounter();
  for (const { line, cells } of rows(transactionsCsv, 'transactions.csv', 3)) {
    const [id = '', date = '', amount = ''] = cells;
    const value = Number(amount);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || amount.trim() === '' || !Number.isFinite(value)) {
      throw new Error(`transactions.csv, line ${line}: bad date "${date}" or amount "${amount}".`);
    }
    const list = purchases.get(id) ?? [];
    list.push({ date, amount: value });
    purchases.set(id, list);
    const n = occurrences.next(`${id}|${date}|${amount}`);
    transactions.push({ key: transactionKey(id, date, value, undefined, n), customerId: id, date, amount: value });
  }
  const customers = rows(customersCsv, 'customers.csv', 4).map(({ cells: [id = '', name = '', email = '', company = ''] }) => {
    const history = purchases.get(id);
    if (!history) throw new Error(`customers.csv: customer ${id} has no transactions.`);
    const lower = email.toLowerCase();
    const record: CustomerWithValue = {
      id,
      name,
      emails: [lower],
      company,
      domain: lower.split('@')[1],
      hostIds: [],
      facts: purchaseFacts(history),
      source: 'sample',
      importedAt,
    };
    return record;
  });
  return { customers, transactions };
}
