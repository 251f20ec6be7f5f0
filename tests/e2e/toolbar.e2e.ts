/**
 * The toolbar icon's badge in real Chromium (issue 16): once a ticket's sidebar paints a tier, the
 * badge of that tab shows the tier's initial in the tier's colour (read back from the service worker
 * with chrome.action.getBadgeText / getBadgeBackgroundColor); it follows single-page navigation to
 * another ticket, and is cleared on a page that shows no customer. The logic: lib/toolbar/badge.ts.
 * And Centric no longer takes over the browser's History page.
 */
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, POLL, waitForFirstRun, type ExtensionBrowser } from '../support/chromium';

let browser: ExtensionBrowser;
beforeAll(async () => {
  browser = await launchWithExtension();
  await waitForFirstRun(browser);
  await browser.context.route('https://acme.zendesk.com/**', (route) =>
    route.fulfill({ path: resolve(process.cwd(), 'tests/fixtures/hosts/zendesk/agent-ticket.html'), contentType: 'text/html' }),
  );
});
afterAll(async () => {
  await browser?.close();
});

type Chrome = typeof import('wxt/browser').browser;

/** The badge of the tab showing `page`, as the extension's service worker reads it. */
async function badgeOf(page: Page): Promise<{ text: string; color: number[] }> {
  return browser.serviceWorker.evaluate(async (url) => {
    const chrome = (globalThis as unknown as { chrome: Chrome }).chrome;
    const tab = (await chrome.tabs.query({})).find((t) => t.url === url);
    if (tab?.id === undefined) throw new Error(`No tab at ${url}`);
    const [text, color] = await Promise.all([chrome.action.getBadgeText({ tabId: tab.id }), chrome.action.getBadgeBackgroundColor({ tabId: tab.id })]);
    return { text, color: [...color] };
  }, page.url());
}

/** The sidebar's painted tier: its name and its badge's background colour as [r, g, b, 255]. */
async function paintedTier(page: Page): Promise<{ tier: string; color: number[] }> {
  const tier = page.getByTestId('centric-sidebar').getByTestId('tier');
  await tier.waitFor(POLL);
  const [name, background] = await Promise.all([tier.textContent(), tier.evaluate((el) => getComputedStyle(el).backgroundColor)]);
  const rgb = background.match(/\d+/g)!.slice(0, 3).map(Number);
  return { tier: name!.trim(), color: [...rgb, 255] };
}

describe('the toolbar badge (real Chromium)', () => {
  it('shows the tier of the ticket’s customer, follows the next ticket and clears where no customer is shown', async () => {
    const page = await browser.context.newPage();
    await page.goto('https://acme.zendesk.com/agent/tickets/1');
    const first = await paintedTier(page);
    expect(first.tier).toBe('Lead'); // Kaia Nakamura, as in sidebar.e2e.ts
    await expect.poll(() => badgeOf(page), POLL).toEqual({ text: 'L', color: first.color });

    // Zendesk opens the next ticket without loading a page.
    await page.evaluate(() => {
      // Agent Workspace flags the tab panes (docs/hosts/zendesk.md): ticket #2's grid comes first.
      const [second, firstWorkspace] = document.querySelectorAll('.ticket-panes-grid-layout');
      firstWorkspace!.setAttribute('data-is-active', 'false');
      firstWorkspace!.classList.remove('active');
      second!.setAttribute('data-is-active', 'true');
      second!.classList.add('active');
      history.pushState({}, '', '/agent/tickets/2');
    });
    const sidebar = page.getByTestId('centric-sidebar');
    await expect.poll(() => sidebar.getAttribute('data-record-id'), POLL).toBe('2');
    await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('customer');
    const second = await paintedTier(page);
    await expect.poll(() => badgeOf(page), POLL).toEqual({ text: second.tier[0], color: second.color });

    // A view that is not a record (a ticket list): the sidebar shows no customer, the badge goes.
    await page.evaluate(() => history.pushState({}, '', '/agent/filters/360000000001'));
    await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('no-customer');
    await expect.poll(async () => (await badgeOf(page)).text, POLL).toBe('');
    await page.close();
  });

  it('leaves the browser’s own pages alone: chrome://history is Chrome’s History page, not Centric’s', async () => {
    // The purchase-history page was once the entrypoint "history", which WXT turns into
    // chrome_url_overrides.history (tests/e2e/manifest-build.e2e.ts checks the manifest for that).
    const page = await browser.context.newPage();
    await page.goto('chrome://history');
    await expect.poll(() => page.title(), POLL).toBe('History');
    expect(page.url()).toMatch(/^chrome:\/\/history\//);
    expect(await page.locator('#app').count()).toBe(0); // Centric's pages render into #app
    await page.close();
  });
});
