/**
 * Output helpers: aligned text tables, CSV, numbers for people and for files.
 */

export { csvText, fileNumber, fromSpreadsheetSafe, spreadsheetSafe } from '../csv/write';
export { jsonText } from '../format/json';

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
