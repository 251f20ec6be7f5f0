/**
 * Scoring's progress and Cancel in real Chromium: an import of 40,000 customers scores by itself with
 * its progress shown; a second scoring, cancelled once past reading the store, writes nothing: the
 * store (and so the latest model run) is exactly as before.
 */
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTransactionLog, type LogFile } from '../bench/browser/data';
import { launchWithExtension, POLL, waitForSample, type ExtensionBrowser } from '../support/chromium';
import { storeFingerprint } from '../support/store';

let browser: ExtensionBrowser;
let page: Page;
let log: LogFile;

beforeAll(async () => {
  log = writeTransactionLog(120_000, 40_000);
  browser = await launchWithExtension();
  page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('options.html'));
  await waitForSample(page);
});
afterAll(async () => {
  await browser?.close();
  if (log) rmSync(log.path, { force: true });
});

describe('scoring progress and cancel', () => {
  it('shows the stages and the progress of the scoring an import starts', async () => {
    await page.locator('input[name="import-kind"][value="transactions"]').check();
    await page.getByTestId('import-file').setInputFiles(log.path);
    await page.getByTestId('import-mapping').waitFor();
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-done').waitFor({ timeout: 120_000 });
    // The scoring the import started (seconds for 40,000 customers): its progress, in view, then the result.
    const bar = page.getByTestId('scoring-progressbar');
    await bar.waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('scoring-progress').isVisible()).toBe(true);
    expect(await page.getByTestId('scoring-stage').textContent()).toMatch(/^Step [1-8] of 8: /);
    const done = page.getByTestId('scoring-done');
    await done.waitFor({ timeout: 120_000 });
    expect(await done.textContent()).toMatch(/^Scored 40,000 customers with /);
  });

  it('cancels a scoring past reading the store: nothing is written and the previous run stays the latest', async () => {
    const lastScoring = await page.getByTestId('last-scoring').textContent();
    const before = await storeFingerprint(page);
    await page.getByTestId('score-now').click();
    const bar = page.getByTestId('scoring-progressbar');
    await bar.waitFor();
    expect(await bar.getAttribute('aria-valuemin')).toBe('0');
    expect(await bar.getAttribute('aria-valuemax')).toBe('100');
    // The worker has read the store: the bar and the stages moved on.
    await page.locator('[data-testid="scoring-stage-read"][data-state="done"]').waitFor({ timeout: 60_000 });
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(30);
    expect(await page.getByTestId('scoring-stage').textContent()).toMatch(/^Step [2-8] of 8: /);
    expect(await page.getByTestId('scoring-progress').isVisible()).toBe(true);

    await page.getByTestId('scoring-cancel').click();
    const cancelled = page.getByTestId('scoring-cancelled');
    await cancelled.filter({ hasText: 'Nothing was written' }).waitFor(POLL);
    expect(await cancelled.textContent()).toMatch(/^Scoring cancelled\. Nothing was written: the scores from .+ are unchanged\.$/);
    expect(await page.getByTestId('scoring-progress').count()).toBe(0);
    expect(await storeFingerprint(page)).toBe(before);
    expect(await page.getByTestId('last-scoring').textContent()).toBe(lastScoring);
    // Scoring can start again after a cancel.
    expect(await page.getByTestId('score-now').isEnabled()).toBe(true);
  });
});
