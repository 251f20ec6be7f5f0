/**
 * How amounts and counts are written, everywhere (sidebar, list chips, options, dashboard, report,
 * tier and rule explanations): in the display currency and locale of the model run the values come
 * from (the tier settings' `display`, lib/tiers/config.ts). One cached set of Intl formatters per
 * (locale, currency); an unknown locale or currency in this runtime falls back to plain numbers with
 * the currency code, and a number that is not finite reads "—", never "NaN". Pure: the content
 * script, the background, the pages and the CLI share it.
 */

/** The display currency (ISO 4217) and locale (BCP 47) of amounts. */
export interface DisplayFormat {
  currency: string;
  locale: string;
}

export const DEFAULT_DISPLAY: DisplayFormat = { currency: 'USD', locale: 'en-US' };

interface Formats {
  whole(value: number): string;
  cents(value: number): string;
  count(value: number): string;
  plain(value: number, digits: number): string;
}

const cache = new Map<string, Formats>();

/** Whole number below 1e15 with en-US thousands separators: the list chips' 500 titles at once cost a fraction of Intl's. */
function thousands(whole: number): string {
  const digits = String(whole);
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return out;
}

/** A formatter made on first use (Intl loads its locale data then); null where this runtime refuses the locale or currency. */
function lazy(make: () => Intl.NumberFormat): () => Intl.NumberFormat | null {
  let made: Intl.NumberFormat | null | undefined;
  return () => {
    if (made === undefined) {
      try {
        made = make();
      } catch {
        made = null;
      }
    }
    return made;
  };
}

function formatsFor(display: DisplayFormat): Formats {
  const key = `${display.locale}|${display.currency}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const { locale, currency } = display;
  const whole = lazy(() => new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: 0, maximumFractionDigits: 0 }));
  const cents = lazy(() => new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }));
  const count = lazy(() => new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }));
  const plainBy = new Map<number, () => Intl.NumberFormat | null>();
  const usd = locale === 'en-US' && currency === 'USD';
  // Where this runtime does not know the locale or currency: plain numbers with the code.
  const formats: Formats = {
    // en-US dollars by hand below 15 digits (the chips' fast path, no Intl at all), Intl beyond and for everything else.
    whole: (v) => {
      const w = Math.round(Math.abs(v));
      if (usd && w < 1e15) return `${v < 0 && w > 0 ? '-' : ''}$${thousands(w)}`;
      return whole()?.format(v) ?? `${currency} ${Math.round(v)}`;
    },
    cents: (v) => cents()?.format(v) ?? `${currency} ${v.toFixed(2)}`,
    count: (v) => count()?.format(v) ?? String(Math.round(v)),
    plain: (v, digits) => {
      let f = plainBy.get(digits);
      if (!f) plainBy.set(digits, (f = lazy(() => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }))));
      return f()?.format(v) ?? String(Number(v.toFixed(digits)));
    },
  };
  cache.set(key, formats);
  return formats;
}

/**
 * An amount: whole units from 10 up and for 0 ("$31,205", "$0"), cents in between ("$3.40"); with
 * `fine`, always cents (a threshold and a value that would read the same).
 */
export function moneyText(value: number, display: DisplayFormat = DEFAULT_DISPLAY, fine = false): string {
  if (!Number.isFinite(value)) return '—';
  const f = formatsFor(display);
  return fine || (Math.abs(value) < 10 && value !== 0) ? f.cents(value) : f.whole(value);
}

/** Whole units always ("$1,234"): list chips and compact tables. */
export function wholeMoneyText(value: number, display: DisplayFormat = DEFAULT_DISPLAY): string {
  return Number.isFinite(value) ? formatsFor(display).whole(value) : '—';
}

/** A count with the locale's grouping: 2357 -> "2,357". */
export function countText(value: number, display: DisplayFormat = DEFAULT_DISPLAY): string {
  return Number.isFinite(value) ? formatsFor(display).count(value) : '—';
}

/** A number with at most `digits` decimals, in the locale's way. */
export function numberText(value: number, digits: number, display: DisplayFormat = DEFAULT_DISPLAY): string {
  return Number.isFinite(value) ? formatsFor(display).plain(value, digits) : '—';
}
