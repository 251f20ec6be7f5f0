/** Number formatting for the dashboard's readings (pure; the locale and currency come from the run's tier display settings). */

import { moneyText, type DisplayFormat, DEFAULT_DISPLAY } from '../format/money';

// Amounts and counts: the one formatter (lib/format/money.ts), re-exported for the dashboard's modules.
export { countText, DEFAULT_DISPLAY, moneyText, type DisplayFormat } from '../format/money';

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
