/**
 * Google BigQuery (GoogleSQL). Identifiers in backticks, each part quoted on its own
 * (`project`.`dataset`.`table`; a project id may contain hyphens). `DATE_DIFF(b, a, DAY)` is b − a
 * in days. `CAST(timestamp AS DATE)` takes the calendar day in UTC.
 */
import { type SqlDialect, quoteWith } from './dialect';

export const bigquery: SqlDialect = {
  name: 'bigquery',
  label: 'BigQuery',
  quote: (identifier) => quoteWith(identifier, '`'),
  table: (parts) => parts.map((p) => quoteWith(p, '`')).join('.'),
  date: (isoDate) => `DATE '${isoDate}'`,
  castDate: (expression) => `CAST(${expression} AS DATE)`,
  daysBetween: (from, to) => `DATE_DIFF(${to}, ${from}, DAY)`,
  double: 'FLOAT64',
};
