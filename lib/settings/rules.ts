/**
 * The treatment rules in extension storage, for extension pages and the background: the manager's
 * rule set (RULES), the team policy (storage.managed; absent or failing in a browser without a policy:
 * treated as no policy). What they mean is lib/rules/stored.ts.
 */
import { rulesInEffect, ruleSetValue, type RulesInEffect } from '~/lib/rules/stored';
import type { Rule } from '~/lib/rules/schema';
import { RULES } from './items';
import { readPolicy, readSetting, removeSetting, watchPolicy, watchSetting, writeSetting } from './storage';


/** The rules in effect now. */
export async function loadRules(tierNames: readonly string[]): Promise<RulesInEffect> {
  const [stored, managed] = await Promise.all([readSetting(RULES), readPolicy()]);
  return rulesInEffect(stored, managed, tierNames);
}

/** Saves the manager's rules (open sidebars pick the change up through onRulesChanged). */
export async function saveRules(rules: readonly Rule[]): Promise<void> {
  await writeSetting(RULES, ruleSetValue(rules));
}

/** Forgets the saved rules: the defaults for the current tiers apply again. */
export async function restoreDefaultRules(): Promise<void> {
  await removeSetting(RULES);
}

/** Calls `listener` whenever the saved rules or the team policy change; returns the unsubscribe. */
export function onRulesChanged(listener: () => void): () => void {
  const stops = [watchSetting(RULES, () => listener()), watchPolicy(listener)];
  return () => stops.forEach((stop) => stop());
}
