/**
 * The import wizard in real Chromium: a real dataset through the wizard with a manual column choice,
 * a customers file on top, and a broken file rejected with line-numbered errors while the store
 * stays identical.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, POLL, SLOW, waitForSample, type ExtensionBrowser } from '../support/chromium';
import { storeFingerprint } from '../support/store';
import { datasetPath } from '../helpers/datasets';

let browser: ExtensionBrowser;
let page: Page;
beforeAll(async () => {
  browser = await launchWithExtension();
  page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('options.html'));
  await waitForSample(page);
});
afterAll(async () => {
  await browser?.close();
});

async function chooseFile(path: string, kind: 'transactions' | 'customers' = 'transactions') {
  await page.locator(`input[name="import-kind"][value="${kind}"]`).check();
  await page.getByTestId('import-file').setInputFiles(path);
  await page.getByTestId('import-mapping').waitFor();
}

describe('import wizard', () => {
  it('imports the CDNOW log from ../shared/datasets, with the customer column chosen by hand', async () => {
    await chooseFile(datasetPath('btyd_cdnowElog.csv'));
    expect(await page.getByTestId('import-preview').locator('tbody tr').count()).toBe(8);
    expect(await page.getByTestId('map-customer').inputValue()).toBe('0'); // masterid, detected
    await page.getByTestId('map-customer').selectOption({ label: 'sampleid' });
    await expect.poll(() => page.getByTestId('map-date-format').inputValue(), POLL).toBe('YYYYMMDD');
    await page.getByTestId('import-start').click();
    const done = page.getByTestId('import-done');
    await done.waitFor(SLOW);
    expect(await done.textContent()).toContain('Imported 6,919 transactions for 2,357 customers from btyd_cdnowElog.csv.');
    await expect.poll(() => page.getByTestId('summary-transactions').textContent(), POLL).toBe('6,919');
  });

  it('adds names and emails from a customers file', async () => {
    await page.getByRole('button', { name: 'Import another file' }).click();
    await chooseFile(resolve(process.cwd(), 'assets/public/sample/customers.csv'), 'customers');
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-done').waitFor(SLOW);
    expect(await page.getByTestId('import-done').textContent()).toContain('for 2,357 customers');
  });

  it('rejects a broken file with line-numbered errors and leaves the store identical', async () => {
    // Each import re-scores by itself: let that finish before taking the "before" picture.
    await page.getByTestId('scoring-done').waitFor(SLOW);
    const before = await storeFingerprint(page);
    await page.getByRole('button', { name: 'Import another file' }).click();
    await chooseFile(resolve(process.cwd(), 'tests/fixtures/imports/broken-transactions.csv'));
    await page.getByTestId('import-start').click();
    const review = page.getByTestId('import-review');
    await review.waitFor(SLOW);
    expect(await page.getByTestId('import-errors-summary').textContent()).toContain('4 of 6 rows have problems');
    const rows = await page.getByTestId('import-issues').locator('tbody tr').allTextContents();
    expect(rows).toEqual([
      '3amountabcnot a number',
      '4date2024-13-01not a date in the format YYYY-MM-DD',
      '5customer_idempty: a customer id is needed',
      '6amountempty: an amount is needed',
    ]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-download-issues').click()]);
    expect(download.suggestedFilename()).toBe('broken-transactions-problems.csv');
    await page.getByTestId('import-abandon').click();
    expect(await storeFingerprint(page)).toBe(before);
  });

  it('cancelling an import in progress leaves the store identical', async () => {
    const before = await storeFingerprint(page);
    // A log large enough (1.5 million rows) that the cancel lands while it is being read.
    const big = join(mkdtempSync(join(tmpdir(), 'centric-big-')), 'big-log.csv');
    const lines = ['customer_id,date,amount'];
    for (let i = 0; i < 1_500_000; i++) lines.push(`c${i % 90_000},2024-0${1 + (i % 9)}-1${i % 10},${(i % 500) + 0.99}`);
    writeFileSync(big, lines.join('\n'));
    await chooseFile(big);
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-progress').waitFor();
    await page.getByTestId('import-cancel').click();
    expect(await page.getByTestId('import-failed').textContent()).toBe('Import cancelled. Nothing was changed.');
    expect(await storeFingerprint(page)).toBe(before);
  });
});
