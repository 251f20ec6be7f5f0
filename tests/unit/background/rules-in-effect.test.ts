import { describe, expect, it, vi } from 'vitest';
import { rulesInEffect } from '~/lib/background/rules-in-effect';
import { DEFAULT_RULES } from '~/lib/rules/defaults';
import { DEFAULT_TIER_CONFIG } from '~/lib/tiers/config';
import type { TierConfig } from '~/lib/tiers/config';
import { makeRule } from '../rules/helpers';

const renamed = (first: string): TierConfig => ({ ...DEFAULT_TIER_CONFIG, tiers: DEFAULT_TIER_CONFIG.tiers.map((t, i) => (i === 0 ? { ...t, name: first } : t)) });

describe('the rules in effect for lookups (the background’s)', () => {
  it('reads the rules once, again after a change, and for new tier names once the tier settings are read again', async () => {
    let clock = 0;
    let tiers = DEFAULT_TIER_CONFIG;
    const readTiers = vi.fn(async () => tiers);
    const loadRules = vi.fn(async (names: string[]) => ({ rules: [makeRule(names[0]!.toLowerCase().replace(/\s+/g, '-'), [{ kind: 'flag', flag: 'new' }])], problems: [] as string[] }));
    const effective = rulesInEffect({ readTiers, loadRules, now: () => clock, tiersMaxAgeMs: 5000 });
    const first = (await effective.rules())[0]!.id;
    await effective.rules();
    expect(loadRules).toHaveBeenCalledTimes(1);
    effective.forget();
    await effective.rules();
    expect(loadRules).toHaveBeenCalledTimes(2);
    // Tiers renamed: seen once the tier settings are older than the limit.
    tiers = renamed('Gold Plus');
    expect((await effective.rules())[0]!.id).toBe(first);
    clock = 6000;
    expect((await effective.rules())[0]!.id).toBe('gold-plus');
    expect(readTiers).toHaveBeenCalledTimes(2);
    tiers = renamed('Diamond');
    effective.forget({ tiers: true });
    expect((await effective.rules())[0]!.id).toBe('diamond');
  });

  it('says the problems of a rule set, and falls back to the defaults when the rules cannot be read', async () => {
    const warn = vi.fn();
    let fail = true;
    const effective = rulesInEffect({
      readTiers: async () => DEFAULT_TIER_CONFIG,
      loadRules: async () => {
        if (fail) throw new Error('storage is gone');
        return { rules: DEFAULT_RULES, problems: ['Rule 3: unknown tier "Bronze".'] };
      },
      warn,
    });
    expect(await effective.rules()).toBe(DEFAULT_RULES);
    expect(warn).toHaveBeenCalledWith('[Centric] Reading the treatment rules failed; using the defaults:', expect.any(Error));
    fail = false; // read again on the next lookup, not stuck on the failure
    expect(await effective.rules()).toBe(DEFAULT_RULES);
    expect(warn).toHaveBeenCalledWith('[Centric]', 'Rule 3: unknown tier "Bronze".');
  });
});
