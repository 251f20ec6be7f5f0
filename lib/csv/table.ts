/**
 * Reading a delimited text as a table: either as rows of strings (small files: summaries, cohort
 * tables), or straight into typed columns (large transaction logs: numbers and dates parsed from
 * the characters, text columns interned to integer codes), with every unreadable cell reported by
 * line number, column name and value.
 */
import { type DateFormat, parseDateAt } from './dates';
import { type Dialect, detectDialect } from './dialect';
import { CsvError, type CsvIssue } from './errors';
import { parseNumberAt } from './numbers';
import { CsvScanner, type RecordView, fieldText, recordFields } from './scan';

/**
 * A text, or its pieces in order (a file read in chunks). Readers that detect first and read after
 * (readTransactionLog) iterate a chunked source more than once: pass an array of chunks (or another
 * re-iterable), not a one-shot generator.
 */
export type TextSource = string | Iterable<string>;

/** A small table held as strings. */
export interface Table {
  dialect: Dialect;
  /** Column names: the header, or "column 1", "column 2", … when the file has none. */
  columns: string[];
  rows: string[][];
  /** 1-based line number of each row. */
  lines: number[];
}

function feed(source: TextSource, scanner: CsvScanner): void {
  if (typeof source === 'string') scanner.push(source);
  else for (const chunk of source) {
    scanner.push(chunk);
    if (scanner.done) break;
  }
  scanner.end();
}

/** The first characters of a source, for dialect detection. */
function headOf(source: TextSource): string {
  if (typeof source === 'string') return source;
  let head = '';
  for (const chunk of source) {
    head += chunk;
    if (head.length > 256 * 1024) break;
  }
  return head;
}

/** Dialect given in part by the caller, the rest detected. */
export function resolveDialect(source: TextSource, given?: Partial<Dialect>): Dialect {
  if (given && given.delimiter !== undefined && given.header !== undefined && given.decimalComma !== undefined) {
    return given as Dialect;
  }
  const detected = detectDialect(headOf(source));
  return { ...detected, ...stripUndefined(given ?? {}) };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Names for the columns of a headerless file. */
export function defaultColumnNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `column ${i + 1}`);
}

/** Reads a whole text as rows of strings (detecting the dialect unless given). Throws CsvError('empty'). */
export function readTable(source: TextSource, dialect?: Partial<Dialect>): Table {
  const d = resolveDialect(source, dialect);
  let columns: string[] | null = null;
  const rows: string[][] = [];
  const lines: number[] = [];
  const scanner = new CsvScanner(d.delimiter, (r) => {
    if (columns === null && d.header) {
      columns = recordFields(r).map((c) => c.trim());
      return;
    }
    rows.push(recordFields(r));
    lines.push(r.line);
  });
  feed(source, scanner);
  if (columns === null) columns = defaultColumnNames(Math.max(0, ...rows.slice(0, 100).map((r) => r.length)));
  if (rows.length === 0) throw new CsvError('empty', 'The file has no data rows.');
  return { dialect: d, columns, rows, lines };
}

/** Reads only the header (or the first record), the dialect and up to 1,000 sample rows of a text. */
export function readHeader(source: TextSource, dialect?: Partial<Dialect>): { dialect: Dialect; columns: string[]; sample: string[][] } {
  const d = resolveDialect(source, dialect);
  let columns: string[] | null = null;
  const sample: string[][] = [];
  const scanner = new CsvScanner(d.delimiter, (r) => {
    if (columns === null && d.header) {
      columns = recordFields(r).map((c) => c.trim());
      return true;
    }
    sample.push(recordFields(r));
    return sample.length < 1000;
  });
  feed(typeof source === 'string' ? source : headOf(source), scanner);
  if (columns === null) columns = defaultColumnNames(Math.max(0, ...sample.slice(0, 100).map((r) => r.length)));
  return { dialect: d, columns, sample };
}

/** How to read one column. */
export type ColumnKind =
  /** Kept as strings. */
  | { kind: 'string' }
  /** Interned: equal strings get the same integer code (order of first appearance). */
  | { kind: 'category' }
  /** A number (decimal point or comma per the dialect). */
  | { kind: 'number' }
  /** A date in the given layout, as a UTC day number. */
  | { kind: 'date'; format: DateFormat };

export interface ColumnRequest {
  /** 0-based column index. */
  index: number;
  /** Name used in error messages. */
  name: string;
  type: ColumnKind;
  /** An empty or absent cell is allowed (read as NaN / ''), not an error. */
  optional?: boolean;
}

/** One column read by readColumns. */
export type ColumnValues =
  | { kind: 'string'; values: string[] }
  | { kind: 'category'; codes: Int32Array; levels: string[] }
  | { kind: 'number'; values: Float64Array }
  | { kind: 'date'; values: Float64Array };

export interface Columns {
  dialect: Dialect;
  /** Number of data rows read. */
  rows: number;
  /** 1-based line number of each row. */
  lines: Int32Array;
  /** The requested columns, in request order. */
  columns: ColumnValues[];
}

/** A growable Float64Array / Int32Array. */
class Growable<T extends Float64Array | Int32Array> {
  data: T;
  length = 0;
  private readonly make: (n: number) => T;
  constructor(make: (n: number) => T, capacity: number) {
    this.make = make;
    this.data = make(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  result(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

const MAX_ISSUES = 50;

type Reader = {
  read(r: RecordView, k: number): void;
  /** The row has no such field. */
  missing(): void;
  done(): ColumnValues;
};

type Report = (line: number, field: string, value: string, message: string) => void;

function stringReader(req: ColumnRequest, report: Report): Reader {
  const values: string[] = [];
  return {
    read(r, k) {
      const s = fieldText(r, k).trim();
      if (s.length === 0 && !req.optional) report(r.line, req.name, s, 'empty cell');
      values.push(s);
    },
    missing: () => values.push(''),
    done: () => ({ kind: 'string', values }),
  };
}

/**
 * Interns strings straight from the text: equal cell contents get the same code, and a string is
 * only built for a new value — no allocation or Map lookup per row. Each hash-table slot holds the
 * hash, the code and where the value's characters sit in one character pool, so a lookup touches
 * about two cache lines however many distinct values there are (millions of ids per second).
 */
class Interner {
  readonly levels: string[] = [];
  /** 4 ints per slot: hash, code (-1 = empty), pool offset, length. */
  private table = new Int32Array(4 * 2048);
  private slots = 2048;
  private pool = new Uint16Array(1 << 16);
  private poolLength = 0;

  constructor() {
    for (let i = 1; i < this.table.length; i += 4) this.table[i] = -1;
  }

  private static hash(text: string, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    return h ^ (h >>> 15);
  }

  private grow(): void {
    const old = this.table;
    this.slots *= 2;
    const table = new Int32Array(4 * this.slots);
    for (let i = 1; i < table.length; i += 4) table[i] = -1;
    const mask = this.slots - 1;
    for (let i = 0; i < old.length; i += 4) {
      if (old[i + 1] === -1) continue;
      let slot = (old[i] as number) & mask;
      while (table[4 * slot + 1] !== -1) slot = (slot + 1) & mask;
      table.set(old.subarray(i, i + 4), 4 * slot);
    }
    this.table = table;
  }

  /** The code of text[start, end). */
  intern(text: string, start: number, end: number): number {
    const h = Interner.hash(text, start, end);
    const table = this.table;
    const mask = this.slots - 1;
    const len = end - start;
    let slot = h & mask;
    for (;;) {
      const at = 4 * slot;
      const code = table[at + 1] as number;
      if (code === -1) break;
      if (table[at] === h && table[at + 3] === len) {
        const offset = table[at + 2] as number;
        const pool = this.pool;
        let same = true;
        for (let i = 0; i < len; i++) {
          if (pool[offset + i] !== text.charCodeAt(start + i)) {
            same = false;
            break;
          }
        }
        if (same) return code;
      }
      slot = (slot + 1) & mask;
    }
    const code = this.levels.length;
    this.levels.push(text.slice(start, end));
    if (this.poolLength + len > this.pool.length) {
      const pool = new Uint16Array(Math.max(this.pool.length * 2, this.poolLength + len));
      pool.set(this.pool.subarray(0, this.poolLength));
      this.pool = pool;
    }
    for (let i = 0; i < len; i++) this.pool[this.poolLength + i] = text.charCodeAt(start + i);
    const at = 4 * slot;
    table[at] = h;
    table[at + 1] = code;
    table[at + 2] = this.poolLength;
    table[at + 3] = len;
    this.poolLength += len;
    if ((code + 1) * 2 > this.slots) this.grow();
    return code;
  }
}

function categoryReader(req: ColumnRequest, report: Report, estimate: number): Reader {
  const codes = new Growable((n) => new Int32Array(n), estimate);
  const interner = new Interner();
  return {
    read(r, k) {
      if (r.escaped[k] === 1) {
        const s = fieldText(r, k).trim();
        if (s.length === 0 && !req.optional) report(r.line, req.name, s, 'empty cell');
        codes.push(interner.intern(s, 0, s.length));
        return;
      }
      const text = r.text;
      let start = r.start[k] as number;
      let end = r.end[k] as number;
      while (start < end && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
      while (end > start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
      if (start === end && !req.optional) report(r.line, req.name, '', 'empty cell');
      codes.push(interner.intern(text, start, end));
    },
    missing: () => codes.push(interner.intern('', 0, 0)),
    done: () => ({ kind: 'category', codes: codes.result(), levels: interner.levels }),
  };
}

function numberReader(req: ColumnRequest, report: Report, estimate: number, decimalComma: boolean): Reader {
  const values = new Growable((n) => new Float64Array(n), estimate);
  return {
    read(r, k) {
      const start = r.start[k] as number;
      const end = r.end[k] as number;
      const v = r.escaped[k] === 1 ? NaN : parseNumberAt(r.text, start, end, decimalComma);
      if (Number.isNaN(v)) {
        const s = fieldText(r, k);
        if (s.trim().length === 0) {
          if (!req.optional) report(r.line, req.name, s, 'empty cell, expected a number');
        } else report(r.line, req.name, s, decimalComma ? 'not a number (decimal comma expected)' : 'not a number');
      }
      values.push(v);
    },
    missing: () => values.push(NaN),
    done: () => ({ kind: 'number', values: values.result() }),
  };
}

function dateReader(req: ColumnRequest, report: Report, estimate: number, format: DateFormat): Reader {
  const values = new Growable((n) => new Float64Array(n), estimate);
  return {
    read(r, k) {
      const v = parseDateAt(r.text, r.start[k] as number, r.end[k] as number, format);
      if (Number.isNaN(v)) {
        const s = fieldText(r, k);
        if (s.trim().length === 0) {
          if (!req.optional) report(r.line, req.name, s, `empty cell, expected a date (${format})`);
        } else report(r.line, req.name, s, `not a valid date in the format ${format}`);
      }
      values.push(v);
    },
    missing: () => values.push(NaN),
    done: () => ({ kind: 'date', values: values.result() }),
  };
}

/**
 * Reads the requested columns of a text into typed arrays in one pass. Unreadable cells
 * (and rows too short to hold a requested column) are collected with their line numbers and
 * reported together in one CsvError('bad-values'); an empty file is CsvError('empty').
 */
export function readColumns(source: TextSource, requests: readonly ColumnRequest[], dialect?: Partial<Dialect>): Columns {
  const d = resolveDialect(source, dialect);
  const estimate = typeof source === 'string' ? Math.ceil(source.length / 24) : 1024;
  const lines = new Growable((n) => new Int32Array(n), estimate);
  const issues: CsvIssue[] = [];
  let totalIssues = 0;
  const report: Report = (line, field, value, message) => {
    totalIssues++;
    if (issues.length < MAX_ISSUES) issues.push({ line, field, value: value.length > 60 ? value.slice(0, 57) + '…' : value, message });
  };
  const readers: Reader[] = requests.map((req) => {
    const t = req.type;
    switch (t.kind) {
      case 'string':
        return stringReader(req, report);
      case 'category':
        return categoryReader(req, report, estimate);
      case 'number':
        return numberReader(req, report, estimate, d.decimalComma);
      case 'date':
        return dateReader(req, report, estimate, t.format);
    }
  });

  const needed = requests.reduce((m, r) => Math.max(m, r.index), -1);
  let headerPending = d.header;
  let rows = 0;
  const scanner = new CsvScanner(d.delimiter, (r) => {
    if (headerPending) {
      headerPending = false;
      return;
    }
    if (r.count <= needed) {
      for (let j = 0; j < requests.length; j++) {
        const req = requests[j] as ColumnRequest;
        const reader = readers[j] as Reader;
        if (req.index < r.count) reader.read(r, req.index);
        else {
          if (!req.optional) report(r.line, req.name, '', `missing: the row has only ${r.count} field${r.count === 1 ? '' : 's'}`);
          reader.missing();
        }
      }
    } else {
      for (let j = 0; j < requests.length; j++) (readers[j] as Reader).read(r, (requests[j] as ColumnRequest).index);
    }
    lines.push(r.line);
    rows++;
  });
  feed(source, scanner);
  if (rows === 0) throw new CsvError('empty', 'The file has no data rows.');
  if (totalIssues > 0) {
    throw new CsvError('bad-values', `${totalIssues} cell${totalIssues === 1 ? '' : 's'} could not be read:`, issues, totalIssues);
  }
  return { dialect: d, rows, lines: lines.result(), columns: readers.map((r) => r.done()) };
}
