import { describe, expect, it } from 'vitest';
import { CsvScanner, type Delimiter, recordFields, scanText, splitRecords } from '../../../lib/csv/scan';

function records(text: string, delimiter: Delimiter = ','): { fields: string[]; line: number }[] {
  return splitRecords(text, delimiter);
}

function chunked(text: string, delimiter: Delimiter, size: number): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  const scanner = new CsvScanner(delimiter, (r) => {
    out.push({ fields: recordFields(r), line: r.line });
  });
  for (let i = 0; i < text.length; i += size) scanner.push(text.slice(i, i + size));
  scanner.end();
  return out;
}

describe('CsvScanner', () => {
  it('splits simple records and numbers lines from 1', () => {
    expect(records('a,b,c\n1,2,3\n')).toEqual([
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['1', '2', '3'], line: 2 },
    ]);
  });

  it('handles CRLF, a missing final newline and a byte-order mark', () => {
    expect(records('\uFEFFid,x\r\n1,2\r\n3,4')).toEqual([
      { fields: ['id', 'x'], line: 1 },
      { fields: ['1', '2'], line: 2 },
      { fields: ['3', '4'], line: 3 },
    ]);
  });

  it('reads quoted fields with delimiters, doubled quotes and newlines, keeping line numbers right', () => {
    const text = 'id,note\n1,"a, b"\n2,"say ""hi"""\n3,"two\nlines"\n4,last\n';
    expect(records(text)).toEqual([
      { fields: ['id', 'note'], line: 1 },
      { fields: ['1', 'a, b'], line: 2 },
      { fields: ['2', 'say "hi"'], line: 3 },
      { fields: ['3', 'two\nlines'], line: 4 },
      { fields: ['4', 'last'], line: 6 },
    ]);
  });

  it('skips empty lines but counts them, keeps empty fields', () => {
    expect(records('a,b\n\n  \n1,\n,2\n')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', ''], line: 4 },
      { fields: ['', '2'], line: 5 },
    ]);
  });

  it('trims blanks around unquoted fields', () => {
    expect(records('a , b\n 1 ,2 \n')[1]?.fields).toEqual(['1', '2']);
  });

  it('splits on runs of blanks in whitespace mode (the CDNOW text files)', () => {
    const text = '  00001  00001  19970101  1   11.77\r\n00002 00002\t19970112 2 50.30\r\n';
    expect(records(text, 'whitespace')).toEqual([
      { fields: ['00001', '00001', '19970101', '1', '11.77'], line: 1 },
      { fields: ['00002', '00002', '19970112', '2', '50.30'], line: 2 },
    ]);
  });

  it('semicolon and tab delimiters', () => {
    expect(records('a;b\n1;2,5\n', ';')[1]?.fields).toEqual(['1', '2,5']);
    expect(records('a\tb\n1\t2\n', '\t')[1]?.fields).toEqual(['1', '2']);
  });

  it('gives the same records whatever the chunk size (records and CRLF split across chunks)', () => {
    const text = '\uFEFFid,note,amount\r\n1,"multi\r\nline, with comma",12.5\r\n2,"q""uote",3\r\n\r\n3,plain,4';
    const whole = records(text);
    expect(whole).toHaveLength(4);
    for (const size of [1, 2, 3, 5, 7, 64]) expect(chunked(text, ',', size)).toEqual(whole);
    const ws = ' 1  2 \r\n3 4\r\n';
    for (const size of [1, 2, 3]) expect(chunked(ws, 'whitespace', size)).toEqual(records(ws, 'whitespace'));
  });

  it('stops when the handler returns false', () => {
    let seen = 0;
    scanText('1\n2\n3\n', ',', () => {
      seen++;
      return seen < 2;
    });
    expect(seen).toBe(2);
  });

  it('takes an unterminated quote to the end of the input', () => {
    expect(records('a,"open\nstill')).toEqual([{ fields: ['a', 'open\nstill'], line: 1 }]);
  });
});
