import { describe, expect, it } from 'vitest';
import { detectDecimalComma, parseNumberAt, parseNumberText } from '../../../lib/csv/numbers';

const at = (s: string, comma = false) => parseNumberAt(s, 0, s.length, comma);

describe('parseNumberAt', () => {
  it('gives exactly Number() on plain decimals (fast path), 20,000 random values', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 20000; i++) {
      const digits = 1 + Math.floor(rand() * 6);
      const text = (rand() < 0.2 ? '-' : '') + (rand() * 10 ** digits).toFixed(Math.floor(rand() * 7));
      expect(at(text)).toBe(Number(text));
    }
  });

  it('reads decimal commas, signs, blanks, and falls back for long mantissas and exponents', () => {
    expect(at('12,50', true)).toBe(12.5);
    expect(at(' -3.25 ')).toBe(-3.25);
    expect(at('+7')).toBe(7);
    expect(at('.5')).toBe(0.5);
    expect(at('1234567890.123456789')).toBe(1234567890.123456789);
    expect(at('1e3')).toBe(1000);
  });

  it('returns NaN for text that is not a number', () => {
    for (const s of ['', ' ', '-', 'abc', '12a', '1.2.3', '--1']) expect(at(s)).toBeNaN();
    expect(at('12,50')).toBeNaN(); // comma without decimalComma and not a grouping
  });
});

describe('parseNumberText', () => {
  it('reads thousands grouping, currency signs and accounting negatives', () => {
    expect(parseNumberText('1,234.56', false)).toBe(1234.56);
    expect(parseNumberText('1.234,56', true)).toBe(1234.56);
    expect(parseNumberText('1 234,56', true)).toBe(1234.56);
    expect(parseNumberText('$12.50', false)).toBe(12.5);
    expect(parseNumberText('12,50 €', true)).toBe(12.5);
    expect(parseNumberText('-$3', false)).toBe(-3);
    expect(parseNumberText('(3.00)', false)).toBe(-3);
  });
  it('rejects malformed grouping', () => {
    expect(parseNumberText('1,23.4', false)).toBeNaN();
    expect(parseNumberText('12.3,4', true)).toBeNaN();
  });
});

describe('detectDecimalComma', () => {
  it('decides by the majority of decimal cells; 1,234 alone is ambiguous', () => {
    expect(detectDecimalComma(['12,50', '3,1', '7'])).toBe(true);
    expect(detectDecimalComma(['12.50', '3.1', '7'])).toBe(false);
    expect(detectDecimalComma(['1,234', '5,678'])).toBe(false);
  });
});
