/**
 * Issue 9, faults in real Chromium: the browser stops Centric's service worker (as it does to idle
 * workers) in the middle of a score file download. The previous scores stay; when the worker starts
 * again it finds the sync cut off, redoes it at once, and Options → Sources says so.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreRowsToCsv } from '../../lib/dashboard/export';
import { launchWithExtension, POLL, waitForFirstRun, type ExtensionBrowser } from '../support/chromium';
import { startScoreService, type ScoreService } from '../support/score-service';

type Chrome = { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>>; set(v: unknown): Promise<void> } }; runtime: { sendMessage(m: unknown): Promise<unknown> } } };
interface Status {
  outcome: string;
  rows?: number;
  syncingSince?: number;
  interruptedAt?: number;
}

let browser: ExtensionBrowser;
let service: ScoreService;
beforeAll(async () => {
  [browser, service] = await Promise.all([launchWithExtension(), startScoreService()]);
  await waitForFirstRun(browser);
});
afterAll(async () => {
  await browser?.close();
  await service?.close();
});

const row = (id: string, tier: string) => ({ id, x: 1, tx: 2, T: 3, monetary: 4, pAlive: 0.5, expectedTransactions: 1, expectedSpend: 4, clv: 10, tier });
const status = async (page: Page) =>
  ((await page.evaluate(() => (globalThis as unknown as Chrome).chrome.storage.local.get('sourcesStatus'))).sourcesStatus as Record<string, Status> | undefined)?.['team-file'];

describe('the service worker stopped in the middle of a sync', () => {
  it('keeps the old scores, redoes the sync when it starts again, and says so', async () => {
    service.file = { body: scoreRowsToCsv([row('A-1', 'Gold'), row('A-2', 'Lead')]), etag: '"v1"' };
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('options.html'));
    await page.evaluate(async (url) => {
      await (globalThis as unknown as Chrome).chrome.storage.local.set({
        sources: { version: 1, sources: [{ id: 'team-file', kind: 'score-file', name: 'Team file', enabled: true, url, format: 'csv', syncMinutes: 60 }], precedence: ['team-file', 'local'] },
      });
    }, `${service.url}/scores.csv`);
    await expect.poll(async () => (await status(page))?.outcome, POLL).toBe('changed');

    // A new file is published, but its download hangs; "Sync now" starts it.
    service.file = { body: scoreRowsToCsv([row('A-1', 'Platinum'), row('A-2', 'Lead'), row('A-3', 'Iron')]), etag: '"v2"' };
    service.holdFile = true;
    void page.evaluate(() => (globalThis as unknown as Chrome).chrome.runtime.sendMessage({ type: 'sync-sources', sourceId: 'team-file' }).catch(() => undefined));
    await expect.poll(async () => (await status(page))?.syncingSince, POLL).toBeTypeOf('number');
    expect(service.heldFileRequests).toBe(1);

    // The browser stops the service worker mid-download (through the DevTools protocol: its target is closed).
    const cdp = await browser.context.newCDPSession(page);
    const workerTargets = async () =>
      (await cdp.send('Target.getTargets')).targetInfos.filter((t) => t.type === 'service_worker' && t.url === browser.extensionUrl('background.js'));
    const [worker] = await workerTargets();
    expect(worker).toBeDefined();
    await cdp.send('Target.closeTarget', { targetId: worker!.targetId });
    await expect.poll(async () => (await workerTargets()).length, POLL).toBe(0);
    expect(await status(page)).toMatchObject({ rows: 2, syncingSince: expect.any(Number) }); // the old scores are still in use

    // The file can be downloaded again; any event wakes the worker (here: the options page asks for the status).
    service.holdFile = false;
    await page.evaluate(() => (globalThis as unknown as Chrome).chrome.runtime.sendMessage({ type: 'status' }).catch(() => undefined));
    await expect.poll(async () => (await workerTargets()).length, POLL).toBe(1);
    await expect.poll(async () => (await status(page))?.rows, POLL).toBe(3);
    const after = (await status(page))!;
    expect(after).toMatchObject({ outcome: 'changed', rows: 3 });
    expect(after.syncingSince).toBeUndefined();
    expect(after.interruptedAt).toBeTypeOf('number');

    // Options → Sources says so.
    await page.reload();
    await expect.poll(() => page.locator('body').textContent(), POLL).toMatch(/was cut off \(the browser stopped Centric’s background\) and was done again/);
    await page.close();
  });
});
