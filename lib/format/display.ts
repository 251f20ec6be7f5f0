/** Display formatting shared by the sidebar, popup and options page. */
import { DEFAULT_DISPLAY, moneyText, type DisplayFormat } from '~/lib/format/money';

/**
 * An amount in the view's display currency and locale (lib/format/money.ts; US dollars when none is
 * given): predictions in whole units from 10 up; with `exact`, always cents (money actually spent).
 */
export function formatMoney(value: number, display: Partial<DisplayFormat> = {}, exact = false): string {
  return moneyText(value, { currency: display.currency ?? DEFAULT_DISPLAY.currency, locale: display.locale ?? DEFAULT_DISPLAY.locale }, exact);
}

const dateFormat = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });

/** "1997-01-01" or an ISO timestamp -> "Jan 1, 1997"; the input itself when it is not a date. */
export function formatDate(iso: string): string {
  const time = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(time) ? iso : dateFormat.format(time);
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** 1536 -> "1.5 KB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toLocaleString('en-US', { maximumFractionDigits: unit === 0 ? 0 : 1 })} ${units[unit]}`;
}

/** 0.1834 -> "18%"; values under 1% keep one decimal. */
export function formatPercent(fraction: number): string {
  const percent = fraction * 100;
  return `${percent > 0 && percent < 1 ? percent.toFixed(1) : Math.round(percent)}%`;
}
