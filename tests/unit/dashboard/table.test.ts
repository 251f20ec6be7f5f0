import { describe, expect, it } from 'vitest';
import type { CustomerWithValue } from '~/lib/db/records';
import { createCustomerTableModel, defaultDirection, PAGE_SIZE, type SortColumn, type TableQuery } from '~/lib/dashboard/table';
import { customer, smallBase } from './base';

const query = (q: Partial<TableQuery>): TableQuery => ({ search: '', column: 'clv', direction: 'desc', page: 0, ...q });
const ids = (rows: CustomerWithValue[]) => rows.map((r) => r.id);

function base(): CustomerWithValue[] {
  const customers = smallBase();
  customers[0] = { ...customers[0]!, name: 'Émile Zola', company: 'Acme Books', emails: ['emile@acme.example'] };
  customers[1] = { ...customers[1]!, name: 'ana Li', emails: ['ana@li.example', 'ANA.LI@Other.example'] };
  customers[2] = { ...customers[2]!, name: 'Bob Acme', facts: { ...customers[2]!.facts, lastPurchase: '1998-06-30' } };
  customers[3] = { ...customers[3]!, facts: { ...customers[3]!.facts, lastPurchase: '' } };
  // Ten scored customers plus one not scored yet.
  return [...customers, customer('11', null, { name: 'Zed New' })];
}

describe('customer table model', () => {
  it('searches name, email, company and id, case-insensitively, every word', () => {
    const table = createCustomerTableModel(base());
    const search = (text: string) => ids(table.query(query({ search: text })).rows);
    expect(search('ACME')).toEqual(['1', '3']);
    expect(search('other.EXAMPLE')).toEqual(['2']);
    expect(search('  li   ana ')).toEqual(['2']);
    expect(search('11')).toEqual(['11']);
    expect(search('nobody')).toEqual([]);
    // Narrowing after a wider search gives the same as searching afresh.
    expect(search('c')).toHaveLength(10);
    expect(search('customer 1')).toEqual(['10']);
    expect(search('customer')).toHaveLength(7);
    expect(table.query(query({ search: 'nobody' }))).toMatchObject({ matches: 0, pages: 1, page: 0, first: 0, last: 0 });
  });

  it('sorts by every column, both ways, with missing values last', () => {
    const table = createCustomerTableModel(base());
    const sorted = (column: SortColumn, direction: 'asc' | 'desc') => ids(table.query(query({ column, direction })).rows);
    expect(sorted('clv', 'desc')).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
    // Ties (8 and 9 both 1) keep the rank order in both directions.
    expect(sorted('clv', 'asc')).toEqual(['10', '8', '9', '7', '6', '5', '4', '3', '2', '1', '11']);
    // Plain text order, accents ignored: "ana Li", "Bob Acme", "Customer 10", "Customer 4", …, "Émile Zola", "Zed New".
    expect(sorted('name', 'asc').slice(0, 4)).toEqual(['2', '3', '10', '4']);
    expect(sorted('name', 'asc').slice(-3)).toEqual(['9', '1', '11']);
    expect(sorted('name', 'desc').slice(0, 2)).toEqual(['11', '1']);
    expect(sorted('tier', 'desc')).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
    expect(sorted('tier', 'asc')).toEqual(['9', '10', '3', '4', '5', '6', '7', '8', '2', '1', '11']);
    expect(sorted('pAlive', 'desc')).toEqual(['10', '1', '2', '3', '4', '5', '6', '7', '8', '9', '11']);
    expect(sorted('lastPurchase', 'desc').slice(0, 2)).toEqual(['3', '1']);
    expect(sorted('lastPurchase', 'desc').at(-1)).toBe('4');
    expect(sorted('lastPurchase', 'asc').at(-1)).toBe('4');
    expect(['name', 'tier', 'clv', 'pAlive', 'lastPurchase'].map((c) => defaultDirection(c as SortColumn))).toEqual(['asc', 'desc', 'desc', 'desc', 'desc']);
  });

  it('pages by 50, clamping the page', () => {
    const many = Array.from({ length: 120 }, (_, i) => customer(String(i + 1), { clv: 1000 - i, tierIndex: 2, pAlive: 0.5, rank: i + 1 }));
    const table = createCustomerTableModel(many);
    const second = table.query(query({ page: 1 }));
    expect(second).toMatchObject({ matches: 120, pages: 3, page: 1, first: 51, last: 100 });
    expect(second.rows[0]!.id).toBe('51');
    expect(table.query(query({ page: 9 }))).toMatchObject({ page: 2, first: 101, last: 120 });
    expect(table.query(query({ page: 9 })).rows).toHaveLength(20);
    // Searching pages through the matches only: ids containing "1" in value order.
    const ones = table.query(query({ search: '1', page: 0 }));
    expect(ones.matches).toBe(many.filter((c) => c.id.includes('1')).length);
    expect(ones.rows.every((r) => r.id.includes('1'))).toBe(true);
    expect(PAGE_SIZE).toBe(50);
  });

  it('searches and sorts 100,000 customers correctly (speed: npm run bench)', () => {
    const names = ['Ana', 'Bob', 'Carmen', 'Dmitri', 'Emma', 'Farid', 'Grace', 'Hiro'];
    const many = Array.from({ length: 100_000 }, (_, i) =>
      customer(String(i + 1), { clv: (i * 7919) % 100_003, tierIndex: i % 4, pAlive: ((i * 31) % 1000) / 1000, rank: i + 1 }, {
        name: `${names[i % names.length]} ${i}`,
        emails: [`user${i}@shop${i % 50}.example`],
      }),
    );
    const table = createCustomerTableModel(many);
    table.query(query({}));
    table.query(query({ column: 'name', direction: 'asc' }));
    // Typing "carmen 1": one query per keystroke.
    for (const text of ['c', 'ca', 'car', 'carm', 'carme', 'carmen', 'carmen ', 'carmen 1']) table.query(query({ search: text, column: 'name', direction: 'asc' }));
    const result = table.query(query({ search: 'carmen 1', column: 'clv', direction: 'desc', page: 3 }));
    expect(result.matches).toBe(many.filter((c) => c.name.toLowerCase().includes('carmen') && `${c.name}\n${c.emails[0]}\n\n${c.id}`.includes('1')).length);
  });
});
