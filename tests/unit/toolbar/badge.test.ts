import { describe, expect, it } from 'vitest';
import type { LookupResult } from '../../../lib/messages/schema';
import { badgeFor, TabBadges, tierInitial, type BadgeApi } from '../../../lib/toolbar/badge';

const base = {
  id: '7',
  name: 'Ana Li',
  currency: 'USD',
  asOf: '2026-01-02T00:00:00Z',
  source: 'sample' as const,
  facts: { orders: 12, totalSpent: 1234.5, firstPurchase: '1997-01-01', lastPurchase: '1997-12-12' },
};
const value = {
  tier: 'Gold',
  tierColor: '#facc15',
  tierForeground: '#1f2937',
  rank: 3,
  clv: 120,
  next12Months: 40,
  pAlive: 0.8,
  expectedTransactions: 1.2,
  explanation: 'Gold: …',
  flags: [],
  flagExplanations: [],
  model: 'bgnbd',
  scoredAt: '2026-01-02T00:00:00Z',
};
const found = (tier = 'Gold', color = '#facc15'): LookupResult => ({ status: 'found', customer: { ...base, value: { ...value, tier, tierColor: color } } });
const remote: LookupResult = {
  status: 'found',
  customer: { ...base, source: 'remote', remote: { tier: 'platinum', tierColor: '#e2e8f0', tierForeground: '#0f172a', stale: false } },
};
const unscored: LookupResult = { status: 'found', customer: base };

/** A fake `action` API that keeps each tab's badge like the browser does. */
function fakeAction(): BadgeApi & { tabs: Map<number, { text?: string; color?: string; textColor?: string }> } {
  const tabs = new Map<number, { text?: string; color?: string; textColor?: string }>();
  const tab = (id: number) => tabs.get(id) ?? (tabs.set(id, {}), tabs.get(id)!);
  return {
    tabs,
    setBadgeText: async ({ tabId, text }) => void (tab(tabId).text = text),
    setBadgeBackgroundColor: async ({ tabId, color }) => void (tab(tabId).color = color),
    setBadgeTextColor: async ({ tabId, color }) => void (tab(tabId).textColor = color),
  };
}

const LOOKUP = { type: 'lookup', identity: { host: 'zendesk', email: 'ana@li.example' } };
const TICKET_1 = 'https://acme.zendesk.com/agent/tickets/1';
const TICKET_2 = 'https://acme.zendesk.com/agent/tickets/2';
const TAB = { tab: { id: 4 }, frameId: 0 };

describe('the badge of a lookup answer', () => {
  it('is the tier’s initial in the tier’s colours', () => {
    expect(badgeFor(found())).toEqual({ text: 'G', color: '#facc15', textColor: '#1f2937' });
    // A remote source's tier (shown instead of the local value) in its own colours, lower case made upper.
    expect(badgeFor(remote)).toEqual({ text: 'P', color: '#e2e8f0', textColor: '#0f172a' });
  });

  it('takes a whole character, also outside the Basic Multilingual Plane, and ignores leading spaces', () => {
    expect(tierInitial('  élite')).toBe('É');
    expect(tierInitial('𝒜 list')).toBe('𝒜');
    expect(tierInitial('   ')).toBe('');
  });

  it('is empty when the answer shows no tier', () => {
    expect(badgeFor({ status: 'not-found', suggestions: [] })).toBeNull();
    expect(badgeFor({ status: 'error', message: 'The local store could not be read.' })).toBeNull();
    expect(badgeFor(unscored)).toBeNull();
    expect(badgeFor(undefined)).toBeNull();
  });
});

describe('the badges of the tabs', () => {
  /** A lookup that arrives now and is answered with `answer` when the returned function is called. */
  const lookupIn = (badges: TabBadges, answer: LookupResult, sender = TAB, message: unknown = LOOKUP) => {
    const onAnswer = badges.request(message, sender);
    return () => onAnswer!(answer);
  };

  it('shows the tier of a tab’s lookup on that tab', async () => {
    const action = fakeAction();
    await lookupIn(new TabBadges(action), found())();
    expect(action.tabs.get(4)).toEqual({ text: 'G', color: '#facc15', textColor: '#1f2937' });
  });

  it('follows a linked record (link answers with a lookup) and clears on an answer without a tier', async () => {
    const action = fakeAction();
    const badges = new TabBadges(action);
    await lookupIn(badges, found('Iron', '#64748b'), TAB, { type: 'link', identity: {}, customerId: '7' })();
    expect(action.tabs.get(4)?.text).toBe('I');
    await lookupIn(badges, { status: 'not-found' })();
    expect(action.tabs.get(4)?.text).toBe('');
  });

  it('leaves the badge alone for other requests, other frames and senders without a tab', () => {
    const badges = new TabBadges(fakeAction());
    expect(badges.request({ type: 'search', query: 'ana' }, TAB)).toBeNull();
    expect(badges.request({ type: 'lookup-batch', identities: [] }, TAB)).toBeNull();
    expect(badges.request(LOOKUP, { tab: { id: 4 }, frameId: 3 })).toBeNull();
    expect(badges.request(LOOKUP, {})).toBeNull(); // the popup or the options page
    expect(badges.request(LOOKUP, { tab: { id: -1 }, frameId: 0 })).toBeNull();
    expect(badges.request(null, TAB)).toBeNull();
  });

  it('clears when the tab goes to another URL, not when the browser reports the same URL again', async () => {
    const action = fakeAction();
    const badges = new TabBadges(action);
    await badges.navigated(4, TICKET_1);
    await lookupIn(badges, found())();
    await badges.navigated(4, TICKET_1);
    expect(action.tabs.get(4)?.text).toBe('G');
    // Another page (e.g. the ticket list, which shows no customer and sends no lookup): cleared.
    await badges.navigated(4, 'https://acme.zendesk.com/agent/filters/1');
    expect(action.tabs.get(4)?.text).toBe('');
  });

  it('ignores the answer to a lookup that arrived before the tab navigated', async () => {
    const action = fakeAction();
    const badges = new TabBadges(action);
    await badges.navigated(4, TICKET_1);
    const late = lookupIn(badges, found());
    await badges.navigated(4, 'https://acme.zendesk.com/agent/filters/1');
    await late();
    expect(action.tabs.get(4)?.text).toBe('');
  });

  it('takes the answer to a lookup sent after a single-page navigation (whatever URL the sender reports)', async () => {
    const action = fakeAction();
    const badges = new TabBadges(action);
    await badges.navigated(4, TICKET_1);
    await lookupIn(badges, found())();
    await badges.navigated(4, TICKET_2);
    expect(action.tabs.get(4)?.text).toBe('');
    await lookupIn(badges, found('Lead', '#1e293b'))();
    expect(action.tabs.get(4)).toMatchObject({ text: 'L', color: '#1e293b' });
  });

  it('forgets a closed tab', async () => {
    const action = fakeAction();
    const badges = new TabBadges(action);
    await badges.navigated(4, TICKET_1);
    badges.closed(4);
    // A new tab that reuses the id: its first navigation, to the same URL, still clears what was there.
    await lookupIn(badges, found())();
    await badges.navigated(4, TICKET_1);
    expect(action.tabs.get(4)?.text).toBe('');
  });

  it('works without setBadgeTextColor (older browsers)', async () => {
    const { setBadgeTextColor: _, ...older } = fakeAction();
    const badges = new TabBadges(older);
    await expect(lookupIn(badges, found())()).resolves.toBeUndefined();
  });
});
