/**
 * Reading numbers from table cells: decimal point or decimal comma, optional thousands grouping,
 * a leading currency sign, accounting negatives "(12.50)". A fast path parses plain numbers
 * straight from the characters (the same double as Number() would give); anything unusual goes
 * through the careful path. Unreadable text gives NaN, which callers turn into a located error.
 */

const ZERO = 48;
const NINE = 57;
const DOT = 46;
const COMMA = 44;
const MINUS = 45;
const PLUS = 43;

/** Exact powers of ten as doubles (10^0 .. 10^22 are exactly representable). */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/**
 * Parses text[start, end) as a number. Plain decimals like "-12.50" (or "12,50" with decimalComma)
 * take a fast path that gives exactly Number()'s result (at most 15 significant digits, one
 * correctly rounded division); everything else falls back to parseNumberText.
 */
export function parseNumberAt(text: string, start: number, end: number, decimalComma: boolean): number {
  let p = start;
  while (p < end && text.charCodeAt(p) === 32) p++;
  let e = end;
  while (e > p && text.charCodeAt(e - 1) === 32) e--;
  if (p >= e) return NaN;
  const sep = decimalComma ? COMMA : DOT;
  let negative = false;
  let c = text.charCodeAt(p);
  if (c === MINUS || c === PLUS) {
    negative = c === MINUS;
    p++;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let sawDigit = false;
  let q = p;
  for (; q < e; q++) {
    c = text.charCodeAt(q);
    if (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      if (mantissa !== 0) digits++;
      sawDigit = true;
    } else break;
  }
  if (q < e && c === sep) {
    q++;
    for (; q < e; q++) {
      c = text.charCodeAt(q);
      if (c >= ZERO && c <= NINE) {
        mantissa = mantissa * 10 + (c - ZERO);
        if (mantissa !== 0) digits++;
        fraction++;
        sawDigit = true;
      } else break;
    }
  }
  if (q === e && sawDigit && digits <= 15 && fraction <= 22) {
    const value = fraction === 0 ? mantissa : mantissa / (POW10[fraction] as number);
    return negative ? -value : value;
  }
  return parseNumberText(text.slice(start, end), decimalComma);
}

const CURRENCY = /^[$€£¥₹]|[$€£¥₹]$/g;
const PLAIN_DOT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const PLAIN_COMMA = /^[-+]?(\d+,?\d*|,\d+)([eE][-+]?\d+)?$/;
const GROUPED_DOT = /^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$/; // 1,234.56
const GROUPED_COMMA = /^[-+]?\d{1,3}([. \u00a0\u202f]\d{3})+(,\d*)?$/; // 1.234,56 or 1 234,56

/**
 * Parses a number written by a person or a spreadsheet: "1234.5", "1,234.50", "$12", "(3.00)";
 * with decimalComma: "12,50", "1.234,50", "1 234,50". Returns NaN when the text is not a number.
 */
export function parseNumberText(raw: string, decimalComma: boolean): number {
  let s = raw.trim();
  if (s.length === 0) return NaN;
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  s = s.replace(CURRENCY, '').trim();
  if (s.startsWith('-') && /^-\s*[$€£¥₹]/.test(s)) s = '-' + s.slice(1).replace(CURRENCY, '').trim();
  let value: number;
  if (decimalComma) {
    if (PLAIN_COMMA.test(s)) value = Number(s.replace(',', '.'));
    else if (GROUPED_COMMA.test(s)) value = Number(s.replace(/[. \u00a0\u202f]/g, '').replace(',', '.'));
    else return NaN;
  } else {
    if (PLAIN_DOT.test(s)) value = Number(s);
    else if (GROUPED_DOT.test(s)) value = Number(s.replace(/,/g, ''));
    else return NaN;
  }
  if (!Number.isFinite(value)) return NaN;
  return negative ? -value : value;
}

/** What a cell looks like as a number: decides decimal point vs decimal comma. */
export type NumberStyle = 'integer' | 'dot' | 'comma' | 'none';

/** Classifies a cell: an integer, a decimal with a point, a decimal with a comma, or not a number. */
export function numberStyle(raw: string): NumberStyle {
  const s = raw.trim().replace(CURRENCY, '').trim();
  if (/^[-+]?\d+$/.test(s)) return 'integer';
  if (/^[-+]?\d*\.\d+$/.test(s) || GROUPED_DOT.test(s)) return 'dot';
  if (/^[-+]?\d*,\d+$/.test(s) || GROUPED_COMMA.test(s)) return 'comma';
  if (PLAIN_DOT.test(s)) return 'dot';
  return 'none';
}

/**
 * Decides whether a set of cells uses a decimal comma: true when more cells read as comma decimals
 * than as point decimals ("1,234" alone is ambiguous and counts for neither).
 */
export function detectDecimalComma(cells: readonly string[]): boolean {
  let comma = 0;
  let dot = 0;
  for (const cell of cells) {
    const s = cell.trim();
    if (/^[-+]?\d{1,3},\d{3}$/.test(s)) continue; // 1,234: grouping or decimal, can't tell
    const style = numberStyle(s);
    if (style === 'comma') comma++;
    else if (style === 'dot') dot++;
  }
  return comma > dot;
}
