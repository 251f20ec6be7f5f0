/** Number formatting for the dashboard's readings (pure; the locale and currency come from the run's tier display settings). */

/** How amounts and counts are written: the run's currency and locale. */
export interface DisplayFormat {
  currency: string;
  locale: string;
}

export const DEFAULT_DISPLAY: DisplayFormat = { currency: 'USD', locale: 'en-US' };

/** A share as a percent: whole percents, one decimal below 1% ("0.4%"), "0%" for nothing. */
export function percentText(fraction: number): string {
  if (!Number.isFinite(fraction)) return '—';
  const percent = fraction * 100;
  if (percent > 0 && percent < 1) return `${percent.toFixed(1)}%`;
  if (percent < 100 && percent > 99.5) return `${percent.toFixed(1)}%`;
  return `${Math.round(percent)}%`;
}

/** A change as a signed percent with one decimal and a true minus sign: −0.033 -> "−3.3%", 0.021 -> "+2.1%". */
export function signedPercentText(fraction: number): string {
  const percent = Math.round(fraction * 1000) / 10;
  if (percent === 0) return '0.0%';
  return `${percent > 0 ? '+' : '−'}${Math.abs(percent).toFixed(1)}%`;
}

const formats = new Map<string, { whole: Intl.NumberFormat; cents: Intl.NumberFormat; count: Intl.NumberFormat }>();

function formatsFor(display: DisplayFormat) {
  const key = `${display.locale}|${display.currency}`;
  let found = formats.get(key);
  if (!found) {
    try {
      found = {
        whole: new Intl.NumberFormat(display.locale, { style: 'currency', currency: display.currency, maximumFractionDigits: 0, minimumFractionDigits: 0 }),
        cents: new Intl.NumberFormat(display.locale, { style: 'currency', currency: display.currency, maximumFractionDigits: 2, minimumFractionDigits: 2 }),
        count: new Intl.NumberFormat(display.locale, { maximumFractionDigits: 0 }),
      };
    } catch {
      return formatsFor(DEFAULT_DISPLAY);
    }
    formats.set(key, found);
  }
  return found;
}

/** An amount: whole units from 10 up and for 0 ("$31,205", "$0"), cents in between ("$3.40"). */
export function moneyText(value: number, display: DisplayFormat = DEFAULT_DISPLAY): string {
  const f = formatsFor(display);
  return Math.abs(value) >= 10 || value === 0 ? f.whole.format(value) : f.cents.format(value);
}

/** A count with the locale's grouping: 2357 -> "2,357". */
export function countText(value: number, display: DisplayFormat = DEFAULT_DISPLAY): string {
  return formatsFor(display).count.format(value);
}

/** A signed amount: "+$1,204" or "−$310" (true minus sign). */
export function signedMoneyText(value: number, display: DisplayFormat = DEFAULT_DISPLAY): string {
  const text = moneyText(Math.abs(value), display);
  if (Math.round(Math.abs(value) * 100) === 0) return text;
  return `${value > 0 ? '+' : '−'}${text}`;
}

/** The text with its first letter in upper case: "week" -> "Week". */
export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
