/**
 * The customer-equity report in real Chromium: after the bundled sample is scored, open the report,
 * export CSV, PNG and PDF (real downloads) and check the files show the numbers on the page; after a
 * second scoring with another margin, the report shows what changed; the popup lists the watch list.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { POLL, SLOW } from '../support/chromium';
import { useExtensionBrowser } from '../support/extension';

const browser = useExtensionBrowser();
let report: Page;
const downloads = mkdtempSync(join(tmpdir(), 'centric-report-'));

beforeAll(async () => {
  report = await browser.context.newPage();
});

async function save(testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([report.waitForEvent('download', POLL), report.getByRole('button', { name: testId }).click()]);
  const path = join(downloads, download.suggestedFilename());
  await download.saveAs(path);
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

/** "$12,345" -> 12345. */
const dollars = (text: string) => Number(text.replace(/[^\d.]/g, ''));

describe('customer equity report', () => {
  it('shows the latest scoring and exports CSV, PNG and PDF with the numbers shown', async () => {
    await report.goto(browser.extensionUrl('report.html'));
    const equity = report.getByTestId('report-equity');
    await equity.waitFor(POLL);
    const shown = (await equity.textContent())!;
    expect(shown).toMatch(/^\$[\d,]+$/);
    expect(await report.getByText(/^Scored \d{4}-\d{2}-\d{2} with the .+ model from 2,357 customers and 6,919 transactions up to 1998-06-30\.$/).count()).toBe(1);
    expect(await report.getByTestId('report-new-customer').textContent()).toMatch(/^\$[\d,.]+$/);
    expect(await report.getByTestId('report-accuracy').textContent()).toMatch(/holdout/i);
    expect(await report.getByText('The data has no channel', { exact: false }).count()).toBe(1);
    const cohortRows = await report.getByTestId('report-cohorts').locator('tbody tr').allTextContents();
    expect(cohortRows).toHaveLength(1); // the sample is the 1997 Q1 cohort
    expect(cohortRows[0]).toMatch(/^1997 Q12,357/);

    const csv = await save('Export CSV');
    expect(csv.name).toMatch(/^centric-customer-equity-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = csv.bytes.toString('utf8');
    const csvEquity = Number(/\ncustomer equity,([\d.]+)\n/.exec(text)![1]);
    expect(Math.round(csvEquity)).toBe(dollars(shown));
    expect(text).toContain('data end,1998-06-30');
    expect(text).toContain('transactions,6919');

    const png = await save('Export PNG');
    expect(png.name).toMatch(/\.png$/);
    expect(png.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // IHDR: width and height, big-endian, at bytes 16–23.
    expect([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)]).toEqual([1240, 1754]);
    // It decodes in the browser, and is not blank: it has the charts' colours, not only white and text.
    const decoded = await report.evaluate(async (base64) => {
      // Decoded from the bytes (the extension's CSP allows no fetch of a data: URL).
      const blob = new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: 'image/png' });
      const bitmap = await createImageBitmap(blob);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      let nonWhite = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! < 250 || data[i + 1]! < 250 || data[i + 2]! < 250) nonWhite++;
      return { width: bitmap.width, height: bitmap.height, inked: nonWhite / (data.length / 4) };
    }, png.bytes.toString('base64'));
    expect(decoded.width).toBe(1240);
    expect(decoded.inked).toBeGreaterThan(0.02);

    const pdf = await save('Export PDF');
    expect(pdf.name).toMatch(/\.pdf$/);
    const raw = pdf.bytes.toString('latin1');
    expect(raw.startsWith('%PDF-1.4')).toBe(true);
    expect(raw).toContain(`(${shown}) Tj`);
    expect(raw).toContain('(Customer equity report) Tj');
    // The embedded page image is a JPEG the browser decodes at the page's size.
    const image = /\/Width (\d+) \/Height (\d+) .*?\/Length (\d+) >>\nstream\n/.exec(raw)!;
    const start = image.index + image[0].length;
    const jpeg = pdf.bytes.subarray(start, start + Number(image[3]));
    const size = await report.evaluate(async (base64) => {
      const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: 'image/jpeg' }));
      return [bitmap.width, bitmap.height];
    }, Buffer.from(jpeg).toString('base64'));
    expect(size).toEqual([Number(image[1]), Number(image[2])]);
  });

  it('after a second scoring with another margin, shows what changed', async () => {
    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options.html'));
    await expect.poll(() => options.getByTestId('last-scoring').textContent(), POLL).toMatch(/^Last scored/);
    const before = await options.getByTestId('last-scoring').textContent();
    await options.getByTestId('setting-model').selectOption('bgnbd');
    await options.getByTestId('setting-margin').fill('50');
    await options.getByTestId('settings-save').click();
    await expect.poll(() => options.getByTestId('last-scoring').textContent(), SLOW).not.toBe(before);
    expect(await options.getByTestId('last-scoring').textContent()).toMatch(/with bgnbd/);
    await options.close();

    // The scoring runs in the options page's worker: reload the report until it has landed.
    await expect
      .poll(async () => {
        await report.reload();
        await report.getByTestId('report-equity').waitFor(POLL);
        return report.getByTestId('report-change').textContent();
      }, { ...SLOW, interval: 1000 })
      .toMatch(/^[+−]\$[\d,]+ \([+−]\d+(\.\d)?%\) since the last scoring$/);
    expect(await report.getByTestId('report-bridge').textContent()).toMatch(/^From \$[\d,]+ to \$[\d,]+: new customers \$0 \(0\), lost customers \$0 \(0\)/);
    const csv = (await save('Export CSV')).bytes.toString('utf8');
    expect(csv).toContain('\nno new purchase (changed expectations),2357,');
    const png = await save('Export PNG');
    expect([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)]).toEqual([1240, 1754]);

    // The popup's watch list and its way to the report.
    const popup = await browser.context.newPage();
    await popup.goto(browser.extensionUrl('popup.html'));
    const list = popup.getByTestId('watch-list');
    await expect.poll(() => list.textContent(), POLL).toMatch(/high-value customers? (is|are) at risk|No high-value customer is at risk/);
    await popup.getByTestId('open-report').waitFor();
    await popup.close();
  });
});
