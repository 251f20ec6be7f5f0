import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, POLICY_KEYS, effectiveRules, exportRuleSet, parseManagedPolicy } from '../../../lib/rules';
import managedSchema from '../../../assets/public/managed-schema.json';
import { DEFAULT_TIER_CONFIG, TierConfigSchema } from '../../../lib/tiers/config';
import { makeRule } from './helpers';

const teamRules = [makeRule('team-vip', [{ kind: 'tier', tiers: ['Gold'] }], { order: 1 })];
const teamSet = JSON.parse(exportRuleSet(teamRules));

describe('parseManagedPolicy', () => {
  it('no policy: empty, no errors', () => {
    expect(parseManagedPolicy(undefined)).toEqual({ policy: {}, errors: [] });
    expect(parseManagedPolicy({})).toEqual({ policy: {}, errors: [] });
  });

  it('reads rules, locks and passes tiers through untouched', () => {
    const tiers = { anything: ['lib/tiers checks this'] };
    const { policy, errors } = parseManagedPolicy({ rules: teamSet, lockRules: true, tiers, lockTiers: true, somethingElse: 1 });
    expect(errors).toEqual([]);
    expect(policy).toEqual({ rules: { format: 'centric-rules', version: 1, rules: teamRules }, lockRules: true, tiers, lockTiers: true });
  });

  it('accepts the rule set as exported JSON text too', () => {
    const { policy, errors } = parseManagedPolicy({ rules: exportRuleSet(teamRules) });
    expect(errors).toEqual([]);
    expect(policy.rules?.rules).toEqual(teamRules);
  });

  it('a broken rules part is ignored as a whole, with every problem listed; the tiers part still applies', () => {
    const broken = JSON.parse(JSON.stringify(teamSet));
    broken.rules[0].treatment.color = 'blue';
    delete broken.rules[0].name;
    const { policy, errors } = parseManagedPolicy({ rules: broken, lockRules: true, lockTiers: true });
    expect(policy).toEqual({ lockTiers: true });
    expect(errors).toEqual([
      'rules.rules[0].name: This is required.',
      'rules.rules[0].treatment.color: Use a hex colour such as #1e293b.',
      'The team rules in the managed policy are ignored until these problems are fixed.',
    ]);
  });

  it('bad values never throw', () => {
    expect(parseManagedPolicy('lockRules=true')).toEqual({ policy: {}, errors: ['The managed policy is not an object of settings; it is ignored.'] });
    expect(parseManagedPolicy([1])).toEqual({ policy: {}, errors: ['The managed policy is not an object of settings; it is ignored.'] });
    const { policy, errors } = parseManagedPolicy({ lockRules: 'yes', lockTiers: 1, tiers: { a: 1 }, rules: '{not json' });
    expect(policy).toEqual({});
    expect(errors).toEqual([
      'rules: The file is not valid JSON: line 1, column 2: Expected a name in double quotes.',
      'lockRules: Use true or false.',
      'The team rules in the managed policy are ignored until these problems are fixed.',
      'lockTiers: Use true or false. The tiers in the managed policy are ignored until this is fixed.',
    ]);
    expect(parseManagedPolicy({ rules: { format: 'centric-rules', version: 3, rules: [] } }).errors[0]).toMatch(/^rules: This rule set is version 3/);
  });
});

describe('effectiveRules', () => {
  const local = [...DEFAULT_RULES];

  it('local rules without a policy, unlocked', () => {
    expect(effectiveRules(local, {})).toEqual({ rules: local, locked: false, source: 'local' });
  });

  it('the policy’s rules win when present, and lock when lockRules is true', () => {
    const policy = parseManagedPolicy({ rules: teamSet, lockRules: true }).policy;
    expect(effectiveRules(local, policy)).toEqual({ rules: teamRules, locked: true, source: 'policy' });
    const unlocked = parseManagedPolicy({ rules: teamSet }).policy;
    expect(effectiveRules(local, unlocked)).toEqual({ rules: teamRules, locked: false, source: 'policy' });
  });

  it('lockRules alone freezes the local rules', () => {
    expect(effectiveRules(local, { lockRules: true })).toEqual({ rules: local, locked: true, source: 'local' });
  });

  it('a policy with an empty rule set means no rules', () => {
    const policy = parseManagedPolicy({ rules: { format: 'centric-rules', version: 1, rules: [] } }).policy;
    expect(effectiveRules(local, policy).rules).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// managed-schema.json, checked the way Chrome reads storage.managed_schema: the top level is an
// object of policies without additionalProperties; every schema has one supported "type" or a
// "$ref" to an "id"; a policy value of the wrong type is rejected whole; unknown keys are dropped.

type Schema = Record<string, any>;
const CHROME_TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);

function collectIds(schema: Schema, ids: Map<string, Schema>): void {
  if (typeof schema.id === 'string') ids.set(schema.id, schema);
  for (const child of Object.values(schema.properties ?? {})) collectIds(child as Schema, ids);
  if (schema.items) collectIds(schema.items, ids);
  if (schema.additionalProperties) collectIds(schema.additionalProperties, ids);
}

/** Problems with the schema itself (Chrome would refuse to load the extension). */
function schemaProblems(schema: Schema, ids: Map<string, Schema>, path = '$'): string[] {
  if ('$ref' in schema) return ids.has(schema.$ref) ? [] : [`${path}: unknown $ref ${schema.$ref}`];
  if (!CHROME_TYPES.has(schema.type)) return [`${path}: type ${String(schema.type)}`];
  const problems: string[] = [];
  if (schema.type === 'array') {
    if (!schema.items) problems.push(`${path}: array without items`);
    else problems.push(...schemaProblems(schema.items, ids, `${path}[]`));
  }
  for (const [key, child] of Object.entries(schema.properties ?? {})) problems.push(...schemaProblems(child as Schema, ids, `${path}.${key}`));
  if (schema.enum) {
    const want = schema.type === 'integer' ? 'number' : schema.type;
    if (!Array.isArray(schema.enum) || schema.enum.some((v: unknown) => typeof v !== want)) problems.push(`${path}: enum`);
  }
  return problems;
}

/** Chrome's Normalize with SCHEMA_ALLOW_UNKNOWN: the value with unknown keys dropped, or undefined when invalid. */
function normalize(schema: Schema, value: unknown, ids: Map<string, Schema>): unknown {
  const s = '$ref' in schema ? (ids.get(schema.$ref) as Schema) : schema;
  switch (s.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value)) {
        const sub = s.properties?.[key] ?? s.additionalProperties;
        if (!sub) continue;
        const n = normalize(sub, v, ids);
        if (n === undefined) return undefined;
        out[key] = n;
      }
      return out;
    }
    case 'array': {
      if (!Array.isArray(value)) return undefined;
      const out = value.map((v) => normalize(s.items, v, ids));
      return out.includes(undefined) ? undefined : out;
    }
    case 'integer':
      return Number.isInteger(value) && (!s.enum || s.enum.includes(value)) ? value : undefined;
    case 'number':
      return typeof value === 'number' ? value : undefined;
    case 'string':
      return typeof value === 'string' && (!s.enum || s.enum.includes(value)) ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    default:
      return undefined;
  }
}

describe('managed-schema.json (storage.managed_schema)', () => {
  const schema = managedSchema as Schema;
  const ids = new Map<string, Schema>();
  collectIds(schema, ids);

  it('is a schema Chrome accepts, declaring exactly the policy keys', () => {
    expect(schema.type).toBe('object');
    expect(schema).not.toHaveProperty('additionalProperties');
    expect(Object.keys(schema.properties).sort()).toEqual([...POLICY_KEYS].sort());
    expect(schemaProblems(schema, ids)).toEqual([]);
  });

  it('a policy with the default rules and every kind of condition passes through unchanged', () => {
    const everyKind = makeRule('every-kind', {
      kind: 'any',
      conditions: [
        { kind: 'tier', tiers: ['Gold'] },
        { kind: 'flag', flag: 'new', present: false },
        { kind: 'metric', metric: 'pAlive', op: '<', value: 0.5 },
        { kind: 'metric', metric: 'clv', op: '>=', value: 1000 },
        { kind: 'site', hosts: ['zendesk'] },
        { kind: 'field', field: 'email', op: 'contains', text: 'acme' },
        { kind: 'not', condition: { kind: 'all', conditions: [{ kind: 'flag', flag: 'at-risk' }] } },
      ],
    }, { reason: 'Every kind.', treatment: { priority: 'low', responseTarget: { amount: 3, unit: 'days' }, actions: { links: [{ label: 'L', url: 'https://x.example.com/{{id}}' }], snippets: [{ label: 'S', text: 'Hi' }], tags: ['t'] } } });
    const value = {
      rules: JSON.parse(exportRuleSet([...DEFAULT_RULES, everyKind])),
      lockRules: true,
      // Every optional tier key set, so each one is checked against the schema.
      tiers: JSON.parse(
        JSON.stringify({
          ...DEFAULT_TIER_CONFIG,
          tiers: DEFAULT_TIER_CONFIG.tiers.map((t, i) => ({ ...t, minValue: 1000 - i })),
          atRisk: { ...DEFAULT_TIER_CONFIG.atRisk, valuePercentile: 90 },
        }),
      ),
      lockTiers: false,
    };
    const normalized = normalize(schema, value, ids);
    expect(normalized).toEqual(value);
    expect(parseManagedPolicy(normalized).errors).toEqual([]);
  });

  it('lists every tier configuration key lib/tiers reads (else Chrome would drop it)', () => {
    const tiersSchema = schema.properties.tiers;
    const shape = (TierConfigSchema as unknown as { def: { shape: Record<string, unknown> } }).def.shape;
    expect(Object.keys(tiersSchema.properties).sort()).toEqual(Object.keys(shape).sort());
  });

  it('a policy value of the wrong type is rejected (Chrome then publishes nothing for it)', () => {
    expect(normalize(schema, { lockRules: 'true' }, ids)).toBeUndefined();
    const bad = JSON.parse(exportRuleSet(DEFAULT_RULES));
    bad.rules[0].order = 'first';
    expect(normalize(schema, { rules: bad }, ids)).toBeUndefined();
  });
});

describe('the example policy in lib/rules/policy.ts', () => {
  it('is valid JSON that parses without errors and passes managed-schema.json', async () => {
    const { readFileSync } = await import('node:fs');
    const source = readFileSync(new URL('../../../lib/rules/policy.ts', import.meta.url), 'utf8');
    const start = source.indexOf(' * {\n *   "3rdparty"');
    const end = source.indexOf(' * }\n *\n', start);
    expect(start).toBeGreaterThan(0);
    const json = source
      .slice(start, end + 4)
      .split('\n')
      .map((l) => l.replace(/^ \* ?/, ''))
      .join('\n');
    const example = JSON.parse(json.replace('<centric extension id>', 'id'));
    const policy = example['3rdparty'].extensions.id;
    const ids = new Map<string, Schema>();
    collectIds(managedSchema as Schema, ids);
    expect(normalize(managedSchema as Schema, policy, ids)).toEqual(policy);
    const parsed = parseManagedPolicy(policy);
    expect(parsed.errors).toEqual([]);
    expect(parsed.policy.rules?.rules.map((r) => r.id)).toEqual(['enterprise-accounts', 'everyone-else']);
    expect(parsed.policy.lockRules).toBe(true);
  });
});
