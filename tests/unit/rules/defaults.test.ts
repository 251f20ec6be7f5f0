import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, DEFAULT_RULE_IDS, RuleSchema, defaultRules, evaluateRules } from '../../../lib/rules';
import { DEFAULT_TIER_CONFIG, contrastRatio, readableForeground } from '../../../lib/tiers/config';
import { subject } from './helpers';

const NAMES = ['Platinum', 'Gold', 'Silver', 'Lead'];

function recommend(fields: Parameters<typeof subject>[0], rules = defaultRules(NAMES)) {
  const rec = evaluateRules(rules, subject(fields));
  return { id: rec.rule?.ruleId, title: rec.rule?.treatment.title, others: rec.otherMatches.map((m) => m.ruleId) };
}

describe('default rules', () => {
  it('five rules of the issue and a catch-all, valid, in order, each with a one-line reason', () => {
    const rules = defaultRules(NAMES);
    expect(rules.map((r) => r.id)).toEqual([...DEFAULT_RULE_IDS]);
    expect(rules.map((r) => r.order)).toEqual([10, 20, 30, 40, 50, 100]);
    for (const rule of rules) {
      expect(RuleSchema.parse(rule)).toEqual(rule);
      expect(rule.enabled).toBe(true);
      expect(rule.reason).toMatch(/^[^\n]{20,200}$/);
    }
  });

  it('a Platinum customer at risk gets the personal save, with white-glove listed as another match', () => {
    expect(recommend({ tier: 'Platinum', flags: ['at-risk'] })).toEqual({
      id: 'high-value-at-risk',
      title: 'Personal save',
      others: ['top-tier', 'standard-service'],
    });
  });

  it('a Gold customer at risk gets the personal save, with loyalty listed', () => {
    expect(recommend({ tier: 'Gold', flags: ['at-risk'] })).toEqual({ id: 'high-value-at-risk', title: 'Personal save', others: ['second-tier', 'standard-service'] });
  });

  it('Platinum: white-glove service', () => {
    expect(recommend({ tier: 'Platinum' })).toEqual({ id: 'top-tier', title: 'White-glove service', others: ['standard-service'] });
  });

  it('Gold: loyalty and upsell (a new Gold customer also lists onboarding)', () => {
    expect(recommend({ tier: 'Gold' })).toEqual({ id: 'second-tier', title: 'Loyalty and upsell', others: ['standard-service'] });
    expect(recommend({ tier: 'Gold', flags: ['new'] })).toEqual({ id: 'second-tier', title: 'Loyalty and upsell', others: ['new-customer', 'standard-service'] });
  });

  it('a new Silver customer: onboarding', () => {
    expect(recommend({ tier: 'Silver', flags: ['new'] })).toEqual({ id: 'new-customer', title: 'Onboarding', others: ['standard-service'] });
  });

  it('Lead: self-service first (a Lead at risk is not a personal save); a new Lead lists self-service too', () => {
    expect(recommend({ tier: 'Lead', flags: ['at-risk'] })).toEqual({ id: 'lowest-tier', title: 'Self-service first', others: ['standard-service'] });
    expect(recommend({ tier: 'Lead', flags: ['new'] })).toEqual({ id: 'new-customer', title: 'Onboarding', others: ['lowest-tier', 'standard-service'] });
  });

  it('a Silver customer without flags, or a customer not scored yet, gets standard service', () => {
    expect(recommend({ tier: 'Silver' })).toEqual({ id: 'standard-service', title: 'Standard service', others: [] });
    expect(recommend({}).id).toBe('standard-service');
  });

  it('the Lead treatment says no discretionary discounts', () => {
    const lead = defaultRules(NAMES).find((r) => r.id === 'lowest-tier');
    expect(lead?.treatment.guidance).toMatch(/no discretionary discounts/);
  });

  it('renamed tiers still work, and the rule ids stay the same', () => {
    const renamed = defaultRules(['Diamond', 'Ruby', 'Pearl', 'Stone', 'Sand']);
    expect(renamed.map((r) => r.id)).toEqual([...DEFAULT_RULE_IDS]);
    expect(renamed.map((r) => r.name)).toEqual([
      'Diamond or Ruby at risk: personal save',
      'Diamond: white-glove service',
      'Ruby: loyalty and upsell',
      'New customer: onboarding',
      'Sand: self-service first',
      'Everyone else: standard service',
    ]);
    expect(recommend({ tier: 'diamond', flags: ['at-risk'] }, renamed).id).toBe('high-value-at-risk');
    expect(recommend({ tier: 'Ruby' }, renamed).id).toBe('second-tier');
    expect(recommend({ tier: 'Sand' }, renamed).id).toBe('lowest-tier');
    expect(recommend({ tier: 'Stone' }, renamed).id).toBe('standard-service');
    expect(recommend({ tier: 'Platinum' }, renamed).id).toBe('standard-service');
  });

  it('two tiers: the second is the lowest, so the loyalty rule is left out', () => {
    const two = defaultRules(['Top', 'Rest']);
    expect(two.map((r) => r.id)).toEqual(['high-value-at-risk', 'top-tier', 'new-customer', 'lowest-tier', 'standard-service']);
    expect(recommend({ tier: 'Rest', flags: ['at-risk'] }, two).id).toBe('lowest-tier');
    expect(recommend({ tier: 'Top', flags: ['at-risk'] }, two).id).toBe('high-value-at-risk');
  });

  it('never throws on odd tier names', () => {
    expect(defaultRules([]).map((r) => r.id)).toEqual(['new-customer', 'standard-service']);
    expect(defaultRules(['Only']).map((r) => r.id)).toEqual(['high-value-at-risk', 'top-tier', 'new-customer', 'standard-service']);
    const long = defaultRules(['A'.repeat(40), 'B'.repeat(40), 'C', 'D']);
    expect(long.every((r) => r.name.length <= 80)).toBe(true);
    expect(defaultRules(['Gold', 'Gold', ' ', 'Lead']).map((r) => r.id)).toEqual(['high-value-at-risk', 'top-tier', 'new-customer', 'lowest-tier', 'standard-service']);
  });

  it('DEFAULT_RULES are built from the default tier names', () => {
    expect(DEFAULT_RULES).toEqual(defaultRules(DEFAULT_TIER_CONFIG.tiers.map((t) => t.name)));
    expect(DEFAULT_RULES[1]?.conditions).toEqual({ kind: 'all', conditions: [{ kind: 'tier', tiers: ['Platinum'] }] });
  });

  it('distinct colours, each readable with dark or white text (WCAG AA)', () => {
    const colors = defaultRules(NAMES).map((r) => r.treatment.color);
    expect(new Set(colors).size).toBe(colors.length);
    for (const color of colors) expect(contrastRatio(readableForeground(color), color)).toBeGreaterThanOrEqual(4.5);
  });

  it('priorities and response targets go from urgent to low', () => {
    const rules = defaultRules(NAMES);
    expect(rules.map((r) => r.treatment.priority)).toEqual(['urgent', 'high', 'normal', 'normal', 'low', 'normal']);
    expect(rules.every((r) => r.treatment.responseTarget !== undefined && r.treatment.actions.snippets.length > 0)).toBe(true);
    expect(rules[0]?.treatment.actions.tags).toEqual(['vip', 'save-attempt']);
  });

  it('a fresh copy every call (restoring the defaults cannot be affected by earlier edits)', () => {
    const a = defaultRules(NAMES);
    a[0]!.name = 'edited';
    expect(defaultRules(NAMES)[0]?.name).not.toBe('edited');
  });
});
