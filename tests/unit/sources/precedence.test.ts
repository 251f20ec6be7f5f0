import { describe, expect, it } from 'vitest';
import { type ScoreCandidate, UNKNOWN_TIER_COLOR, asOfText, chooseScore, remoteValueView, sourceLabel } from '../../../lib/sources';
import { DEFAULT_TIER_CONFIG, contrastRatio } from '../../../lib/tiers/config';

const ORDER = ['warehouse', 'shared', 'local'];
const T = new Date(2025, 2, 12, 10, 42).getTime();

function candidate(sourceId: string, tier: string | null, state: 'fresh' | 'stale' | 'expired' = 'fresh'): ScoreCandidate<{ tier: string }> {
  return { sourceId, score: tier === null ? null : { tier }, asOf: T, stale: state !== 'fresh', expired: state === 'expired' };
}

describe('chooseScore', () => {
  it('the first source in precedence that has a score wins', () => {
    const chosen = chooseScore([candidate('local', 'Lead'), candidate('shared', 'Iron'), candidate('warehouse', 'Gold')], ORDER);
    expect(chosen).toMatchObject({ sourceId: 'warehouse', score: { tier: 'Gold' }, fallback: false });
  });

  it('a source without a score for the customer does not count', () => {
    expect(chooseScore([candidate('warehouse', null), candidate('shared', 'Iron')], ORDER)?.sourceId).toBe('shared');
    expect(chooseScore([candidate('warehouse', null)], ORDER)).toBeUndefined();
    expect(chooseScore([], ORDER)).toBeUndefined();
  });

  it('a stale value from a higher source beats a fresh one from a lower source', () => {
    expect(chooseScore([candidate('warehouse', 'Gold', 'stale'), candidate('local', 'Lead')], ORDER)).toMatchObject({ sourceId: 'warehouse', stale: true, fallback: false });
  });

  it('an expired value whose refresh failed loses to a usable lower one, but beats nothing', () => {
    expect(chooseScore([candidate('warehouse', 'Gold', 'expired'), candidate('local', 'Lead', 'stale')], ORDER)).toMatchObject({ sourceId: 'local', fallback: false });
    expect(chooseScore([candidate('shared', 'Iron', 'expired'), candidate('warehouse', 'Gold', 'expired')], ORDER)).toMatchObject({ sourceId: 'warehouse', fallback: true });
  });

  it('sources not in the precedence (disabled) are ignored', () => {
    expect(chooseScore([candidate('old-api', 'Platinum'), candidate('local', 'Lead')], ORDER)?.sourceId).toBe('local');
  });
});

describe('sourceLabel', () => {
  it('says which source and as of when, in local time', () => {
    expect(sourceLabel({ name: 'Acme warehouse API' }, T, { now: T })).toBe('From Acme warehouse API, as of 12 Mar 10:42');
    expect(sourceLabel('local', T)).toBe('From the scores in this browser, as of 12 Mar 10:42');
    expect(sourceLabel({ name: 'Shared scores' })).toBe('From Shared scores');
  });

  it('adds the year when it is not this year, and marks a value that could not be refreshed', () => {
    const lastYear = new Date(2024, 11, 31, 9, 5).getTime();
    expect(asOfText(lastYear, T)).toBe('31 Dec 2024 09:05');
    expect(sourceLabel({ name: 'Acme' }, lastYear, { now: T, fallback: true })).toBe('From Acme, as of 31 Dec 2024 09:05 (could not refresh)');
    expect(asOfText(Number.NaN)).toBe('an unknown time');
  });
});

describe('remoteValueView', () => {
  it('takes the colour of the tier of the same name in the tier configuration', () => {
    expect(remoteValueView({ tier: 'gold', clv: 10 })).toEqual({ tier: 'gold', tierColor: '#facc15', tierForeground: '#1f2937', clv: 10 });
  });

  it('uses the source’s colour with a readable text colour, or grey for an unknown tier', () => {
    const view = remoteValueView({ tier: 'VIP', tierColor: '#1e3a8a' }, DEFAULT_TIER_CONFIG);
    expect(view.tierColor).toBe('#1e3a8a');
    expect(contrastRatio(view.tierForeground, view.tierColor)).toBeGreaterThanOrEqual(4.5);
    const unknown = remoteValueView({ tier: 'Bronze' });
    expect(unknown.tierColor).toBe(UNKNOWN_TIER_COLOR);
    expect(contrastRatio(unknown.tierForeground, unknown.tierColor)).toBeGreaterThanOrEqual(4.5);
  });

  it('leaves numbers the source did not give undefined (never 0)', () => {
    const view = remoteValueView({ tier: 'Gold', pAlive: 0.4, treatment: { title: 'Call' } });
    expect(view).not.toHaveProperty('clv');
    expect(view).not.toHaveProperty('next12Months');
    expect(view).toMatchObject({ pAlive: 0.4, treatment: { title: 'Call' } });
  });
});
