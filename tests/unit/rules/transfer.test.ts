import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULES,
  MAX_FILE_BYTES,
  MAX_RULES,
  RuleSetSchema,
  exportRuleSet,
  formatPath,
  locateJsonError,
  parseRuleSet,
  ruleIssues,
  validateRule,
} from '../../../lib/rules';
import { makeRule } from './helpers';

/** The default rule set as plain, editable data. */
function defaultSet(): { format: string; version: number; rules: Record<string, any>[] } {
  return JSON.parse(exportRuleSet(DEFAULT_RULES));
}

function errorsOf(text: string): string[] {
  const result = parseRuleSet(text);
  if (result.ok) throw new Error('expected the file to be rejected');
  return result.errors;
}

describe('export and import', () => {
  it('round trip: what is exported reads back identical', () => {
    const rules = [
      ...DEFAULT_RULES,
      makeRule('sites', [{ kind: 'site', hosts: ['zendesk', 'acme.freshdesk.com'] }, { kind: 'not', condition: { kind: 'flag', flag: 'new' } }], {
        enabled: false,
        order: -5,
      }),
    ];
    const text = exportRuleSet(rules);
    const back = parseRuleSet(text);
    expect(back).toEqual({ ok: true, rules });
  });

  it('exports pretty JSON with the format and version first', () => {
    const text = exportRuleSet(DEFAULT_RULES);
    expect(text.startsWith('{\n  "format": "centric-rules",\n  "version": 1,\n  "rules": [')).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('reads a file with a byte-order mark, and fills in defaults (enabled, present, empty actions)', () => {
    const minimal = {
      format: 'centric-rules',
      version: 1,
      rules: [
        {
          id: 'new',
          name: 'New',
          order: 1,
          conditions: { kind: 'any', conditions: [{ kind: 'flag', flag: 'new' }] },
          treatment: { title: 'Welcome', color: '#0f766e' },
        },
      ],
    };
    const result = parseRuleSet(`\ufeff${JSON.stringify(minimal)}`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rules[0]).toEqual({
      id: 'new',
      name: 'New',
      enabled: true,
      order: 1,
      conditions: { kind: 'any', conditions: [{ kind: 'flag', flag: 'new', present: true }] },
      treatment: { title: 'Welcome', guidance: '', color: '#0f766e', actions: { links: [], snippets: [], tags: [] } },
    });
  });

  it('an empty rule set is valid (no recommendations)', () => {
    expect(parseRuleSet('{"format":"centric-rules","version":1,"rules":[]}')).toEqual({ ok: true, rules: [] });
  });
});

describe('a bad file is rejected with every error listed', () => {
  it('lists each problem with its path', () => {
    const set = defaultSet();
    set.rules[2]!.treatment.color = 'orange';
    set.rules[0]!.conditions.conditions[1] = { kind: 'metric', metric: 'ltv', op: '>=', value: '1000' };
    set.rules[1]!.id = 'high-value-at-risk';
    set.rules[3]!.treatment.actions.links.push({ label: 'Run', url: 'javascript:alert(1)' });
    set.rules[3]!.treatment.actions.snippets[0].text = 'Hi {{phone}}';
    delete set.rules[4]!.name;
    set.rules[4]!.prority = 'high';
    set.rules[4]!.treatment.responseTarget = { amount: 1.5, unit: 'weeks' };
    const errors = errorsOf(JSON.stringify(set));
    expect(errors).toEqual(
      expect.arrayContaining([
        'rules[2].treatment.color: Use a hex colour such as #1e293b.',
        'rules[0].conditions.conditions[1].metric: Use one of: clv, lifetimeValue, next12Months, pAlive, expectedTransactions, recencyDays, frequency, totalSpent.',
        'rules[0].conditions.conditions[1].value: Use a number.',
        'rules[1].id: Rule id "high-value-at-risk" is used twice (also by rules[0]).',
        'rules[3].treatment.actions.links[0].url: Links must start with https://, http:// or mailto:.',
        'rules[3].treatment.actions.snippets[0].text: Unknown placeholder {{phone}}; use {{email}}, {{name}}, {{firstName}}, {{company}}, {{domain}}, {{id}}, {{tier}}.',
        'rules[4].name: This is required.',
        'rules[4]: Unknown field "prority" (check the spelling).',
        'rules[4].treatment.responseTarget.amount: Use a whole number.',
        'rules[4].treatment.responseTarget.unit: Use one of: minutes, hours, days.',
      ]),
    );
    expect(errors).toHaveLength(10);
  });

  it('explains conditions: unknown kinds, missing kinds, bad hosts, P(alive) out of range, too deep', () => {
    const set = defaultSet();
    let deep: Record<string, unknown> = { kind: 'flag', flag: 'new' };
    for (let i = 0; i < 6; i++) deep = { kind: 'all', conditions: [deep] };
    set.rules[0]!.conditions.conditions = [
      { kind: 'segment', segment: 'x' },
      { tiers: ['Gold'] },
      { kind: 'site', hosts: ['https://acme.zendesk.com/agent'] },
      { kind: 'metric', metric: 'pAlive', op: '<', value: 50 },
      { kind: 'tier', tiers: [] },
      deep,
    ];
    const errors = errorsOf(JSON.stringify(set));
    const at = 'rules[0].conditions.conditions';
    expect(errors).toEqual([
      `${at}[0].kind: Use one of: "tier", "flag", "metric", "site", "field", "all", "any", "not".`,
      `${at}[1].kind: This is required: use one of "tier", "flag", "metric", "site", "field", "all", "any", "not".`,
      `${at}[2].hosts[0]: Write a site id such as zendesk or a hostname such as acme.zendesk.com (no https:// or path; subdomains match too).`,
      `${at}[3].value: P(alive) is a probability between 0 and 1 (0.5 = 50%).`,
      `${at}[4].tiers: Name at least one tier.`,
      `${at}[5].conditions[0].conditions[0].conditions[0].conditions[0].kind: Groups can be nested at most 5 deep.`,
    ]);
  });

  it('a rule’s top-level conditions must be a group', () => {
    const set = defaultSet();
    set.rules[0]!.conditions = { kind: 'tier', tiers: ['Gold'] };
    expect(errorsOf(JSON.stringify(set))).toEqual(['rules[0].conditions.kind: Use one of: "all", "any".']);
  });

  it('too many rules, too long text and too many conditions are reported, not processed', () => {
    const set = defaultSet();
    const many = Array.from({ length: MAX_RULES + 5 }, (_, i) => ({ ...set.rules[3], id: `r${i}` }));
    expect(errorsOf(JSON.stringify({ ...set, rules: many }))).toEqual([`rules: A rule set holds at most ${MAX_RULES} rules; this one has ${MAX_RULES + 5}.`]);

    const wide = defaultSet();
    wide.rules[0]!.treatment.title = 'x'.repeat(81);
    wide.rules[0]!.conditions.conditions = Array.from({ length: 31 }, () => ({ kind: 'flag', flag: 'new' }));
    expect(errorsOf(JSON.stringify(wide))).toEqual([
      'rules[0].conditions.conditions: A group holds at most 30 conditions.',
      'rules[0].treatment.title: Use at most 80 characters.',
    ]);

    const big = defaultSet();
    big.rules[0]!.conditions.conditions = Array.from({ length: 4 }, () => ({
      kind: 'any',
      conditions: Array.from({ length: 30 }, () => ({ kind: 'flag', flag: 'new' })),
    }));
    expect(errorsOf(JSON.stringify(big))).toEqual(['rules[0].conditions: A rule holds at most 100 conditions.']);
  });

  it('rejects a file over 1 MB before reading it', () => {
    const text = `{"format":"centric-rules","version":1,"rules":[],"pad":"${'x'.repeat(MAX_FILE_BYTES)}"}`;
    expect(errorsOf(text)).toEqual(['The file is too large (over 1 MB); a rule set file is much smaller.']);
    // Counted in UTF-8 bytes: 400,000 three-byte characters are 1.2 MB.
    expect(errorsOf(`{"x":"${'€'.repeat(400_000)}"}`)[0]).toMatch(/too large/);
  });

  it('explains a wrong format, a missing format and a newer or odd version', () => {
    expect(errorsOf('{"rules":[]}')).toEqual(['This is not a Centric rules file: "format" should be "centric-rules" and is missing.']);
    expect(errorsOf('{"format":"other-app","version":1,"rules":[]}')).toEqual(['This is not a Centric rules file: "format" should be "centric-rules".']);
    expect(errorsOf('[1,2]')[0]).toMatch(/^This is not a Centric rules file: it should be an object .* \(this file holds a list\)\.$/);
    expect(errorsOf('{"format":"centric-rules","version":2,"rules":[]}')).toEqual([
      'This rule set is version 2, made by a newer version of Centric; this version reads version 1. Update Centric to import it.',
    ]);
    expect(errorsOf('{"format":"centric-rules","version":"1","rules":[]}')).toEqual([
      'This rule set has an unsupported version ("1"); this version of Centric reads version 1.',
    ]);
    expect(errorsOf('{"format":"centric-rules","version":1}')).toEqual(['rules: This is required.']);
    expect(errorsOf('   ')).toEqual(['The file is empty.']);
  });
});

describe('JSON syntax errors are located', () => {
  it('a missing comma, by line and column', () => {
    const text = '{\n  "format": "centric-rules",\n  "version": 1\n  "rules": []\n}';
    expect(errorsOf(text)).toEqual(['The file is not valid JSON: line 4, column 3: Expected "," or "}" after a value (a comma missing?).']);
  });

  it('common mistakes, each with its own words', () => {
    expect(locateJsonError('{"a": [1, 2,]}')).toEqual({ line: 1, column: 13, message: 'A value is missing before "]" (a comma too many?).' });
    expect(locateJsonError('{"a": 1,}')).toEqual({ line: 1, column: 9, message: 'A comma too many before "}".' });
    expect(locateJsonError("{'a': 1}")?.message).toBe('Use double quotes (") around names.');
    expect(locateJsonError('{"a": \'x\'}')?.message).toBe('Use double quotes (") around text.');
    expect(locateJsonError('{\n  // note\n}')).toEqual({ line: 2, column: 3, message: 'Comments are not allowed in JSON.' });
    expect(locateJsonError('{"a": True}')?.message).toMatch(/^Unexpected word "True"/);
    expect(locateJsonError('{"a": "line\nbreak"}')).toMatchObject({ line: 1, column: 12 });
    expect(locateJsonError('{"a": "open')).toEqual({ line: 1, column: 7, message: 'This text is never closed with a double quote (").' });
    expect(locateJsonError('{"a": [1, 2')?.message).toBe('The file ends before this [ … ] is closed.');
    expect(locateJsonError('{"a" 1}')?.message).toBe('Expected ":" after the name.');
    expect(locateJsonError('{} {}')?.message).toBe('Unexpected text after the end of the data.');
    expect(locateJsonError('{"a": "\\x"}')?.message).toMatch(/^Unknown escape/);
    expect(locateJsonError('{"a": 01}')?.message).toMatch(/^Expected "," or "}"/);
  });

  it('finds no error in valid JSON (it agrees with JSON.parse)', () => {
    for (const text of ['{}', '[]', '{"a":[1,-2.5e3,true,false,null,"x\\n\\u00e9"],"b":{"c":{}}}', ' 3 ', '"s"']) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(locateJsonError(text)).toBeUndefined();
    }
  });

  it('deeply nested input does not overflow the stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(99_999)}`;
    expect(locateJsonError(deep)?.message).toBe('The file ends before this [ … ] is closed.');
    const result = parseRuleSet(`{"format":"centric-rules","version":1,"rules":[{"conditions":${'['.repeat(50_000)}${']'.repeat(50_000)}}]}`);
    expect(result.ok).toBe(false);
  });
});

describe('validation of one rule (the options editor)', () => {
  it('a valid rule has no problems', () => {
    for (const rule of DEFAULT_RULES) expect(validateRule(rule)).toEqual([]);
  });

  it('gives each problem with its path inside the rule', () => {
    const rule = JSON.parse(JSON.stringify(DEFAULT_RULES[0]));
    rule.id = 'Not A Slug';
    rule.order = 1.5;
    rule.reason = 'two\nlines';
    rule.treatment.color = '#fff';
    rule.treatment.actions.tags = ['two words'];
    expect(validateRule(rule)).toEqual([
      'id: Use lower-case letters, digits and dashes (up to 64), e.g. high-value-at-risk.',
      'order: Use a whole number.',
      'reason: Use a single line.',
      'treatment.actions.tags[0]: Write a tag as one word without commas, up to 40 characters, e.g. vip.',
      'treatment.color: Use a hex colour such as #1e293b.',
    ]);
    expect(ruleIssues(rule)[0]).toEqual({ path: 'id', message: 'Use lower-case letters, digits and dashes (up to 64), e.g. high-value-at-risk.' });
  });

  it('says what is missing and what type was expected', () => {
    expect(validateRule({})).toEqual([
      'id: This is required.',
      'name: This is required.',
      'order: This is required. Use a whole number.',
      'conditions: This is required.',
      'treatment: This is required.',
    ]);
    expect(validateRule('a rule')).toEqual(['Use an object here (found text).']);
    const rule = JSON.parse(JSON.stringify(DEFAULT_RULES[0]));
    rule.enabled = 'yes';
    rule.treatment.actions.links = {};
    expect(validateRule(rule)).toEqual(['enabled: Use true or false here (found text).', 'treatment.actions.links: Use a list here (found an object).']);
  });

  it('formats paths as people read them', () => {
    expect(formatPath(['rules', 2, 'treatment', 'color'])).toBe('rules[2].treatment.color');
    expect(formatPath([0, 'a'])).toBe('[0].a');
    expect(formatPath([])).toBe('');
  });

  it('the rule set schema rejects duplicate ids on its own too', () => {
    const result = RuleSetSchema.safeParse({ format: 'centric-rules', version: 1, rules: [DEFAULT_RULES[0], DEFAULT_RULES[0]] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['rules.1.id']);
  });
});
