/** Display formatting shared by the sidebar, popup and options page. */

const money = new Map<string, Intl.NumberFormat>();

export function formatMoney(value: number, currency = 'USD'): string {
  let format = money.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 2 });
    money.set(currency, format);
  }
  return format.format(value);
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
