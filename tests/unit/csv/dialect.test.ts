import { describe, expect, it } from 'vitest';
import { detectDelimiter, detectDialect, detectHeader } from '../../../lib/csv/dialect';
import { readDataset } from '../../helpers/datasets';

describe('detectDialect', () => {
  it('comma with header (BTYD elog)', () => {
    expect(detectDialect(readDataset('btyd_cdnowElog.csv'))).toEqual({ delimiter: ',', header: true, decimalComma: false });
  });
  it('runs of blanks, CRLF, no header (lifetimes CDNOW sample)', () => {
    expect(detectDialect(readDataset('lifetimes_CDNOW_sample.txt'))).toEqual({ delimiter: 'whitespace', header: false, decimalComma: false });
  });
  it('runs of blanks with a header (lifetimes CDNOW master)', () => {
    expect(detectDialect(readDataset('lifetimes_CDNOW_master.txt'))).toEqual({ delimiter: 'whitespace', header: true, decimalComma: false });
  });
  it('semicolon with decimal commas (a European spreadsheet export)', () => {
    const text = 'Kunde;Datum;Betrag\nA1;01.02.2024;12,50\nA2;03.02.2024;7,99\nA1;15.02.2024;100\n';
    expect(detectDialect(text)).toEqual({ delimiter: ';', header: true, decimalComma: true });
  });
  it('tab separated', () => {
    expect(detectDialect('id\tdate\tamount\n1\t2024-01-01\t3.5\n2\t2024-01-02\t4\n').delimiter).toBe('\t');
  });
  it('a comma file whose text contains semicolons stays comma', () => {
    expect(detectDelimiter('id,note,amount\n1,a;b,3\n2,c;d,4\n')).toBe(',');
  });
  it('quoted decimal commas in a comma file', () => {
    expect(detectDialect('id,amount\n1,"12,50"\n2,"3,10"\n').decimalComma).toBe(true);
  });
});

describe('detectHeader', () => {
  it('a text cell over numbers or dates is a header', () => {
    expect(detectHeader([['id', 'x'], ['1', '2'], ['3', '4']])).toBe(true);
    expect(detectHeader([['cust', 'date'], ['C1', '2024-01-01'], ['C2', '2024-01-05']])).toBe(true);
  });
  it('a first row of numbers is data', () => {
    expect(detectHeader([['1', '2'], ['3', '4']])).toBe(false);
    expect(detectHeader([['C1', '2024-01-01'], ['C2', '2024-01-05']])).toBe(false);
  });
});
