/**
 * The configuration in force (lib/team/in-force.ts): managed policy > team service > the person's own,
 * for the rules (through rulesInEffect, as the background and Options → Treatments read them), the
 * tiers and the site definitions; the team's documents lock them for the person; a broken team
 * document is said and not used.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '~/lib/rules/defaults';
import { rulesInEffect, ruleSetValue } from '~/lib/rules/stored';
import { policyInForce, tiersInForce } from '~/lib/team/in-force';
import { DEFAULT_TIER_CONFIG } from '~/lib/tiers/config';
import { teamInForceKey } from '~/lib/settings/policy-watch';
import type { TeamState } from '~/lib/team/state';

const names = DEFAULT_TIER_CONFIG.tiers.map((t) => t.name);
const mine = ruleSetValue(DEFAULT_RULES.slice(0, 3));
const teams = ruleSetValue(DEFAULT_RULES.slice(0, 1));
const policyRules = ruleSetValue(DEFAULT_RULES.slice(0, 2));
const teamTiers = { ...DEFAULT_TIER_CONFIG, tiers: DEFAULT_TIER_CONFIG.tiers.map((t, i) => ({ ...t, name: `Team ${i + 1}` })) };

function state(documents: Partial<Record<'rules' | 'tiers' | 'sites', unknown>>, role: 'agent' | 'manager' = 'agent'): TeamState {
  const doc = (kind: 'rules' | 'tiers' | 'sites', value: unknown) => ({ kind, version: 3, value, updatedAt: '2026-03-12T10:42:00.000Z', updatedBy: 'Maria', etag: `"${kind}-3"` });
  return {
    connection: { url: 'https://centric.example.com', from: 'options' },
    me: { tokenId: 't1', name: 'Ana', role },
    documents: Object.fromEntries(Object.entries(documents).map(([k, v]) => [k, doc(k as 'rules', v)])),
    syncedAt: '2026-03-12T10:43:00.000Z',
    stream: 'open',
  };
}

describe('precedence', () => {
  it('not connected: the person’s own rules, editable', () => {
    expect(rulesInEffect(mine, {}, names, undefined)).toMatchObject({ source: 'local', locked: false, rules: mine.rules });
  });

  it('connected: the team’s rules, locked for the person', () => {
    expect(rulesInEffect(mine, {}, names, state({ rules: teams }))).toMatchObject({ source: 'team', locked: true, rules: teams.rules });
  });

  it('a managed policy that sets rules still wins over the team', () => {
    expect(rulesInEffect(mine, { rules: policyRules, lockRules: true }, names, state({ rules: teams }))).toMatchObject({ source: 'policy', locked: true, rules: policyRules.rules });
  });

  it('a team rules document that does not read is said, and the person’s own rules stay', () => {
    const effect = rulesInEffect(mine, {}, names, state({ rules: { format: 'centric-rules', version: 1, rules: [{ id: 'x' }] } }));
    expect(effect.source).toBe('local');
    expect(effect.rules).toEqual(mine.rules);
    expect(effect.problems.join(' ')).toMatch(/^Team service: the team’s rules \(version 3\)/);
  });

  it('tiers: the team’s when connected, the policy’s over them, the person’s own otherwise', () => {
    const own = DEFAULT_TIER_CONFIG;
    expect(tiersInForce(own, policyInForce({}, undefined))).toMatchObject({ from: 'local', locked: false, tiers: own });
    const team = tiersInForce(own, policyInForce({}, state({ tiers: teamTiers })));
    expect(team).toMatchObject({ from: 'team', locked: true });
    expect(team.tiers.tiers.map((t) => t.name)).toEqual(teamTiers.tiers.map((t) => t.name));
    const policyTiers = { ...DEFAULT_TIER_CONFIG, tiers: DEFAULT_TIER_CONFIG.tiers.map((t, i) => ({ ...t, name: `Policy ${i + 1}` })) };
    const policy = tiersInForce(own, policyInForce({ tiers: policyTiers, lockTiers: true }, state({ tiers: teamTiers })));
    expect(policy.from).toBe('policy');
    expect(policy.tiers.tiers[0]!.name).toBe('Policy 1');
  });

  it('invalid team tiers: the person’s own are used, and why is said', () => {
    const result = tiersInForce(DEFAULT_TIER_CONFIG, policyInForce({}, state({ tiers: { tiers: [] } })));
    expect(result.from).toBe('local');
    expect(result.note).toMatch(/^Team service: the team’s tiers are not valid/);
  });

  it('site definitions: the team’s are their own layer, the policy’s kept apart', () => {
    const sites = { format: 'centric-site-definitions', sites: {} };
    const inForce = policyInForce({ siteDefinitions: '{"x":1}' }, state({ sites }));
    expect(inForce.teamSiteDefinitions).toEqual(sites);
    expect(inForce.policy.siteDefinitions).toBe('{"x":1}');
  });

  it('what the sidebar re-reads on: a new version or another connection, not the stream’s state or the sync time', () => {
    const a = state({ rules: teams });
    expect(teamInForceKey({ ...a, stream: 'reconnecting', syncedAt: '2026-03-12T11:00:00.000Z' })).toBe(teamInForceKey(a));
    expect(teamInForceKey({ ...a, documents: { rules: { ...a.documents.rules!, version: 4, etag: '"rules-4"' } } })).not.toBe(teamInForceKey(a));
    expect(teamInForceKey(undefined)).not.toBe(teamInForceKey(a));
  });
});
