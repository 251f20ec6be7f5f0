// @vitest-environment happy-dom
/**
 * Options → Sites → "Site definitions" (issue 17): the address (locked when the team policy sets
 * it), "Check now", the last check in words, and which definition each site uses, with the override
 * keys this browser's CSS engine refuses.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { SiteDefinitions } from '~/components/options/SiteDefinitions';
import { type SiteDefinitionsStatus } from '~/lib/sites/definitions';
import { click, tick, type } from '../../../helpers/act';
import { SITE_DEFINITIONS_STATUS, SITE_DEFINITIONS_URL, SITE_OVERRIDES } from '~/lib/settings/items';

const URL_ = 'https://files.example.com/centric-sites.json';
let root: HTMLElement;
const $ = (testId: string, scope: ParentNode = root) => scope.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
const text = (testId: string, scope?: ParentNode) => $(testId, scope)?.textContent?.replace(/\s+/g, ' ').trim();

async function mount() {
  root = document.createElement('div');
  document.body.append(root);
  await act(() => render(<SiteDefinitions />, root));
  for (let i = 0; i < 200 && $('site-definitions')?.getAttribute('data-state') !== 'ready'; i++) await tick(5);
}
async function until(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i++) await tick(5);
  expect(check()).toBe(true);
}

const bundled = (version = 1) => ({ source: 'bundled' as const, version, bundledVersion: version, notes: [] });
const status = (extra: Partial<SiteDefinitionsStatus> = {}): SiteDefinitionsStatus => ({
  url: URL_,
  urlFrom: 'options',
  checkedAt: Date.now() - 60_000,
  outcome: 'changed',
  fetchedAt: Date.now() - 60_000,
  problems: [],
  policyProblems: [],
  hosts: { zendesk: { source: 'url', version: 2, bundledVersion: 1, notes: [] }, hubspot: bundled() },
  ...extra,
});

let allowed = true;
beforeEach(() => {
  fakeBrowser.reset();
  allowed = true;
  vi.spyOn(fakeBrowser.permissions, 'contains').mockImplementation((async () => allowed) as never);
  vi.spyOn(fakeBrowser.permissions.onAdded, 'addListener').mockImplementation(() => {});
  vi.spyOn(fakeBrowser.permissions.onAdded, 'removeListener').mockImplementation(() => {});
});
afterEach(() => {
  render(null, root);
  root.remove();
  vi.restoreAllMocks();
});

describe('Options → Sites → Site definitions', () => {
  it('with nothing set: every site on its bundled definition, an empty address', async () => {
    await mount();
    expect(($('site-definitions-url') as HTMLInputElement).value).toBe('');
    expect(($('site-definitions-url') as HTMLInputElement).disabled).toBe(false);
    expect(text('site-definition-in-use', $('site-definition-zendesk')!)).toBe('bundled v1');
    expect($('site-definition-demo')).toBeNull();
    expect($('site-definitions-status')).toBeNull();
    expect(text('site-definitions-result')).toBe('');
  });

  it('saves an address after the browser allows its site, and refuses one that is not https', async () => {
    const request = vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValue(true as never);
    await mount();
    await type($('site-definitions-url'), 'http://files.example.com/x.json');
    await click($('site-definitions-save'));
    expect(text('site-definitions-result')).toMatch(/^Use https:\/\//);
    expect(request).not.toHaveBeenCalled();
    await type($('site-definitions-url'), URL_);
    await click($('site-definitions-save'));
    await until(() => text('site-definitions-result') === 'Saved. Centric downloads the file now and checks it every hour.');
    expect(request).toHaveBeenCalledWith({ origins: ['https://files.example.com/*'] });
    expect((await fakeBrowser.storage.local.get(SITE_DEFINITIONS_URL.key))[SITE_DEFINITIONS_URL.key]).toBe(URL_);

    // The same address again: nothing changes in storage, so the page asks the background to check now.
    const asked: unknown[] = [];
    fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
      asked.push(message);
      return Promise.resolve({ ok: true, message: 'The definitions file has not changed since the last check.' });
    });
    await until(() => ($('site-definitions-save') as HTMLButtonElement).disabled === false);
    await click($('site-definitions-save'));
    await until(() => text('site-definitions-result') === 'The definitions file has not changed since the last check.');
    expect(asked).toEqual([{ type: 'check-site-definitions' }]);
  });

  it('shows the status: which definition each site uses, the last check, the error and its problems', async () => {
    await fakeBrowser.storage.local.set({
      [SITE_DEFINITIONS_URL.key]: URL_,
      [SITE_DEFINITIONS_STATUS.key]: status({
        outcome: 'failed',
        error: 'The definitions file cannot be used (2 problems; first: …). The copy downloaded 1 Jan 10:00 stays in use.',
        problems: [`${URL_}: site "hubspot", key "emial": no such key.`, `${URL_}: site "zendesk", key "paths.ticket": not a regular expression.`],
        hosts: {
          zendesk: { source: 'url', version: 2, bundledVersion: 1, notes: [] },
          hubspot: { source: 'bundled', version: 2, bundledVersion: 2, notes: ['The override from the definitions file (version 1) is not used: this release of Centric bundles version 2, which is newer.'] },
        },
      }),
      [SITE_OVERRIDES.key]: { zendesk: { version: 2, selectors: { userEmail: 'a.email', userName: 'h2[' } } },
    });
    await mount();
    expect(text('site-definitions-status')).toMatch(/^Last checked: \d+ \w{3} \d\d:\d\d \(failed\)\. Copy in use: downloaded \d+ \w{3} \d\d:\d\d\.$/);
    expect(text('site-definitions-error')).toContain('The copy downloaded 1 Jan 10:00 stays in use.');
    expect([...$('site-definitions-problems')!.querySelectorAll('li')].map((li) => li.textContent)).toHaveLength(2);
    expect(text('site-definition-in-use', $('site-definition-zendesk')!)).toBe('override v2 from the definitions file (bundled: v1)');
    expect($('site-definition-zendesk')!.getAttribute('data-source')).toBe('url');
    // The override key this browser refuses, as the sidebar will: the bundled selector stays there.
    expect(text('site-definition-notes', $('site-definition-zendesk')!)).toBe('"userName": "h2[" does not compile here as a CSS selector; the sidebar uses the bundled value.');
    expect(text('site-definition-notes', $('site-definition-hubspot')!)).toMatch(/^The override from the definitions file \(version 1\) is not used: this release of Centric bundles version 2/);
    expect(text('site-definition-in-use', $('site-definition-freshdesk')!)).toBe('bundled v1');
  });

  it('locks the address the team policy sets, and still checks now', async () => {
    await fakeBrowser.storage.managed.set({ siteDefinitionsUrl: 'https://policy.example.com/sites.json' });
    await fakeBrowser.storage.local.set({ [SITE_DEFINITIONS_URL.key]: URL_ });
    const asked: unknown[] = [];
    fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
      asked.push(message);
      return Promise.resolve({ ok: true, message: 'The definitions file has not changed since the last check.' });
    });
    await mount();
    const input = $('site-definitions-url') as HTMLInputElement;
    expect(input.value).toBe('https://policy.example.com/sites.json');
    expect(input.disabled).toBe(true);
    expect(input.getAttribute('aria-describedby')).toBe('site-definitions-locked');
    expect(text('site-definitions-locked')).toBe('Set by your team’s policy (siteDefinitionsUrl); it cannot be changed here.');
    expect($('site-definitions-save')).toBeNull();
    await click($('site-definitions-check'));
    await until(() => text('site-definitions-result') === 'The definitions file has not changed since the last check.');
    expect(asked).toEqual([{ type: 'check-site-definitions' }]);
  });

  it('offers to allow the address’s site when Centric may not contact it', async () => {
    allowed = false;
    await fakeBrowser.storage.local.set({ [SITE_DEFINITIONS_URL.key]: URL_ });
    await mount();
    expect(text('site-definitions-permission')).toBe('Centric is not allowed to contact https://files.example.com yet. Allow');
  });

  it('follows the background: a new status is shown without reloading the page', async () => {
    await fakeBrowser.storage.local.set({ [SITE_DEFINITIONS_URL.key]: URL_ });
    await mount();
    expect(text('site-definition-in-use', $('site-definition-zendesk')!)).toBe('bundled v1');
    await fakeBrowser.storage.local.set({ [SITE_DEFINITIONS_STATUS.key]: status() });
    await until(() => text('site-definition-in-use', $('site-definition-zendesk')!) === 'override v2 from the definitions file (bundled: v1)');
  });
});
