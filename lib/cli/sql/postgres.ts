/**
 * PostgreSQL (also what the tests run, on a real server: tests/unit/cli/sql-postgres.test.ts).
 *
 * Identifiers in double quotes (so they match exactly: names created without quotes are stored in
 * lower case). `date - date` is an integer number of days. `CAST(timestamptz AS date)` takes the
 * calendar day in the session's TimeZone; a DATE or TIMESTAMP column is taken as written.
 */
import { type SqlDialect, quoteWith } from './dialect';

export const postgres: SqlDialect = {
  name: 'postgres',
  label: 'PostgreSQL',
  quote: (identifier) => quoteWith(identifier, '"'),
  table: (parts) => parts.map((p) => quoteWith(p, '"')).join('.'),
  date: (isoDate) => `DATE '${isoDate}'`,
  castDate: (expression) => `CAST(${expression} AS date)`,
  daysBetween: (from, to) => `(${to} - ${from})`,
  double: 'double precision',
};
