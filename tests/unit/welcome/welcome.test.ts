import { describe, expect, it, vi } from 'vitest';
import { WELCOME_PAGE, welcomeOnInstalled } from '~/lib/welcome/first-run';
import { welcomeSteps, type WelcomeFacts } from '~/lib/welcome/steps';

const deps = () => ({
  openTab: vi.fn(async () => ({})),
  pageUrl: (path: string) => `chrome-extension://id${path}`,
  record: vi.fn(async () => {}),
  now: () => new Date('2026-12-07T06:00:00Z'),
});

describe('first run', () => {
  it('opens the welcome page on a fresh install, and records it', async () => {
    const d = deps();
    expect(await welcomeOnInstalled('install', d)).toBe(true);
    expect(d.openTab).toHaveBeenCalledExactlyOnceWith(`chrome-extension://id${WELCOME_PAGE}`);
    expect(d.record).toHaveBeenCalledWith({ reason: 'install', welcomed: true, at: '2026-12-07T06:00:00.000Z' });
  });

  it.each(['update', 'chrome_update', 'browser_update', 'shared_module_update'])('does not open it on %s', async (reason) => {
    const d = deps();
    expect(await welcomeOnInstalled(reason, d)).toBe(false);
    expect(d.openTab).not.toHaveBeenCalled();
    expect(d.record).toHaveBeenCalledWith({ reason, welcomed: false, at: '2026-12-07T06:00:00.000Z' });
  });
});

const fresh: WelcomeFacts = { enabledSites: [], customSites: 0, sampleLoaded: true, customers: 2357, sources: [], tiersEdited: false, rulesSaved: false };

describe('welcome steps', () => {
  it('a new install: nothing done yet, and the data is the sample', () => {
    const steps = welcomeSteps(fresh);
    expect(steps.map((s) => [s.id, s.done])).toEqual([
      ['site', false],
      ['data', false],
      ['rules', false],
    ]);
    expect(steps[0]!.state).toBe('Not yet: Centric is not on for any CRM or helpdesk site (only the demo helpdesk).');
    expect(steps[1]!.state).toBe('Not yet: the data is still the bundled sample.');
    expect(steps[2]!.state).toBe('Not yet: the default tiers and treatment rules are in use.');
  });

  it('each step done, in words', () => {
    const steps = welcomeSteps({ ...fresh, enabledSites: ['Zendesk', 'HubSpot', 'Gmail', 'Front'], sampleLoaded: false, customers: 12_000, tiersEdited: true });
    expect(steps.every((s) => s.done)).toBe(true);
    expect(steps[0]!.state).toBe('Done: Centric is on for Zendesk, HubSpot, Gmail and 1 more.');
    expect(steps[1]!.state).toBe('Done: 12,000 customers of your own are in the store.');
    expect(steps[2]!.state).toBe('Done: you set the tiers.');
    expect(welcomeSteps({ ...fresh, customSites: 1 })[0]!.state).toBe('Done: Centric is on for your own sites.');
    expect(welcomeSteps({ ...fresh, rulesSaved: true })[2]!.state).toBe('Done: you set the treatment rules.');
  });

  it('a team source counts as bringing data; an empty store is not the sample', () => {
    const withSource = welcomeSteps({ ...fresh, sources: ['Team API'] })[1]!;
    expect(withSource).toMatchObject({ done: true, state: 'Done: your team’s source Team API is set up (the local data is still the sample).' });
    expect(welcomeSteps({ ...fresh, sampleLoaded: false, customers: 0 })[1]).toMatchObject({ done: false, state: 'Not yet: there are no customers in the store.' });
  });
});
