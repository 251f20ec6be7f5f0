// @vitest-environment happy-dom
/**
 * The dashboard's "Team base, as of …" (issue 19): shown only when a team connection exists, read from
 * GET /v1/scores/summary (fetch stubbed), kept, and shown from the kept copy with why when the service
 * cannot be reached.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { TeamBase } from '~/components/options/dashboard/TeamBase';
import { TEAM, TEAM_BASE } from '~/lib/settings/items';
import { readSetting, writeSetting } from '~/lib/settings/storage';

const summary = {
  run: { id: 3, at: '2026-12-08T09:30:00.000Z', source: 'team.csv', uploadedBy: 'Mia manager' },
  customers: 40,
  valued: 38,
  equity: 13_000,
  tiers: [
    { tier: 'Platinum', customers: 10, value: 10_000 },
    { tier: 'Gold', customers: 30, value: 3000 },
  ],
};
const team = { url: 'https://centric.example.com', token: 'ctk_abcdefghijklmnopqrstuvwxyz' };

beforeEach(() => fakeBrowser.reset());
afterEach(() => {
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

async function mount(): Promise<HTMLElement> {
  const root = document.createElement('div');
  document.body.append(root);
  await act(async () => render(<TeamBase />, root));
  return root;
}

/** Waits (on states, not time) until `check` holds. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await act(async () => new Promise((r) => setTimeout(r, 5)));
  expect(check()).toBe(true);
}

describe('the team base on the dashboard', () => {
  it('shows nothing when no team connection exists, and asks nothing', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const root = await mount();
    await act(async () => new Promise((r) => setTimeout(r, 20)));
    expect(root.querySelector('[data-testid="team-base"]')).toBeNull();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('shows the team’s customers, equity and tiers as of when it was read, and keeps them', async () => {
    await writeSetting(TEAM, team);
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) => new Response(JSON.stringify(summary), { status: 200, headers: { 'content-type': 'application/json' } }));
    vi.stubGlobal('fetch', fetch);
    const root = await mount();
    await until(() => root.querySelector('[data-testid="team-equity"]') !== null);
    expect(fetch.mock.calls[0]![0]).toBe('https://centric.example.com/v1/scores/summary');
    expect((fetch.mock.calls[0]![1] as RequestInit).headers).toMatchObject({ Authorization: `Bearer ${team.token}` });
    expect(root.querySelector('h3')!.textContent).toMatch(/^Team base, as of \d{1,2} [A-Z][a-z]{2} \d\d:\d\d$/);
    expect(root.querySelector('[data-testid="team-equity"]')!.textContent).toBe('$13,000');
    expect(root.querySelector('[data-testid="team-base-reading"]')!.textContent).toContain('40 customers (2 with a tier but no value)');
    expect([...root.querySelectorAll('[data-testid="team-tier"]')].map((r) => [...r.children].map((c) => c.textContent))).toEqual([
      ['Platinum', '10', '$10,000', '77%'],
      ['Gold', '30', '$3,000', '23%'],
    ]);
    expect((await readSetting(TEAM_BASE))?.summary.equity).toBe(13_000);
  });

  it('when the service cannot be reached, shows the kept copy and why; with none kept, says why', async () => {
    await writeSetting(TEAM, team);
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const empty = await mount();
    await until(() => empty.querySelector('[data-testid="team-base-problem"]') !== null);
    expect(empty.querySelector('[data-testid="team-base"]')!.getAttribute('data-state')).toBe('failed');
    expect(empty.textContent).toContain('cannot be reached (Failed to fetch)');

    document.body.innerHTML = '';
    await writeSetting(TEAM_BASE, { url: team.url, fetchedAt: Date.parse('2026-12-07T08:05:00'), summary });
    const kept = await mount();
    await until(() => kept.querySelector('[data-testid="team-base-problem"]') !== null);
    expect(kept.querySelector('h3')!.textContent).toBe('Team base, as of 7 Dec 08:05');
    expect(kept.querySelector('[data-testid="team-equity"]')!.textContent).toBe('$13,000');
    expect(kept.querySelector('[data-testid="team-base-problem"]')!.textContent).toMatch(/^Could not refresh, showing the copy read 7 Dec 08:05: The team service at https:\/\/centric.example.com cannot be reached/);
  });
});
