/**
 * Output helpers: aligned text tables, CSV, numbers for people and for files.
 */

/** A number for a file: integers as is, others with up to 10 significant digits; null/NaN as empty. */
export function fileNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '';
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(10)));
}

/** A number for people: thousands separators and a fixed number of decimals. */
export function humanNumber(v: number, decimals = 2): string {
  if (!Number.isFinite(v)) return String(v);
  return v.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A number with up to `digits` significant digits, for parameter tables (0.2425945, 4.413602). */
export function significant(v: number, digits = 7): string {
  if (!Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(digits)));
}

/** An aligned text table; numbers (right-aligned) are detected per cell. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? '').length)));
  const numeric = header.map((_, j) => rows.length > 0 && rows.every((r) => /^[-−+]?[\d,.]+%?$|^$/.test(r[j] ?? '')));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, j) => (numeric[j] ? c.padStart(widths[j] as number) : c.padEnd(widths[j] as number)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

/**
 * A text cell a spreadsheet will not run as a formula (OWASP "CSV injection"): text starting with
 * = + - @ or a tab/carriage return gets a leading apostrophe. Only for text columns: numbers are
 * written as numbers. fromSpreadsheetSafe undoes it when Centric reads its own file back.
 */
export function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** The text of a cell written by spreadsheetSafe. */
export function fromSpreadsheetSafe(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** CSV text (comma, quoted where needed, '\n' line ends) from a header and rows of strings. */
export function csvText(header: readonly string[], rows: Iterable<readonly string[]>): string {
  const parts: string[] = [header.map(csvCell).join(',')];
  for (const row of rows) parts.push(row.map(csvCell).join(','));
  return parts.join('\n') + '\n';
}

/** JSON with numbers as they are (non-finite numbers become null). */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
