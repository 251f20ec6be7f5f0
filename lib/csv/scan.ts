/**
 * The tokenizer under every tabular reader: splits delimited text into records and fields without
 * allocating a string per field. A record is handed to the caller as offsets into the text, so a
 * reader that only needs three of ten columns, or parses numbers and dates straight from the
 * characters, never builds the other strings. Works on a whole text or chunk by chunk (a file read
 * in pieces, or a browser stream), and tracks 1-based line numbers for error messages.
 *
 * Pure TypeScript: no Node or browser APIs.
 */

/** How fields are separated. 'whitespace' means runs of spaces/tabs, ignoring leading/trailing blanks. */
export type Delimiter = ',' | ';' | '\t' | '|' | 'whitespace';

/** One record, as offsets into `text`. Valid only during the callback (the arrays are reused). */
export interface RecordView {
  /** The text the offsets refer to. */
  text: string;
  /** Number of fields in the record. */
  count: number;
  /** Start offset of each field's content (inside the quotes for a quoted field). */
  start: Int32Array;
  /** End offset (exclusive) of each field's content. */
  end: Int32Array;
  /** 1 when the field was quoted and contains doubled quotes ("") that must be unescaped. */
  escaped: Uint8Array;
  /** 1-based line number of the record's first line. */
  line: number;
  /** True when the record's last field opened a quote that the file never closes (it ran to the end). */
  unterminated?: boolean;
}

/** Called once per non-empty record; return false to stop scanning. */
export type RecordHandler = (record: RecordView) => void | boolean;

const QUOTE = 34; // "
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/** The text of field k of a record, unquoted and unescaped. */
export function fieldText(record: RecordView, k: number): string {
  if (k >= record.count) return '';
  const s = record.text.slice(record.start[k], record.end[k]);
  return record.escaped[k] === 1 ? s.replace(/""/g, '"') : s;
}

/** All fields of a record as strings. */
export function recordFields(record: RecordView): string[] {
  const out = new Array<string>(record.count);
  for (let k = 0; k < record.count; k++) out[k] = fieldText(record, k);
  return out;
}

function delimiterCode(delimiter: Delimiter): number {
  return delimiter === 'whitespace' ? -1 : delimiter.charCodeAt(0);
}

/**
 * Incremental scanner: push text chunks, then call end(). Records that span chunk boundaries
 * (including quoted fields with embedded newlines) are handled by carrying the unfinished tail over.
 * A leading byte-order mark is dropped. Empty lines are skipped (but counted for line numbers).
 */
export class CsvScanner {
  private readonly delim: number;
  private readonly onRecord: RecordHandler;
  private tail = '';
  private line = 1;
  private first = true;
  private stopped = false;
  private readonly view: RecordView;

  constructor(delimiter: Delimiter, onRecord: RecordHandler) {
    this.delim = delimiterCode(delimiter);
    this.onRecord = onRecord;
    this.view = {
      text: '',
      count: 0,
      start: new Int32Array(16),
      end: new Int32Array(16),
      escaped: new Uint8Array(16),
      line: 1,
    };
  }

  /** Whether a handler asked to stop. */
  get done(): boolean {
    return this.stopped;
  }

  /** Feeds the next piece of text. */
  push(chunk: string): void {
    if (this.stopped) return;
    let text = this.tail.length > 0 ? this.tail + chunk : chunk;
    if (this.first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.first = false;
    }
    const consumed = this.scan(text, false);
    this.tail = consumed < text.length ? text.slice(consumed) : '';
  }

  /** Flushes the last record (a file need not end with a newline). */
  end(): void {
    if (this.stopped) return;
    let text = this.tail;
    this.tail = '';
    if (this.first && text.length > 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    this.first = false;
    if (text.length > 0) this.scan(text, true);
  }

  private grow(): void {
    const v = this.view;
    const size = v.start.length * 2;
    const start = new Int32Array(size);
    start.set(v.start);
    const end = new Int32Array(size);
    end.set(v.end);
    const escaped = new Uint8Array(size);
    escaped.set(v.escaped);
    v.start = start;
    v.end = end;
    v.escaped = escaped;
  }

  /**
   * Scans complete records of `text`; returns the offset after the last complete record.
   * When `final`, the text's end also ends the last record.
   */
  private scan(text: string, final: boolean): number {
    const n = text.length;
    const delim = this.delim;
    const whitespace = delim < 0;
    const v = this.view;
    v.text = text;
    let pos = 0;
    let line = this.line;

    while (pos < n) {
      const recordStart = pos;
      const recordLine = line;
      let count = 0;
      let complete = false;
      let nonEmpty = false;
      let unterminated = false;
      // One record.
      for (;;) {
        // Skip leading blanks of a field (always in whitespace mode; spaces only otherwise).
        let c = pos < n ? text.charCodeAt(pos) : -1;
        if (whitespace) {
          while (c === SPACE || c === TAB) c = ++pos < n ? text.charCodeAt(pos) : -1;
          if (c === LF || c === CR || c === -1) {
            // End of record in whitespace mode (trailing blanks are not a field).
            if (c === -1 && !final) break;
            if (c === CR) {
              if (pos + 1 >= n && !final) break;
              pos += pos + 1 < n && text.charCodeAt(pos + 1) === LF ? 2 : 1;
            } else if (c === LF) pos += 1;
            if (c !== -1) line++;
            complete = true;
            break;
          }
        } else {
          while (c === SPACE) c = ++pos < n ? text.charCodeAt(pos) : -1;
        }
        if (count === v.start.length) this.grow();
        if (c === QUOTE) {
          // Quoted field.
          let p = pos + 1;
          let escaped = 0;
          let closed = false;
          let extraLines = 0;
          while (p < n) {
            const q = text.charCodeAt(p);
            if (q === QUOTE) {
              if (p + 1 < n && text.charCodeAt(p + 1) === QUOTE) {
                escaped = 1;
                p += 2;
                continue;
              }
              if (p + 1 >= n && !final) break; // cannot tell yet whether "" follows
              closed = true;
              break;
            }
            if (q === LF) extraLines++;
            else if (q === CR && !(p + 1 < n && text.charCodeAt(p + 1) === LF)) extraLines++;
            p++;
          }
          if (!closed) {
            if (!final) break; // wait for more text
            // Unterminated quote at end of input: take the rest as the field (and say so).
            unterminated = true;
            v.start[count] = pos + 1;
            v.end[count] = n;
            v.escaped[count] = escaped;
            count++;
            line += extraLines;
            pos = n;
            nonEmpty = true;
            complete = true;
            break;
          }
          v.start[count] = pos + 1;
          v.end[count] = p;
          v.escaped[count] = escaped;
          count++;
          nonEmpty = true;
          line += extraLines;
          pos = p + 1;
          // Skip anything up to the delimiter / newline (blanks after the closing quote).
          c = pos < n ? text.charCodeAt(pos) : -1;
          while (c !== -1 && c !== delim && c !== LF && c !== CR && !(whitespace && (c === SPACE || c === TAB))) {
            c = ++pos < n ? text.charCodeAt(pos) : -1;
          }
        } else {
          // Unquoted field: up to the delimiter or end of line.
          const s = pos;
          if (whitespace) {
            while (c !== -1 && c !== SPACE && c !== TAB && c !== LF && c !== CR) c = ++pos < n ? text.charCodeAt(pos) : -1;
          } else {
            while (c !== -1 && c !== delim && c !== LF && c !== CR) c = ++pos < n ? text.charCodeAt(pos) : -1;
          }
          if (c === -1 && !final) break;
          let e = pos;
          if (!whitespace) while (e > s && text.charCodeAt(e - 1) === SPACE) e--;
          v.start[count] = s;
          v.end[count] = e;
          v.escaped[count] = 0;
          count++;
          if (e > s) nonEmpty = true;
        }
        // After a field: delimiter, newline or end.
        if (whitespace) {
          // Blanks (or newline) follow; handled at the top of the loop.
          if (c === -1) {
            if (!final) break;
            complete = true;
            break;
          }
          continue;
        }
        if (c === delim) {
          pos++;
          nonEmpty = true; // "a," or ",": a record with an empty field is still a record
          if (pos >= n && !final) break;
          if (pos >= n) {
            // Trailing delimiter at end of input: one more empty field.
            if (count === v.start.length) this.grow();
            v.start[count] = pos;
            v.end[count] = pos;
            v.escaped[count] = 0;
            count++;
            complete = true;
            break;
          }
          continue;
        }
        if (c === CR) {
          if (pos + 1 >= n && !final) break;
          pos += pos + 1 < n && text.charCodeAt(pos + 1) === LF ? 2 : 1;
          line++;
        } else if (c === LF) {
          pos++;
          line++;
        } else if (c === -1 && !final) {
          break;
        }
        complete = true;
        break;
      }
      if (!complete) {
        // Incomplete record: keep it for the next chunk.
        this.line = recordLine;
        return recordStart;
      }
      if (nonEmpty && count > 0) {
        v.count = count;
        v.line = recordLine;
        v.unterminated = unterminated;
        if (this.onRecord(v) === false) {
          this.stopped = true;
          this.line = line;
          return n;
        }
      }
    }
    this.line = line;
    return n;
  }
}

/** Scans a whole text, calling onRecord for each non-empty record. */
export function scanText(text: string, delimiter: Delimiter, onRecord: RecordHandler): void {
  const scanner = new CsvScanner(delimiter, onRecord);
  scanner.push(text);
  scanner.end();
}

/** Splits a text into records of strings (for small inputs and detection samples). */
export function splitRecords(text: string, delimiter: Delimiter, maxRecords = Infinity): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  scanText(text, delimiter, (r) => {
    out.push({ fields: recordFields(r), line: r.line });
    return out.length < maxRecords;
  });
  return out;
}
