import { describe, expect, it } from 'vitest';
import { snapshotFromValues } from '~/lib/equity/snapshot';
import { FLAG_AT_RISK, FLAG_NEW } from '~/lib/tiers';

describe('a snapshot rebuilt from stored values (the schema v6 upgrade)', () => {
  it('reads flags stored as ids (whole values) and as bits (slim values)', () => {
    const values = new Map<string, Record<string, unknown>>([
      ['a', { tierIndex: 0, clv: 120, pAlive: 0.2, x: 3, flags: ['at-risk'] }],
      ['b', { tierIndex: 1, clv: 40, pAlive: 0.9, x: 0, flagBits: FLAG_AT_RISK | FLAG_NEW }],
      ['c', { tierIndex: 2, clv: 5, pAlive: 0.5, x: 1, flagBits: 0 }],
    ]);
    const s = snapshotFromValues(7, '2026-01-01T00:00:00.000Z', ['a', 'b', 'c'], values, []);
    expect([...s.flags]).toEqual([FLAG_AT_RISK, FLAG_AT_RISK | FLAG_NEW, 0]);
    expect([...s.tier]).toEqual([0, 1, 2]);
    expect([...s.clv]).toEqual([120, 40, 5]);
  });
});
