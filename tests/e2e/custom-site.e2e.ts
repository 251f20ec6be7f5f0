/**
 * Custom sites in real Chromium: a manager's rule for a web app no built-in adapter knows (a CRM of
 * one's own on 127.0.0.1, granted at install), stored in extension storage or taught through the
 * popup with a live preview. The custom script reads the customer, the demo helpdesk's script (whose
 * hosts include 127.0.0.1) stays away: one sidebar per page.
 */
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomSiteRule } from '../../lib/sites/custom';
import { launchWithExtension, POLL, waitForSample, type ExtensionBrowser } from '../support/chromium';
import { pastDocumentIdle, recordExtensionScripts } from '../support/page-state';

const FIXTURE = resolve(process.cwd(), 'tests/fixtures/hosts/custom/crm-customer.html');
const CRM_URL = 'http://127.0.0.1/crm/customers/10';

const rule: CustomSiteRule = {
  id: 'acme-crm',
  name: 'Acme CRM',
  matches: ['http://127.0.0.1/crm/*'],
  fields: {
    email: { selector: 'a.customer-email', attribute: 'href' },
    name: { selector: '.customer-name' },
    recordId: { selector: '.customer-ref', pattern: 'ref: (C-\\d+)' },
  },
};

type Chrome = typeof import('wxt/browser').browser;
let browser: ExtensionBrowser;
let options: Page;

beforeAll(async () => {
  browser = await launchWithExtension();
  // The CRM's pages at their URL, answered from the fixture: nothing listens on 127.0.0.1 here.
  await browser.context.route('http://127.0.0.1/crm/**', (route) =>
    route.request().url() === EVIL_URL ? route.fulfill({ body: EVIL_PAGE, contentType: 'text/html' }) : route.fulfill({ path: FIXTURE, contentType: 'text/html' }),
  );
  options = await browser.context.newPage();
  await options.goto(browser.extensionUrl('options.html'));
  await waitForSample(options);
});
afterAll(async () => {
  await browser?.close();
});

async function storeRules(rules: unknown[]): Promise<void> {
  await options.evaluate(
    ([key, value]) => (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.set({ [key as string]: value }),
    ['customSites', rules] as const,
  );
}

async function registrations(): Promise<{ id: string; matches?: string[]; excludeMatches?: string[] }[]> {
  return browser.serviceWorker.evaluate(async () => {
    const chrome = (globalThis as unknown as { chrome: Chrome }).chrome;
    return (await chrome.scripting.getRegisteredContentScripts()).map(({ id, matches, excludeMatches }) => ({ id, matches, excludeMatches }));
  });
}

/** Loads the page with `go` and expects the custom rule's customer, in one sidebar. */
async function expectCustomer(page: Page, go: () => Promise<unknown>): Promise<void> {
  const scripts = await recordExtensionScripts(page);
  await go();
  const sidebar = page.getByTestId('centric-sidebar');
  await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('customer');
  expect(await sidebar.getByTestId('customer-name').textContent()).toBe('Kaia Zhou');
  expect(await sidebar.getAttribute('data-record-id')).toBe('C-00010');
  // One sidebar: the custom script ran, and the demo helpdesk's script, registered for all of
  // 127.0.0.1, did not (Chromium injects the matching document_idle scripts together).
  await scripts.waitFor('/content-scripts/custom.js');
  await pastDocumentIdle(page);
  expect(scripts.scripts).not.toContain('/content-scripts/demo.js');
  expect(await page.locator('centric-sidebar').count()).toBe(1);
  await scripts.stop();
}

/**
 * A CRM page whose text ends in a long run that makes a backtracking engine explode on the patterns
 * below ((a|a)*$ takes 23 s on 26 characters with RegExp): 99,900 "a"s and a "!" (all within the 100,000 characters patterns see).
 */
const EVIL_URL = 'http://127.0.0.1/crm/evil/10';
const EVIL_PAGE = `<!doctype html><html><head><title>Evil CRM</title></head><body>
  <h1 class="customer-name">Kaia Zhou</h1><a class="customer-email" href="mailto:kaia.zhou.10@silverline.example">write</a>
  <p class="notes">${'a'.repeat(99_900)}!</p></body></html>`;

describe('custom sites', () => {
  it('reads a page with a stored rule, in one sidebar, and stops when the rule is removed', async () => {
    await storeRules([rule]);
    await expect
      .poll(async () => (await registrations()).find((r) => r.id === 'centric-custom')?.matches, POLL)
      .toEqual(['http://127.0.0.1/crm/*']);
    expect((await registrations()).find((r) => r.id === 'centric-demo')?.excludeMatches).toEqual(['http://127.0.0.1/crm/*']);

    const page = await browser.context.newPage();
    await expectCustomer(page, () => page.goto(CRM_URL));

    // The options page lists the rule; Remove takes it away (127.0.0.1 itself stays granted: the demo needs it).
    await options.reload();
    const listed = options.getByTestId('custom-site-acme-crm');
    await listed.waitFor(POLL);
    expect(await listed.textContent()).toContain('Acme CRM');
    expect(await listed.textContent()).toContain('http://127.0.0.1/crm/*');
    await options.getByTestId('remove-custom-site-acme-crm').click();
    await options.getByTestId('custom-site-list-empty').waitFor(POLL);
    await expect.poll(async () => (await registrations()).some((r) => r.id === 'centric-custom'), POLL).toBe(false);
    // The stale registration goes first, then the demo's exclusions are updated (lib/background/content-scripts.ts): wait for both.
    await expect.poll(async () => (await registrations()).find((r) => r.id === 'centric-demo')?.excludeMatches ?? [], POLL).toEqual([]);
    const stored = await options.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.get('customSites'));
    expect(stored).toEqual({ customSites: [] });

    // Back to the demo's script on that page, which finds no demo ticket there.
    await page.reload();
    await expect.poll(() => page.getByTestId('centric-sidebar').getAttribute('data-state'), POLL).toBe('no-customer');
    await page.close();
  });

  it('is taught in the popup: preview on the page, errors in words, then "Save and turn on"', async () => {
    const page = await browser.context.newPage();
    await page.goto(CRM_URL);
    // The popup as the toolbar button opens it: beside the CRM tab, which stays the active tab.
    const popupUrl = browser.extensionUrl('popup.html');
    const [popup] = await Promise.all([
      browser.context.waitForEvent('page', (p) => p.url() === popupUrl),
      browser.serviceWorker.evaluate(async (url) => {
        const chrome = (globalThis as unknown as { chrome: Chrome }).chrome;
        const [crm] = await chrome.tabs.query({ url: 'http://127.0.0.1/crm/*' });
        await chrome.tabs.update(crm!.id!, { active: true });
        await chrome.tabs.create({ url, active: false, windowId: crm!.windowId });
      }, popupUrl),
    ]);
    const editor = popup.getByTestId('custom-site-editor');
    await editor.waitFor(POLL);
    await popup.bringToFront(); // to type and click; the editor keeps the CRM tab as its target
    expect(await popup.getByTestId('custom-matches').inputValue()).toBe('http://127.0.0.1/crm/*');

    await popup.getByTestId('custom-name').fill('Acme CRM');
    await popup.getByTestId('custom-email-selector').fill('a.customer-email');
    await popup.getByTestId('custom-email-attribute').fill('href');
    await popup.getByTestId('custom-name-selector').fill('.no-such-name');
    await popup.getByTestId('custom-recordId-pattern').fill('(\\w+) ref: (C-\\d+)');
    await popup.getByTestId('custom-preview').click();
    await expect.poll(() => popup.getByTestId('custom-errors').textContent(), POLL).toContain('Record id, text pattern: has 2 capture groups');

    await popup.getByTestId('custom-recordId-pattern').fill('ref: (C-\\d+)');
    await popup.getByTestId('custom-preview').click();
    await popup.getByTestId('custom-preview-result').waitFor(POLL);
    expect(await popup.getByTestId('custom-errors').count()).toBe(0);
    expect(await popup.getByTestId('custom-found-email').textContent()).toBe('kaia.zhou.10@silverline.example');
    expect(await popup.getByTestId('custom-found-name').textContent()).toBe('Not found: the selector matched nothing');
    expect(await popup.getByTestId('custom-found-recordId').textContent()).toBe('C-00010');

    await popup.getByTestId('custom-name-selector').fill('.customer-name');
    await popup.getByTestId('custom-preview').click();
    await expect.poll(() => popup.getByTestId('custom-found-name').textContent(), POLL).toBe('Kaia Zhou');

    await popup.getByTestId('custom-save').click();
    await expect.poll(() => popup.getByTestId('custom-note').textContent(), POLL).toContain('Saved. Centric is on for Acme CRM');
    const stored = await popup.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.get('customSites'));
    expect(stored).toEqual({
      customSites: [
        {
          id: '127-0-0-1',
          name: 'Acme CRM',
          matches: ['http://127.0.0.1/crm/*'],
          fields: {
            email: { selector: 'a.customer-email', attribute: 'href' },
            name: { selector: '.customer-name' },
            recordId: { pattern: 'ref: (C-\\d+)' },
          },
        },
      ],
    });
    await expect.poll(async () => (await registrations()).some((r) => r.id === 'centric-custom'), POLL).toBe(true);
    await popup.close();

    await page.bringToFront();
    await expectCustomer(page, () => page.reload());
    await page.close();
  });
  it('a catastrophic text pattern neither freezes the page (content script) nor the preview (popup)', async () => {
    // The page path: the stored rule's patterns run in the content script on the page's 100,000 characters.
    await storeRules([
      {
        id: 'evil-crm',
        name: 'Evil CRM',
        matches: ['http://127.0.0.1/crm/*'],
        fields: { email: { selector: 'a.customer-email', attribute: 'href' }, name: { pattern: '(\\w|\\d)+$' }, recordId: { pattern: '(a|a)*$' } },
      },
    ]);
    await expect.poll(async () => (await registrations()).find((r) => r.id === 'centric-custom')?.matches, POLL).toEqual(['http://127.0.0.1/crm/*']);
    const page = await browser.context.newPage();
    await page.goto(EVIL_URL);
    const sidebar = page.getByTestId('centric-sidebar');
    await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('customer');
    expect(await sidebar.getByTestId('customer-name').textContent()).toBe('Kaia Zhou');
    expect(await page.evaluate(() => document.title)).toBe('Evil CRM'); // the page still answers

    // The preview path: the popup injects the same reader into that tab with scripting.executeScript.
    const popupUrl = browser.extensionUrl('popup.html');
    const [popup] = await Promise.all([
      browser.context.waitForEvent('page', (p) => p.url() === popupUrl),
      browser.serviceWorker.evaluate(
        async ({ url, evil }) => {
          const chrome = (globalThis as unknown as { chrome: Chrome }).chrome;
          const [tab] = await chrome.tabs.query({ url: evil });
          await chrome.tabs.update(tab!.id!, { active: true });
          await chrome.tabs.create({ url, active: false, windowId: tab!.windowId });
        },
        { url: popupUrl, evil: EVIL_URL },
      ),
    ]);
    await popup.getByTestId('custom-site-editor').waitFor(POLL);
    await popup.bringToFront();
    await popup.getByTestId('custom-email-selector').fill('a.customer-email');
    await popup.getByTestId('custom-email-attribute').fill('href');
    await popup.getByTestId('custom-name-pattern').fill('(.*a){20}');
    await popup.getByTestId('custom-recordId-pattern').fill('(a|a)*$');
    await popup.getByTestId('custom-preview').click();
    await popup.getByTestId('custom-preview-result').waitFor(POLL);
    expect(await popup.getByTestId('custom-errors').count()).toBe(0);
    expect(await popup.getByTestId('custom-found-email').textContent()).toBe('kaia.zhou.10@silverline.example');
    expect(await popup.getByTestId('custom-found-recordId').textContent()).toBe('Not found: the pattern matched nothing');
    // (.*a){20} on 100,000 characters is stopped at the matcher's step budget, with the reason.
    expect(await popup.getByTestId('custom-found-name').textContent()).toMatch(/took more than 5000000 steps on this page and was stopped/);
    await popup.close();
    await page.close();
    await storeRules([]);
  });
});
