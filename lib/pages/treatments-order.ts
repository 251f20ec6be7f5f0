/**
 * The rule list's operations, pure: the list is kept in effect order (by `order`, then position, as the
 * engine tries them; disabled rules keep their place), so a rule's index is its position on screen.
 */
import type { Rule } from '~/lib/rules/schema';

/** Step between orders when the list is renumbered: 10, 20, 30 … */
export const ORDER_STEP = 10;
const MAX_ORDER = 1_000_000;
const MAX_ID = 64;
const MAX_NAME = 80;

/** The rules in the order the engine tries them (disabled ones in their place too). */
export function inEffectOrder(rules: readonly Rule[]): Rule[] {
  return rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => a.rule.order - b.rule.order || a.index - b.index)
    .map(({ rule }) => rule);
}

/** The same rules with orders 10, 20, 30 … in their list order. */
export function renumber(rules: readonly Rule[]): Rule[] {
  return rules.map((rule, i) => (rule.order === (i + 1) * ORDER_STEP ? rule : { ...rule, order: (i + 1) * ORDER_STEP }));
}

/** Moves the rule at `from` to position `to`, renumbering. */
export function moveRule(rules: readonly Rule[], from: number, to: number): Rule[] {
  if (from === to || from < 0 || from >= rules.length || to < 0 || to >= rules.length) return [...rules];
  const next = [...rules];
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved as Rule);
  return renumber(next);
}

/**
 * Puts `rule` at `index`: its own order is kept when it still sorts there (so a restored or copied rule
 * does not disturb the others' numbers), else the list is renumbered.
 */
export function placeAt(rules: readonly Rule[], rule: Rule, index: number): Rule[] {
  const at = Math.max(0, Math.min(index, rules.length));
  const next = [...rules];
  next.splice(at, 0, rule);
  const before = next[at - 1];
  const after = next[at + 1];
  const fits = (before === undefined || before.order <= rule.order) && (after === undefined || rule.order <= after.order);
  return fits ? next : renumber(next);
}

/** The order for a rule added at the end. */
export function orderAfterLast(rules: readonly Rule[]): number {
  const last = rules[rules.length - 1];
  if (!last) return ORDER_STEP;
  return Math.min(MAX_ORDER, last.order + ORDER_STEP);
}

/** A rule added at the end: renumbers when the orders ran out. */
export function appendRule(rules: readonly Rule[], rule: Rule): Rule[] {
  const next = [...rules, rule];
  const last = rules[rules.length - 1];
  return last && last.order >= rule.order ? renumber(next) : next;
}

/** Text as a rule id: "VIP at risk!" -> "vip-at-risk" ("rule" when nothing is left). */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_ID)
    .replace(/-+$/, '');
  return slug || 'rule';
}

/** An id made from `base` that no rule in `rules` uses: "vip", "vip-2", "vip-3" … */
export function uniqueId(base: string, rules: readonly Pick<Rule, 'id'>[]): string {
  const taken = new Set(rules.map((r) => r.id));
  const slug = slugify(base);
  if (!taken.has(slug)) return slug;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const id = `${slug.slice(0, MAX_ID - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.has(id)) return id;
  }
}

/** A copy of the rule at `index`, placed right after it: new id, name "… (copy)". */
export function duplicateRule(rules: readonly Rule[], index: number): { rules: Rule[]; copy: Rule } | undefined {
  const original = rules[index];
  if (!original) return undefined;
  const suffix = ' (copy)';
  const name = `${original.name.slice(0, MAX_NAME - suffix.length).trimEnd()}${suffix}`;
  const copy: Rule = structuredClone({ ...original, id: uniqueId(`${original.id}-copy`, rules), name });
  return { rules: placeAt(rules, copy, index + 1), copy };
}
