/**
 * Snowflake. Identifiers in double quotes, so they match exactly: names created without quotes are
 * stored in UPPER case and must be given that way (--table SALES.PUBLIC.ORDERS --customer
 * CUSTOMER_ID). `DATEDIFF(day, a, b)` is b − a in days. Date constants use TO_DATE with an explicit
 * format, independent of the session's DATE_INPUT_FORMAT. Integer division in Snowflake is decimal,
 * so t_x, T and m are computed on DOUBLE (Snowflake's FLOAT, 64-bit).
 */
import { type SqlDialect, quoteWith } from './dialect';

export const snowflake: SqlDialect = {
  name: 'snowflake',
  label: 'Snowflake',
  quote: (identifier) => quoteWith(identifier, '"'),
  table: (parts) => parts.map((p) => quoteWith(p, '"')).join('.'),
  date: (isoDate) => `TO_DATE('${isoDate}', 'YYYY-MM-DD')`,
  castDate: (expression) => `CAST(${expression} AS DATE)`,
  daysBetween: (from, to) => `DATEDIFF(day, ${from}, ${to})`,
  double: 'DOUBLE',
};
