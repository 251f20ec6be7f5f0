/**
 * Custom sites: rules a manager writes for any other web app. A rule names the pages (match
 * patterns that must name a host) and, for the customer's email, name and record id, where to read
 * them: a CSS selector (the text, or one attribute, of its first VISIBLE match), a text pattern (a
 * regular expression with at most one capture group, on the page text or on the selected element),
 * or both. Page data is always read as text, never as markup.
 *
 * The rule is validated with zod when it is saved (popup: ./custom-schema.ts) and only shape-checked
 * where it is used (content script, background), which must stay small: this module imports no zod.
 */
import { matchesAny } from './patterns';
import { compact, domainOfEmail, emailFromMailto, findEmail } from './text';
import type { Extraction, SiteAdapter } from './types';

/** Patterns run on at most this many characters of text (regex cost guard). */
export const MAX_PATTERN_TEXT = 100_000;
export const MAX_PATTERN_LENGTH = 200;
export const MAX_SELECTOR_LENGTH = 500;

/** Where to read one value. At least a selector or a pattern; an attribute only with a selector. */
export interface FieldRule {
  /** CSS selector; its first visible match is read. */
  selector?: string;
  /** Regular expression (case-insensitive) with at most one capture group; on the element's text, else the page's. */
  pattern?: string;
  /** Read this attribute of the selected element instead of its text, e.g. "href" (mailto:) or "data-id". */
  attribute?: string;
}

export const FIELD_KEYS = ['email', 'name', 'recordId'] as const;
export type FieldKey = (typeof FIELD_KEYS)[number];
export const FIELD_LABELS: Record<FieldKey, string> = { email: 'email', name: 'name', recordId: 'record id' };

export interface CustomSiteRule {
  /** Stable id: lower-case letters, digits and dashes. The adapter is `custom:<id>`. */
  id: string;
  /** What the manager calls the site, e.g. "Acme CRM". */
  name: string;
  /** Match patterns of the pages, e.g. "https://crm.acme.com/*". */
  matches: string[];
  /** How to read each value (the rule's own `name` is the site's name, so the fields live here). */
  fields: Partial<Record<FieldKey, FieldRule>>;
  /** Regular expression on the URL's path + hash giving the record id, e.g. "/customers/(\\d+)". Tried before fields.recordId. */
  recordIdFromUrl?: string;
}

// ---------------------------------------------------------------------------------------------
// Reading a page. `readRuleInPage` is passed to scripting.executeScript by the popup's preview, so
// it must be self-contained: it may use only its arguments and the page's globals, no imports and
// nothing else from this module (constants are repeated inside on purpose).

export type FieldReading =
  | { status: 'found'; value: string; from: 'selector' | 'pattern' | 'url' }
  | { status: 'not-set' }
  | { status: 'selector-nothing' }
  | { status: 'selector-hidden' }
  | { status: 'attribute-missing'; attribute: string }
  | { status: 'pattern-nothing' }
  | { status: 'url-pattern-nothing' }
  | { status: 'empty' }
  | { status: 'invalid'; detail: string };

export type RuleReading = Record<FieldKey, FieldReading>;

/**
 * Reads a rule's fields from a page: `root` defaults to the page's document and `href` to its
 * location (as in an injected script). Selectors use their first visible match; patterns see at
 * most 100,000 characters. Returns raw text; `interpretReading` validates it.
 */
export function readRuleInPage(rule: CustomSiteRule, root?: ParentNode, href?: string, meter?: { steps: number; instructions: number }): RuleReading {
  const maxText = 100000;
  const maxValue = 1000;
  const scope: ParentNode = root ?? document;
  const pageHref = href ?? location.href;
  const clip = (text: string) => (text.length > maxText ? text.slice(0, maxText) : text);
  const tidy = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, maxValue);
  const isHidden = (element: Element): boolean => {
    if (element.closest('[hidden]')) return true;
    const check = (element as Element & { checkVisibility?: (options?: object) => boolean }).checkVisibility;
    if (typeof check === 'function') return !check.call(element, { visibilityProperty: true, checkVisibilityCSS: true });
    for (let node: Element | null = element; node; node = node.parentElement) {
      const style = (node as HTMLElement).style;
      if (style && (style.display === 'none' || style.visibility === 'hidden')) return true;
    }
    return false;
  };
  const textOf = (node: Node): string => {
    const inner = (node as HTMLElement).innerText;
    return typeof inner === 'string' ? inner : (node.textContent ?? '');
  };
  const pageText = (): string => {
    const doc = scope as Document;
    const node = doc.body !== undefined ? (doc.body ?? doc.documentElement) : (scope as Node);
    return node ? textOf(node) : '';
  };
  // Text patterns run on a linear-time matcher (a Pike VM: every position of the text is visited
  // once, with at most one thread per instruction), never on the browser's backtracking RegExp, so no
  // pattern can freeze the page: steps <= (text length + 1) x 2 x program size, and a hard budget of
  // maxSteps (about 0.2 s) stops a big pattern on a long text with an error instead. Syntax: JavaScript's, case-insensitive, without look-around and
  // back-references (refused in words). Instructions: [op, a, b]; op 0 char test a, 1 split a|b
  // (a first), 2 jump a, 3 save position to slot a, 4 assertion a, 5 match.
  const maxSteps = 5000000;
  const maxProgram = 2000;
  type Test = (c: number) => boolean;
  type Ins = [number, number | string | Test, number?];
  const compile = (pattern: string): { program: Ins[]; slots: number } => {
    // The browser's parser says what is malformed (compiling only; the RegExp never runs).
    new RegExp(pattern, 'i');
    let at = 0;
    let groups = 0;
    const program: Ins[] = [];
    const fail = (why: string): never => {
      throw new Error(why);
    };
    // A single-character atom (a literal, an escape, ".", a [class]) is tested by the browser's own
    // RegExp on one character, ^(?:atom)$: nothing there can backtrack. ASCII answers are remembered.
    const single = (source: string): Test => {
      const re = new RegExp(`^(?:${source})$`, 'i');
      const memo = new Int8Array(128);
      return (c) => {
        if (c >= 128) return re.test(String.fromCharCode(c));
        if (!memo[c]) memo[c] = re.test(String.fromCharCode(c)) ? 1 : 2;
        return memo[c] === 1;
      };
    };
    const peek = () => pattern[at] ?? '';
    type Node = { k: 'char'; t: Test } | { k: 'as'; a: string } | { k: 'seq'; n: Node[] } | { k: 'alt'; n: Node[] } | { k: 'rep'; n: Node; min: number; max: number; lazy: boolean } | { k: 'cap'; n: Node; slot: number };
    const alternatives = (): Node => {
      const options: Node[] = [sequence()];
      while (peek() === '|') {
        at++;
        options.push(sequence());
      }
      return options.length === 1 ? (options[0] as Node) : { k: 'alt', n: options };
    };
    const sequence = (): Node => {
      const items: Node[] = [];
      while (at < pattern.length && peek() !== '|' && peek() !== ')') {
        let node = atom();
        for (;;) {
          const bounds = /^(?:([*+?])|\{(\d+)(,(\d*))?\})/.exec(pattern.slice(at));
          if (!bounds) break;
          at += bounds[0].length;
          const min = bounds[1] ? (bounds[1] === '+' ? 1 : 0) : Number(bounds[2]);
          const max = bounds[1] ? (bounds[1] === '?' ? 1 : Infinity) : bounds[3] === undefined ? min : bounds[4] === '' ? Infinity : Number(bounds[4]);
          const lazy = peek() === '?';
          if (lazy) at++;
          node = { k: 'rep', n: node, min, max, lazy };
        }
        items.push(node);
      }
      return { k: 'seq', n: items };
    };
    const atom = (): Node => {
      const ch = pattern[at++] as string;
      if (ch === '(') {
        let slot = -1;
        if (peek() === '?') {
          const kind = pattern.slice(at, at + 3);
          if (kind[1] === ':') at += 2;
          else if (kind[1] === '<' && kind[2] !== '=' && kind[2] !== '!') {
            at = pattern.indexOf('>', at) + 1;
            slot = 2 * ++groups;
          } else fail('looks ahead or behind (?=, (?!, (?<=, (?<!, which Centric does not run');
        } else slot = 2 * ++groups;
        const inner = alternatives();
        at++;
        return slot < 0 ? inner : { k: 'cap', n: inner, slot };
      }
      if (ch === '^' || ch === '$') return { k: 'as', a: ch };
      const from = at - 1;
      if (ch === '[') {
        if (peek() === '^') at++;
        while (at < pattern.length && peek() !== ']') at += peek() === '\\' ? 2 : 1;
        at++;
      } else if (ch === '\\') {
        const next = pattern[at++] as string;
        if (next === 'b' || next === 'B') return { k: 'as', a: next };
        if (/[1-9]/.test(next) || (next === 'k' && peek() === '<')) fail('refers back to a group (\\1), which Centric does not run');
        // The escape's whole length: \xHH, \uHHHH, \cX and legacy octal \0NN are one character.
        if (next === 'c' && !/[a-z]/i.test(peek())) fail('has \\c without a letter');
        const more: Record<string, RegExp> = { x: /^[0-9a-f]{2}/i, u: /^[0-9a-f]{4}/i, c: /^./, '0': /^[0-7]{0,2}/ };
        at += more[next]?.exec(pattern.slice(at))?.[0].length ?? 0;
      }
      return { k: 'char', t: single(pattern.slice(from, at)) };
    };
    const emit = (ins: Ins) => {
      if (program.length >= maxProgram) fail('repeats too much: use smaller counts');
      return program.push(ins) - 1;
    };
    const gen = (node: Node): void => {
      if (node.k === 'char') emit([0, node.t]);
      else if (node.k === 'as') emit([4, node.a]);
      else if (node.k === 'seq') node.n.forEach(gen);
      else if (node.k === 'cap') {
        emit([3, node.slot]);
        gen(node.n);
        emit([3, node.slot + 1]);
      } else if (node.k === 'alt') {
        const jumps: Ins[] = [];
        node.n.forEach((option, i) => {
          const split: Ins | null = i < node.n.length - 1 ? program[emit([1, 0, 0])]! : null;
          if (split) split[1] = program.length;
          gen(option);
          if (split) {
            jumps.push(program[emit([2, 0])]!);
            split[2] = program.length;
          }
        });
        for (const jump of jumps) jump[1] = program.length;
      } else {
        for (let i = 0; i < node.min; i++) gen(node.n);
        const optional = (loop: boolean) => {
          const at0 = emit([1, 0, 0]);
          const split = program[at0]!;
          const body = program.length;
          gen(node.n);
          if (loop) emit([2, at0]);
          split[1] = node.lazy ? program.length : body;
          split[2] = node.lazy ? body : program.length;
          return split;
        };
        if (node.max === Infinity) optional(true);
        else {
          const splits: Ins[] = [];
          for (let i = node.min; i < node.max; i++) splits.push(optional(false));
          for (const split of splits) split[node.lazy ? 1 : 2] = program.length;
        }
      }
    };
    const tree = alternatives();
    gen(tree);
    emit([3, 1]);
    emit([5, 0]);
    return { program, slots: 2 * groups + 2 };
  };
  // Leftmost match, the same as RegExp.exec with the "i" flag; the matched text and group 1, or null.
  const run = (compiled: { program: Ins[]; slots: number }, text: string): string[] | null => {
    const { program, slots } = compiled;
    const seen = new Int32Array(program.length).fill(-1);
    const isWord = (i: number) => i >= 0 && i < text.length && /\w/.test(text[i] as string);
    let steps = 0;
    let found: number[] | null = null;
    type List = { pcs: number[]; caps: number[][] };
    const add = (list: List, pc: number, caps: number[], i: number): void => {
      if (seen[pc] === i) return;
      seen[pc] = i;
      steps++;
      const ins = program[pc] as Ins;
      const op = ins[0];
      const a = ins[1];
      if (op === 2) add(list, a as number, caps, i);
      else if (op === 1) {
        add(list, a as number, caps, i);
        add(list, ins[2] as number, caps, i);
      } else if (op === 3) {
        const copy = caps.slice();
        copy[a as number] = i;
        add(list, pc + 1, copy, i);
      } else if (op === 4) {
        const holds = a === '^' ? i === 0 : a === '$' ? i === text.length : (isWord(i - 1) !== isWord(i)) === (a === 'b');
        if (holds) add(list, pc + 1, caps, i);
      } else {
        list.pcs.push(pc);
        list.caps.push(caps);
      }
    };
    let list: List = { pcs: [], caps: [] };
    for (let i = 0; i <= text.length; i++) {
      if (!found) {
        const caps = new Array<number>(slots).fill(-1);
        caps[0] = i;
        add(list, 0, caps, i);
      }
      if (found && list.pcs.length === 0) break;
      const next: List = { pcs: [], caps: [] };
      const c = i < text.length ? text.charCodeAt(i) : -1;
      for (let k = 0; k < list.pcs.length; k++) {
        steps++;
        const pc = list.pcs[k] as number;
        const ins = program[pc] as Ins;
        if (ins[0] === 5) {
          found = list.caps[k] as number[];
          break;
        }
        if (c >= 0 && (ins[1] as Test)(c)) add(next, pc + 1, list.caps[k] as number[], i + 1);
      }
      if (steps > maxSteps) {
        if (meter) meter.instructions = Math.max(meter.instructions, program.length);
        if (meter) meter.steps += steps;
        throw new Error(`took more than ${maxSteps} steps on this page and was stopped`);
      }
      list = next;
    }
    if (meter) {
      meter.steps += steps;
      meter.instructions = Math.max(meter.instructions, program.length);
    }
    if (!found) return null;
    const caps = found;
    const part = (slot: number) => ((caps[slot] as number) >= 0 && (caps[slot + 1] as number) >= 0 ? text.slice(caps[slot], caps[slot + 1]) : '');
    return slots > 2 ? [part(0), part(2)] : [part(0)];
  };
  const applyPattern = (pattern: string, text: string): string | undefined => {
    const match = run(compile(pattern), clip(text));
    if (!match) return undefined;
    const value = tidy(match.length > 1 ? (match[1] ?? '') : (match[0] ?? ''));
    return value || undefined;
  };
  const failure = (error: unknown): FieldReading => ({
    status: 'invalid',
    detail: error instanceof Error ? error.message : String(error),
  });
  const readField = (field: FieldRule | undefined): FieldReading => {
    if (!field || (!field.selector && !field.pattern)) return { status: 'not-set' };
    try {
      let text: string;
      if (field.selector) {
        const all = scope.querySelectorAll(field.selector);
        let element: Element | undefined;
        for (let i = 0; i < all.length && !element; i++) {
          const candidate = all[i];
          if (candidate && !isHidden(candidate)) element = candidate;
        }
        if (!element) return { status: all.length > 0 ? 'selector-hidden' : 'selector-nothing' };
        if (field.attribute) {
          const value = element.getAttribute(field.attribute);
          if (value === null) return { status: 'attribute-missing', attribute: field.attribute };
          text = value;
        } else {
          text = textOf(element);
        }
      } else {
        text = pageText();
      }
      if (field.pattern) {
        const value = applyPattern(field.pattern, text);
        return value ? { status: 'found', value, from: 'pattern' } : { status: 'pattern-nothing' };
      }
      const value = tidy(clip(text));
      return value ? { status: 'found', value, from: 'selector' } : { status: 'empty' };
    } catch (error) {
      return failure(error);
    }
  };

  const fields = rule.fields ?? {};
  let recordId: FieldReading = { status: 'not-set' };
  if (rule.recordIdFromUrl) {
    try {
      const url = new URL(pageHref);
      const value = applyPattern(rule.recordIdFromUrl, url.pathname + url.hash);
      recordId = value ? { status: 'found', value, from: 'url' } : { status: 'url-pattern-nothing' };
    } catch (error) {
      recordId = failure(error);
    }
  }
  if (recordId.status !== 'found' && fields.recordId) recordId = readField(fields.recordId);
  return { email: readField(fields.email), name: readField(fields.name), recordId };
}

/** What one field found on the page, in words for people. */
export type FieldFinding = { found: true; value: string } | { found: false; reason: string };
export type RuleFindings = Record<FieldKey, FieldFinding>;

const MAX_NAME = 200;
const MAX_RECORD_ID = 128;

function reasonFor(reading: Exclude<FieldReading, { status: 'found' }>): string {
  switch (reading.status) {
    case 'not-set':
      return 'no rule';
    case 'selector-nothing':
      return 'the selector matched nothing';
    case 'selector-hidden':
      return 'the selector matched only hidden elements';
    case 'attribute-missing':
      return `the element has no "${reading.attribute}" attribute`;
    case 'pattern-nothing':
      return 'the pattern matched nothing';
    case 'url-pattern-nothing':
      return 'the URL pattern matched nothing';
    case 'empty':
      return 'the element has no text';
    case 'invalid':
      return `the rule could not run: ${reading.detail}`;
  }
}

function quote(text: string): string {
  return `"${text.length > 60 ? `${text.slice(0, 59)}…` : text}"`;
}

/** Validates what was read: an email must be one (mailto: links accepted), a name is bounded, a record id short. */
export function interpretReading(reading: RuleReading): RuleFindings {
  const out = {} as RuleFindings;
  for (const key of FIELD_KEYS) {
    const field = reading[key];
    if (field.status !== 'found') {
      out[key] = { found: false, reason: reasonFor(field) };
      continue;
    }
    if (key === 'email') {
      const email = emailFromMailto(field.value) ?? findEmail(field.value);
      out[key] = email ? { found: true, value: email } : { found: false, reason: `invalid email: ${quote(field.value)} is not an email address` };
    } else if (key === 'name') {
      out[key] = { found: true, value: field.value.slice(0, MAX_NAME) };
    } else {
      out[key] =
        field.value.length <= MAX_RECORD_ID
          ? { found: true, value: field.value }
          : { found: false, reason: `the record id is longer than ${MAX_RECORD_ID} characters` };
    }
  }
  return out;
}

function coversUrl(rule: Pick<CustomSiteRule, 'matches'>, url: URL): boolean {
  try {
    return matchesAny(url, rule.matches);
  } catch {
    return false;
  }
}

/** What a rule finds on a page (the popup's preview, and tests): each field's value or the reason it has none. */
export function previewRule(rule: CustomSiteRule, document: Document, url: URL): RuleFindings & { coversPage: boolean } {
  return { ...interpretReading(readRuleInPage(rule, document, url.href)), coversPage: coversUrl(rule, url) };
}

/** The site adapter of a custom rule: id `custom:<rule id>`, reading the page with the rule. */
export function adapterFromRule(rule: CustomSiteRule): SiteAdapter {
  const host = `custom:${rule.id}`;
  return {
    id: host,
    name: rule.name,
    matches: [...rule.matches],
    isRecordPage: (url) => coversUrl(rule, url),
    extract(root, url): Extraction {
      const findings = interpretReading(readRuleInPage(rule, root, url.href));
      const missing: string[] = [];
      for (const key of FIELD_KEYS) {
        const finding = findings[key];
        const configured = key === 'recordId' ? Boolean(rule.fields?.recordId || rule.recordIdFromUrl) : Boolean(rule.fields?.[key]);
        if (!finding.found && configured) missing.push(`${FIELD_LABELS[key]} (${finding.reason})`);
      }
      const value = (key: FieldKey) => {
        const finding = findings[key];
        return finding.found ? finding.value : undefined;
      };
      const email = value('email');
      const name = value('name');
      const hostRecordId = value('recordId');
      if (!email && !name && !hostRecordId) return { identity: null, missing };
      return { identity: compact({ host, email, name, hostRecordId, domain: domainOfEmail(email) }), missing };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Light checks, for the content script and the background (no zod there).

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const optionalString = (value: unknown, max: number) => value === undefined || (typeof value === 'string' && value.length <= max);

function isFieldRuleShape(value: unknown): boolean {
  return (
    value === undefined ||
    (isObject(value) &&
      optionalString(value.selector, MAX_SELECTOR_LENGTH) &&
      optionalString(value.pattern, MAX_PATTERN_LENGTH) &&
      optionalString(value.attribute, 64))
  );
}

/** Shape check of a stored rule (it was validated with the schema when it was saved). */
export function isCustomSiteRuleShape(value: unknown): value is CustomSiteRule {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    typeof value.name === 'string' &&
    Array.isArray(value.matches) &&
    value.matches.every((p) => typeof p === 'string') &&
    isObject(value.fields) &&
    FIELD_KEYS.every((key) => isFieldRuleShape((value.fields as Record<string, unknown>)[key])) &&
    optionalString(value.recordIdFromUrl, MAX_PATTERN_LENGTH)
  );
}

/** The well-shaped rules of a stored value (anything else is ignored). */
export function customRules(stored: unknown): CustomSiteRule[] {
  return Array.isArray(stored) ? stored.filter(isCustomSiteRuleShape) : [];
}

/** The first rule whose patterns cover the URL. */
export function ruleForUrl(rules: readonly CustomSiteRule[], url: URL): CustomSiteRule | undefined {
  return rules.find((rule) => coversUrl(rule, url));
}

// ---------------------------------------------------------------------------------------------
// Validation when a rule is saved.

const LOCAL_HOSTS = ['localhost', '127.0.0.1'];
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const BROAD = ['<all_urls>', '*://*/*', 'https://*/*', 'http://*/*', 'https://*/', '*://*/'];

/** Why a match pattern is not acceptable for a custom site, or null. Rules must name a host. */
export function matchPatternProblem(pattern: string): string | null {
  if (BROAD.includes(pattern)) return `"${pattern}" would give Centric every site: name the site's host, e.g. https://crm.example.com/*`;
  const parsed = /^([a-z*]+):\/\/([^/]*)(\/.*)?$/.exec(pattern);
  if (!parsed) return `"${pattern}" is not a URL pattern such as https://crm.example.com/*`;
  const [, scheme = '', host = '', path] = parsed;
  if (path === undefined) return `"${pattern}" needs a path, e.g. ${scheme}://${host}/*`;
  if (/:\d*$/.test(host)) return `"${pattern}": leave out the port (patterns cover every port)`;
  const local = LOCAL_HOSTS.includes(host);
  if (scheme !== 'https' && !(scheme === 'http' && local)) {
    return `"${pattern}" must start with https:// (plain http:// only for localhost and 127.0.0.1)`;
  }
  if (host === '*' || host === '') return `"${pattern}" must name a host, e.g. https://crm.example.com/*`;
  const bare = host.startsWith('*.') ? host.slice(2) : host;
  if (!local && (!DOMAIN.test(bare) || (host.startsWith('*.') && bare.split('.').length < 2))) {
    return `"${pattern}": "${host}" is not a host name such as crm.example.com or *.example.com`;
  }
  return null;
}

/**
 * Why a text pattern cannot be run by readRuleInPage's linear-time matcher, or null: it is run once
 * on a short text through readRuleInPage itself, so the check and the page use the same code.
 */
function matcherProblem(pattern: string): string | null {
  const probe: CustomSiteRule = { id: 'probe', name: 'probe', matches: [], fields: {}, recordIdFromUrl: pattern };
  const reading = readRuleInPage(probe, {} as ParentNode, 'https://probe.invalid/').recordId;
  return reading.status === 'invalid' ? reading.detail : null;
}

/**
 * Why a text pattern is not acceptable, or null: it must compile, be short, use at most one capture
 * group, and use only what the linear-time matcher runs (no look-around, no back-references).
 */
export function textPatternProblem(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `is longer than ${MAX_PATTERN_LENGTH} characters`;
  let groups: number;
  try {
    new RegExp(pattern, 'i');
    // An alternative that matches the empty string makes exec return every group (undefined).
    groups = (new RegExp(`(?:${pattern})|`, 'i').exec('')?.length ?? 1) - 1;
  } catch (error) {
    return `is not a valid regular expression (${(error as Error).message})`;
  }
  if (groups > 1) return `has ${groups} capture groups; use one, e.g. Customer: (\\S+), and (?:…) for the others`;
  return matcherProblem(pattern);
}

/** Why a CSS selector is not acceptable, or null (checked against a DOM when one is available). */
export function selectorProblem(selector: string): string | null {
  if (typeof document === 'undefined') return null;
  try {
    document.createDocumentFragment().querySelector(selector);
    return null;
  } catch {
    return 'is not a valid CSS selector';
  }
}

// ---------------------------------------------------------------------------------------------
// The popup's editor: what it offers and prefills for the active tab, and its form as a rule.

/** Whether a page can get a custom rule: https, or plain http on localhost/127.0.0.1. */
export function canTeach(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.includes(url.hostname));
}

/**
 * The URL pattern prefilled for a page: `https://<host>/*`. On localhost/127.0.0.1 (shared with the
 * demo helpdesk and any local app) only the first path segment, e.g. http://127.0.0.1/crm/*.
 */
export function suggestedPattern(url: URL): string {
  if (!LOCAL_HOSTS.includes(url.hostname)) return `https://${url.hostname}/*`;
  const first = url.pathname.split('/').find((segment) => segment !== '');
  return `${url.protocol}//${url.hostname}/${first && /^[\w.~-]+$/.test(first) ? `${first}/` : ''}*`;
}

/** A rule id from the page's host (one rule per host unless renamed), e.g. "crm-acme-com". */
export function suggestedRuleId(url: URL): string {
  const slug = url.hostname.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return slug || 'site';
}

/** What the editor's inputs hold (free text). */
export interface RuleForm {
  id: string;
  name: string;
  /** One or more URL patterns, separated by spaces, commas or new lines. */
  matches: string;
  fields: Record<FieldKey, { selector: string; pattern: string; attribute: string }>;
  recordIdFromUrl: string;
}

/** The editor's inputs as a rule to validate: trimmed, empty inputs left out. */
export function ruleFromForm(form: RuleForm): unknown {
  const given = (value: string) => value.trim() || undefined;
  const fields: Partial<Record<FieldKey, FieldRule>> = {};
  for (const key of FIELD_KEYS) {
    const field = compact({
      selector: given(form.fields[key].selector),
      pattern: given(form.fields[key].pattern),
      attribute: given(form.fields[key].attribute),
    });
    if (Object.keys(field).length > 0) fields[key] = field;
  }
  return compact({
    id: form.id,
    name: form.name.trim(),
    matches: form.matches.split(/[\s,]+/).filter(Boolean),
    fields,
    recordIdFromUrl: given(form.recordIdFromUrl),
  });
}

/** A saved rule back into the editor's inputs. */
export function formFromRule(rule: CustomSiteRule): RuleForm {
  const field = (key: FieldKey) => ({
    selector: rule.fields[key]?.selector ?? '',
    pattern: rule.fields[key]?.pattern ?? '',
    attribute: rule.fields[key]?.attribute ?? '',
  });
  return {
    id: rule.id,
    name: rule.name,
    matches: rule.matches.join(' '),
    fields: { email: field('email'), name: field('name'), recordId: field('recordId') },
    recordIdFromUrl: rule.recordIdFromUrl ?? '',
  };
}

/** A blank editor for a page. */
export function formForPage(url: URL): RuleForm {
  const blank = { selector: '', pattern: '', attribute: '' };
  return {
    id: suggestedRuleId(url),
    name: url.hostname,
    matches: suggestedPattern(url),
    fields: { email: { ...blank }, name: { ...blank }, recordId: { ...blank } },
    recordIdFromUrl: '',
  };
}

/** Shape check of what the injected reader sent back from the page. */
export function isRuleReading(value: unknown): value is RuleReading {
  return (
    isObject(value) &&
    FIELD_KEYS.every((key) => {
      const field = value[key];
      return isObject(field) && typeof field.status === 'string' && (field.status !== 'found' || typeof field.value === 'string');
    })
  );
}
