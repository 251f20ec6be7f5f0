/**
 * Issue 9, faults in real Chromium: the browser closes while an import is saving. Relaunched with the
 * same profile, the store is exactly as before the import (IndexedDB rolled the write back), and the
 * options page tells the person that the import did not finish.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { launchWithExtension, POLL, SLOW, waitForSample, type ExtensionBrowser } from '../support/chromium';
import { storeFingerprint } from '../support/store';

const userDataDir = mkdtempSync(join(tmpdir(), 'centric-faults-'));
const open: ExtensionBrowser[] = [];

/** Chromium with the e2e build on this test's one profile, so the second start finds the first's store. */
async function launch(): Promise<ExtensionBrowser> {
  const browser = await launchWithExtension({ userDataDir });
  open.push(browser);
  return browser;
}

afterAll(async () => {
  for (const browser of open) await browser.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
});

async function optionsPage(browser: ExtensionBrowser): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('options.html'));
  await waitForSample(page);
  return page;
}

describe('the browser closes during an import', () => {
  it('leaves the store as it was and the next options page says the import did not finish', async () => {
    // A file big enough to be caught while saving: 120,000 purchases of 60,000 customers.
    const rows = ['customer_id,date,amount'];
    for (let i = 0; i < 60_000; i++) rows.push(`X${i},2024-03-${10 + (i % 18)},${10 + (i % 90)}`, `X${i},2024-09-${10 + (i % 18)},${5 + (i % 40)}`);
    const file = join(userDataDir, 'orders-big.csv');
    writeFileSync(file, rows.join('\n') + '\n');

    const first = await launch();
    const page = await optionsPage(first);
    const before = await storeFingerprint(page);
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('import-mapping').waitFor(POLL);
    await page.getByTestId('import-start').click();
    // "Saving" (phase "writing") is said once the import's marker is stored and its data transaction
    // runs: the browser quits mid-write.
    const saving = page.locator('[data-testid="import-progress"][data-phase="writing"]');
    await saving.waitFor(SLOW);
    expect(await saving.textContent()).toContain('Saving to the local store…');
    await first.context.close();

    const second = await launch();
    const again = await optionsPage(second);
    // The marker proves the write had begun and never finished (a finished write removes it with its data).
    const notice = again.getByTestId('import-interrupted');
    await notice.waitFor(POLL);
    expect(await notice.textContent()).toMatch(/^The import of orders-big\.csv \(120,000 rows, started .+ UTC\) did not finish: .*Nothing from it was saved/);
    // Not one record of the 120,000 was kept: the store is identical to before the import (once the
    // page has removed the marker it showed).
    await expect.poll(() => storeFingerprint(again), POLL).toBe(before);
    // Told once: the reloaded page checks again, finds no marker, and the store is still as before.
    await again.reload();
    await waitForSample(again);
    await again.locator('[data-testid="import-wizard"][data-interrupted-check="done"]').waitFor(POLL);
    expect(await again.getByTestId('import-interrupted').count()).toBe(0);
    expect(await storeFingerprint(again)).toBe(before);
  }, 240_000);
});
