/**
 * The treatment rules in extension storage, for extension pages and the background: the manager's
 * rule set (RULES), the team policy (storage.managed; absent or failing in a browser without a policy:
 * treated as no policy) and the team service's rules (TEAM_STATE; lib/team/in-force.ts). What they mean is lib/rules/stored.ts.
 */
import { rulesInEffect, ruleSetValue, type RulesInEffect } from '~/lib/rules/stored';
import type { Rule } from '~/lib/rules/schema';
import { RULES, TEAM_STATE } from './items';
import { watchPolicyInForce } from './policy-watch';
import { readPolicy, readSettings, removeSetting, watchSetting, writeSetting } from './storage';


/** The rules in effect now. */
export async function loadRules(tierNames: readonly string[]): Promise<RulesInEffect> {
  const [[stored, team], managed] = await Promise.all([readSettings(RULES, TEAM_STATE), readPolicy()]);
  return rulesInEffect(stored, managed, tierNames, team);
}

/** Saves the manager's rules (open sidebars pick the change up through onRulesChanged). */
export async function saveRules(rules: readonly Rule[]): Promise<void> {
  await writeSetting(RULES, ruleSetValue(rules));
}

/** Forgets the saved rules: the defaults for the current tiers apply again. */
export async function restoreDefaultRules(): Promise<void> {
  await removeSetting(RULES);
}

/** Calls `listener` whenever the saved rules, the team policy or the team's documents change; returns the unsubscribe. */
export function onRulesChanged(listener: () => void): () => void {
  const stops = [watchSetting(RULES, () => listener()), watchPolicyInForce(listener)];
  return () => stops.forEach((stop) => stop());
}
