/**
 * The rule editor's working copy: a rule as the form holds it. Numbers, host lists and tags stay the
 * text the manager typed (so half-typed values survive), P(alive) is in percent, and every condition,
 * link and snippet has a `key` for stable list rendering. `draftToInput` turns it back into what
 * RuleSchema checks; the issue paths then match the draft's shape one to one.
 */
import type {
  Condition,
  FieldId,
  FieldOp,
  MetricId,
  MetricOp,
  Priority,
  Rule,
  RuleFlag,
  RuleInput,
  TimeUnit,
} from '~/lib/rules/schema';

export type DraftCondition =
  | { key: string; kind: 'tier'; tiers: string[] }
  | { key: string; kind: 'flag'; flag: RuleFlag; present: boolean }
  /** `value` as typed; for P(alive) in percent (50 = 0.5). */
  | { key: string; kind: 'metric'; metric: MetricId; op: MetricOp; value: string }
  /** Comma-separated adapter ids or hostnames, as typed. */
  | { key: string; kind: 'site'; hosts: string }
  | { key: string; kind: 'field'; field: FieldId; op: FieldOp; text: string }
  | DraftGroup
  | { key: string; kind: 'not'; condition: DraftCondition };

export interface DraftGroup {
  key: string;
  kind: 'all' | 'any';
  conditions: DraftCondition[];
}

export type DraftKind = DraftCondition['kind'];

export interface DraftLink {
  key: string;
  label: string;
  url: string;
}

export interface DraftSnippet {
  key: string;
  label: string;
  text: string;
}

export interface DraftTreatment {
  title: string;
  guidance: string;
  priority: Priority | '';
  /** Whole number as typed; empty = no response target. */
  targetAmount: string;
  targetUnit: TimeUnit;
  color: string;
  links: DraftLink[];
  snippets: DraftSnippet[];
  /** Comma-separated, as typed. */
  tags: string;
}

export interface RuleDraft {
  /** The rule's id; empty for a rule not saved yet (one is made from its name on saving). */
  id: string;
  name: string;
  reason: string;
  enabled: boolean;
  order: number;
  conditions: DraftGroup;
  treatment: DraftTreatment;
}

let counter = 0;
/** A key unique in this page, for list rendering. */
export function newKey(): string {
  return `k${++counter}`;
}

/** A fraction as the percent people type: 0.07 -> "7" (no 7.000000000000001). */
export function percentText(fraction: number): string {
  return String(Number((fraction * 100).toPrecision(12)));
}

/** A new condition of this kind, with sensible first values. */
export function newCondition(kind: DraftKind): DraftCondition {
  const key = newKey();
  switch (kind) {
    case 'tier':
      return { key, kind, tiers: [] };
    case 'flag':
      return { key, kind, flag: 'at-risk', present: true };
    case 'metric':
      return { key, kind, metric: 'clv', op: '>=', value: '' };
    case 'site':
      return { key, kind, hosts: '' };
    case 'field':
      return { key, kind, field: 'domain', op: 'contains', text: '' };
    case 'all':
    case 'any':
      return { key, kind, conditions: [] };
    case 'not':
      return { key, kind, condition: newCondition('tier') };
  }
}

export function conditionToDraft(condition: Condition): DraftCondition {
  const key = newKey();
  switch (condition.kind) {
    case 'tier':
      return { key, kind: 'tier', tiers: [...condition.tiers] };
    case 'flag':
      return { key, kind: 'flag', flag: condition.flag, present: condition.present };
    case 'metric':
      return {
        key,
        kind: 'metric',
        metric: condition.metric,
        op: condition.op,
        value: condition.metric === 'pAlive' ? percentText(condition.value) : String(condition.value),
      };
    case 'site':
      return { key, kind: 'site', hosts: condition.hosts.join(', ') };
    case 'field':
      return { key, kind: 'field', field: condition.field, op: condition.op, text: condition.text };
    case 'all':
    case 'any':
      return { key, kind: condition.kind, conditions: condition.conditions.map(conditionToDraft) };
    case 'not':
      return { key, kind: 'not', condition: conditionToDraft(condition.condition) };
  }
}

export function ruleToDraft(rule: Rule): RuleDraft {
  const t = rule.treatment;
  return {
    id: rule.id,
    name: rule.name,
    reason: rule.reason ?? '',
    enabled: rule.enabled,
    order: rule.order,
    conditions: { key: newKey(), kind: rule.conditions.kind, conditions: rule.conditions.conditions.map(conditionToDraft) },
    treatment: {
      title: t.title,
      guidance: t.guidance,
      priority: t.priority ?? '',
      targetAmount: t.responseTarget ? String(t.responseTarget.amount) : '',
      targetUnit: t.responseTarget?.unit ?? 'hours',
      color: t.color,
      links: t.actions.links.map((l) => ({ key: newKey(), label: l.label, url: l.url })),
      snippets: t.actions.snippets.map((s) => ({ key: newKey(), label: s.label, text: s.text })),
      tags: t.actions.tags.join(', '),
    },
  };
}

/** A blank rule: matches everyone until conditions are added; placed after the others. */
export function newRuleDraft(order: number): RuleDraft {
  return {
    id: '',
    name: '',
    reason: '',
    enabled: true,
    order,
    conditions: { key: newKey(), kind: 'all', conditions: [] },
    treatment: {
      title: '',
      guidance: '',
      priority: '',
      targetAmount: '',
      targetUnit: 'hours',
      color: '#475569',
      links: [],
      snippets: [],
      tags: '',
    },
  };
}

/** "a, b,, c " -> ["a", "b", "c"]. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A typed number: "" -> undefined (required), "abc" -> NaN (not a number). */
function typedNumber(text: string): number | undefined {
  const t = text.trim();
  return t === '' ? undefined : Number(t);
}

function conditionInput(condition: DraftCondition): unknown {
  switch (condition.kind) {
    case 'tier':
      return { kind: 'tier', tiers: condition.tiers };
    case 'flag':
      return { kind: 'flag', flag: condition.flag, present: condition.present };
    case 'metric': {
      const n = typedNumber(condition.value);
      const value = n !== undefined && condition.metric === 'pAlive' ? Number((n / 100).toPrecision(12)) : n;
      return { kind: 'metric', metric: condition.metric, op: condition.op, value };
    }
    case 'site':
      return { kind: 'site', hosts: splitList(condition.hosts) };
    case 'field':
      return { kind: 'field', field: condition.field, op: condition.op, text: condition.text };
    case 'all':
    case 'any':
      return { kind: condition.kind, conditions: condition.conditions.map(conditionInput) };
    case 'not':
      return { kind: 'not', condition: conditionInput(condition.condition) };
  }
}

/** The rule the draft describes, for RuleSchema (invalid values are passed on so they are reported). */
export function draftToInput(draft: RuleDraft, id = draft.id || 'new-rule'): RuleInput {
  const t = draft.treatment;
  const treatment: Record<string, unknown> = {
    title: t.title,
    guidance: t.guidance,
    color: t.color.trim(),
    actions: {
      links: t.links.map((l) => ({ label: l.label, url: l.url })),
      snippets: t.snippets.map((s) => ({ label: s.label, text: s.text })),
      tags: splitList(t.tags),
    },
  };
  if (t.priority !== '') treatment.priority = t.priority;
  if (t.targetAmount.trim() !== '') treatment.responseTarget = { amount: typedNumber(t.targetAmount), unit: t.targetUnit };
  const input: Record<string, unknown> = {
    id,
    name: draft.name,
    enabled: draft.enabled,
    order: draft.order,
    conditions: conditionInput(draft.conditions),
    treatment,
  };
  if (draft.reason.trim() !== '') input.reason = draft.reason;
  return input as unknown as RuleInput;
}

/** Nesting depth of a condition as the schema counts it (the rule's own group is level 1). */
export function depthOf(path: string): number {
  return (path.match(/\.conditions\[\d+\]|\.condition(?![s\w])/g) ?? []).length + 1;
}
