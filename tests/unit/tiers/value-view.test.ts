/** A stored value as every view shows it (lib/tiers/value-view.ts): words from numbers, never a crash. */
import { describe, expect, it } from 'vitest';
import type { SlimValue } from '~/lib/db/records';
import { DEFAULT_TIER_CONFIG } from '~/lib/tiers';
import { expandValue } from '~/lib/tiers/value-view';

const slim: SlimValue = {
  customerId: 'c1', modelRunId: 1, x: 3, tx: 40, T: 60, monetary: 25, pAlive: 0.9, expectedTransactions: 2, expectedSpend: 24,
  clv: 480, next12Months: 48, lifetimeValue: 600, tierIndex: 1, rank: 12, flagBits: 0, firstDay: 19_000,
};
const tiers = DEFAULT_TIER_CONFIG.tiers;

describe('expandValue', () => {
  it('names the tier and explains it with the rank among the run’s customers', () => {
    const value = expandValue(slim, undefined);
    expect(value.tier).toBe(tiers[1]!.name);
    expect(value.explanation.startsWith(`${tiers[1]!.name}: `)).toBe(true);
  });

  it('a tier index that does not read (a damaged bucket) is the last tier, not a crash', () => {
    for (const tierIndex of [Number.NaN, 2.5, Number.POSITIVE_INFINITY]) {
      const value = expandValue({ ...slim, tierIndex }, undefined);
      expect(value.tier).toBe(tiers[tiers.length - 1]!.name);
      expect(typeof value.explanation).toBe('string');
    }
  });
});
