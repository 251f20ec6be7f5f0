import { describe, expect, it } from 'vitest';
import { CsvError, describeCsvError } from '../../../lib/csv/errors';
import { readColumns, readTable } from '../../../lib/csv/table';

function caught(f: () => unknown): CsvError {
  try {
    f();
  } catch (error) {
    if (error instanceof CsvError) return error;
    throw error;
  }
  throw new Error('expected a CsvError');
}

describe('readTable', () => {
  it('reads header and rows with line numbers', () => {
    const t = readTable('a,b\n1,2\n\n3,4\n');
    expect(t.columns).toEqual(['a', 'b']);
    expect(t.rows).toEqual([['1', '2'], ['3', '4']]);
    expect(t.lines).toEqual([2, 4]);
  });
  it('names the columns of a headerless file', () => {
    expect(readTable('1 2\n3 4\n').columns).toEqual(['column 1', 'column 2']);
  });
  it('an empty file, or a header only, is CsvError("empty")', () => {
    expect(caught(() => readTable('')).code).toBe('empty');
    expect(caught(() => readTable('id,date,amount\n')).code).toBe('empty');
  });
});

describe('readColumns', () => {
  const text = 'id,date,amount\nA,2024-01-01,1.5\nB,2024-01-02,2\nA,2024-01-03,-0.5\n';
  it('reads categories, dates and numbers into typed columns', () => {
    const r = readColumns(text, [
      { index: 0, name: 'id', type: { kind: 'category' } },
      { index: 1, name: 'date', type: { kind: 'date', format: 'YYYY-MM-DD' } },
      { index: 2, name: 'amount', type: { kind: 'number' } },
    ]);
    expect(r.rows).toBe(3);
    expect(Array.from(r.lines)).toEqual([2, 3, 4]);
    const [id, date, amount] = r.columns;
    expect(id).toMatchObject({ kind: 'category', levels: ['A', 'B'] });
    expect(id?.kind === 'category' && Array.from(id.codes)).toEqual([0, 1, 0]);
    expect(date?.kind === 'date' && Array.from(date.values)).toEqual([19723, 19724, 19725]);
    expect(amount?.kind === 'number' && Array.from(amount.values)).toEqual([1.5, 2, -0.5]);
  });

  it('reports every bad cell with line, field and value, and short rows', () => {
    const bad = 'id,date,amount\nA,2024-01-01,1.5\nB,2024-02-30,2\nC,2024-01-03,abc\nD,2024-01-04\n';
    const error = caught(() =>
      readColumns(bad, [
        { index: 0, name: 'id', type: { kind: 'category' } },
        { index: 1, name: 'date', type: { kind: 'date', format: 'YYYY-MM-DD' } },
        { index: 2, name: 'amount', type: { kind: 'number' } },
      ]),
    );
    expect(error.code).toBe('bad-values');
    expect(error.total).toBe(3);
    expect(error.issues).toEqual([
      { line: 3, field: 'date', value: '2024-02-30', message: 'not a valid date in the format YYYY-MM-DD' },
      { line: 4, field: 'amount', value: 'abc', message: 'not a number' },
      { line: 5, field: 'amount', value: '', message: 'missing: the row has only 2 fields' },
    ]);
    expect(describeCsvError(error)).toContain('line 3, field "date": "2024-02-30"');
  });

  it('reads decimal commas when the dialect says so', () => {
    const r = readColumns('id;amount\n1;12,50\n', [{ index: 1, name: 'amount', type: { kind: 'number' } }]);
    expect(r.columns[0]?.kind === 'number' && r.columns[0].values[0]).toBe(12.5);
  });

  it('reads the same from chunks as from the whole text', () => {
    const chunks = ['id,date,am', 'ount\r\nA,2024-01-01,1', '.5\r\nB,2024-01-02,2\r', '\n'];
    const r = readColumns(chunks, [{ index: 2, name: 'amount', type: { kind: 'number' } }], { delimiter: ',', header: true, decimalComma: false });
    expect(r.columns[0]?.kind === 'number' && Array.from(r.columns[0].values)).toEqual([1.5, 2]);
  });
});
