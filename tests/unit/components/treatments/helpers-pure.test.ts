import { describe, expect, it } from 'vitest';
import { conditionToDraft, draftToInput, newRuleDraft, percentText, ruleToDraft } from '~/lib/pages/treatments-draft';
import { describePath } from '~/lib/pages/treatments-issues';
import { duplicateRule, inEffectOrder, placeAt, renumber, slugify, uniqueId } from '~/lib/pages/treatments-order';
import { DEFAULT_RULES } from '~/lib/rules/defaults';
import { RuleSchema, type Rule } from '~/lib/rules/schema';

const rule = (id: string, order: number, enabled = true): Rule =>
  RuleSchema.parse({ id, name: `Rule ${id}`, order, enabled, conditions: { kind: 'all', conditions: [] }, treatment: { title: 'T', color: '#334155' } });

describe('the rule list operations', () => {
  it('keeps disabled rules in their place and ties in list order', () => {
    const rules = [rule('c', 20), rule('a', 10, false), rule('b', 20), rule('d', 5)];
    expect(inEffectOrder(rules).map((r) => r.id)).toEqual(['d', 'a', 'c', 'b']);
    expect(renumber(inEffectOrder(rules)).map((r) => r.order)).toEqual([10, 20, 30, 40]);
  });

  it('puts a rule back without renumbering when its order still fits, else renumbers', () => {
    const rules = [rule('a', 10), rule('c', 30)];
    expect(placeAt(rules, rule('b', 20), 1).map((r) => [r.id, r.order])).toEqual([['a', 10], ['b', 20], ['c', 30]]);
    expect(placeAt(rules, rule('b', 50), 1).map((r) => [r.id, r.order])).toEqual([['a', 10], ['b', 20], ['c', 30]]);
    expect(placeAt(rules, rule('z', 5), 9).map((r) => r.id)).toEqual(['a', 'c', 'z']);
  });

  it('makes valid, unique ids of at most 64 characters', () => {
    expect(slugify('VIP at risk — Ünïcode!')).toBe('vip-at-risk-unicode');
    expect(slugify('!!!')).toBe('rule');
    const long = 'x'.repeat(70);
    const taken = [{ id: 'x'.repeat(64) }, { id: `${'x'.repeat(62)}-2` }];
    const id = uniqueId(long, taken);
    expect(id).toBe(`${'x'.repeat(62)}-3`);
    expect(RuleSchema.safeParse({ ...rule('a', 1), id }).success).toBe(true);
  });

  it('duplicates with a name that stays within 80 characters', () => {
    const long = { ...rule('a', 10), name: 'N'.repeat(80) };
    const result = duplicateRule([long, rule('b', 20)], 0)!;
    expect(result.copy.name).toBe(`${'N'.repeat(73)} (copy)`);
    expect(RuleSchema.safeParse(result.copy).success).toBe(true);
    expect(result.rules.map((r) => r.id)).toEqual(['a', 'a-copy', 'b']);
  });
});

describe('the editor draft', () => {
  it('turns every default rule into a draft and back unchanged', () => {
    for (const r of DEFAULT_RULES) expect(RuleSchema.parse(draftToInput(ruleToDraft(r)))).toEqual(r);
  });

  it('shows P(alive) in percent without float noise, and stores it as a fraction', () => {
    expect(percentText(0.07)).toBe('7');
    expect(percentText(0.125)).toBe('12.5');
    const draft = conditionToDraft({ kind: 'metric', metric: 'pAlive', op: '<', value: 0.29 });
    expect(draft).toMatchObject({ value: '29' });
    const d = newRuleDraft(10);
    d.conditions.conditions.push(draft);
    expect((draftToInput(d).conditions.conditions[0] as { value: number }).value).toBe(0.29);
  });

  it('names issue paths in words', () => {
    expect(describePath('conditions.conditions[1].conditions[0].value')).toBe('Condition 2.1, value');
    expect(describePath('conditions.conditions[0].condition.tiers')).toBe('Condition 1 (not), tiers');
    expect(describePath('conditions.conditions[2].hosts[1]')).toBe('Condition 3, hosts 2');
    expect(describePath('treatment.actions.links[0].url')).toBe('Link 1 URL');
    expect(describePath('treatment.actions.tags[3]')).toBe('Tag 4');
    expect(describePath('treatment.color')).toBe('Colour');
  });
});
