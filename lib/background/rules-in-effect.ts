/**
 * The treatment rules in effect for lookups (the manager's, the team policy's, or the defaults for the
 * current tier names), kept between lookups and read again after a change of the rules, the policy or
 * the tier names. The tier configuration is read at most every `tiersMaxAgeMs` (a lookup must stay
 * fast; renamed tiers reach the default rules and the remote tiers' colours within that time).
 * Loading is passed in (the background gives the store and extension storage; tests give fakes).
 */
import { DEFAULT_RULES } from '../rules/defaults';
import type { Rule } from '../rules/schema';
import type { TierConfig } from '../tiers/config';

export interface RulesInEffectDeps {
  readTiers(): Promise<TierConfig>;
  /** The rules in effect for these tier names, and the problems met reading them (said, not thrown). */
  loadRules(tierNames: string[]): Promise<{ rules: readonly Rule[]; problems: readonly string[] }>;
  now?: () => number;
  warn?: (...words: unknown[]) => void;
  tiersMaxAgeMs?: number;
}

export interface RulesInEffect {
  tiers(): Promise<TierConfig>;
  rules(): Promise<readonly Rule[]>;
  /** The rules or the policy changed: read them again on the next lookup (with `tiers`, the tier configuration too). */
  forget(options?: { tiers?: boolean }): void;
}

export function rulesInEffect({ readTiers, loadRules, now = Date.now, warn = console.warn, tiersMaxAgeMs = 5000 }: RulesInEffectDeps): RulesInEffect {
  let rules: { tierNames: string; rules: Promise<readonly Rule[]> } | null = null;
  let tierConfig: { tiers: Promise<TierConfig>; at: number } | null = null;
  const tiers = (): Promise<TierConfig> => {
    if (!tierConfig || now() - tierConfig.at > tiersMaxAgeMs) {
      const reading = readTiers();
      tierConfig = { tiers: reading, at: now() };
      reading.catch(() => (tierConfig = null));
    }
    return tierConfig.tiers;
  };
  return {
    tiers,
    async rules() {
      const names = (await tiers()).tiers.map((t) => t.name);
      if (rules?.tierNames !== names.join('\n')) {
        const loading = loadRules(names).then((effect) => {
          for (const problem of effect.problems) warn('[Centric]', problem);
          return effect.rules;
        });
        rules = { tierNames: names.join('\n'), rules: loading };
      }
      return rules.rules.catch((error: unknown) => {
        warn('[Centric] Reading the treatment rules failed; using the defaults:', error);
        rules = null;
        return DEFAULT_RULES;
      });
    },
    forget({ tiers: alsoTiers = false } = {}) {
      rules = null;
      if (alsoTiers) tierConfig = null;
    },
  };
}
