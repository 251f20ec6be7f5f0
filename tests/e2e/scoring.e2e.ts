/**
 * Import a real dataset through the wizard, let it score in the worker, see the scored tier on a
 * routed host page, and re-score after changing a setting.
 */
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetPath } from '../helpers/datasets';
import { launchWithExtension, POLL, SLOW, waitForSample, type ExtensionBrowser } from '../support/chromium';

const FIXTURES = resolve(process.cwd(), 'tests/fixtures/hosts');
let browser: ExtensionBrowser;
let options: Page;

beforeAll(async () => {
  browser = await launchWithExtension();
  await browser.context.route('https://acme.zendesk.com/**', (route) =>
    route.fulfill({ path: resolve(FIXTURES, 'zendesk/agent-ticket.html'), contentType: 'text/html' }),
  );
  options = await browser.context.newPage();
  await options.goto(browser.extensionUrl('options.html'));
  await waitForSample(options);
});
afterAll(async () => {
  await browser?.close();
});

async function importFile(path: string, kind: 'transactions' | 'customers', customerColumn?: string) {
  await options.locator(`input[name="import-kind"][value="${kind}"]`).check();
  await options.getByTestId('import-file').setInputFiles(path);
  await options.getByTestId('import-mapping').waitFor();
  if (customerColumn) await options.getByTestId('map-customer').selectOption({ label: customerColumn });
  await options.getByTestId('import-start').click();
  await options.getByTestId('import-done').waitFor(SLOW);
  await options.getByRole('button', { name: 'Import another file' }).click();
}

describe('scoring in the browser', () => {
  it('scores an imported dataset in a worker and shows the tier in the sidebar', async () => {
    await importFile(datasetPath('btyd_cdnowElog.csv'), 'transactions', 'sampleid');
    await importFile(resolve(process.cwd(), 'assets/public/sample/customers.csv'), 'customers');
    const done = options.getByTestId('scoring-done');
    await done.waitFor(SLOW);
    expect(await done.textContent()).toMatch(/^Scored 2,357 customers with (bgnbd|mbgnbd|pareto-nbd) in [\d.]+ s\. Customer equity \$[\d,.]+\.$/);

    // The dashboard shows the scored tiers.
    const dashboard = options.getByTestId('dashboard');
    await dashboard.getByTestId('tier-table').waitFor(SLOW);
    const tierRows = await dashboard.getByTestId('tier-table').locator('tbody tr').allTextContents();
    expect(tierRows.map((row) => row.match(/^(Platinum|Gold|Iron|Lead)\D*([\d,]+)/)?.slice(1, 3).join(' '))).toEqual([
      'Platinum 118',
      'Gold 354',
      'Iron 1,414',
      'Lead 471',
    ]);
    expect(await dashboard.getByTestId('concentration-reading').textContent()).toMatch(/^The top 5% of customers \(Platinum\) hold \d+% of the value/);
    expect(await dashboard.getByTestId('trust-reading').textContent()).toMatch(/repeat transactions in the holdout, actual/);

    const page = await browser.context.newPage();
    await page.goto('https://acme.zendesk.com/agent/tickets/1');
    const sidebar = page.getByTestId('centric-sidebar');
    await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('customer');
    expect(await sidebar.getByTestId('tier').textContent()).toBe('Lead');
    expect(await sidebar.getByTestId('centric-source').textContent()).toContain('Computed on this computer');
    await page.close();
  });

  it('re-scores when a setting changes, and refuses invalid settings with the reason', async () => {
    await options.getByTestId('setting-model').selectOption('bgnbd');
    await options.getByTestId('setting-margin').fill('30');
    await options.getByTestId('settings-save').click();
    await expect.poll(() => options.getByTestId('last-scoring').textContent(), SLOW).toContain('with bgnbd');

    await options.getByTestId('tier-name-0').fill('');
    await options.getByTestId('settings-save').click();
    expect(await options.getByTestId('settings-problems').textContent()).toMatch(/tiers\.0\.name/);
  });
});
