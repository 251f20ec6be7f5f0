/**
 * Reads the bundled sample (assets/public/sample/customers.csv and transactions.csv) into customer records
 * with their purchase facts. The files are ours and simple (no quoted fields), but a malformed line
 * still fails loudly with its file and line number.
 */
import type { CustomerRecord } from '../db/records';
import { purchaseFacts, type Purchase } from './facts';

function rows(text: string, file: string, columns: number): string[][] {
  const lines = text.split(/\r?\n/);
  const out: string[][] = [];
  lines.forEach((line, index) => {
    if (index === 0 || line.trim() === '') return;
    const cells = line.split(',');
    if (cells.length !== columns) {
      throw new Error(`${file}, line ${index + 1}: expected ${columns} fields, found ${cells.length}.`);
    }
    out.push(cells);
  });
  return out;
}

export function parseSample(customersCsv: string, transactionsCsv: string, importedAt: string): CustomerRecord[] {
  const purchases = new Map<string, Purchase[]>();
  rows(transactionsCsv, 'transactions.csv', 3).forEach(([id = '', date = '', amount = ''], index) => {
    const value = Number(amount);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !Number.isFinite(value)) {
      throw new Error(`transactions.csv, line ${index + 2}: bad date "${date}" or amount "${amount}".`);
    }
    const list = purchases.get(id) ?? [];
    list.push({ date, amount: value });
    purchases.set(id, list);
  });
  return rows(customersCsv, 'customers.csv', 4).map(([id = '', name = '', email = '', company = '']) => {
    const history = purchases.get(id);
    if (!history) throw new Error(`customers.csv: customer ${id} has no transactions.`);
    const lower = email.toLowerCase();
    return {
      id,
      name,
      emails: [lower],
      company,
      domain: lower.split('@')[1],
      facts: purchaseFacts(history),
      source: 'sample',
      importedAt,
    };
  });
}
