/**
 * What differs between the SQL dialects `centric sql` writes for: identifier quoting, date literals,
 * casting a column to a calendar day, the number of days between two dates, and the name of the
 * double-precision type. Everything else (the summary logic) is one query shared by all dialects
 * (lib/cli/sql/summary.ts), so what the PostgreSQL tests prove about it carries over.
 *
 * Names given on the command line reach the SQL text only through `checkIdentifier` /
 * `checkTableName`: a plain identifier (letter or underscore, then letters, digits, underscores),
 * or a dotted table name of up to three such parts. Anything else (quotes, spaces, semicolons,
 * comments, …) is refused, and the accepted names are still quoted (with the quote character
 * doubled, should one ever get through), so no flag can inject SQL.
 */
import { UsageError } from '../args';

export type SqlDialectName = 'postgres' | 'duckdb' | 'bigquery' | 'snowflake';

/** The dialects in the order of the help text. */
export const SQL_DIALECTS: readonly SqlDialectName[] = ['postgres', 'duckdb', 'bigquery', 'snowflake'];

export interface SqlDialect {
  name: SqlDialectName;
  /** The product's name, for comments and help. */
  label: string;
  /** Quotes one identifier part (already checked by checkIdentifier). */
  quote(identifier: string): string;
  /** Quotes a table name's parts (already checked by checkTableName) and joins them with dots. */
  table(parts: readonly string[]): string;
  /** A DATE literal for an ISO date (YYYY-MM-DD, already checked). */
  date(isoDate: string): string;
  /** An expression turning a column (DATE, TIMESTAMP or ISO text) into a DATE. */
  castDate(expression: string): string;
  /** Whole days from `from` to `to` (both DATE expressions): positive when `to` is later. */
  daysBetween(from: string, to: string): string;
  /** The IEEE double type (so t_x, T and m are computed exactly as in TypeScript). */
  double: string;
}

/** Longest identifier part accepted (PostgreSQL truncates at 63 bytes; the others allow more). */
export const MAX_IDENTIFIER_LENGTH = 128;

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks a column name given with `--<option>`: a plain identifier only. Throws a UsageError naming
 * the option otherwise.
 */
export function checkIdentifier(name: string, option: string): string {
  if (!PLAIN_IDENTIFIER.test(name) || name.length > MAX_IDENTIFIER_LENGTH) {
    throw new UsageError(
      `--${option} must be a plain column name (a letter or _, then letters, digits or _, at most ${MAX_IDENTIFIER_LENGTH} characters); got ${JSON.stringify(name)}.`,
      'sql',
    );
  }
  return name;
}

/**
 * Checks a table name given with `--<option>`: `table`, `schema.table` or `database.schema.table`,
 * each part a plain identifier. `allowProjectId` (BigQuery) also lets the first of three parts be a
 * Google Cloud project id, which may contain hyphens (`my-project.sales.orders`).
 * Returns the parts.
 */
export function checkTableName(name: string, option: string, allowProjectId = false): string[] {
  const parts = name.split('.');
  const projectId = /^[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
  const ok =
    parts.length >= 1 &&
    parts.length <= 3 &&
    parts.every(
      (part, i) =>
        (PLAIN_IDENTIFIER.test(part) && part.length <= MAX_IDENTIFIER_LENGTH) || (allowProjectId && i === 0 && parts.length === 3 && projectId.test(part)),
    );
  if (!ok) {
    throw new UsageError(
      `--${option} must be a table name: table, schema.table or database.schema.table, each part a plain identifier ` +
        `(a letter or _, then letters, digits or _)${allowProjectId ? ', or a project id with hyphens as the first of three parts' : ''}; got ${JSON.stringify(name)}.`,
      'sql',
    );
  }
  return parts;
}

/** Quotes an identifier with `quote`, doubling any quote character inside. */
export function quoteWith(identifier: string, quote: string): string {
  return `${quote}${identifier.split(quote).join(quote + quote)}${quote}`;
}

/** Checks an ISO date (YYYY-MM-DD, a real calendar day) for a date option. */
export function checkIsoDate(text: string, option: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
    if (days !== undefined && day >= 1 && day <= days) return text;
  }
  throw new UsageError(`--${option} must be a date written YYYY-MM-DD, such as 1997-09-30 (got ${JSON.stringify(text)}).`, 'sql');
}
