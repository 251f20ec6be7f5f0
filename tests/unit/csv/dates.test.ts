import { describe, expect, it } from 'vitest';
import { dateFormatFromName, detectDateFormat, formatDay, parseDate } from '../../../lib/csv/dates';

describe('parseDate', () => {
  it('reads each layout to the same UTC day number', () => {
    const day = parseDate('1997-09-30', 'YYYY-MM-DD');
    expect(formatDay(day)).toBe('1997-09-30');
    expect(parseDate('19970930', 'YYYYMMDD')).toBe(day);
    expect(parseDate('30/09/1997', 'DD/MM/YYYY')).toBe(day);
    expect(parseDate('09/30/1997', 'MM/DD/YYYY')).toBe(day);
    expect(parseDate('30.09.1997', 'DD/MM/YYYY')).toBe(day);
    expect(parseDate('1997/09/30', 'YYYY-MM-DD')).toBe(day);
    expect(parseDate('1997-9-30', 'YYYY-MM-DD')).toBe(day);
    expect(parseDate('1997-09-30T23:59:00+02:00', 'YYYY-MM-DD')).toBe(day);
    expect(parseDate('1997-09-30 08:00', 'YYYY-MM-DD')).toBe(day);
  });

  it('1970-01-01 is day 0 and 1997-01-01 is day 9862', () => {
    expect(parseDate('1970-01-01', 'YYYY-MM-DD')).toBe(0);
    expect(parseDate('1997-01-01', 'YYYY-MM-DD')).toBe(9862);
  });

  it('rejects impossible dates and wrong layouts', () => {
    for (const [text, format] of [
      ['1997-02-29', 'YYYY-MM-DD'],
      ['2000-02-30', 'YYYY-MM-DD'],
      ['1997-13-01', 'YYYY-MM-DD'],
      ['19971301', 'YYYYMMDD'],
      ['1997093', 'YYYYMMDD'],
      ['31/09/1997', 'DD/MM/YYYY'],
      ['13/01/1997', 'MM/DD/YYYY'],
      ['30/09/97', 'DD/MM/YYYY'],
      ['abc', 'YYYY-MM-DD'],
    ] as const) {
      expect(parseDate(text, format), text).toBeNaN();
    }
    expect(parseDate('2000-02-29', 'YYYY-MM-DD')).not.toBeNaN();
  });
});

describe('detectDateFormat', () => {
  it('finds ISO and compact layouts', () => {
    expect(detectDateFormat(['1997-01-01', '1997-12-31']).format).toBe('YYYY-MM-DD');
    expect(detectDateFormat(['19970101', '19971231']).format).toBe('YYYYMMDD');
  });
  it('tells day-first from month-first by a part above 12', () => {
    expect(detectDateFormat(['01/02/2024', '25/02/2024'])).toMatchObject({ format: 'DD/MM/YYYY', ambiguous: false });
    expect(detectDateFormat(['01/02/2024', '02/25/2024'])).toMatchObject({ format: 'MM/DD/YYYY', ambiguous: false });
  });
  it('reports ambiguity when no value decides', () => {
    const d = detectDateFormat(['01/02/2024', '03/04/2024']);
    expect(d.ambiguous).toBe(true);
    expect(d.candidates).toEqual(['DD/MM/YYYY', 'MM/DD/YYYY']);
  });
  it('gives no format when values do not all fit one', () => {
    expect(detectDateFormat(['1997-01-01', 'yesterday']).format).toBeNull();
    expect(detectDateFormat([]).format).toBeNull();
  });
  it('reads format names', () => {
    expect(dateFormatFromName('dd/mm/yyyy')).toBe('DD/MM/YYYY');
    expect(dateFormatFromName('MM/DD/YYYY')).toBe('MM/DD/YYYY');
    expect(dateFormatFromName('YYYYMMDD')).toBe('YYYYMMDD');
    expect(dateFormatFromName('yyyy-mm-dd')).toBe('YYYY-MM-DD');
    expect(dateFormatFromName('nonsense')).toBeNull();
  });
});
