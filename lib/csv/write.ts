/**
 * The one CSV writer of every file Centric exports (the equity report, the scores of the options page
 * and of `centric score`, `centric summarize`, the list of import problems).
 *
 * - Cells are typed: a `number` is written as a number (integers as they are, others with up to 10
 *   significant digits; null, undefined, NaN and ±Infinity as an empty cell), a `string` as text.
 * - Text is neutralised for spreadsheets (OWASP "CSV injection"): a text cell starting with = + - @,
 *   a TAB (0x09) or a CR (0x0D) gets a leading single quote, so Excel, LibreOffice and Google Sheets
 *   show it as text and never run it as a formula. A negative number is a `number` cell and stays a
 *   number; the text "-5" is neutralised like any other text. A text cell that already starts with
 *   quotes followed by a trigger ('=x) gets one more quote too, so `fromSpreadsheetSafe` undoes
 *   exactly what was added: Centric reads its own files back unchanged, whatever the text.
 * - Quoting follows RFC 4180: a cell holding a comma, a double quote, CR or LF is enclosed in double
 *   quotes, and its double quotes are doubled. Lines end with LF (RFC 4180 says CRLF; every reader
 *   Centric knows of, spreadsheets included, takes both).
 */

/** One cell: text, a number, or empty (null / undefined). */
export type CsvCell = string | number | null | undefined;

/** Text cells a spreadsheet would run as a formula: after any leading quotes, = + - @ TAB or CR. */
const TRIGGER = /^'*[=+\-@\t\r]/;
/** A text cell `spreadsheetSafe` changed: one or more quotes, then a trigger. */
const NEUTRALISED = /^'+[=+\-@\t\r]/;

/** A number for a file: integers as is, others with up to 10 significant digits; non-finite as empty. */
export function fileNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '';
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(10)));
}

/** A text cell a spreadsheet will not run as a formula (see the file's comment). */
export function spreadsheetSafe(text: string): string {
  return TRIGGER.test(text) ? `'${text}` : text;
}

/**
 * The text of a cell written by `spreadsheetSafe`: removes the one quote it added, and only from a
 * cell that starts with quotes and a trigger (a cell such as "'hello" is left alone).
 */
export function fromSpreadsheetSafe(text: string): string {
  return NEUTRALISED.test(text) ? text.slice(1) : text;
}

/** One cell as CSV: numbers as numbers, text neutralised, quoted per RFC 4180 when needed. */
export function csvField(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return fileNumber(cell);
  const text = spreadsheetSafe(cell);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (without its line end). */
export function csvLine(cells: readonly CsvCell[]): string {
  return cells.map(csvField).join(',');
}

/** CSV text (comma, LF line ends, a final LF) from a header and rows of typed cells. */
export function csvText(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const parts: string[] = [csvLine(header)];
  for (const row of rows) parts.push(csvLine(row));
  return parts.join('\n') + '\n';
}
