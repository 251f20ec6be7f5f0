/**
 * The editor's validation: ruleIssues (lib/rules/transfer) on the draft, indexed by path so each field
 * shows the messages that belong to it, and each path named in words for the summary by Save.
 */
import type { Rule } from '~/lib/rules/schema';
import { RuleSchema } from '~/lib/rules/schema';
import { ruleIssues, type RuleIssue } from '~/lib/rules/transfer';
import { draftToInput, type DraftCondition, type RuleDraft } from './treatments-draft';


export interface Validation {
  issues: RuleIssue[];
  /** The rule, when the draft is valid. */
  rule?: Rule;
}

/** Checks the draft; the P(alive) message speaks in percent, as the form does. */
export function validateDraft(draft: RuleDraft): Validation {
  const input = draftToInput(draft);
  const issues = ruleIssues(input).map((issue) => ({ ...issue, message: inPercent(issue, draft) }));
  if (issues.length > 0) return { issues };
  return { issues, rule: RuleSchema.parse(input) };
}

function inPercent(issue: RuleIssue, draft: RuleDraft): string {
  if (!issue.message.startsWith('P(alive) is a probability')) return issue.message;
  const condition = conditionAt(draft, issue.path.replace(/\.value$/, ''));
  return condition?.kind === 'metric' && condition.metric === 'pAlive' ? 'Enter P(alive) as a percent from 0 to 100.' : issue.message;
}


/** The condition of the draft at a path such as "conditions.conditions[1].condition". */
export function conditionAt(draft: RuleDraft, path: string): DraftCondition | undefined {
  if (!path.startsWith('conditions')) return undefined;
  let node: DraftCondition | undefined = draft.conditions;
  const steps = path.slice('conditions'.length).match(/\.conditions\[\d+\]|\.condition(?!\w)/g) ?? [];
  for (const step of steps) {
    if (!node) return undefined;
    if (step === '.condition') node = node.kind === 'not' ? node.condition : undefined;
    else node = node.kind === 'all' || node.kind === 'any' ? node.conditions[Number(/\d+/.exec(step)?.[0])] : undefined;
  }
  return node;
}

const FIELD_WORDS: Record<string, string> = {
  id: 'Id',
  name: 'Name',
  reason: 'Reason',
  enabled: 'On',
  order: 'Order',
  'treatment.title': 'Treatment title',
  'treatment.guidance': 'Guidance',
  'treatment.priority': 'Priority',
  'treatment.responseTarget.amount': 'Response target',
  'treatment.responseTarget.unit': 'Response target unit',
  'treatment.color': 'Colour',
  'treatment.actions.links': 'Links',
  'treatment.actions.snippets': 'Reply snippets',
  'treatment.actions.tags': 'Tags',
  conditions: 'Conditions',
};

/** A path in words: "conditions.conditions[1].conditions[0].value" -> "Condition 2.1, value". */
export function describePath(path: string): string {
  const direct = FIELD_WORDS[path];
  if (direct) return direct;
  let m = /^treatment\.actions\.(links|snippets)\[(\d+)\](?:\.(\w+))?$/.exec(path);
  if (m) {
    const what = m[1] === 'links' ? 'Link' : 'Snippet';
    const field = m[3] === 'url' ? 'URL' : m[3] === 'text' ? 'text' : m[3] === 'label' ? 'label' : undefined;
    return `${what} ${Number(m[2]) + 1}${field ? ` ${field}` : ''}`;
  }
  m = /^treatment\.actions\.tags\[(\d+)\]$/.exec(path);
  if (m) return `Tag ${Number(m[1]) + 1}`;
  if (path.startsWith('conditions')) {
    const numbers: string[] = [];
    let rest = path.slice('conditions'.length);
    for (;;) {
      const step = /^\.conditions\[(\d+)\]|^\.condition(?!\w)/.exec(rest);
      if (!step) break;
      numbers.push(step[1] === undefined ? 'not' : String(Number(step[1]) + 1));
      rest = rest.slice(step[0].length);
    }
    const field = rest.replace(/^\./, '').replace(/\[(\d+)\]/g, (_, n: string) => ` ${Number(n) + 1}`);
    const where = numbers.length === 0 ? 'Conditions' : `Condition ${numbers.join('.').replace(/\.not/g, ' (not)')}`;
    return field && field !== 'conditions' ? `${where}, ${field}` : where;
  }
  return path || 'Rule';
}
