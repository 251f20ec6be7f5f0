import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TIER_CONFIG,
  FLAG_AT_RISK,
  FLAG_NEW,
  FLAG_ONE_TIME,
  MIN_TEXT_CONTRAST,
  type TierConfig,
  TierConfigError,
  assignTiers,
  contrastRatio,
  describeCustomer,
  explainFlags,
  explainTier,
  flagIds,
  parseTierConfig,
  readableForeground,
  tierForeground,
} from '../../../lib/tiers';

/** Distinct values, highest first: customer i has rank i + 1. */
function descending(n: number, top = 1000, step = 1): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => top - i * step);
}

/** A deterministic shuffle (so ranks are not simply the input order). */
function shuffled(n: number, seed = 7): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

describe('percentile tiers (rounding: tier k ends at rank ceil(N × cumulative % / 100))', () => {
  it('a base of 100 splits 5 / 15 / 60 / 20', () => {
    const order = shuffled(100);
    const value = new Float64Array(100);
    order.forEach((customer, r) => (value[customer] = 500 - r)); // order[r] has rank r + 1
    const a = assignTiers({ value }, DEFAULT_TIER_CONFIG);
    expect(a.tierCounts).toEqual([5, 15, 60, 20]);
    expect(a.valued).toBe(100);
    for (let r = 0; r < 100; r++) {
      const customer = order[r] as number;
      expect(a.rank[customer]).toBe(r + 1);
      expect(a.tier[customer]).toBe(r < 5 ? 0 : r < 20 ? 1 : r < 80 ? 2 : 3);
    }
  });

  it('a base of 2,357 splits 118 / 354 / 1,414 / 471 (5 % of 2,357 = 117.85 rounds up)', () => {
    const a = assignTiers({ value: descending(2357, 5000) }, DEFAULT_TIER_CONFIG);
    expect(a.tierCounts).toEqual([118, 354, 1414, 471]);
    expect(a.tierEndRank).toEqual([118, 472, 1886, 2357]);
    expect(a.tier[117]).toBe(0);
    expect(a.tier[118]).toBe(1);
  });

  it('customers with no expected value (<= 0, NaN, missing) go to the last tier, unranked; shares count everyone', () => {
    const value = descending(100);
    for (let i = 70; i < 100; i++) value[i] = i % 3 === 0 ? Number.NaN : i % 3 === 1 ? 0 : -5;
    const a = assignTiers({ value }, DEFAULT_TIER_CONFIG);
    expect(a.valued).toBe(70);
    // Platinum 5 and Gold 15 of all 100; Iron takes the other 50 valued customers; Lead the 30 without value.
    expect(a.tierCounts).toEqual([5, 15, 50, 30]);
    for (let i = 70; i < 100; i++) {
      expect(a.tier[i]).toBe(3);
      expect(a.rank[i]).toBe(0);
    }
  });

  it('a tiny base keeps a non-empty top tier', () => {
    expect(assignTiers({ value: descending(3) }, DEFAULT_TIER_CONFIG).tierCounts).toEqual([1, 0, 2, 0]);
    expect(assignTiers({ value: new Float64Array(0) }, DEFAULT_TIER_CONFIG).tierCounts).toEqual([0, 0, 0, 0]);
  });

  it('ties are broken by id, whatever the input order', () => {
    const ids = ['c', 'a', 'd', 'b', 'e'];
    const value = Float64Array.from([10, 10, 10, 10, 20]);
    const a = assignTiers({ value, ids }, DEFAULT_TIER_CONFIG);
    // e (20) first, then a, b, c, d.
    expect(Array.from(a.order).map((i) => ids[i])).toEqual(['e', 'a', 'b', 'c', 'd']);
    const reversed = assignTiers({ value: value.slice().reverse(), ids: ids.slice().reverse() }, DEFAULT_TIER_CONFIG);
    expect(Array.from(reversed.order).map((i) => ids.slice().reverse()[i])).toEqual(['e', 'a', 'b', 'c', 'd']);
    // Numeric ids compare as numbers (9 before 10), and without ids the input order decides.
    const numeric = assignTiers({ value: Float64Array.from([1, 1]), ids: [10, 9] }, DEFAULT_TIER_CONFIG);
    expect(Array.from(numeric.order)).toEqual([1, 0]);
    expect(Array.from(assignTiers({ value: Float64Array.from([1, 1]) }, DEFAULT_TIER_CONFIG).order)).toEqual([0, 1]);
  });

  it('rejects columns of the wrong length', () => {
    expect(() => assignTiers({ value: descending(3), pAlive: [0.5] }, DEFAULT_TIER_CONFIG)).toThrow(/pAlive/);
  });
});

const absolute: TierConfig = parseTierConfig({
  ...DEFAULT_TIER_CONFIG,
  cutoff: 'absolute',
  tiers: [
    { id: 'platinum', name: 'Platinum', color: '#e2e8f0', minValue: 1000 },
    { id: 'gold', name: 'Gold', color: '#facc15', minValue: 500 },
    { id: 'iron', name: 'Iron', color: '#64748b', minValue: 100 },
    { id: 'lead', name: 'Lead', color: '#1e293b' },
  ],
});

describe('absolute cut-offs', () => {
  it('puts each customer in the first tier whose minimum they reach (inclusive)', () => {
    const value = Float64Array.from([1500, 1000, 999.99, 500, 120, 100, 99, 0, Number.NaN]);
    const a = assignTiers({ value }, absolute);
    expect(Array.from(a.tier)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 3]);
    expect(a.tierCounts).toEqual([2, 2, 2, 3]);
    expect(explainTier(a, 3)).toBe('Gold: predicted value $500 over 12 months reaches the Gold threshold of $500 but is below the Platinum threshold of $1,000 (rank 4 of 9).');
    expect(explainTier(a, 0)).toBe('Platinum: predicted value $1,500 over 12 months reaches the Platinum threshold of $1,000 (rank 1 of 9).');
    expect(explainTier(a, 6)).toBe('Lead: predicted value $99 over 12 months is below the Iron threshold of $100 (rank 7 of 9).');
  });
});

describe('configuration', () => {
  it('the default is valid, with readable text on every badge', () => {
    expect(parseTierConfig(DEFAULT_TIER_CONFIG)).toEqual(DEFAULT_TIER_CONFIG);
    expect(DEFAULT_TIER_CONFIG.tiers.map((t) => [t.name, t.percent])).toEqual([
      ['Platinum', 5],
      ['Gold', 15],
      ['Iron', 60],
      ['Lead', 20],
    ]);
    for (const tier of DEFAULT_TIER_CONFIG.tiers) {
      expect(contrastRatio(tierForeground(tier), tier.color)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    }
  });

  it('computes WCAG contrast and picks a readable foreground when none is given', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 10);
    expect(contrastRatio('#777', '#777777')).toBeCloseTo(1, 10);
    expect(readableForeground('#ffff00')).toBe('#111827');
    expect(readableForeground('#000080')).toBe('#ffffff');
    for (const color of ['#ff0000', '#00aa00', '#0000ff', '#808080', '#f0f0f0', '#222222']) {
      expect(contrastRatio(readableForeground(color), color)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST - 0.5);
    }
  });

  it('custom names, three tiers and colours', () => {
    const config = parseTierConfig({
      ...DEFAULT_TIER_CONFIG,
      tiers: [
        { id: 'vip', name: 'VIP', color: '#7c3aed', percent: 10 },
        { id: 'core', name: 'Core', color: '#0ea5e9', percent: 50 },
        { id: 'rest', name: 'Everyone else', color: '#f3f4f6', percent: 40 },
      ],
      atRisk: { topTiers: 1, pAliveBelow: 0.4 },
    });
    const a = assignTiers({ value: descending(50) }, config);
    expect(a.tierCounts).toEqual([5, 25, 20]);
    const badge = describeCustomer(a, 0);
    expect(badge.tierName).toBe('VIP');
    expect(badge.color).toBe('#7c3aed');
    expect(contrastRatio(badge.foreground, badge.color)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    expect(explainTier(a, 49)).toMatch(/^Everyone else: .* bottom 40% \(rank 50 of 50\)\.$/);
  });

  it('rejects bad configurations with every problem in words', () => {
    const tiers = DEFAULT_TIER_CONFIG.tiers;
    const attempts: [unknown, RegExp][] = [
      [{ ...DEFAULT_TIER_CONFIG, tiers: tiers.map((t) => ({ ...t, percent: 30 })) }, /add up to 100 \(they add up to 120\)/],
      [{ ...DEFAULT_TIER_CONFIG, tiers: [tiers[0], { ...tiers[1], id: 'platinum' }, tiers[2], tiers[3]] }, /used twice/],
      [{ ...DEFAULT_TIER_CONFIG, tiers: [{ ...tiers[0], foreground: '#ffffff' }, ...tiers.slice(1)] }, /contrast 1\.\d+:1/],
      [{ ...DEFAULT_TIER_CONFIG, tiers: [{ ...tiers[0], color: 'gold' }, ...tiers.slice(1)] }, /hex colour/],
      [{ ...absolute, tiers: [absolute.tiers[0], { ...absolute.tiers[1], minValue: 2000 }, absolute.tiers[2], absolute.tiers[3]] }, /decrease/],
      [{ ...DEFAULT_TIER_CONFIG, atRisk: { topTiers: 4, pAliveBelow: 0.5 } }, /topTiers/],
      [{ ...DEFAULT_TIER_CONFIG, tiers: [tiers[0]] }, /tiers/],
    ];
    for (const [input, message] of attempts) {
      expect(() => parseTierConfig(input)).toThrow(TierConfigError);
      expect(() => parseTierConfig(input)).toThrow(message);
    }
  });
});

describe('explanations', () => {
  // 2,357 customers; the one at index 36 has value $1,240 and rank 37.
  const value = Float64Array.from({ length: 2357 }, (_, i) => 1240 + (36 - i) * 0.5);

  it('states the value, the share and the rank', () => {
    const a = assignTiers({ value }, DEFAULT_TIER_CONFIG);
    expect(explainTier(a, 36)).toBe('Platinum: predicted value $1,240 over 12 months puts this customer in the top 5% (rank 37 of 2,357).');
    expect(explainTier(a, 299)).toBe('Gold: predicted value $1,109 over 12 months puts this customer in the top 20%, below the top 5% (rank 300 of 2,357).');
    expect(explainTier(a, 2356)).toBe('Lead: predicted value $80 over 12 months puts this customer in the bottom 20% (rank 2,357 of 2,357).');
  });

  it('explains customers without a value', () => {
    const a = assignTiers({ value: Float64Array.from([10, Number.NaN, 0]) }, DEFAULT_TIER_CONFIG);
    expect(explainTier(a, 1)).toBe('Lead: no predicted value is available for this customer, so they are placed in the last tier.');
    expect(explainTier(a, 2)).toBe('Lead: predicted value $0 over 12 months, so this customer is placed in the last tier.');
  });

  it('uses the configured words, currency and locale', () => {
    const config = parseTierConfig({
      ...DEFAULT_TIER_CONFIG,
      display: { valueLabel: 'expected margin', horizonLabel: 'over 2 years', currency: 'EUR', locale: 'de-DE' },
    });
    const a = assignTiers({ value }, config);
    const text = explainTier(a, 36);
    // de-DE puts a no-break space between the amount and the € sign.
    expect(text).toBe('Platinum: expected margin 1.240\u00a0€ over 2 years puts this customer in the top 5% (rank 37 of 2.357).');
  });
});

describe('flags', () => {
  const asOfDay = 10000;
  // 10 customers by value; Platinum = rank 1, Gold = 2, Iron 3..8, Lead 9..10.
  const value = descending(10, 100, 10);
  const pAlive = Float64Array.from([0.9, 0.18, 0.1, 0.6, 0.6, 0.6, 0.6, 0.6, 0.2, 0.9]);
  const x = Float64Array.from([5, 3, 2, 0, 0, 1, 1, 0, 0, 0]);
  const firstPurchaseDay = Float64Array.from([9000, 9100, 9200, asOfDay - 30, asOfDay - 31, asOfDay, 9500, Number.NaN, 9000, asOfDay + 1]);

  it('at risk = high value (top two tiers) and P(alive) below 0.5', () => {
    const a = assignTiers({ value, pAlive }, DEFAULT_TIER_CONFIG);
    expect(a.tier[1]).toBe(1);
    expect((a.flags[1] as number) & FLAG_AT_RISK).toBe(FLAG_AT_RISK);
    expect((a.flags[0] as number) & FLAG_AT_RISK).toBe(0); // Platinum but P(alive) 90 %
    expect((a.flags[2] as number) & FLAG_AT_RISK).toBe(0); // P(alive) 10 % but Iron
    expect((a.flags[8] as number) & FLAG_AT_RISK).toBe(0); // Lead
    expect(explainFlags(a, 1)).toEqual([{ id: 'at-risk', text: 'At risk: P(alive) 18% for a Gold customer (flagged below 50%).' }]);
  });

  it('at risk by value percentile too', () => {
    const config = parseTierConfig({ ...DEFAULT_TIER_CONFIG, atRisk: { topTiers: 0, valuePercentile: 70, pAliveBelow: 0.5 } });
    const a = assignTiers({ value, pAlive }, config);
    expect(a.highValueRank).toBe(3); // top 30 % of 10
    expect([0, 1, 2, 8].map((i) => flagIds(a, i))).toEqual([[], ['at-risk'], ['at-risk'], []]);
    expect(explainFlags(a, 2)[0]?.text).toBe('At risk: P(alive) 10% for a customer in the top 30% by value (flagged below 50%).');
  });

  it('new = first purchase at most 30 days before the as-of date; one-time = no repeat purchase and not new', () => {
    const a = assignTiers({ value, x, firstPurchaseDay, asOfDay }, DEFAULT_TIER_CONFIG);
    expect(flagIds(a, 3)).toEqual(['new']); // 30 days ago, x = 0: new, not one-time
    expect(flagIds(a, 4)).toEqual(['one-time']); // 31 days ago
    expect(flagIds(a, 5)).toEqual(['new']); // today
    expect(flagIds(a, 6)).toEqual([]);
    expect(flagIds(a, 7)).toEqual(['one-time']); // unknown first purchase date
    expect(flagIds(a, 9)).toEqual(['one-time']); // first purchase after the as-of date is not "new"
    expect(explainFlags(a, 3)).toEqual([{ id: 'new', text: 'New: first purchase 30 days ago (customers count as new for 30 days).' }]);
    expect(explainFlags(a, 4)).toEqual([{ id: 'one-time', text: 'One-time buyer: no repeat purchase since the first one, 31 days ago.' }]);
    expect(explainFlags(a, 5)[0]?.text).toMatch(/first purchase today/);
    expect(a.flags[3]).toBe(FLAG_NEW);
    expect(a.flags[4]).toBe(FLAG_ONE_TIME);
    // Without dates nobody is new, and x = 0 alone makes a one-time buyer.
    const noDates = assignTiers({ value, x }, DEFAULT_TIER_CONFIG);
    expect(flagIds(noDates, 3)).toEqual(['one-time']);
    expect(explainFlags(noDates, 3)[0]?.text).toBe('One-time buyer: no repeat purchase since the first one.');
  });
});

describe('scale', () => {
  it('assigns 1,000,000 customers (with ids and ties) in order (radix sort of indices)', () => {
    const n = 1_000_000;
    const value = new Float64Array(n);
    const pAlive = new Float64Array(n);
    const ids: string[] = new Array(n);
    for (let i = 0; i < n; i++) {
      value[i] = i % 10 === 0 ? 0 : ((i * 7919) % 100003) / 100; // many ties
      pAlive[i] = (i % 97) / 97;
      ids[i] = `c${i}`;
    }
    const a = assignTiers({ value, pAlive, ids }, DEFAULT_TIER_CONFIG);
    expect(a.tierCounts).toEqual([50000, 150000, 600000, 200000]);
    // Ranks follow the values, and ties follow the ids.
    let outOfOrder = 0;
    for (let r = 1; r < a.valued; r++) {
      const previous = a.order[r - 1] as number;
      const current = a.order[r] as number;
      const dv = (value[previous] as number) - (value[current] as number);
      if (dv < 0 || (dv === 0 && (ids[previous] as string) >= (ids[current] as string))) outOfOrder++;
      if (a.rank[current] !== r + 1) outOfOrder++;
    }
    expect(outOfOrder).toBe(0);
    // Its speed is measured by `npm run bench` (tests never fail on timing).
  });
});
