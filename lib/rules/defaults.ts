/**
 * The default treatment rules, grounded in customer centricity (Fader): customers are not equal, the
 * few most valuable carry most of the value, a valuable customer at risk is worth a personal save, new
 * customers deserve a good start, and low-value customers are served well but efficiently.
 *
 * Built from the CURRENT tier names (best first), so renamed tiers still work: "top" is the first
 * tier, "second" the next one, "lowest" the last. A manager's "Restore defaults" calls defaultRules
 * with the tier names in use. Rule ids are the same whatever the names.
 *
 * With only two tiers, the second tier is also the lowest: the loyalty rule is left out and the
 * lowest-tier rule applies. With one tier name, only the top-tier and new-customer rules remain (and
 * the at-risk rule for that tier); with none, only the new-customer rule.
 */
import { DEFAULT_TIER_CONFIG } from '../tiers/config';
import type { Rule } from './schema';
import { RuleSchema } from './schema';

/** Ids of the default rules, in order. */
export const DEFAULT_RULE_IDS = ['high-value-at-risk', 'top-tier', 'second-tier', 'new-customer', 'lowest-tier', 'standard-service'] as const;

/** At most `max` characters, with an ellipsis when cut. */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "A", "A or B". */
function either(names: readonly string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : (names[0] ?? '');
}

/** The default rules for these tier names (best first): the five of the issue and a catch-all. */
export function defaultRules(tierNames: readonly string[]): Rule[] {
  const names = tierNames.map((n) => n.replace(/\s+/g, ' ').trim().slice(0, 40)).filter((n, i, all) => n !== '' && all.indexOf(n) === i);
  const top = names[0];
  const second = names.length >= 3 ? names[1] : undefined;
  const lowest = names.length >= 2 ? names[names.length - 1] : undefined;
  const highValue = [top, second].filter((n): n is string => n !== undefined);

  const rules: unknown[] = [];

  if (highValue.length > 0) {
    rules.push({
      id: 'high-value-at-risk',
      name: clip(`${either(highValue)} at risk: personal save`, 80),
      enabled: true,
      order: 10,
      reason: 'A valuable customer who stops buying takes a large share of future value with them, so a personal save is worth the effort.',
      conditions: {
        kind: 'all',
        conditions: [
          { kind: 'tier', tiers: highValue },
          { kind: 'flag', flag: 'at-risk', present: true },
        ],
      },
      treatment: {
        title: 'Personal save',
        guidance: 'A valuable customer who may be slipping away: reply personally today, fix the root cause, and follow up yourself.',
        priority: 'urgent',
        responseTarget: { amount: 1, unit: 'hours' },
        actions: {
          links: [{ label: 'Email them personally', url: 'mailto:{{email}}?subject=Following%20up%20personally' }],
          snippets: [
            {
              label: 'Personal follow-up',
              text: 'Hi {{firstName}}, I am looking after this for you personally. I want to make sure we put it right, and I will follow up myself once it is done.',
            },
          ],
          tags: ['vip', 'save-attempt'],
        },
        color: '#b91c1c',
      },
    });
  }

  if (top !== undefined) {
    rules.push({
      id: 'top-tier',
      name: clip(`${top}: white-glove service`, 80),
      enabled: true,
      order: 20,
      reason: `Customers are not equal: the few in ${top} carry a large share of the value, so they get the best service.`,
      conditions: { kind: 'all', conditions: [{ kind: 'tier', tiers: [top] }] },
      treatment: {
        title: 'White-glove service',
        guidance: 'Top customer: answer first, go the extra mile, and escalate to a senior colleague without hesitation.',
        priority: 'high',
        responseTarget: { amount: 2, unit: 'hours' },
        actions: {
          links: [{ label: 'Email them', url: 'mailto:{{email}}' }],
          snippets: [
            {
              label: 'Thank and reassure',
              text: 'Hi {{firstName}}, thank you for being such a valued customer. I am taking care of this myself and will keep you updated until it is resolved.',
            },
          ],
          tags: ['vip'],
        },
        color: '#6d28d9',
      },
    });
  }

  if (second !== undefined) {
    rules.push({
      id: 'second-tier',
      name: clip(`${second}: loyalty and upsell`, 80),
      enabled: true,
      order: 30,
      reason: `${second} customers are valuable and can grow: reward their loyalty and help them find what they need next.`,
      conditions: { kind: 'all', conditions: [{ kind: 'tier', tiers: [second] }] },
      treatment: {
        title: 'Loyalty and upsell',
        guidance: 'High value: thank them for their loyalty and suggest what would serve them next.',
        priority: 'normal',
        responseTarget: { amount: 8, unit: 'hours' },
        actions: {
          links: [],
          snippets: [
            {
              label: 'Thank for loyalty',
              text: 'Hi {{firstName}}, thank you for your loyalty. Once this is sorted, I would be glad to show you what could help you next.',
            },
          ],
          tags: ['loyal', 'upsell-opportunity'],
        },
        color: '#b45309',
      },
    });
  }

  rules.push({
    id: 'new-customer',
    name: 'New customer: onboarding',
    enabled: true,
    order: 40,
    reason: 'Acquiring a customer only pays off if they come back: a good first experience turns a first purchase into a relationship.',
    conditions: { kind: 'all', conditions: [{ kind: 'flag', flag: 'new', present: true }] },
    treatment: {
      title: 'Onboarding',
      guidance: 'New customer: welcome them, make sure the first experience works, and point them to what helps them get started.',
      priority: 'normal',
      responseTarget: { amount: 8, unit: 'hours' },
      actions: {
        links: [],
        snippets: [
          {
            label: 'Welcome',
            text: 'Hi {{firstName}}, welcome, and thank you for your first order! Here is how to get the most out of it. If anything is unclear, just reply to this message.',
          },
        ],
        tags: ['new-customer', 'onboarding'],
      },
      color: '#0f766e',
    },
  });

  if (lowest !== undefined) {
    rules.push({
      id: 'lowest-tier',
      name: clip(`${lowest}: self-service first`, 80),
      enabled: true,
      order: 50,
      reason: 'Serve every customer well, but keep the cost to serve in line with the value: self-service first and no discretionary discounts.',
      conditions: { kind: 'all', conditions: [{ kind: 'tier', tiers: [lowest] }] },
      treatment: {
        title: 'Self-service first',
        guidance: 'Point to self-service answers first; no discretionary discounts or credits.',
        priority: 'low',
        responseTarget: { amount: 2, unit: 'days' },
        actions: {
          links: [],
          snippets: [
            {
              label: 'Point to self-service',
              text: 'Hi {{firstName}}, thanks for getting in touch. The quickest way to solve this is our help article: [link]. If it does not help, reply and we will take it from there.',
            },
          ],
          tags: ['self-service'],
        },
        color: '#475569',
      },
    });
  }

  // Everyone no rule above speaks for (e.g. the middle tiers, or customers not scored yet) still gets
  // a recommendation: solve the issue well and efficiently.
  rules.push({
    id: 'standard-service',
    name: 'Everyone else: standard service',
    enabled: true,
    order: 100,
    reason: 'Customers in between deserve good, efficient service; what helps them buy again is worth a mention.',
    conditions: { kind: 'all', conditions: [] },
    treatment: {
      title: 'Standard service',
      guidance: 'Solve the issue well and efficiently; mention what could help them buy again.',
      priority: 'normal',
      responseTarget: { amount: 1, unit: 'days' },
      actions: {
        links: [],
        snippets: [{ label: 'Thank and solve', text: 'Hi {{firstName}}, thanks for getting in touch. Here is what we will do: [next step].' }],
        tags: [],
      },
      color: '#334155',
    },
  });

  return rules.map((rule) => RuleSchema.parse(rule));
}

/** The default rules for the default tier names. */
export const DEFAULT_RULES: readonly Rule[] = defaultRules(DEFAULT_TIER_CONFIG.tiers.map((t) => t.name));
