/**
 * Per-customer summary files (id, x, t_x, T [, m] [, weight] [, x_star], under our own, the
 * lifetimes or the BTYD column names): what `centric summarize` writes and what `centric sql
 * --output summary` makes a warehouse produce. Read with every bad cell's line, column and reason.
 * Shared by the command line (lib/cli/inputs.ts) and the team service (lib/server/imports.ts).
 */
import { COLUMN_ALIASES, chooseRoleColumns, findColumnByName } from './columns';
import type { Dialect } from './dialect';
import { CsvError, type CsvIssue } from './errors';
import { readColumns } from './table';
import { fromSpreadsheetSafe } from './write';

/** Whether a header looks like a per-customer summary (an x / frequency column and a T column). */
export function isSummaryHeader(columns: readonly string[]): boolean {
  return findColumnByName(columns, COLUMN_ALIASES.x) >= 0 && findColumnByName(columns, COLUMN_ALIASES.T) >= 0;
}

/** Reads number columns (and an id column when idIndex >= 0) of a table, with line-numbered errors. */
export function readNumberColumns(
  text: string,
  dialect: Dialect,
  columns: readonly string[],
  wanted: { index: number; optional?: boolean }[],
  idIndex: number,
): { ids: string[] | null; values: Float64Array[]; lines: Int32Array } {
  const requests = wanted.map((w) => ({ index: w.index, name: columns[w.index] as string, type: { kind: 'number' as const }, optional: w.optional }));
  const all = idIndex >= 0 ? [{ index: idIndex, name: columns[idIndex] as string, type: { kind: 'string' as const } }, ...requests] : requests;
  const read = readColumns(text, all, dialect);
  const cols = read.columns;
  // A summary written by `centric summarize` has its ids neutralised for spreadsheets: undo exactly that.
  const ids = idIndex >= 0 && cols[0]?.kind === 'string' ? cols[0].values.map(fromSpreadsheetSafe) : null;
  const values = cols.slice(idIndex >= 0 ? 1 : 0).map((c) => (c.kind === 'number' ? c.values : new Float64Array(0)));
  return { ids, values, lines: read.lines };
}

export type SummaryRole = 'x' | 'tx' | 'T' | 'id' | 'm' | 'weight' | 'xStar';

export interface SummaryFile {
  /** Column index per role (-1: not in the file). */
  roles: Record<SummaryRole, number>;
  /** One per row (null when the file has no id column). */
  ids: string[] | null;
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Mean repeat spend (NaN where the cell is empty); null without an m column. */
  m: Float64Array | null;
  weight: Float64Array | null;
  xStar: Float64Array | null;
  /** The 1-based line of each row in the file. */
  lines: Int32Array;
}

/** The most value problems listed (the count goes on beyond it). */
const MAX_LISTED = 50;

/**
 * Reads a summary file whose header `columns` has been read (readHeader). Throws CsvError: missing
 * columns, cells that are not numbers, or values that cannot be a summary (x < 0, t_x > T, …), each
 * with its line, column and reason.
 */
export function readSummaryFile(text: string, dialect: Dialect, columns: readonly string[]): SummaryFile {
  const roles = chooseRoleColumns(columns, ['x', 'tx', 'T'], ['id', 'm', 'weight', 'xStar']);
  const wanted = [
    { index: roles.x },
    { index: roles.tx },
    { index: roles.T },
    { index: roles.m, optional: true },
    { index: roles.weight },
    { index: roles.xStar },
  ].filter((w) => w.index >= 0);
  const { ids, values, lines } = readNumberColumns(text, dialect, columns, wanted, roles.id);
  let k = 0;
  const x = values[k++] as Float64Array;
  const tx = values[k++] as Float64Array;
  const T = values[k++] as Float64Array;
  const m = roles.m >= 0 ? (values[k++] as Float64Array) : null;
  const weight = roles.weight >= 0 ? (values[k++] as Float64Array) : null;
  const xStar = roles.xStar >= 0 ? (values[k++] as Float64Array) : null;
  const issues: CsvIssue[] = [];
  let total = 0;
  const name = (role: number) => columns[role] as string;
  const bad = (i: number, role: number, value: number, message: string) => {
    total++;
    if (issues.length < MAX_LISTED) issues.push({ line: lines[i] as number, field: name(role), value: String(value), message });
  };
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    const txi = tx[i] as number;
    const Ti = T[i] as number;
    if (xi < 0) bad(i, roles.x, xi, 'the number of repeat purchases must be 0 or more');
    if (txi < 0) bad(i, roles.tx, txi, 'recency must be 0 or more');
    if (Ti < 0) bad(i, roles.T, Ti, 'T must be 0 or more');
    if (txi > Ti * (1 + 1e-12)) bad(i, roles.tx, txi, `recency is after the end of observation (T = ${Ti})`);
    if (xi === 0 && txi !== 0) bad(i, roles.tx, txi, 'recency must be 0 when there is no repeat purchase');
    if (weight && !((weight[i] as number) >= 0)) bad(i, roles.weight, weight[i] as number, 'the weight must be 0 or more');
    if (m && (m[i] as number) < 0) bad(i, roles.m, m[i] as number, 'mean spend must be 0 or more');
    if (xStar && !((xStar[i] as number) >= 0)) bad(i, roles.xStar, xStar[i] as number, 'holdout transactions must be 0 or more');
  }
  if (total > 0) throw new CsvError('bad-values', `${total} value${total === 1 ? '' : 's'} cannot be a customer summary:`, issues, total);
  return { roles, ids, x, tx, T, m, weight, xStar, lines };
}
