/**
 * Calendar dates in table cells -> UTC day numbers (days since 1970-01-01), and back.
 * Formats: YYYYMMDD, YYYY-MM-DD (also with / or . and an optional time part, which is ignored:
 * the engine works in whole days), DD/MM/YYYY and MM/DD/YYYY (also with - or .). Whether a
 * slashed column is day-first or month-first is decided from the values (a first part above 12
 * means day-first, a second part above 12 means month-first); when no value decides it, the
 * detection says so (ambiguous) instead of guessing silently.
 */
import { civilFromDayNumber, dayNumberFromCivil, formatDay } from '../clv/time';

// Day-number arithmetic is shared with the engine (lib/clv/time.ts): one implementation.
export { civilFromDayNumber, dayNumberFromCivil, formatDay };

/** The date layouts a column can have. */
export type DateFormat = 'YYYYMMDD' | 'YYYY-MM-DD' | 'DD/MM/YYYY' | 'MM/DD/YYYY';

export const DATE_FORMATS: readonly DateFormat[] = ['YYYY-MM-DD', 'YYYYMMDD', 'DD/MM/YYYY', 'MM/DD/YYYY'];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether year-month-day is a real calendar date (years 1000-9999). */
export function isValidCivil(year: number, month: number, day: number): boolean {
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  const max = month === 2 && isLeap(year) ? 29 : (MONTH_DAYS[month - 1] as number);
  return day <= max;
}

function digitsAt(text: string, start: number, count: number): number {
  let v = 0;
  for (let i = start; i < start + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function isSeparator(c: number): boolean {
  return c === 45 || c === 47 || c === 46; // - / .
}

/** Where the date part ends: before a time part ("T10:00", " 10:00:00") or the end. */
function datePartEnd(text: string, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 84 /* T */) return i;
  }
  return end;
}

/**
 * Splits the date part of text[start,end) into three numbers around two separators
 * (- / .): returns [a, b, c, widthOfA] or null.
 */
function threeParts(text: string, start: number, end: number): [number, number, number, number] | null {
  let i = start;
  const parts: number[] = [];
  const widths: number[] = [];
  for (let k = 0; k < 3; k++) {
    const s = i;
    let v = 0;
    while (i < end) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
      i++;
    }
    if (i === s || i - s > 4) return null;
    parts.push(v);
    widths.push(i - s);
    if (k < 2) {
      if (i >= end || !isSeparator(text.charCodeAt(i))) return null;
      i++;
    }
  }
  if (i !== end) return null;
  return [parts[0] as number, parts[1] as number, parts[2] as number, (widths[0] as number) * 10 + (widths[2] as number)];
}

/**
 * Parses text[start,end) in the given format to a day number; NaN when the text is not a valid
 * date in that format. Surrounding blanks and a trailing time part are ignored.
 */
export function parseDateAt(text: string, start: number, end: number, format: DateFormat): number {
  let s = start;
  while (s < end && text.charCodeAt(s) === 32) s++;
  let e = end;
  while (e > s && text.charCodeAt(e - 1) === 32) e--;
  e = datePartEnd(text, s, e);
  let y: number;
  let m: number;
  let d: number;
  if (format === 'YYYYMMDD') {
    if (e - s !== 8) return NaN;
    y = digitsAt(text, s, 4);
    m = digitsAt(text, s + 4, 2);
    d = digitsAt(text, s + 6, 2);
  } else {
    // Fast path for the fixed-width ISO layout.
    if (format === 'YYYY-MM-DD' && e - s === 10 && isSeparator(text.charCodeAt(s + 4)) && text.charCodeAt(s + 7) === text.charCodeAt(s + 4)) {
      y = digitsAt(text, s, 4);
      m = digitsAt(text, s + 5, 2);
      d = digitsAt(text, s + 8, 2);
    } else {
      const parts = threeParts(text, s, e);
      if (parts === null) return NaN;
      const [a, b, c, widths] = parts;
      if (format === 'YYYY-MM-DD') {
        if (Math.floor(widths / 10) !== 4) return NaN;
        [y, m, d] = [a, b, c];
      } else {
        if (widths % 10 !== 4) return NaN;
        y = c;
        if (format === 'DD/MM/YYYY') [d, m] = [a, b];
        else [m, d] = [a, b];
      }
    }
  }
  if (y < 0 || m < 0 || d < 0 || !isValidCivil(y, m, d)) return NaN;
  return dayNumberFromCivil(y, m, d);
}

/** Parses a whole string as a date in the given format (NaN when invalid). */
export function parseDate(text: string, format: DateFormat): number {
  return parseDateAt(text, 0, text.length, format);
}

/** Result of looking at a column's values to find its date layout. */
export interface DateDetection {
  /** The layout every non-empty value fits, or null when none fits them all. */
  format: DateFormat | null;
  /** True when more than one layout fits every value (DD/MM vs MM/DD with all parts <= 12). */
  ambiguous: boolean;
  /** Every layout that fits all the values. */
  candidates: DateFormat[];
  /** How many non-empty values were looked at. */
  checked: number;
}

/**
 * Finds the layout of a column of date strings: the layouts that parse every non-empty value.
 * DD/MM/YYYY and MM/DD/YYYY both fitting is reported as ambiguous (format = DD/MM/YYYY, the
 * first candidate, but a caller should ask rather than assume).
 */
export function detectDateFormat(values: Iterable<string>): DateDetection {
  const fits = new Map<DateFormat, boolean>(DATE_FORMATS.map((f) => [f, true]));
  let checked = 0;
  for (const raw of values) {
    const v = raw.trim();
    if (v.length === 0) continue;
    checked++;
    for (const f of DATE_FORMATS) {
      if (fits.get(f) && Number.isNaN(parseDate(v, f))) fits.set(f, false);
    }
    if (![...fits.values()].some(Boolean)) break;
  }
  const candidates = checked === 0 ? [] : DATE_FORMATS.filter((f) => fits.get(f));
  return {
    format: candidates[0] ?? null,
    ambiguous: candidates.length > 1,
    candidates,
    checked,
  };
}

/** Normalises a user-written format name ("dd/mm/yyyy", "iso", "ymd", …) to a DateFormat. */
export function dateFormatFromName(name: string): DateFormat | null {
  const n = name.trim().toUpperCase().replace(/[^A-Z]/g, '');
  switch (n) {
    case 'YYYYMMDD':
      return name.includes('-') || name.includes('/') || name.includes('.') ? 'YYYY-MM-DD' : 'YYYYMMDD';
    case 'ISO':
    case 'YMD':
      return 'YYYY-MM-DD';
    case 'COMPACT':
      return 'YYYYMMDD';
    case 'DDMMYYYY':
    case 'DMY':
      return 'DD/MM/YYYY';
    case 'MMDDYYYY':
    case 'MDY':
      return 'MM/DD/YYYY';
    default:
      return null;
  }
}
