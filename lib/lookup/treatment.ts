/**
 * The recommended treatment of a customer view: the treatment rules (lib/rules) evaluated for the
 * customer on the page, turned into what the sidebar shows (bounded, plain text; links already
 * rendered and checked to be http(s) or mailto by lib/rules/template.ts).
 */
import { evaluateRules, flattenTrace, type RuleOutcome } from '../rules/engine';
import type { Rule } from '../rules/schema';
import type { RuleSubject } from '../rules/subject';
import { responseTargetText } from '../rules/template';
import type { TreatmentView } from '../messages/schema';

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function toTreatmentView(outcome: RuleOutcome, others: readonly RuleOutcome[]): TreatmentView {
  const t = outcome.treatment;
  return {
    title: clip(t.title, 80),
    guidance: clip(t.guidance, 400),
    ruleId: clip(outcome.ruleId, 64),
    ruleName: clip(outcome.name, 120),
    reason: outcome.reason === undefined ? undefined : clip(outcome.reason, 300),
    priority: t.priority,
    responseTarget: t.responseTarget && clip(responseTargetText(t.responseTarget), 60),
    color: t.color,
    links: t.actions.links.slice(0, 10).map((l) => ({ label: clip(l.label, 80), href: l.href.slice(0, 2100) })).filter((l) => l.href.length < 2100),
    snippets: t.actions.snippets.slice(0, 10).map((s) => ({ label: clip(s.label, 80), text: clip(s.text, 2100) })),
    tags: t.actions.tags.slice(0, 20).map((tag) => clip(tag, 60)),
    why: flattenTrace(outcome.explanation)
      .slice(0, 120)
      .map((line) => ({ depth: line.depth, text: clip(line.text, 400), matched: line.matched })),
    otherMatches: others.slice(0, 200).map((o) => ({ name: clip(o.name, 120), title: clip(o.treatment.title, 80) })),
  };
}

/** The treatment the rules recommend for this subject, or undefined when no enabled rule matches. */
export function recommendTreatment(rules: readonly Rule[], subject: RuleSubject): TreatmentView | undefined {
  const recommendation = evaluateRules(rules, subject);
  return recommendation.rule && toTreatmentView(recommendation.rule, recommendation.otherMatches);
}
