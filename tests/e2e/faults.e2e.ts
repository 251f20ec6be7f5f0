/**
 * Issue 9, faults in real Chromium: the browser closes while an import is saving. Relaunched with the
 * same profile, the store is exactly as before the import (IndexedDB rolled the write back), and the
 * options page tells the person that the import did not finish.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, EXTENSION_DIRS } from '../support/chromium';
import { storeFingerprint } from '../support/store';

const userDataDir = mkdtempSync(join(tmpdir(), 'centric-faults-'));
const open: BrowserContext[] = [];

async function launch(): Promise<{ context: BrowserContext; extensionId: string }> {
  const dir = EXTENSION_DIRS.e2e;
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: false,
    args: ['--headless=new', `--disable-extensions-except=${dir}`, `--load-extension=${dir}`, '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  open.push(context);
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  return { context, extensionId: new URL(worker.url()).host };
}

afterAll(async () => {
  for (const context of open) await context.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
});

async function optionsPage(context: BrowserContext, extensionId: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  await page.getByTestId('summary-customers').filter({ hasText: '2,357' }).waitFor({ timeout: 90_000 });
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
    const page = await optionsPage(first.context, first.extensionId);
    const before = await storeFingerprint(page);
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('import-mapping').waitFor();
    await page.getByTestId('import-start').click();
    await page.getByText('Saving to the local store…').waitFor({ timeout: 60_000 });
    await first.context.close(); // the browser quits mid-write

    const second = await launch();
    const again = await optionsPage(second.context, second.extensionId);
    // The marker proves the write had begun and never finished (a finished write removes it with its data).
    const notice = again.getByTestId('import-interrupted');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toMatch(/^The import of orders-big\.csv \(120,000 rows, started .+ UTC\) did not finish: .*Nothing from it was saved/);
    // Not one record of the 120,000 was kept: the store is identical to before the import.
    await expect.poll(() => storeFingerprint(again), { timeout: 5000 }).toBe(before);
    // Told once: the marker is gone, and the store is still as before.
    await again.reload();
    await again.getByTestId('summary-customers').filter({ hasText: '2,357' }).waitFor({ timeout: 30_000 });
    await again.waitForTimeout(500);
    expect(await again.getByTestId('import-interrupted').count()).toBe(0);
    expect(await storeFingerprint(again)).toBe(before);
  }, 240_000);
});
