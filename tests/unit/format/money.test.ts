import { describe, expect, it } from 'vitest';
import { countText, moneyText, numberText, wholeMoneyText } from '~/lib/format/money';

const usd = { currency: 'USD', locale: 'en-US' };
const eur = { currency: 'EUR', locale: 'de-DE' };

describe('the one money formatter', () => {
  it('writes en-US dollars by hand exactly as Intl does, for every size the chips show', () => {
    const intl = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0, minimumFractionDigits: 0 });
    for (const v of [0, 10, 999, 1000, 1234.5, 99_999.49, 1_000_000, 123_456_789_012, -56, -1234.6, 999_999_999_999_999, 5e15]) {
      expect(wholeMoneyText(v, usd), String(v)).toBe(intl.format(v).replace('−', '-'));
    }
  });

  it('whole units from 10 up and for 0, cents in between, cents always when exact', () => {
    expect(moneyText(31205.4)).toBe('$31,205');
    expect(moneyText(3.4)).toBe('$3.40');
    expect(moneyText(0)).toBe('$0');
    expect(moneyText(31205.4, usd, true)).toBe('$31,205.40');
  });

  it('honours the run’s currency and locale', () => {
    expect(moneyText(1234.5, eur).replace(/\s/g, ' ')).toBe('1.235 €');
    expect(moneyText(3.4, eur).replace(/\s/g, ' ')).toBe('3,40 €');
    expect(countText(2357, eur)).toBe('2.357');
    expect(numberText(0.125, 2, eur)).toBe('0,13');
    expect(wholeMoneyText(1234, { currency: 'JPY', locale: 'ja-JP' })).toBe('￥1,234');
  });

  it('never says NaN, and falls back to the code where the runtime refuses the currency or locale', () => {
    expect(moneyText(Number.NaN)).toBe('—');
    expect(wholeMoneyText(Number.POSITIVE_INFINITY)).toBe('—');
    expect(countText(Number.NaN)).toBe('—');
    expect(moneyText(1234.4, { currency: 'NOT-A-CODE', locale: 'en-US' })).toBe('NOT-A-CODE 1234');
    expect(moneyText(3.4, { currency: 'NOT-A-CODE', locale: 'en-US' })).toBe('NOT-A-CODE 3.40');
    expect(countText(12, { currency: 'USD', locale: '!!' })).toBe('12');
  });
});
