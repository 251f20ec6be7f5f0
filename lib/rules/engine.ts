/**
 * The treatment rules engine: pure and deterministic (same rules and customer, same answer).
 *
 * - Enabled rules are tried by `order` (lowest first; equal orders keep their position in the list).
 *   Disabled rules never match.
 * - The first rule that matches is the recommendation; the later matches are listed as other matches.
 * - The decision short-circuits; the explanation of a matching rule evaluates every condition, so it
 *   says for each one whether it matched and what the customer has, e.g.
 *     "Tier is Platinum or Gold — yes (Gold)", "CLV ≥ $1,000 — no ($420)", "P(alive) < 50% — yes (31%)".
 * - `all` of no conditions is true (a catch-all), `any` of no conditions is false.
 * - An unknown number, tier or field never matches (the explanation says "unknown").
 */
import { horizonValueShort, VALUE_WORDS } from '../labels/value';
import type { Condition, FieldId, GroupCondition, LeafCondition, MetricId, MetricOp, Rule, RuleFlag } from './schema';
import type { RuleSubject } from './subject';
import { type RenderedTreatment, renderTreatment } from './template';
import { moneyText, numberText } from '../format/money';

/** How amounts are written in explanations. */
export interface EvaluateOptions {
  /** ISO 4217 code; default USD. */
  currency?: string;
  /** BCP 47 locale; default en-US. */
  locale?: string;
}

/** One condition's result, with its children for groups: the explanation shown on demand. */
export interface ConditionTrace {
  kind: Condition['kind'];
  /** What the condition asks, e.g. "CLV ≥ $1,000". */
  label: string;
  matched: boolean;
  /** What the customer has, e.g. "$420", "unknown", "2 of 3 match"; absent when yes/no says it all. */
  observed?: string;
  /** The whole line: "CLV ≥ $1,000 — no ($420)". */
  text: string;
  children?: ConditionTrace[];
}

/** A rule that matched, with its treatment rendered for the customer and why it matched. */
export interface RuleOutcome {
  ruleId: string;
  name: string;
  reason?: string;
  treatment: RenderedTreatment;
  explanation: ConditionTrace;
}

/** The engine's answer for one customer. */
export interface Recommendation {
  /** The first enabled rule that matches, if any. */
  rule?: RuleOutcome;
  /** Later enabled rules that also match, in the order they were tried. */
  otherMatches: RuleOutcome[];
}

/** Names of metrics in explanations and editors. */
export const METRIC_LABELS: Record<MetricId, string> = {
  clv: horizonValueShort(),
  lifetimeValue: VALUE_WORDS.lifetimeValue,
  next12Months: VALUE_WORDS.next12Months,
  pAlive: 'P(alive)',
  expectedTransactions: 'Expected transactions',
  recencyDays: 'Days since last purchase',
  frequency: 'Frequency',
  totalSpent: 'Total spent',
};

/** Operators as people write them. */
export const OP_SYMBOLS: Record<MetricOp, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '=': '=', '!=': '≠' };

/** Names of customer fields. */
export const FIELD_LABELS: Record<FieldId, string> = { name: 'Name', email: 'Email', company: 'Company', domain: 'Domain' };

/** Flags in words, as they follow "Customer is". */
export const FLAG_PHRASES: Record<RuleFlag, string> = { 'at-risk': 'at risk', new: 'new', 'one-time': 'a one-time buyer' };

type MetricKind = 'money' | 'probability' | 'count' | 'days';

const METRIC_KINDS: Record<MetricId, MetricKind> = {
  clv: 'money',
  lifetimeValue: 'money',
  next12Months: 'money',
  totalSpent: 'money',
  pAlive: 'probability',
  expectedTransactions: 'count',
  frequency: 'count',
  recencyDays: 'days',
};

const UNKNOWN = 'unknown';
const MAX_OBSERVED = 60;

/** Evaluates the rules for one customer: the recommendation and the other matches, with explanations. */
export function evaluateRules(rules: readonly Rule[], subject: RuleSubject, options: EvaluateOptions = {}): Recommendation {
  const format = numberFormats(options);
  const recommendation: Recommendation = { otherMatches: [] };
  for (const rule of rulesInOrder(rules)) {
    // Decide first (cheap, short-circuiting); explain in full only the rules that match.
    if (!conditionMatches(rule.conditions, subject)) continue;
    const explanation = traceCondition(rule.conditions, subject, format);
    const outcome: RuleOutcome = {
      ruleId: rule.id,
      name: rule.name,
      treatment: renderTreatment(rule.treatment, subject),
      explanation,
    };
    if (rule.reason !== undefined) outcome.reason = rule.reason;
    if (recommendation.rule === undefined) recommendation.rule = outcome;
    else recommendation.otherMatches.push(outcome);
  }
  return recommendation;
}

/** The enabled rules in the order they are tried: by `order`, then by position. */
export function rulesInOrder<R extends Pick<Rule, 'enabled' | 'order'>>(rules: readonly R[]): R[] {
  return rules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => rule.enabled)
    .sort((a, b) => a.rule.order - b.rule.order || a.index - b.index)
    .map(({ rule }) => rule);
}

/** Whether one rule's conditions match (its enabled flag aside). */
export function ruleMatches(rule: Pick<Rule, 'conditions'>, subject: RuleSubject): boolean {
  return conditionMatches(rule.conditions, subject);
}

/** The explanation of one condition for this customer (groups evaluate every child). */
export function explainCondition(condition: Condition, subject: RuleSubject, options: EvaluateOptions = {}): ConditionTrace {
  return traceCondition(condition, subject, numberFormats(options));
}

/** A trace as lines for the sidebar, two spaces of indent per level. */
export function explainLines(trace: ConditionTrace): string[] {
  return flattenTrace(trace).map(({ depth, text }) => `${'  '.repeat(depth)}${text}`);
}

/** A trace as a flat list in reading order, with each line's depth (0 = the rule's own group). */
export function flattenTrace(trace: ConditionTrace): { depth: number; text: string; matched: boolean }[] {
  const lines: { depth: number; text: string; matched: boolean }[] = [];
  const visit = (t: ConditionTrace, depth: number) => {
    lines.push({ depth, text: t.text, matched: t.matched });
    for (const child of t.children ?? []) visit(child, depth + 1);
  };
  visit(trace, 0);
  return lines;
}

// ---------------------------------------------------------------------------------------------

/** Whether a condition matches: the decision, short-circuiting groups. The trace uses the same leaf tests. */
function conditionMatches(condition: Condition, subject: RuleSubject): boolean {
  switch (condition.kind) {
    case 'all':
      return condition.conditions.every((c) => conditionMatches(c, subject));
    case 'any':
      return condition.conditions.some((c) => conditionMatches(c, subject));
    case 'not':
      return !conditionMatches(condition.condition, subject);
    default:
      return leafMatches(condition, subject);
  }
}

/** Whether one leaf condition matches; unknown values never match. */
function leafMatches(condition: LeafCondition, subject: RuleSubject): boolean {
  switch (condition.kind) {
    case 'tier': {
      const tier = subject.tier?.trim().toLowerCase();
      return !!tier && condition.tiers.some((t) => t.trim().toLowerCase() === tier);
    }
    case 'flag':
      return (subject.flags ?? []).includes(condition.flag) === condition.present;
    case 'metric': {
      const actual = subject[condition.metric];
      return typeof actual === 'number' && Number.isFinite(actual) && compare(actual, condition.op, condition.value);
    }
    case 'site': {
      const host = subject.host?.trim().toLowerCase();
      const site = subject.site?.trim().toLowerCase().replace(/\.$/, '');
      return condition.hosts.some((entry) => hostMatches(entry, host, site));
    }
    case 'field': {
      const have = subject[condition.field]?.trim().toLowerCase();
      if (!have) return false;
      const want = condition.text.trim().toLowerCase();
      return condition.op === 'equals' ? have === want : have.includes(want);
    }
    default:
      return false;
  }
}

function traceCondition(condition: Condition, subject: RuleSubject, format: NumberFormats): ConditionTrace {
  switch (condition.kind) {
    case 'all':
    case 'any':
      return traceGroup(condition, subject, format);
    case 'not': {
      const child = traceCondition(condition.condition, subject, format);
      return line('not', 'Not this', !child.matched, undefined, [child]);
    }
    case 'tier': {
      const tier = subject.tier?.trim();
      return line('tier', `Tier is ${orList(condition.tiers)}`, leafMatches(condition, subject), tier ? shorten(tier) : UNKNOWN);
    }
    case 'flag': {
      const phrase = FLAG_PHRASES[condition.flag] ?? condition.flag;
      const label = condition.present ? `Customer is ${phrase}` : `Customer is not ${phrase}`;
      return line('flag', label, leafMatches(condition, subject));
    }
    case 'metric': {
      const kind = METRIC_KINDS[condition.metric] ?? 'count';
      const actual = subject[condition.metric];
      const known = typeof actual === 'number' && Number.isFinite(actual);
      const [threshold, observed] = known ? format.pair(kind, condition.value, actual) : [format.one(kind, condition.value), UNKNOWN];
      const label = `${METRIC_LABELS[condition.metric] ?? condition.metric} ${OP_SYMBOLS[condition.op] ?? condition.op} ${threshold}`;
      return line('metric', label, leafMatches(condition, subject), observed);
    }
    case 'site': {
      const seen = [subject.site?.trim(), subject.host?.trim()].filter((s): s is string => !!s);
      return line('site', `Site is ${orList(condition.hosts)}`, leafMatches(condition, subject), seen.length > 0 ? shorten(seen.join(', ')) : UNKNOWN);
    }
    case 'field': {
      const name = FIELD_LABELS[condition.field] ?? condition.field;
      const label = `${name} ${condition.op === 'equals' ? 'is' : 'contains'} "${shorten(condition.text)}"`;
      const value = subject[condition.field]?.trim();
      return line('field', label, leafMatches(condition, subject), value ? shorten(value) : UNKNOWN);
    }
    default: {
      const kind = (condition as { kind?: unknown }).kind;
      return line('all', `Unknown condition (${String(kind)})`, false);
    }
  }
}

function traceGroup(group: GroupCondition, subject: RuleSubject, format: NumberFormats): ConditionTrace {
  const children = group.conditions.map((c) => traceCondition(c, subject, format));
  const count = children.filter((c) => c.matched).length;
  const n = children.length;
  if (group.kind === 'all') {
    if (n === 0) return line('all', 'All of these (none set: matches everyone)', true, undefined, children);
    return line('all', 'All of these', count === n, `${count} of ${n} match`, children);
  }
  if (n === 0) return line('any', 'Any of these (none set: matches no one)', false, undefined, children);
  return line('any', 'Any of these', count > 0, `${count} of ${n} match`, children);
}

function line(
  kind: Condition['kind'],
  label: string,
  matched: boolean,
  observed?: string,
  children?: ConditionTrace[],
): ConditionTrace {
  const trace: ConditionTrace = {
    kind,
    label,
    matched,
    text: `${label} — ${matched ? 'yes' : 'no'}${observed !== undefined ? ` (${observed})` : ''}`,
  };
  if (observed !== undefined) trace.observed = observed;
  if (children !== undefined) trace.children = children;
  return trace;
}

function compare(actual: number, op: MetricOp, value: number): boolean {
  switch (op) {
    case '<':
      return actual < value;
    case '<=':
      return actual <= value;
    case '>':
      return actual > value;
    case '>=':
      return actual >= value;
    case '=':
      return actual === value;
    case '!=':
      return actual !== value;
    default:
      return false;
  }
}

/** A site entry matches the adapter id exactly, or the page's hostname exactly or as a parent domain. */
function hostMatches(entry: string, host: string | undefined, site: string | undefined): boolean {
  const e = entry.trim().toLowerCase().replace(/\.$/, '');
  if (!e) return false;
  if (host !== undefined && host === e) return true;
  return site !== undefined && (site === e || site.endsWith(`.${e}`));
}

/** "A", "A or B", "A, B or C". */
function orList(items: readonly string[]): string {
  const shown = items.map((s) => shorten(s.trim()));
  if (shown.length <= 1) return shown[0] ?? '';
  return `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

function shorten(text: string): string {
  return text.length > MAX_OBSERVED ? `${text.slice(0, MAX_OBSERVED - 1)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// Numbers in explanations

interface NumberFormats {
  /** One number, e.g. a threshold. */
  one(kind: MetricKind, value: number): string;
  /** A threshold and the customer's number; more digits when both would read the same but differ. */
  pair(kind: MetricKind, threshold: number, actual: number): [string, string];
}

const formatCache = new Map<string, NumberFormats>();

function numberFormats(options: EvaluateOptions): NumberFormats {
  const currency = options.currency ?? 'USD';
  const locale = options.locale ?? 'en-US';
  const key = `${locale}|${currency}`;
  const cached = formatCache.get(key);
  if (cached) return cached;

  const display = { currency, locale };
  const money = (v: number, fine: boolean) => moneyText(v, display, fine);
  const plain = (v: number, digits: number) => numberText(v, digits, display);

  /** `threshold`: as the manager wrote it; `observed`: rounded for reading; `fine`: more digits. */
  const text = (kind: MetricKind, value: number, role: 'threshold' | 'observed' | 'fine'): string => {
    const fine = role === 'fine';
    switch (kind) {
      case 'money':
        return money(value, fine);
      case 'probability': {
        const percent = value * 100;
        if (role === 'observed' && percent > 0 && percent < 1) return '<1%';
        if (role === 'observed' && percent > 99 && percent < 100) return '>99%';
        return `${plain(percent, role === 'observed' ? 0 : fine ? 3 : 2)}%`;
      }
      case 'days':
        return plain(value, role === 'observed' ? 0 : fine ? 3 : 2);
      default:
        return plain(value, fine ? 4 : 2);
    }
  };

  const formats: NumberFormats = {
    one: (kind, value) => text(kind, value, 'threshold'),
    pair: (kind, threshold, actual) => {
      const a = text(kind, threshold, 'threshold');
      const b = text(kind, actual, 'observed');
      if (a === b && threshold !== actual) return [text(kind, threshold, 'fine'), text(kind, actual, 'fine')];
      return [a, b];
    },
  };
  formatCache.set(key, formats);
  return formats;
}
