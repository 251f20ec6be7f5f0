/**
 * DuckDB. Identifiers in double quotes (DuckDB matches them case-insensitively either way).
 * `date_diff('day', a, b)` is the number of day boundaries from a to b, i.e. b − a for DATEs.
 * Constants are cast to DOUBLE: a literal such as 30.4375 would otherwise be a DECIMAL.
 */
import { type SqlDialect, quoteWith } from './dialect';

export const duckdb: SqlDialect = {
  name: 'duckdb',
  label: 'DuckDB',
  quote: (identifier) => quoteWith(identifier, '"'),
  table: (parts) => parts.map((p) => quoteWith(p, '"')).join('.'),
  date: (isoDate) => `DATE '${isoDate}'`,
  castDate: (expression) => `CAST(${expression} AS DATE)`,
  daysBetween: (from, to) => `date_diff('day', ${from}, ${to})`,
  double: 'DOUBLE',
};
