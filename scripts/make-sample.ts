/**
 * Builds the bundled sample data from the CDNOW 1/10 sample in ../shared/datasets, as the two exports
 * a shop has: assets/public/sample/transactions.csv (every transaction of the 2,357 customers) and
 * assets/public/sample/customers.csv (deterministic demo names, emails and companies).
 * Run: npx tsx scripts/make-sample.ts
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { demoIdentity } from '../lib/sample/names';

const source = resolve(process.cwd(), '../shared/datasets/lifetimes_CDNOW_sample.txt');
const targetDir = resolve(process.cwd(), 'assets/public/sample');

const lines = readFileSync(source, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
const transactions = ['customer_id,date,amount'];
const customers = ['customer_id,name,email,company'];
const seen = new Set<string>();
for (const [index, line] of lines.entries()) {
  const [, sampleId, date, , amount] = line.trim().split(/\s+/);
  if (!sampleId || !date || !/^\d{8}$/.test(date) || amount === undefined || !Number.isFinite(Number(amount))) {
    throw new Error(`${source}:${index + 1}: expected "master_id sample_id YYYYMMDD cds dollars", got "${line}"`);
  }
  const id = String(Number(sampleId));
  const iso = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;
  transactions.push([id, iso, amount].join(','));
  if (!seen.has(id)) {
    seen.add(id);
    const who = demoIdentity(id);
    customers.push([id, who.name, who.email, who.company].join(','));
  }
}
mkdirSync(targetDir, { recursive: true });
writeFileSync(resolve(targetDir, 'transactions.csv'), transactions.join('\n') + '\n');
writeFileSync(resolve(targetDir, 'customers.csv'), customers.join('\n') + '\n');
console.log(`wrote ${transactions.length - 1} transactions and ${customers.length - 1} customers to ${targetDir}`);
