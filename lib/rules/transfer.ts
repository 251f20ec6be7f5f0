/**
 * Import and export of rule sets as JSON files, and validation messages in plain language.
 *
 * A file is all or nothing: parseRuleSet either returns every rule, or lists EVERY problem (each with
 * its path, e.g. "rules[2].treatment.color: Use a hex colour such as #1e293b.") and nothing changes.
 * JSON syntax errors are located by line and column; files over MAX_FILE_BYTES, files of another
 * format and newer versions are rejected with a sentence saying so.
 */
import type { z } from 'zod';
import { MAX_RULES, RULES_FORMAT, RULES_VERSION, type Rule, RuleSchema, RuleSetSchema } from './schema';

/** Largest file accepted, in bytes (UTF-8). */
export const MAX_FILE_BYTES = 1_000_000;

/** The result of reading a rule set. */
export type ParseResult = { ok: true; rules: Rule[] } | { ok: false; errors: string[] };

/** One validation problem: where (e.g. "treatment.color") and what. */
export interface RuleIssue {
  path: string;
  message: string;
}

/** A rule set as a pretty JSON file (format and version first). */
export function exportRuleSet(rules: readonly Rule[]): string {
  return `${JSON.stringify({ format: RULES_FORMAT, version: RULES_VERSION, rules }, null, 2)}\n`;
}

/** Reads a rule set file; lists every problem when it cannot be used. */
export function parseRuleSet(text: string): ParseResult {
  if (text.length > MAX_FILE_BYTES || utf8Length(text) > MAX_FILE_BYTES) {
    return fail(`The file is too large (over ${MAX_FILE_BYTES / 1_000_000} MB); a rule set file is much smaller.`);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return fail('The file is empty.');

  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    const located = locateJsonError(body);
    if (located) return fail(`The file is not valid JSON: line ${located.line}, column ${located.column}: ${located.message}`);
    return fail(`The file is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseRuleSetValue(data);
}

/** Checks an already-parsed rule set value (e.g. from a policy); lists every problem. */
export function parseRuleSetValue(data: unknown): ParseResult {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail(
      `This is not a Centric rules file: it should be an object with "format": "${RULES_FORMAT}", "version" and "rules" (this file holds ${describeValue(data)}).`,
    );
  }
  const record = data as Record<string, unknown>;
  if (record.format !== RULES_FORMAT) {
    return fail(`This is not a Centric rules file: "format" should be "${RULES_FORMAT}"${record.format === undefined ? ' and is missing' : ''}.`);
  }
  if (record.version !== RULES_VERSION) {
    const v = record.version;
    if (typeof v === 'number' && Number.isInteger(v) && v > RULES_VERSION) {
      return fail(`This rule set is version ${v}, made by a newer version of Centric; this version reads version ${RULES_VERSION}. Update Centric to import it.`);
    }
    return fail(`This rule set has an unsupported version (${v === undefined ? 'missing' : JSON.stringify(v)}); this version of Centric reads version ${RULES_VERSION}.`);
  }

  const errors: string[] = [];
  let input: unknown = data;
  if (Array.isArray(record.rules) && record.rules.length > MAX_RULES) {
    errors.push(`rules: A rule set holds at most ${MAX_RULES} rules; this one has ${record.rules.length}.`);
    input = { ...record, rules: record.rules.slice(0, MAX_RULES) };
  }
  const result = RuleSetSchema.safeParse(input, { error: plainMessage });
  if (result.success && errors.length === 0) return { ok: true, rules: result.data.rules };
  if (!result.success) errors.push(...issuesToLines(result.error.issues));
  errors.push(...duplicateIds(input));
  return { ok: false, errors: dedupe(errors) };
}

/** Problems with one rule (for inline validation in the editor), as "path: message" lines. */
export function validateRule(rule: unknown): string[] {
  return ruleIssues(rule).map(issueLine);
}

/** Problems with one rule, each with its path inside the rule (e.g. "conditions.conditions[1].value"). */
export function ruleIssues(rule: unknown): RuleIssue[] {
  const result = RuleSchema.safeParse(rule, { error: plainMessage });
  return result.success ? [] : result.error.issues.map(toIssue);
}

/** Zod issues as "path: message" lines. */
export function issuesToLines(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => issueLine(toIssue(issue)));
}

/** A path as people read it: ["rules", 2, "treatment", "color"] -> "rules[2].treatment.color". */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function toIssue(issue: z.core.$ZodIssue): RuleIssue {
  return { path: formatPath(issue.path), message: issue.message };
}

function issueLine(issue: RuleIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

function fail(...errors: string[]): ParseResult {
  return { ok: false, errors };
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}

/**
 * Duplicate rule ids, found on the raw data so they are reported even when other parts of the file
 * are invalid (the schema's own check only runs on an otherwise valid set).
 */
function duplicateIds(data: unknown): string[] {
  const rules = (data as { rules?: unknown }).rules;
  if (!Array.isArray(rules)) return [];
  const first = new Map<string, number>();
  const lines: string[] = [];
  rules.forEach((rule, i) => {
    const id = typeof rule === 'object' && rule !== null ? (rule as { id?: unknown }).id : undefined;
    if (typeof id !== 'string') return;
    const earlier = first.get(id);
    if (earlier !== undefined) lines.push(`rules[${i}].id: Rule id "${id}" is used twice (also by rules[${earlier}]).`);
    else first.set(id, i);
  });
  return lines;
}

/** UTF-8 size of a string, in bytes. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Plain-language messages for zod's generic issues (messages set in the schema take precedence)

type RawIssue = z.core.$ZodRawIssue;

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

/** What a JSON value is, in words: "text", "a number", "a list" … */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number';
  if (typeof value === 'boolean') return 'true or false';
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

function quoted(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? `"${v}"` : String(v))).join(', ');
}

/** The message for a zod issue that has no message of its own in the schema (rules and sources). */
export function plainMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'This is required.';
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      return `Use ${expected} here (found ${describeValue(issue.input)}).`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `Use at most ${max} characters.`;
      if (issue.origin === 'array') return `Use at most ${max} items.`;
      return issue.inclusive ? `Use a number no larger than ${max}.` : `Use a number smaller than ${max}.`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? 'This cannot be empty.' : `Use at least ${min} characters.`;
      if (issue.origin === 'array') return min <= 1 ? 'Add at least one item.' : `Add at least ${min} items.`;
      return issue.inclusive ? `Use a number of at least ${min}.` : `Use a number larger than ${min}.`;
    }
    case 'invalid_value':
      return issue.values.length === 1 ? `Use ${quoted(issue.values)}.` : `Use one of: ${quoted(issue.values)}.`;
    case 'unrecognized_keys':
      return `Unknown field${issue.keys.length > 1 ? 's' : ''} ${quoted(issue.keys)} (check the spelling).`;
    case 'invalid_union': {
      const { options, discriminator } = issue as { options?: unknown[]; discriminator?: string };
      if (Array.isArray(options) && options.length > 0) {
        const input = issue.input as Record<string, unknown> | undefined;
        const missing = discriminator !== undefined && typeof input === 'object' && input !== null && input[discriminator] === undefined;
        return missing ? `This is required: use one of ${quoted(options)}.` : `Use one of: ${quoted(options)}.`;
      }
      return 'This does not have a form that is allowed here.';
    }
    case 'invalid_format':
      return 'This is not in the expected format.';
    case 'not_multiple_of':
      return 'Use a whole number.';
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Where a JSON text goes wrong (engines word and locate JSON.parse errors differently)

/** The first JSON syntax error in `text`, with its 1-based line and column, or undefined when none is found. */
export function locateJsonError(text: string): { line: number; column: number; message: string } | undefined {
  const found = firstJsonError(text);
  if (!found) return undefined;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < found.offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: found.offset - lineStart + 1, message: found.message };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_$][\w$]*/y;

function firstJsonError(text: string): { offset: number; message: string } | undefined {
  const stack: ('{' | '[')[] = [];
  type State = 'value' | 'firstValue' | 'key' | 'firstKey' | 'colon' | 'after';
  let state: State = 'value';
  let i = 0;
  const n = text.length;
  const error = (offset: number, message: string) => ({ offset, message });

  const scanString = (): { offset: number; message: string } | undefined => {
    const start = i;
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return undefined;
      }
      if (c === 92) {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return error(i, 'A \\u escape needs four hex digits.');
          i += 6;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else return error(i, 'Unknown escape in text (use \\\\ for a backslash).');
        continue;
      }
      if (c < 0x20) return error(i, 'Line breaks and control characters inside text must be escaped (write \\n).');
      i++;
    }
    return error(start, 'This text is never closed with a double quote (").');
  };

  for (;;) {
    while (i < n && ' \t\n\r'.includes(text[i] as string)) i++;
    if (i >= n) {
      if (state === 'after' && stack.length === 0) return undefined;
      return error(n, stack.length > 0 ? `The file ends before this ${stack[stack.length - 1] === '{' ? '{ … }' : '[ … ]'} is closed.` : 'The file ends too early.');
    }
    const c = text[i] as string;
    switch (state) {
      case 'value':
      case 'firstValue': {
        if (c === ']' && state === 'firstValue') {
          stack.pop();
          i++;
          state = 'after';
        } else if (c === '{') {
          stack.push('{');
          i++;
          state = 'firstKey';
        } else if (c === '[') {
          stack.push('[');
          i++;
          state = 'firstValue';
        } else if (c === '"') {
          const e = scanString();
          if (e) return e;
          state = 'after';
        } else if (c === '-' || (c >= '0' && c <= '9')) {
          NUMBER.lastIndex = i;
          const m = NUMBER.exec(text);
          if (!m) return error(i, 'This is not a valid number.');
          i += m[0].length;
          state = 'after';
        } else if (c === ']' || c === '}') {
          return error(i, `A value is missing before "${c}" (a comma too many?).`);
        } else if (c === "'") {
          return error(i, 'Use double quotes (") around text.');
        } else if (c === '/') {
          return error(i, 'Comments are not allowed in JSON.');
        } else {
          WORD.lastIndex = i;
          const word = WORD.exec(text)?.[0];
          if (word === 'true' || word === 'false' || word === 'null') {
            i += word.length;
            state = 'after';
          } else if (word) {
            return error(i, `Unexpected word "${word}" where a value should be (use true, false, null, a number, or text in double quotes).`);
          } else return error(i, `Unexpected character "${c}" where a value should be.`);
        }
        break;
      }
      case 'key':
      case 'firstKey': {
        if (c === '}' && state === 'firstKey') {
          stack.pop();
          i++;
          state = 'after';
        } else if (c === '"') {
          const e = scanString();
          if (e) return e;
          state = 'colon';
        } else if (c === '}') {
          return error(i, 'A comma too many before "}".');
        } else if (c === "'") {
          return error(i, 'Use double quotes (") around names.');
        } else if (c === '/') {
          return error(i, 'Comments are not allowed in JSON.');
        } else return error(i, 'Expected a name in double quotes.');
        break;
      }
      case 'colon':
        if (c !== ':') return error(i, 'Expected ":" after the name.');
        i++;
        state = 'value';
        break;
      case 'after': {
        const top = stack[stack.length - 1];
        if (top === undefined) return error(i, 'Unexpected text after the end of the data.');
        if (c === ',') {
          i++;
          state = top === '{' ? 'key' : 'value';
        } else if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
          stack.pop();
          i++;
        } else if (c === '/') {
          return error(i, 'Comments are not allowed in JSON.');
        } else {
          return error(i, top === '{' ? 'Expected "," or "}" after a value (a comma missing?).' : 'Expected "," or "]" after a value (a comma missing?).');
        }
        break;
      }
    }
  }
}
