/**
 * The configuration in force (issue 19; docs/team.md "Precedence"): managed policy > team service >
 * the person's own. This is the ONE place the layers meet: the treatment rules (lib/rules/stored.ts
 * rulesInEffect, for the background and Options → Treatments), the tiers (the background's readTiers,
 * Options → Scoring) and the site definitions (lib/background/site-definitions-sync.ts) all read
 * `policyInForce`. A connected team's documents act as a policy that locks them for the person (they
 * are changed on the service, by managers); a managed policy that sets rules or tiers still wins.
 * Pure.
 */
import { parseManagedPolicy, type ManagedPolicy } from '../rules/policy';
import { parseRuleSetValue } from '../rules/transfer';
import { parseTierConfig, type TierConfig } from '../tiers/config';
import { parseTeamState, type TeamState } from './state';

export type Layer = 'policy' | 'team';

export interface PolicyInForce {
  /** The managed policy with the team's rules and tiers filled in where it sets none (and then locked). */
  policy: ManagedPolicy;
  /** Problems, in words, prefixed with where they are ("Team policy: …", "Team service: …"). */
  errors: string[];
  /** Which layer set the rules and the tiers (absent: the person's own). */
  from: { rules?: Layer; tiers?: Layer };
  /** The team's site definitions, a layer after the policy's and before the file's (lib/sites/definitions.ts). */
  teamSiteDefinitions?: unknown;
  /** The team state as stored (undefined when not connected). */
  team?: TeamState;
}

/**
 * The team's documents as policy keys: rules (checked here: a broken one is left out, said), tiers
 * (checked where they are read), site definitions; each locked. Nothing when not connected, or
 * before the service answered once.
 */
export function teamAsPolicy(team: TeamState | undefined): { policy: ManagedPolicy; siteDefinitions?: unknown; errors: string[] } {
  const policy: ManagedPolicy = {};
  const errors: string[] = [];
  if (!team) return { policy, errors };
  const { rules, tiers, sites } = team.documents;
  if (rules) {
    const parsed = parseRuleSetValue(rules.value);
    if (parsed.ok) {
      policy.rules = { format: 'centric-rules', version: 1, rules: parsed.rules };
      policy.lockRules = true;
    } else errors.push(...parsed.errors.map((e) => `Team service: the team’s rules (version ${rules.version}): ${e}`));
  }
  if (tiers) {
    policy.tiers = tiers.value;
    policy.lockTiers = true;
  }
  return { policy, errors, ...(sites ? { siteDefinitions: sites.value } : {}) };
}

/** The managed policy (raw, from storage.managed) and TEAM_STATE (raw) as one policy in force. */
export function policyInForce(managed: unknown, teamState: unknown): PolicyInForce {
  const { policy: own, errors: ownErrors } = parseManagedPolicy(managed ?? {});
  const errors = ownErrors.map((e) => `Team policy: ${e}`);
  const team = parseTeamState(teamState);
  const fromTeam = teamAsPolicy(team);
  errors.push(...fromTeam.errors);
  const policy: ManagedPolicy = { ...own };
  const from: PolicyInForce['from'] = {};
  if (own.rules) from.rules = 'policy';
  else if (fromTeam.policy.rules) {
    policy.rules = fromTeam.policy.rules;
    policy.lockRules = true;
    from.rules = 'team';
  }
  if (own.tiers !== undefined) from.tiers = 'policy';
  else if (fromTeam.policy.tiers !== undefined) {
    policy.tiers = fromTeam.policy.tiers;
    policy.lockTiers = true;
    from.tiers = 'team';
  }
  return { policy, errors, from, ...('siteDefinitions' in fromTeam ? { teamSiteDefinitions: fromTeam.siteDefinitions } : {}), ...(team ? { team } : {}) };
}

export interface TiersInForce {
  tiers: TierConfig;
  /** Cannot be changed here (the policy locks them, or the team sets them). */
  locked: boolean;
  from: Layer | 'local';
  /** Why the layer's tiers are not used, in words; null when nothing is wrong. */
  note: string | null;
}

/** The tiers to use: the policy's or the team's when set and valid, else the person's own. */
export function tiersInForce(own: TierConfig, inForce: PolicyInForce): TiersInForce {
  const { policy, errors, from } = inForce;
  const locked = policy.lockTiers === true;
  if (policy.tiers === undefined || !from.tiers) {
    return { tiers: own, locked, from: 'local', note: errors.length > 0 ? errors.join(' ') : null };
  }
  try {
    return { tiers: parseTierConfig(policy.tiers), locked, from: from.tiers, note: null };
  } catch (error) {
    const who = from.tiers === 'team' ? 'Team service: the team’s' : 'Team policy: its';
    return { tiers: own, locked, from: 'local', note: `${who} tiers are not valid (${(error as Error).message}); yours are used.` };
  }
}
