import { describe, expect, it } from 'vitest';
import {
  type ConditionInput,
  ConditionSchema,
  type MetricId,
  type MetricOp,
  evaluateRules,
  explainCondition,
  explainLines,
  flattenTrace,
  ruleMatches,
  rulesInOrder,
} from '../../../lib/rules';
import { makeRule, subject } from './helpers';

/** Whether a single condition matches the customer. */
function matches(condition: ConditionInput, fields: Parameters<typeof subject>[0] = {}): boolean {
  return explainCondition(ConditionSchema.parse(condition), subject(fields)).matched;
}

/** The explanation line of a single condition. */
function text(condition: ConditionInput, fields: Parameters<typeof subject>[0] = {}): string {
  return explainCondition(ConditionSchema.parse(condition), subject(fields)).text;
}

const gold: ConditionInput = { kind: 'tier', tiers: ['Gold'] };

describe('which rule is recommended', () => {
  it('the first enabled match by order wins, whatever the array position', () => {
    const rules = [makeRule('late', [gold], { order: 20 }), makeRule('early', [gold], { order: 10 })];
    const rec = evaluateRules(rules, subject({ tier: 'Gold' }));
    expect(rec.rule?.ruleId).toBe('early');
    expect(rec.otherMatches.map((m) => m.ruleId)).toEqual(['late']);
  });

  it('equal orders keep their position in the list', () => {
    const rules = [makeRule('b', [gold], { order: 5 }), makeRule('a', [gold], { order: 5 })];
    expect(evaluateRules(rules, subject({ tier: 'Gold' })).rule?.ruleId).toBe('b');
    expect(rulesInOrder(rules).map((r) => r.id)).toEqual(['b', 'a']);
  });

  it('a disabled rule never matches, not even as another match', () => {
    const rules = [makeRule('off', [], { order: 1, enabled: false }), makeRule('on', [gold], { order: 2 })];
    const rec = evaluateRules(rules, subject({ tier: 'Gold' }));
    expect(rec.rule?.ruleId).toBe('on');
    expect(rec.otherMatches).toEqual([]);
    expect(rulesInOrder(rules).map((r) => r.id)).toEqual(['on']);
  });

  it('lists every later match and skips the rules that do not match', () => {
    const rules = [
      makeRule('catch-all', [], { order: 99 }),
      makeRule('silver', [{ kind: 'tier', tiers: ['Silver'] }], { order: 1 }),
      makeRule('gold', [gold], { order: 2 }),
      makeRule('gold-2', [gold], { order: 3 }),
    ];
    const rec = evaluateRules(rules, subject({ tier: 'gold' }));
    expect(rec.rule?.ruleId).toBe('gold');
    expect(rec.otherMatches.map((m) => m.ruleId)).toEqual(['gold-2', 'catch-all']);
  });

  it('no match gives no recommendation', () => {
    const rec = evaluateRules([makeRule('gold', [gold])], subject({ tier: 'Lead' }));
    expect(rec.rule).toBeUndefined();
    expect(rec.otherMatches).toEqual([]);
    expect(evaluateRules([], subject()).rule).toBeUndefined();
  });

  it('carries the name, reason and rendered treatment of the matching rule', () => {
    const rule = makeRule('vip', [gold], {
      reason: 'Because.',
      treatment: { title: 'VIP', actions: { links: [{ label: 'Mail', url: 'mailto:{{email}}' }], snippets: [], tags: ['vip'] } },
    });
    const rec = evaluateRules([rule], subject({ tier: 'Gold', email: 'ann@acme.com' }));
    expect(rec.rule).toMatchObject({ ruleId: 'vip', name: 'Rule vip', reason: 'Because.' });
    expect(rec.rule?.treatment.title).toBe('VIP');
    expect(rec.rule?.treatment.actions.links).toEqual([{ label: 'Mail', href: 'mailto:ann@acme.com' }]);
  });

  it('is deterministic: the same input gives the same output, and the input is not changed', () => {
    const rules = [
      makeRule('a', [gold, { kind: 'metric', metric: 'clv', op: '>=', value: 100 }], { order: 2 }),
      makeRule('b', { kind: 'any', conditions: [gold, { kind: 'flag', flag: 'new' }] }, { order: 1 }),
    ];
    const before = JSON.stringify(rules);
    const who = subject({ tier: 'Gold', clv: 150, flags: ['new'] });
    const first = evaluateRules(rules, who);
    const second = evaluateRules(rules, who);
    expect(second).toEqual(first);
    expect(JSON.stringify(rules)).toBe(before);
  });

  it('ruleMatches checks one rule’s conditions', () => {
    expect(ruleMatches(makeRule('g', [gold]), subject({ tier: 'GOLD' }))).toBe(true);
    expect(ruleMatches(makeRule('g', [gold]), subject({ tier: 'Silver' }))).toBe(false);
  });
});

describe('groups', () => {
  it('all: every condition must match', () => {
    const c: ConditionInput = { kind: 'all', conditions: [gold, { kind: 'flag', flag: 'new' }] };
    expect(matches(c, { tier: 'Gold', flags: ['new'] })).toBe(true);
    expect(matches(c, { tier: 'Gold' })).toBe(false);
  });

  it('any: one condition is enough', () => {
    const c: ConditionInput = { kind: 'any', conditions: [gold, { kind: 'flag', flag: 'new' }] };
    expect(matches(c, { tier: 'Lead', flags: ['new'] })).toBe(true);
    expect(matches(c, { tier: 'Lead' })).toBe(false);
  });

  it('all of nothing matches everyone (a catch-all); any of nothing matches no one', () => {
    expect(matches({ kind: 'all', conditions: [] })).toBe(true);
    expect(matches({ kind: 'any', conditions: [] })).toBe(false);
    expect(text({ kind: 'all', conditions: [] })).toBe('All of these (none set: matches everyone) — yes');
    expect(text({ kind: 'any', conditions: [] })).toBe('Any of these (none set: matches no one) — no');
  });

  it('nested groups: (Gold and at risk) or (new and CLV over 500)', () => {
    const c: ConditionInput = {
      kind: 'any',
      conditions: [
        { kind: 'all', conditions: [gold, { kind: 'flag', flag: 'at-risk' }] },
        { kind: 'all', conditions: [{ kind: 'flag', flag: 'new' }, { kind: 'metric', metric: 'clv', op: '>', value: 500 }] },
      ],
    };
    expect(matches(c, { tier: 'Gold', flags: ['at-risk'] })).toBe(true);
    expect(matches(c, { tier: 'Gold', flags: [] })).toBe(false);
    expect(matches(c, { tier: 'Lead', flags: ['new'], clv: 600 })).toBe(true);
    expect(matches(c, { tier: 'Lead', flags: ['new'], clv: 400 })).toBe(false);
  });

  it('not: the opposite of its condition', () => {
    const c: ConditionInput = { kind: 'not', condition: gold };
    expect(matches(c, { tier: 'Silver' })).toBe(true);
    expect(matches(c, { tier: 'Gold' })).toBe(false);
    expect(explainLines(explainCondition(ConditionSchema.parse(c), subject({ tier: 'Gold' })))).toEqual([
      'Not this — no',
      '  Tier is Gold — yes (Gold)',
    ]);
  });

  it('the trace evaluates every child even after the group is decided', () => {
    const c = ConditionSchema.parse({
      kind: 'all',
      conditions: [{ kind: 'tier', tiers: ['Platinum'] }, { kind: 'flag', flag: 'new' }, { kind: 'metric', metric: 'pAlive', op: '<', value: 0.5 }],
    });
    const trace = explainCondition(c, subject({ tier: 'Gold', flags: ['new'], pAlive: 0.31 }));
    expect(trace.matched).toBe(false);
    expect(trace.children?.map((t) => t.matched)).toEqual([false, true, true]);
    expect(trace.text).toBe('All of these — no (2 of 3 match)');
  });
});

describe('metric comparisons', () => {
  const cases: [MetricOp, number, boolean][] = [
    ['<', 99, true],
    ['<', 100, false],
    ['<=', 100, true],
    ['<=', 101, false],
    ['>', 101, true],
    ['>', 100, false],
    ['>=', 100, true],
    ['>=', 99, false],
    ['=', 100, true],
    ['=', 100.01, false],
    ['!=', 100.01, true],
    ['!=', 100, false],
  ];
  for (const [op, actual, expected] of cases) {
    it(`${actual} ${op} 100 is ${expected}`, () => {
      expect(matches({ kind: 'metric', metric: 'clv', op, value: 100 }, { clv: actual })).toBe(expected);
    });
  }

  const metrics: MetricId[] = ['clv', 'next12Months', 'pAlive', 'expectedTransactions', 'recencyDays', 'frequency', 'totalSpent'];
  for (const metric of metrics) {
    it(`${metric}: compares the customer's own number, and an unknown number never matches (not even with ≠)`, () => {
      const value = metric === 'pAlive' ? 0.5 : 10;
      expect(matches({ kind: 'metric', metric, op: '>=', value }, { [metric]: value })).toBe(true);
      expect(matches({ kind: 'metric', metric, op: '<', value }, { [metric]: value })).toBe(false);
      for (const op of ['<', '<=', '>', '>=', '=', '!='] as const) {
        expect(matches({ kind: 'metric', metric, op, value }, {})).toBe(false);
        expect(matches({ kind: 'metric', metric, op, value }, { [metric]: Number.NaN })).toBe(false);
      }
    });
  }

  it('the explanation says "unknown" for a missing number', () => {
    expect(text({ kind: 'metric', metric: 'clv', op: '>=', value: 1000 })).toBe('12-month value ≥ $1,000 — no (unknown)');
  });
});

describe('flags, tiers, sites and fields', () => {
  it('flags: present by default, or absent', () => {
    expect(matches({ kind: 'flag', flag: 'at-risk' }, { flags: ['at-risk'] })).toBe(true);
    expect(matches({ kind: 'flag', flag: 'at-risk' }, { flags: ['new'] })).toBe(false);
    expect(matches({ kind: 'flag', flag: 'one-time', present: false }, { flags: ['new'] })).toBe(true);
    expect(matches({ kind: 'flag', flag: 'one-time', present: false }, { flags: ['one-time'] })).toBe(false);
  });

  it('tiers: any of the names, case-insensitively; no tier never matches', () => {
    const c: ConditionInput = { kind: 'tier', tiers: ['Platinum', 'Gold'] };
    expect(matches(c, { tier: 'gold' })).toBe(true);
    expect(matches(c, { tier: 'PLATINUM' })).toBe(true);
    expect(matches(c, { tier: 'Silver' })).toBe(false);
    expect(matches(c, {})).toBe(false);
  });

  it('sites: by adapter id, by hostname, and by subdomain of a hostname', () => {
    const byId: ConditionInput = { kind: 'site', hosts: ['zendesk'] };
    expect(matches(byId, { host: 'zendesk', site: 'acme.zendesk.com' })).toBe(true);
    expect(matches(byId, { host: 'freshdesk', site: 'acme.freshdesk.com' })).toBe(false);
    const byHost: ConditionInput = { kind: 'site', hosts: ['acme.zendesk.com'] };
    expect(matches(byHost, { host: 'zendesk', site: 'acme.zendesk.com' })).toBe(true);
    expect(matches(byHost, { host: 'zendesk', site: 'eu.acme.zendesk.com' })).toBe(true);
    expect(matches(byHost, { host: 'zendesk', site: 'other.zendesk.com' })).toBe(false);
    expect(matches(byHost, { host: 'zendesk', site: 'notacme.zendesk.com' })).toBe(false);
    expect(matches({ kind: 'site', hosts: ['Zendesk.com'] }, { site: 'ACME.zendesk.com' })).toBe(true);
    expect(matches(byHost, {})).toBe(false);
  });

  it('fields: equals and contains, case-insensitive; a missing field never matches', () => {
    expect(matches({ kind: 'field', field: 'email', op: 'contains', text: '@ACME.com' }, { email: 'ann@acme.com' })).toBe(true);
    expect(matches({ kind: 'field', field: 'email', op: 'equals', text: 'acme.com' }, { email: 'ann@acme.com' })).toBe(false);
    expect(matches({ kind: 'field', field: 'company', op: 'equals', text: 'acme inc' }, { company: 'Acme Inc' })).toBe(true);
    expect(matches({ kind: 'field', field: 'domain', op: 'equals', text: 'acme.com' }, { domain: 'globex.com' })).toBe(false);
    expect(matches({ kind: 'field', field: 'name', op: 'contains', text: 'lee' }, { name: 'Ann Lee' })).toBe(true);
    expect(matches({ kind: 'field', field: 'name', op: 'contains', text: 'lee' }, {})).toBe(false);
  });
});

describe('explanations', () => {
  it('tier', () => {
    expect(text({ kind: 'tier', tiers: ['Platinum', 'Gold'] }, { tier: 'Gold' })).toBe('Tier is Platinum or Gold — yes (Gold)');
    expect(text({ kind: 'tier', tiers: ['Platinum', 'Gold', 'Silver'] }, { tier: 'Lead' })).toBe('Tier is Platinum, Gold or Silver — no (Lead)');
    expect(text({ kind: 'tier', tiers: ['Gold'] })).toBe('Tier is Gold — no (unknown)');
  });

  it('flag', () => {
    expect(text({ kind: 'flag', flag: 'at-risk' }, { flags: ['at-risk'] })).toBe('Customer is at risk — yes');
    expect(text({ kind: 'flag', flag: 'new', present: false }, { flags: ['new'] })).toBe('Customer is not new — no');
    expect(text({ kind: 'flag', flag: 'one-time' })).toBe('Customer is a one-time buyer — no');
  });

  it('metrics: money, probability, counts and days', () => {
    expect(text({ kind: 'metric', metric: 'clv', op: '>=', value: 1000 }, { clv: 420 })).toBe('12-month value ≥ $1,000 — no ($420)');
    expect(text({ kind: 'metric', metric: 'pAlive', op: '<', value: 0.5 }, { pAlive: 0.31 })).toBe('P(alive) < 50% — yes (31%)');
    expect(text({ kind: 'metric', metric: 'next12Months', op: '>', value: 250 }, { next12Months: 1240.5 })).toBe(
      'Next 12 months (undiscounted) > $250 — yes ($1,241)',
    );
    expect(text({ kind: 'metric', metric: 'totalSpent', op: '<=', value: 5 }, { totalSpent: 3.4 })).toBe('Total spent ≤ $5.00 — yes ($3.40)');
    expect(text({ kind: 'metric', metric: 'expectedTransactions', op: '!=', value: 2 }, { expectedTransactions: 1.256 })).toBe(
      'Expected transactions ≠ 2 — yes (1.26)',
    );
    expect(text({ kind: 'metric', metric: 'recencyDays', op: '>', value: 90 }, { recencyDays: 120 })).toBe('Days since last purchase > 90 — yes (120)');
    expect(text({ kind: 'metric', metric: 'frequency', op: '=', value: 0 }, { frequency: 0 })).toBe('Frequency = 0 — yes (0)');
  });

  it('metrics: more digits when the rounded numbers would read the same', () => {
    expect(text({ kind: 'metric', metric: 'pAlive', op: '<', value: 0.5 }, { pAlive: 0.4996 })).toBe('P(alive) < 50% — yes (49.96%)');
    expect(text({ kind: 'metric', metric: 'clv', op: '>=', value: 1000 }, { clv: 999.6 })).toBe('12-month value ≥ $1,000.00 — no ($999.60)');
  });

  it('metrics: amounts in the given currency and locale', () => {
    const c = ConditionSchema.parse({ kind: 'metric', metric: 'clv', op: '>=', value: 1000 });
    const trace = explainCondition(c, subject({ clv: 1500 }), { currency: 'EUR', locale: 'de-DE' });
    // Intl puts a no-break space before the euro sign.
    expect(trace.label.replace(/\u00a0/g, ' ')).toBe('12-month value ≥ 1.000 €');
    expect(trace.observed?.replace(/\u00a0/g, ' ')).toBe('1.500 €');
  });

  it('site and field', () => {
    expect(text({ kind: 'site', hosts: ['zendesk', 'acme.freshdesk.com'] }, { host: 'zendesk', site: 'acme.zendesk.com' })).toBe(
      'Site is zendesk or acme.freshdesk.com — yes (acme.zendesk.com, zendesk)',
    );
    expect(text({ kind: 'site', hosts: ['zendesk'] })).toBe('Site is zendesk — no (unknown)');
    expect(text({ kind: 'field', field: 'email', op: 'contains', text: 'acme.com' }, { email: 'ann@acme.com' })).toBe(
      'Email contains "acme.com" — yes (ann@acme.com)',
    );
    expect(text({ kind: 'field', field: 'company', op: 'equals', text: 'Acme' }, { company: 'Globex' })).toBe('Company is "Acme" — no (Globex)');
    expect(text({ kind: 'field', field: 'domain', op: 'equals', text: 'acme.com' })).toBe('Domain is "acme.com" — no (unknown)');
  });

  it('explainLines indents the tree; flattenTrace gives depths and results', () => {
    const rule = makeRule('r', [
      { kind: 'tier', tiers: ['Platinum', 'Gold'] },
      { kind: 'any', conditions: [{ kind: 'flag', flag: 'at-risk' }, { kind: 'metric', metric: 'pAlive', op: '<', value: 0.5 }] },
    ]);
    const rec = evaluateRules([rule], subject({ tier: 'Gold', pAlive: 0.31 }));
    const trace = rec.rule?.explanation;
    expect(trace).toBeDefined();
    expect(explainLines(trace!)).toEqual([
      'All of these — yes (2 of 2 match)',
      '  Tier is Platinum or Gold — yes (Gold)',
      '  Any of these — yes (1 of 2 match)',
      '    Customer is at risk — no',
      '    P(alive) < 50% — yes (31%)',
    ]);
    expect(flattenTrace(trace!).map((l) => [l.depth, l.matched])).toEqual([
      [0, true],
      [1, true],
      [1, true],
      [2, false],
      [2, true],
    ]);
  });

  it('long customer values are shortened in the explanation', () => {
    const long = `${'x'.repeat(100)}@acme.com`;
    const line = text({ kind: 'field', field: 'email', op: 'contains', text: 'acme' }, { email: long });
    expect(line.length).toBeLessThan(110);
    expect(line.endsWith('…)')).toBe(true);
  });
});

describe('the decision and the explanation agree', () => {
  it('for every condition and customer in a grid', () => {
    const conditions: ConditionInput[] = [
      gold,
      { kind: 'flag', flag: 'at-risk' },
      { kind: 'flag', flag: 'new', present: false },
      { kind: 'metric', metric: 'pAlive', op: '<', value: 0.5 },
      { kind: 'metric', metric: 'clv', op: '!=', value: 100 },
      { kind: 'site', hosts: ['zendesk.com'] },
      { kind: 'field', field: 'email', op: 'contains', text: 'acme' },
      { kind: 'not', condition: { kind: 'any', conditions: [gold, { kind: 'flag', flag: 'new' }] } },
      { kind: 'any', conditions: [] },
    ];
    const customers = [
      subject(),
      subject({ tier: 'Gold', flags: ['at-risk'], pAlive: 0.2, clv: 100, site: 'a.zendesk.com', email: 'x@acme.com' }),
      subject({ tier: 'Lead', flags: ['new'], pAlive: 0.9, clv: 5, host: 'zendesk', email: 'x@globex.com' }),
    ];
    let yes = 0;
    for (const c of conditions) {
      for (const who of customers) {
        const rule = makeRule('r', [c]);
        const traced = explainCondition(rule.conditions, who).matched;
        expect(ruleMatches(rule, who)).toBe(traced);
        if (traced) yes++;
      }
    }
    // Both outcomes occur, so the comparison means something.
    expect(yes).toBeGreaterThan(3);
    expect(yes).toBeLessThan(conditions.length * customers.length - 3);
  });
});
