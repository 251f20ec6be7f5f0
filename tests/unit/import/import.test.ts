import { readAllPurchases } from '~/lib/db/purchases';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CentricDb } from '~/lib/db/db';
import { countTransactions } from '~/lib/db/lifecycle';
import { commitImport, ImportRejected } from '~/lib/import/commit';
import { missingFields, previewFile } from '~/lib/import/mapping';
import { detectPreset } from '~/lib/import/presets';
import { issuesToCsv, readImport } from '~/lib/import/read';
import { loadSampleData } from '~/lib/sample/install';
import { readDataset } from '../../helpers/datasets';
import { readBundledSample } from '../../helpers/sample';

const fixture = (name: string) => readFileSync(resolve(process.cwd(), 'tests/fixtures/imports', name), 'utf8');
/** A text in chunks, as the worker streams a File. */
function* chunks(text: string, size = 4096): Generator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

let db: CentricDb;
let n = 0;
beforeEach(() => {
  db = new CentricDb(`centric-import-${++n}`);
});
afterEach(async () => {
  await db.delete();
});

async function snapshot(store: CentricDb) {
  return {
    customers: await store.customers.orderBy('id').toArray(),
    purchases: (await readAllPurchases(store)).sort((a, b) => a.customerId.localeCompare(b.customerId)),
    importRuns: await store.importRuns.toArray(),
  };
}

describe('presets', () => {
  it('recognises the exports people have', () => {
    const header = (text: string) => text.split('\n')[0]!.split(',');
    expect(detectPreset(header(fixture('shopify-orders.csv')))?.id).toBe('shopify-orders');
    expect(detectPreset(header(fixture('stripe-payments.csv')))?.id).toBe('stripe-payments');
    expect(detectPreset(['order_id', 'order_date', 'status', 'customer_email', 'billing_first_name', 'order_total'])?.id).toBe('woocommerce-orders');
    expect(detectPreset(['masterid', 'sampleid', 'date', 'cds', 'sales'])?.id).toBe('generic-transactions');
    expect(detectPreset(['id', 'name', 'email'], 'customers')?.id).toBe('customers');
    expect(detectPreset(['foo', 'bar'])).toBeUndefined();
  });
});

describe('reading a file', () => {
  it('previews a file: dialect, header, first rows, mapping', () => {
    const preview = previewFile(readDataset('btyd_cdnowElog.csv'), 'transactions');
    expect(preview.header).toEqual(['masterid', 'sampleid', 'date', 'cds', 'sales']);
    expect(preview.rows[0]).toEqual(['4', '1', '19970101', '2', '29.33']);
    expect(preview.mapping.columns).toMatchObject({ customer: 0, date: 2, amount: 4 });
    expect(preview.mapping.dateFormat).toBe('YYYYMMDD');
    expect(missingFields(preview.mapping)).toEqual([]);
    expect(missingFields({ ...preview.mapping, columns: { customer: 0 } })).toEqual(['date', 'amount']);
  });

  it('reads a Shopify orders export: one purchase per order, less refunds, unpaid orders left out', () => {
    const text = fixture('shopify-orders.csv');
    const batch = readImport(chunks(text, 64), previewFile(text, 'transactions').mapping);
    expect(batch.rejectedRows).toBe(0);
    expect(batch.foldedRows).toBe(1);
    expect(batch.excludedByStatus).toEqual({ voided: 1, pending: 1 });
    expect(batch.transactions.map((t) => [t.customerId, t.date, t.amount, t.orderId])).toEqual([
      ['ana.li@example.com', '2024-03-01', 91.4, '#1001'],
      ['bo.ek@example.com', '2024-03-04', 26.6, '#1002'],
      ['ana.li@example.com', '2024-04-10', 100, '#1003'],
    ]);
    expect(batch.customers.find((c) => c.id === 'ana.li@example.com')).toEqual({
      id: 'ana.li@example.com', email: 'ana.li@example.com', name: 'Ana Li', company: 'Li & Co',
    });
  });

  it('reads a Stripe payments export: successful payments less refunds, failures left out', () => {
    const text = fixture('stripe-payments.csv');
    const batch = readImport(text, previewFile(text, 'transactions').mapping);
    expect(batch.excludedByStatus).toEqual({ Failed: 1 });
    expect(batch.transactions.map((t) => [t.customerId, t.amount])).toEqual([
      ['cus_A1', 49],
      ['cus_A1', 39],
      ['cus_B2', 0],
    ]);
  });

  it('lists every bad row with its line, field and reason', () => {
    const text = fixture('broken-transactions.csv');
    const batch = readImport(text, previewFile(text, 'transactions').mapping);
    expect(batch.rows).toBe(6);
    expect(batch.rejectedRows).toBe(4);
    expect(batch.issues).toEqual([
      { line: 3, field: 'amount', value: 'abc', message: 'not a number' },
      { line: 4, field: 'date', value: '2024-13-01', message: 'not a date in the format YYYY-MM-DD' },
      { line: 5, field: 'customer_id', value: '', message: 'empty: a customer id is needed' },
      { line: 6, field: 'amount', value: '', message: 'empty: an amount is needed' },
    ]);
    expect(issuesToCsv(batch.issues).split('\n')[1]).toBe('3,amount,abc,not a number');
    expect(issuesToCsv([{ line: 1, field: 'name', value: '=HYPERLINK("x")', message: 'm' }])).toContain(`"'=HYPERLINK(""x"")"`);
  });
});

describe('committing an import', () => {
  it('imports the real CDNOW log: 2,357 customers, 6,919 transactions; twice changes nothing', async () => {
    const text = readDataset('btyd_cdnowElog.csv');
    const batch = readImport(chunks(text), previewFile(text, 'transactions').mapping);
    expect(batch.rejectedRows).toBe(0);
    const first = await commitImport(db, batch, { fileName: 'btyd_cdnowElog.csv', mode: 'all-or-nothing' });
    expect(first).toMatchObject({ customersWritten: 2357, transactionsWritten: 6919 });
    const after = await snapshot(db);
    const cents = after.customers.reduce((s, c) => s + Math.round(c.facts.totalSpent * 100), 0);
    expect(cents).toBe(24_409_194);
    expect(after.customers.find((c) => c.id === '4')?.facts).toEqual({
      orders: 4, totalSpent: 100.5, firstPurchase: '1997-01-01', lastPurchase: '1997-12-12',
    });

    await commitImport(db, readImport(text, previewFile(text, 'transactions').mapping), { fileName: 'again.csv', mode: 'all-or-nothing' });
    const again = await snapshot(db);
    expect(await countTransactions(db)).toBe(6919);
    expect(again.purchases.map((p) => p.keys)).toEqual(after.purchases.map((p) => p.keys));
    expect(again.customers.map((c) => c.facts)).toEqual(after.customers.map((c) => c.facts));
  });

  it('rejects a broken file whole: the store stays identical', async () => {
    await loadSampleData(db, readBundledSample(), () => new Date('2026-01-01T00:00:00Z'));
    const before = await snapshot(db);
    const text = fixture('broken-transactions.csv');
    const batch = readImport(text, previewFile(text, 'transactions').mapping);
    await expect(commitImport(db, batch, { fileName: 'broken.csv', mode: 'all-or-nothing' })).rejects.toThrow(ImportRejected);
    expect(await snapshot(db)).toEqual(before);
  });

  it('imports the valid rows only when asked, saying how many were left out', async () => {
    const text = fixture('broken-transactions.csv');
    const batch = readImport(text, previewFile(text, 'transactions').mapping);
    const result = await commitImport(db, batch, { fileName: 'broken.csv', mode: 'valid-only' });
    expect(result.transactionsWritten).toBe(2);
    const run = await db.importRuns.get(result.importRunId);
    expect(run).toMatchObject({ rows: 6, accepted: 2, rejected: 4, mode: 'valid-only', status: 'committed' });
    expect(run?.errors[0]).toEqual({ line: 3, field: 'amount', message: 'not a number' });
  });

  it('replaces the bundled sample with your own data', async () => {
    await loadSampleData(db, readBundledSample());
    const text = fixture('shopify-orders.csv');
    await commitImport(db, readImport(text, previewFile(text, 'transactions').mapping), { fileName: 'orders.csv', mode: 'all-or-nothing' });
    expect(await db.customers.count()).toBe(2);
    expect(await countTransactions(db)).toBe(3);
    expect((await db.customers.get('ana.li@example.com'))?.facts).toEqual({
      orders: 2, totalSpent: 191.4, firstPurchase: '2024-03-01', lastPurchase: '2024-04-10',
    });
  });

  it('adds names and emails from a customers file to customers known by id', async () => {
    const log = 'customer_id,date,amount\nc1,2024-01-01,10\nc1,2024-02-01,15\n';
    await commitImport(db, readImport(log, previewFile(log, 'transactions').mapping), { fileName: 't.csv', mode: 'all-or-nothing' });
    const people = 'id,name,email,company\nc1,Ana Li,ANA@LI.example,Li & Co\nc2,Bo Ek,not-an-email,\n';
    const batch = readImport(people, previewFile(people, 'customers').mapping);
    expect(batch.issues).toEqual([{ line: 3, field: 'email', value: 'not-an-email', message: 'not an email address' }]);
    await commitImport(db, batch, { fileName: 'c.csv', mode: 'valid-only' });
    expect(await db.customers.get('c1')).toMatchObject({
      name: 'Ana Li', emails: ['ana@li.example'], company: 'Li & Co', facts: { orders: 2, totalSpent: 25 },
    });
    expect(await db.customers.get('c2')).toBeUndefined();
  });
});
