/**
 * Where the rules live: the manager's rule set in the extension's local storage (lib/settings/items.ts RULES, as a
 * rule-set object, the same shape as an exported file), the team policy in managed storage. Pure
 * helpers only; lib/settings/rules.ts does the storage calls.
 */
import { defaultRules } from './defaults';
import { policyInForce } from '../team/in-force';
import { effectiveRules, type ManagedPolicy } from './policy';
import { RULES_FORMAT, RULES_VERSION, type Rule } from './schema';
import { parseRuleSetValue } from './transfer';

/** What is written to storage for these rules. */
export function ruleSetValue(rules: readonly Rule[]): { format: typeof RULES_FORMAT; version: typeof RULES_VERSION; rules: Rule[] } {
  return { format: RULES_FORMAT, version: RULES_VERSION, rules: [...rules] };
}

/** The rules in effect and whether a policy locks them, from what storage holds. */
export interface RulesInEffect {
  rules: Rule[];
  locked: boolean;
  /**
   * 'policy' when the managed policy's rules are used, 'team' when the team service's (lib/team/in-force.ts),
   * 'defaults' when nothing was saved, else 'local'.
   */
  source: 'policy' | 'team' | 'local' | 'defaults';
  /** Problems with the stored rules or the policy (shown to the manager; the rules still work). */
  problems: string[];
  /** The policy in force: the managed policy with the team's documents filled in. */
  policy: ManagedPolicy;
}

/**
 * The rules to evaluate: the managed policy's when it sets them, else the team service's (`teamState`,
 * the stored TEAM_STATE), else the stored ones, else the defaults for the current tier names. A stored
 * set that no longer parses falls back to the defaults, with the problems listed (nothing is silently
 * half-applied).
 */
export function rulesInEffect(stored: unknown, managed: unknown, tierNames: readonly string[], teamState?: unknown): RulesInEffect {
  const { policy, errors, from } = policyInForce(managed, teamState);
  const problems = [...errors];
  let local: Rule[];
  let source: RulesInEffect['source'] = 'local';
  if (stored === undefined || stored === null) {
    local = defaultRules(tierNames);
    source = 'defaults';
  } else {
    const parsed = parseRuleSetValue(stored);
    if (parsed.ok) local = parsed.rules;
    else {
      local = defaultRules(tierNames);
      source = 'defaults';
      problems.push(...parsed.errors.map((e) => `Saved rules: ${e}`));
    }
  }
  const effective = effectiveRules(local, policy);
  return { rules: effective.rules, locked: effective.locked, source: effective.source === 'policy' ? (from.rules ?? 'policy') : source, problems, policy };
}
