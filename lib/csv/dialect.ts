/**
 * Guessing how a delimited text is written, from a sample of its first lines: the delimiter
 * (comma, semicolon, tab, pipe or runs of blanks), whether the first record is a header, and
 * whether decimals use a comma.
 */
import { detectDateFormat } from './dates';
import { detectDecimalComma, numberStyle } from './numbers';
import { type Delimiter, splitRecords } from './scan';

/** How a text is written. */
export interface Dialect {
  delimiter: Delimiter;
  /** The first record holds column names. */
  header: boolean;
  /** Decimals are written with a comma ("12,50"). */
  decimalComma: boolean;
}

/** How many records the detection looks at. */
const SAMPLE_RECORDS = 200;
/** How many characters of the text the detection looks at, at most. */
const SAMPLE_CHARS = 256 * 1024;

/** The first part of a text that holds whole lines (for detection). */
export function sampleOf(text: string, maxChars = SAMPLE_CHARS): string {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (t.length <= maxChars) return t;
  const cut = t.lastIndexOf('\n', maxChars);
  return cut > 0 ? t.slice(0, cut + 1) : t.slice(0, maxChars);
}

const CANDIDATES: readonly Delimiter[] = ['\t', ';', '|', ','];

function modalCount(counts: number[]): { count: number; share: number } {
  const freq = new Map<number, number>();
  for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1);
  let best = 0;
  let bestFreq = 0;
  for (const [c, f] of freq) {
    if (f > bestFreq || (f === bestFreq && c > best)) {
      best = c;
      bestFreq = f;
    }
  }
  return { count: best, share: counts.length === 0 ? 0 : bestFreq / counts.length };
}

/**
 * The delimiter that splits the sample's records into the same number (>= 2) of fields most
 * consistently; among consistent candidates the one giving the most fields wins, ties going to
 * tab, semicolon, pipe, comma in that order. Runs of blanks are the fallback (e.g. fixed-width
 * exports like the CDNOW text files). A single-column text gives ','.
 */
export function detectDelimiter(sample: string): Delimiter {
  let best: Delimiter | null = null;
  let bestCount = 1;
  for (const d of CANDIDATES) {
    const records = splitRecords(sample, d, SAMPLE_RECORDS);
    if (records.length === 0) continue;
    const { count, share } = modalCount(records.map((r) => r.fields.length));
    if (count >= 2 && share >= 0.9 && count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  if (best !== null) return best;
  const ws = splitRecords(sample, 'whitespace', SAMPLE_RECORDS);
  const { count, share } = modalCount(ws.map((r) => r.fields.length));
  if (count >= 2 && share >= 0.9) return 'whitespace';
  return ',';
}

/** What a cell holds, for header detection. */
function cellKind(cell: string): 'empty' | 'number' | 'date' | 'text' {
  const s = cell.trim();
  if (s.length === 0) return 'empty';
  if (numberStyle(s) !== 'none') return 'number';
  if (detectDateFormat([s]).format !== null) return 'date';
  return 'text';
}

/**
 * Whether the first record is a header: some column whose first cell is text while most of the
 * cells below it are numbers or dates. When every cell of the sample is text, a header is assumed.
 */
export function detectHeader(records: readonly string[][]): boolean {
  const first = records[0];
  if (!first) return false;
  const rest = records.slice(1);
  if (rest.length === 0) return first.every((c) => cellKind(c) === 'text');
  let anyTyped = false;
  for (let j = 0; j < first.length; j++) {
    let typed = 0;
    let seen = 0;
    for (const row of rest) {
      const k = cellKind(row[j] ?? '');
      if (k === 'empty') continue;
      seen++;
      if (k === 'number' || k === 'date') typed++;
    }
    const mostlyTyped = seen > 0 && typed / seen >= 0.8;
    if (mostlyTyped) anyTyped = true;
    if (mostlyTyped && cellKind(first[j] ?? '') === 'text') return true;
  }
  if (!anyTyped) return first.every((c) => cellKind(c) !== 'number');
  return false;
}

/** Detects delimiter, header and decimal comma from the start of a text. */
export function detectDialect(text: string): Dialect {
  const sample = sampleOf(text);
  const delimiter = detectDelimiter(sample);
  const records = splitRecords(sample, delimiter, SAMPLE_RECORDS).map((r) => r.fields);
  const header = detectHeader(records);
  const cells: string[] = [];
  for (const row of header ? records.slice(1) : records) cells.push(...row);
  const decimalComma = delimiter !== ',' || cells.some((c) => c.includes(',')) ? detectDecimalComma(cells) : false;
  return { delimiter, header, decimalComma };
}
