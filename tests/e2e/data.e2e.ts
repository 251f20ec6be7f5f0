/** The data lifecycle in the options page: export everything, erase with confirmation, restore. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, POLL, type ExtensionBrowser } from '../support/chromium';

let browser: ExtensionBrowser;
beforeAll(async () => {
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
});

describe('data lifecycle in the options page', () => {
  it('exports, erases (after confirming) and restores everything', async () => {
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('options.html'));
    const customers = page.getByTestId('summary-customers');
    await expect.poll(() => customers.textContent(), POLL).toBe('2,357');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-all').click()]);
    const backupPath = join(mkdtempSync(join(tmpdir(), 'centric-backup-')), download.suggestedFilename());
    await download.saveAs(backupPath);
    expect(download.suggestedFilename()).toMatch(/^centric-backup-\d{4}-\d{2}-\d{2}\.json$/);

    await page.getByTestId('erase-all').click();
    expect(await page.getByRole('alertdialog').textContent()).toContain('2,357 customers and 6,919 transactions');
    await page.getByTestId('erase-confirm').click();
    await expect.poll(() => customers.textContent(), POLL).toBe('0');

    // A file that is not a backup is refused with a reason, and nothing changes.
    await page.getByTestId('restore-file').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello":1}') });
    await expect.poll(() => page.getByTestId('data-notice').textContent(), POLL).toMatch(/not a valid Centric backup/);
    expect(await customers.textContent()).toBe('0');

    await page.getByTestId('restore-file').setInputFiles(backupPath);
    await expect.poll(() => customers.textContent(), POLL).toBe('2,357');
    expect(await page.getByTestId('summary-transactions').textContent()).toBe('6,919');
    await page.close();
  });
});
