/**
 * First run in real Chromium: a fresh install opens the welcome page once (not on an update of the
 * extension), its first step leads straight to "Where Centric works", and the sample data is marked
 * in the popup, the dashboard, the report and the sidebar until the person imports their own data.
 */
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetPath } from '../helpers/datasets';
import { launchWithExtension, POLL, waitForSample, waitForWelcomePage, type ExtensionBrowser } from '../support/chromium';

const FIXTURES = resolve(process.cwd(), 'tests/fixtures/hosts');
let browser: ExtensionBrowser;

beforeAll(async () => {
  browser = await launchWithExtension({ keepWelcome: true });
  await browser.context.route('https://acme.zendesk.com/**', (route) =>
    route.fulfill({ path: resolve(FIXTURES, 'zendesk/agent-ticket.html'), contentType: 'text/html' }),
  );
});
afterAll(async () => {
  await browser?.close();
});

const welcomeUrl = () => browser.extensionUrl('welcome.html');
const welcomePages = () => browser.context.pages().filter((p) => p.url().startsWith(welcomeUrl()));

/** The Sample data marker in the popup, the dashboard, the report and the sidebar, each read once its content is shown. */
async function markers(): Promise<Record<'popup' | 'dashboard' | 'report' | 'sidebar', number>> {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('popup.html'));
  await page.getByTestId('store-status').waitFor(POLL);
  const popup = await page.getByTestId('sample-marker').count();

  await page.goto(browser.extensionUrl('options.html'));
  const dashboardSection = page.locator('[data-testid="dashboard"][data-state="ready"]');
  await dashboardSection.waitFor(POLL);
  const dashboard = await dashboardSection.getByTestId('sample-marker').count();

  await page.goto(browser.extensionUrl('report.html'));
  await page.getByTestId('report-equity').waitFor(POLL);
  const report = await page.getByTestId('sample-marker').count();

  await page.goto('https://acme.zendesk.com/agent/tickets/1');
  const sidebar = page.getByTestId('centric-sidebar');
  await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('customer');
  const inSidebar = await sidebar.getByTestId('sample-marker').count();
  await page.close();
  return { popup, dashboard, report, sidebar: inSidebar };
}

describe('first run', () => {
  let welcome: Page;

  it('opens the welcome page once on install: what Centric does, the sample, three steps with their state', async () => {
    welcome = await waitForWelcomePage(browser.context, browser.extensionId);
    expect(welcomePages()).toHaveLength(1);
    await welcome.getByTestId('welcome-step-site').waitFor(POLL);
    expect(await welcome.locator('h1').allTextContents()).toEqual(['Welcome to Centric']);
    expect(await welcome.getByTestId('welcome-sample').textContent()).toMatch(/CDNOW 1\/10 .*demo names/);
    // The e2e build is granted the built-in sites at install; the data is the sample; nothing edited.
    expect(await welcome.getByTestId('welcome-step-site-state').textContent()).toMatch(/^✓ Done: Centric is on for Zendesk/);
    expect(await welcome.getByTestId('welcome-step-data-state').textContent()).toBe('○ Not yet: the data is still the bundled sample.');
    expect(await welcome.getByTestId('welcome-step-rules-state').textContent()).toBe('○ Not yet: the default tiers and treatment rules are in use.');
  });

  it('step 1 leads straight to "Where Centric works", shown and focused', async () => {
    await welcome.getByTestId('welcome-step-site-link').click();
    await welcome.waitForURL(browser.extensionUrl('options.html#sites'));
    await expect.poll(() => welcome.evaluate(() => document.activeElement?.id), POLL).toBe('sites');
    const place = await welcome.evaluate(() => {
      const box = document.getElementById('sites')!.getBoundingClientRect();
      return { top: box.top, height: window.innerHeight };
    });
    expect(place.top).toBeGreaterThanOrEqual(0);
    expect(place.top).toBeLessThan(place.height / 2);
    expect(await welcome.getByTestId('sites-section').getByRole('heading', { level: 2 }).first().textContent()).toBe('Where Centric works');
  });

  it('the popup links straight to "Where Centric works"', async () => {
    const popup = await browser.context.newPage();
    await popup.goto(browser.extensionUrl('popup.html'));
    const [options] = await Promise.all([
      browser.context.waitForEvent('page', { predicate: (p) => p.url() === browser.extensionUrl('options.html#sites') }),
      popup.getByTestId('open-sites').click(),
    ]);
    await expect.poll(() => options.evaluate(() => document.activeElement?.id), POLL).toBe('sites');
    await options.close();
    await popup.close();
  });

  it('marks the sample data in the popup, dashboard, report and sidebar', async () => {
    expect(await markers()).toEqual({ popup: 1, dashboard: 1, report: 1, sidebar: 1 });
  });

  it('drops the marker everywhere once your own data is imported', async () => {
    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options.html'));
    await waitForSample(options);
    for (const [path, kind, column] of [
      [datasetPath('btyd_cdnowElog.csv'), 'transactions', 'sampleid'],
      [resolve(process.cwd(), 'assets/public/sample/customers.csv'), 'customers', undefined],
    ] as const) {
      await options.locator(`input[name="import-kind"][value="${kind}"]`).check();
      await options.getByTestId('import-file').setInputFiles(path);
      await options.getByTestId('import-mapping').waitFor();
      if (column) await options.getByTestId('map-customer').selectOption({ label: column });
      await options.getByTestId('import-start').click();
      await options.getByTestId('import-done').waitFor({ timeout: 60_000 });
      await options.getByRole('button', { name: 'Import another file' }).click();
    }
    await options.getByTestId('scoring-done').waitFor({ timeout: 60_000 });
    await options.close();
    expect(await markers()).toEqual({ popup: 0, dashboard: 0, report: 0, sidebar: 0 });
  });

  // Not opening it again on an update (onInstalled 'update', 'chrome_update', …) is tested on the
  // background's handler in tests/unit/welcome. It cannot be caused in this Chromium: an extension loaded
  // from the command line gets onInstalled('install') again at every browser start on its profile, and
  // chrome.runtime.reload() once the first run is done leaves it blocked with no worker (the e2e test of a
  // reload, removed on 2026-12-08, passed only when the reload raced the first run, and failed in CI).
});
