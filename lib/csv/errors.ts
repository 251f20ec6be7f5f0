/**
 * Errors of the tabular readers, each with the places it concerns (line, field, value), so a
 * command line or an import wizard can show "line 12, field date: "2024-13-01" is not a date".
 */

export type CsvErrorCode =
  | 'empty' // no data rows
  | 'missing-columns' // a needed column is not there
  | 'bad-values' // cells that cannot be read as what the column holds
  | 'ambiguous-date' // DD/MM/YYYY or MM/DD/YYYY cannot be told apart
  | 'bad-option'; // a column name or format given by the caller does not exist

/** One located problem in a file. */
export interface CsvIssue {
  /** 1-based line number in the file. */
  line: number;
  /** The column's name (or "column N" when the file has no header). */
  field: string;
  /** The offending cell text. */
  value: string;
  /** What was expected, in words. */
  message: string;
}

export class CsvError extends Error {
  readonly code: CsvErrorCode;
  /** The first problems found (at most a few dozen). */
  readonly issues: CsvIssue[];
  /** How many problems there were in total (may exceed issues.length). */
  readonly total: number;
  constructor(code: CsvErrorCode, message: string, issues: CsvIssue[] = [], total = issues.length) {
    super(message);
    this.name = 'CsvError';
    this.code = code;
    this.issues = issues;
    this.total = total;
  }
}

/** Formats an issue as one line: `line 12, field "date": "2024-13-01" — not a date (YYYY-MM-DD)`. */
export function formatIssue(issue: CsvIssue): string {
  return `line ${issue.line}, field "${issue.field}": "${issue.value}" — ${issue.message}`;
}

/** The full text of an error for a person: the message and its first located issues. */
export function describeCsvError(error: CsvError, maxIssues = 10): string {
  const lines = [error.message];
  for (const issue of error.issues.slice(0, maxIssues)) lines.push(`  ${formatIssue(issue)}`);
  if (error.total > Math.min(error.issues.length, maxIssues)) {
    lines.push(`  … ${error.total - Math.min(error.issues.length, maxIssues)} more`);
  }
  return lines.join('\n');
}
