import { withValues } from '~/lib/db/values';
import { unpackBucket } from '~/lib/db/value-buckets';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CentricDb } from '~/lib/db/db';
import { loadSampleData } from '~/lib/sample/install';
import { DEFAULT_SCORING_SETTINGS } from '~/lib/scoring/settings';
import { readScoringSettings, scoreStore, writeScoringSettings } from '~/lib/scoring/store';
import { readBundledSample } from '../../helpers/sample';

let db: CentricDb;
let n = 0;
beforeEach(async () => {
  db = new CentricDb(`centric-scoring-${++n}`);
  await loadSampleData(db, readBundledSample());
});
afterEach(async () => {
  await db.delete();
});

describe('scoring the store', () => {
  it('gives every customer a value, a tier and an explanation, and records the run', async () => {
    const run = await scoreStore(db, DEFAULT_SCORING_SETTINGS, { now: () => new Date('2026-03-01T00:00:00Z') });
    expect(run.customers).toBe(2357);
    const customers = await withValues(db, await db.customers.toArray());
    expect(customers.every((c) => c.value && Number.isFinite(c.value.clv) && c.value.explanation.length > 20)).toBe(true);
    const counts = ['Platinum', 'Gold', 'Iron', 'Lead'].map((t) => customers.filter((c) => c.value!.tier === t).length);
    expect(counts).toEqual([118, 354, 1414, 471]);
    const best = customers.find((c) => c.value!.rank === 1)!;
    expect(best.value!.tier).toBe('Platinum');
    expect(best.value!.explanation).toContain('rank 1 of 2,357');
    const record = await db.modelRuns.get(run.modelRunId);
    expect(record).toMatchObject({ customers: 2357, tierCounts: [118, 354, 1414, 471], at: '2026-03-01T00:00:00.000Z' });
    expect(record!.customerEquity).toBeCloseTo(customers.reduce((s, c) => s + c.value!.clv, 0), -1);
    expect((record!.holdout as { previousEquity: unknown }).previousEquity).toBeNull();
  });

  it('keeps the previous equity for "change since the last scoring", and the chosen settings', async () => {
    await scoreStore(db, DEFAULT_SCORING_SETTINGS);
    const settings = { ...DEFAULT_SCORING_SETTINGS, model: 'pareto-nbd' as const, margin: 0.3 };
    await writeScoringSettings(db, settings);
    expect(await readScoringSettings(db)).toEqual(settings);
    const second = await scoreStore(db, settings);
    const record = await db.modelRuns.get(second.modelRunId);
    expect(record!.model).toBe('pareto-nbd');
    expect((record!.holdout as { previousEquity: number }).previousEquity).toBeGreaterThan(second.customerEquity);
  });

  it('stores the numbers only, and builds the same words on read (tier, colours, explanation, flags)', async () => {
    const run = await scoreStore(db, DEFAULT_SCORING_SETTINGS, { now: () => new Date('2026-03-01T00:00:00Z') });
    const buckets = await db.valueBuckets.toArray();
    expect(buckets.every((b) => b.items === undefined && b.numbers instanceof Float64Array && b.ids!.length > 0)).toBe(true);
    const items = buckets.flatMap(unpackBucket) as unknown as Record<string, unknown>[];
    expect(items).toHaveLength(2357);
    expect(items.every((v) => !('explanation' in v) && !('tier' in v) && !('scoredAt' in v) && typeof v.flagBits === 'number')).toBe(true);
    const customers = await withValues(db, await db.customers.toArray());
    for (const c of customers) {
      const v = c.value!;
      expect(v.scoredAt).toBe('2026-03-01T00:00:00.000Z');
      expect(v.modelRunId).toBe(run.modelRunId);
      expect(v.explanation.startsWith(`${v.tier}: `)).toBe(true);
      if (v.rank > 0) expect(v.explanation).toContain(`(rank ${v.rank.toLocaleString('en-US')} of 2,357)`);
      expect(v.flagExplanations).toHaveLength(v.flags.length);
      v.flags.forEach((flag, k) => expect(v.flagExplanations[k]).toMatch({ 'at-risk': /^At risk: P\(alive\)/, new: /^New: first purchase/, 'one-time': /^One-time buyer/ }[flag]!));
    }
    const tiers = DEFAULT_SCORING_SETTINGS.tiers.tiers;
    expect(customers.every((c) => c.value!.tierColor === tiers[c.value!.tierIndex]!.color && c.value!.tierCount === tiers.length)).toBe(true);
    expect(customers.some((c) => c.value!.flags.includes('at-risk'))).toBe(true);
    // The words travel with the value (a message to a content script is a structured clone).
    const copy = structuredClone(customers.find((c) => c.value!.flags.length > 0)!.value!);
    expect(copy.explanation.length).toBeGreaterThan(20);
    expect(copy.flagExplanations.length).toBeGreaterThan(0);
  });

  it('says what to do when there is nothing to score', async () => {
    const empty = new CentricDb(`centric-scoring-empty-${n}`);
    await expect(scoreStore(empty, DEFAULT_SCORING_SETTINGS)).rejects.toThrow(/Import a transactions file first/);
    await empty.delete();
  });
});
