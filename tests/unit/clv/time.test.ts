import { describe, expect, it } from 'vitest';
import { ClvError } from '../../../lib/clv/errors';
import {
  DAYS_PER,
  civilFromDayNumber,
  convert,
  dayNumberFromCivil,
  discountFactor,
  elapsed,
  formatDay,
  horizonInUnit,
  parseDay,
  periodRate,
  stepTimes,
  tryParseDay,
} from '../../../lib/clv/time';

describe('units', () => {
  it('a month is 365.25/12 days = 4.348 weeks', () => {
    expect(DAYS_PER.month).toBe(30.4375);
    expect(convert(1, 'month', 'week')).toBeCloseTo(4.348214, 6);
    expect(convert(1, 'month', 'day')).toBe(30.4375);
    expect(convert(14, 'day', 'week')).toBe(2);
    expect(convert(52.17857142857143, 'week', 'month')).toBeCloseTo(12, 12);
  });

  it('known trap: a 12-month horizon for a weekly model is 52.18 weeks, never 12 × 30 = 360 weeks', () => {
    // lifetimes' customer_lifetime_value treated a "month" as 30 of the model's units (30 weeks for a weekly model).
    const weeks = horizonInUnit({ value: 12, unit: 'month' }, 'week');
    expect(weeks).toBeCloseTo(52.1786, 4);
    expect(weeks).not.toBeCloseTo(360, 0);
    expect(horizonInUnit({ value: 12, unit: 'month' }, 'day')).toBeCloseTo(365.25, 10);
    expect(horizonInUnit({ value: 3, unit: 'month' }, 'month')).toBe(3);
  });

  it('rejects unknown units and non-finite values', () => {
    expect(() => convert(1, 'year' as never, 'day')).toThrow(ClvError);
    expect(() => convert(Number.NaN, 'day', 'week')).toThrow(/finite/);
    expect(() => horizonInUnit({ value: -1, unit: 'month' }, 'week')).toThrow(ClvError);
  });
});

describe('stepTimes', () => {
  it('12 monthly steps of a weekly model end at multiples of 4.348 weeks', () => {
    const { times, stepIndex } = stepTimes({ value: 12, unit: 'month' }, 'month', 'week');
    expect(times.length).toBe(12);
    expect(times[0]).toBeCloseTo(4.348214, 6);
    expect(times[11]).toBeCloseTo(52.178571, 6);
    expect(Array.from(stepIndex)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('adds a partial last step when the horizon is not a whole number of steps', () => {
    const { times, stepIndex } = stepTimes({ value: 45, unit: 'day' }, 'month', 'day');
    expect(times.length).toBe(2);
    expect(times[0]).toBeCloseTo(30.4375, 12);
    expect(times[1]).toBeCloseTo(45, 12);
    expect(stepIndex[1]).toBeCloseTo(45 / 30.4375, 12);
  });

  it('a zero horizon has no steps', () => {
    expect(stepTimes({ value: 0, unit: 'month' }, 'month', 'week').times.length).toBe(0);
  });
});

describe('discounting (annual rate convention)', () => {
  it('converts an annual rate to a per-period rate by compounding', () => {
    expect(periodRate(0.1, 'month')).toBeCloseTo(Math.pow(1.1, 1 / 12) - 1, 14);
    expect(Math.pow(1 + periodRate(0.1, 'week'), 365.25 / 7)).toBeCloseTo(1.1, 12);
    expect(periodRate(0, 'day')).toBe(0);
    expect(() => periodRate(-1, 'month')).toThrow(ClvError);
  });

  it('discounts a value one year out by 1/(1+annual)', () => {
    expect(discountFactor(0.1, 365.25)).toBeCloseTo(1 / 1.1, 14);
    expect(discountFactor(0, 1000)).toBe(1);
  });
});

describe('calendar days (UTC day numbers, no timezone drift)', () => {
  it('maps known dates to days since 1970-01-01', () => {
    expect(dayNumberFromCivil(1970, 1, 1)).toBe(0);
    expect(dayNumberFromCivil(1997, 1, 1)).toBe(9862);
    expect(dayNumberFromCivil(2000, 2, 29)).toBe(11016);
    expect(dayNumberFromCivil(1969, 12, 31)).toBe(-1);
    // Agrees with Date.UTC (timezone-free) over years 327..4160 (Date.UTC maps years 0..99 to 19xx).
    for (let d = -600000; d <= 800000; d += 997) {
      const { year, month, day } = civilFromDayNumber(d);
      expect(Date.UTC(year, month - 1, day) / 86400000).toBe(d);
      expect(dayNumberFromCivil(year, month, day)).toBe(d);
    }
  });

  it('parses ISO and YYYYMMDD the same, and ignores time of day and offset', () => {
    const d = dayNumberFromCivil(1997, 9, 30);
    expect(parseDay('1997-09-30')).toBe(d);
    expect(parseDay('19970930')).toBe(d);
    expect(parseDay(' 1997-09-30 ')).toBe(d);
    expect(parseDay('1997-09-30T23:59:59Z')).toBe(d);
    expect(parseDay('1997-09-30T23:30:00-08:00')).toBe(d);
    expect(parseDay('1997-09-30T00:15:00+14:00')).toBe(d);
    expect(parseDay('1997-09-30 12:00')).toBe(d);
  });

  it('CDNOW calibration: 1997-01-01 to 1997-09-30 is 272 days = 38.857 weeks', () => {
    expect(elapsed(parseDay('19970101'), parseDay('19970930'), 'week')).toBeCloseTo(38.857142857142854, 12);
  });

  it('rejects impossible dates with the row in the message', () => {
    expect(tryParseDay('2023-02-29')).toBeNull();
    expect(tryParseDay('2024-02-29')).toBe(dayNumberFromCivil(2024, 2, 29));
    expect(tryParseDay('2024-13-01')).toBeNull();
    expect(tryParseDay('31/12/2024')).toBeNull();
    expect(tryParseDay('')).toBeNull();
    expect(() => parseDay('2024-04-31', 7)).toThrow(/row 7/);
  });

  it('formats day numbers back', () => {
    expect(formatDay(parseDay('20240229'))).toBe('2024-02-29');
    expect(formatDay(0)).toBe('1970-01-01');
  });
});
