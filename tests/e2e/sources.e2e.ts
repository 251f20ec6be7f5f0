/**
 * The team's own score service in real Chromium (issue 7): a real HTTP server on 127.0.0.1 answers
 * the background's lookups; the sidebar shows the fetched tier with its source, and survives every
 * failure (slow, 500, invalid JSON, wrong shape, an HTML login page, a redirect to another origin)
 * with the local value shown, the problem said in words, and the cached answer intact.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../demo/data';
import { startDemoServer, type DemoServer } from '../../demo/server';
import { launchWithExtension, POLL, waitForFirstRun, type ExtensionBrowser } from '../support/chromium';
import { startScoreService, type ScoreService, type ServiceMode } from '../support/score-service';
import { scoreRowsToCsv, type ScoreRow } from '../../lib/dashboard/export';
import { teamApi, teamSources } from '../helpers/team-sources';

let browser: ExtensionBrowser;
let demo: DemoServer;
let service: ScoreService;
const SECRET = 's3cret-key-7f2a';

beforeAll(async () => {
  [browser, demo, service] = await Promise.all([launchWithExtension(), startDemoServer(), startScoreService()]);
  await waitForFirstRun(browser);
  const options = await browser.context.newPage();
  await options.goto(browser.extensionUrl('options.html'));
  // The "slow" service never answers; a healthy one must, within timeoutMs, on a busy machine too.
  const sources = teamSources(teamApi(`${service.url}/lookup?email={email}`, SECRET, { timeoutMs: 5000, retries: 1, ratePerMinute: 600, ttlSeconds: 3 }));
  await options.evaluate(
    (value) => (globalThis as unknown as { chrome: { storage: { local: { set(v: unknown): Promise<void> } } } }).chrome.storage.local.set({ sources: value }),
    sources,
  );
  await options.close();
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  await service?.close();
});

const ticketUrl = (id: number) => `${demo.url}/tickets/${id}`;

async function openTicket(id: number): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(ticketUrl(id));
  await expect.poll(() => page.getByTestId('centric-sidebar').getAttribute('data-state'), POLL).toBe('customer');
  return page;
}

/** The background's cache of the service's answers, read in an extension page. */
function lookupCache(page: Page): Promise<{ key: string; value: { score: { tier: string } | null; expiresAt: number; lastError?: { message: string } } }[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('centric');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('lookupCache').objectStore('lookupCache').getAll();
          all.onsuccess = () => {
            open.result.close();
            resolve(all.result);
          };
        };
      }),
  );
}

/** The requester's email of a demo ticket, from the demo's data (opening the page would ask the service already). */
const { tickets } = loadDemoData(process.cwd());
function requesterEmail(id: number): string {
  return tickets.find((t) => t.id === id)!.requester.email.toLowerCase();
}

describe('a lookup service', () => {
  it('shows the fetched tier, with its source, sending the API key only to the service', async () => {
    const page = await openTicket(1001);
    const sidebar = page.getByTestId('centric-sidebar');
    await expect.poll(() => sidebar.getByTestId('tier').textContent(), POLL).toBe('Gold');
    expect(await sidebar.getByTestId('value-source').textContent()).toMatch(/^From Team API, as of \d+ \w{3}/);
    expect(await sidebar.getByTestId('remote-clv').textContent()).toBe('$4,321');
    expect(await sidebar.getByTestId('remote-palive').textContent()).toBe('42%');
    expect(await sidebar.getByTestId('remote-segment').textContent()).toBe('Enterprise');
    // The local purchase facts are still shown (the customer is known here too).
    expect(await sidebar.getByTestId('fact-orders').count()).toBe(1);
    const asked = service.requests.find((r) => r.path.startsWith('/lookup'));
    expect(asked?.headers['x-api-key']).toBe(SECRET);
    expect(await page.content()).not.toContain(SECRET);
    await page.close();
  });

  it('shows a customer only the service knows', async () => {
    const page = await openTicket(1015);
    const sidebar = page.getByTestId('centric-sidebar');
    expect(await sidebar.getByTestId('tier').textContent()).toBe('Gold');
    expect(await sidebar.getByTestId('purchase-facts').count()).toBe(0);
    expect(await sidebar.getByTestId('centric-source').textContent()).toContain('Known to your team’s source only');
    await page.close();
  });

  const failures: [ServiceMode, number, RegExp][] = [
    ['error', 1002, /500|server/i],
    ['invalid-json', 1003, /JSON/],
    ['wrong-shape', 1004, /"tier"/],
    ['html', 1005, /HTML|log ?in/i],
    ['redirect', 1006, /redirect/i],
    ['slow', 1007, /time/i],
  ];
  for (const [mode, ticket, message] of failures) {
    it(`survives a service that answers "${mode}": the local value stays, the problem is said`, async () => {
      service.modes.set(requesterEmail(ticket), mode);
      const page = await openTicket(ticket);
      const sidebar = page.getByTestId('centric-sidebar');
      await sidebar.getByTestId('source-problem').waitFor(POLL);
      expect(await sidebar.getByTestId('source-problem').textContent()).toMatch(message);
      expect(await sidebar.getByTestId('source-problem').textContent()).not.toContain(SECRET);
      // The local scores are shown instead, and say so.
      expect(await sidebar.getByTestId('customer-value').count()).toBe(1);
      expect(await sidebar.getByTestId('value-source').textContent()).toMatch(/^From the scores in this browser/);
      await page.close();
    });
  }

  it('says which source failed, and how, when the customer is not stored here either (issue 16)', async () => {
    // Ticket 1015's page with a requester nobody knows, served at a ticket address of its own.
    const email = requesterEmail(1015);
    const stranger = 'stranger@nowhere-known.example';
    const body = (await (await fetch(ticketUrl(1015))).text()).replace(new RegExp(email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), stranger);
    expect(body).toContain(stranger);
    service.modes.set(stranger, 'error');
    const page = await browser.context.newPage();
    await page.route(ticketUrl(1099), (route) => route.fulfill({ status: 200, contentType: 'text/html', body }));
    await page.goto(ticketUrl(1099));
    const sidebar = page.getByTestId('centric-sidebar');
    await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('not-found');
    expect(await sidebar.getByTestId('centric-not-found').textContent()).toContain('is not in your customer data yet');
    expect(await sidebar.getByTestId('source-problem').textContent()).toMatch(/^Team API: .*(500|server)/i);
    expect(await sidebar.getByTestId('source-problem').textContent()).not.toContain(SECRET);
    await page.close();
  });

  it('keeps the cached answer when the service fails later, and shows it as cached', async () => {
    const email = requesterEmail(1001);
    service.modes.set(email, 'error');
    // Wait until the cached answer is past its 3 s time to live, i.e. stale (as the store says).
    const expiresAt = await browser.context.newPage().then(async (store) => {
      await store.goto(browser.extensionUrl('options.html'));
      const entry = (await lookupCache(store)).find((e) => e.key.includes(encodeURIComponent(email)));
      await store.close();
      return entry?.value.expiresAt;
    });
    expect(expiresAt).toBeTypeOf('number');
    await expect.poll(() => Date.now() >= expiresAt!, POLL).toBe(true);
    const page = await openTicket(1001);
    const sidebar = page.getByTestId('centric-sidebar');
    expect(await sidebar.getByTestId('tier').textContent()).toBe('Gold');
    expect(await sidebar.getByTestId('remote-stale').textContent()).toBe('Cached');
    // The background refresh fails; the cache still holds the answer.
    await expect.poll(() => service.requests.filter((r) => r.path.includes(encodeURIComponent(email))).length, POLL).toBeGreaterThan(1);
    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options.html'));
    const entries = await lookupCache(options);
    const entry = entries.find((e) => e.key.includes(encodeURIComponent(email)));
    expect(entry?.value.score?.tier).toBe('Gold');
    await expect
      .poll(async () => {
        await page.reload();
        await expect.poll(() => page.getByTestId('centric-sidebar').getAttribute('data-state'), POLL).toBe('customer');
        return page.getByTestId('centric-sidebar').getByTestId('tier').textContent();
      }, POLL)
      .toBe('Gold');
    await options.close();
    await page.close();
  });
});

describe('a shared score file', () => {
  const row = (id: string, tier: string, clv: number): ScoreRow => ({
    id,
    x: 3,
    tx: 20,
    T: 40,
    monetary: 25,
    pAlive: 0.7,
    expectedTransactions: 1.5,
    expectedSpend: 26,
    clv,
    tier,
  });
  const customerId = (ticket: number) => {
    const email = requesterEmail(ticket);
    return loadDemoData(process.cwd()).customers.find((c) => c.emails[0] === email)!.id;
  };
  type Chrome = { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> }; storage: { local: { get(k: string): Promise<Record<string, unknown>>; set(v: unknown): Promise<void> } } } };

  async function extensionPage(): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('options.html'));
    return page;
  }
  const syncNow = (page: Page) =>
    page.evaluate(() => (globalThis as unknown as Chrome).chrome.runtime.sendMessage({ type: 'sync-sources', sourceId: 'team-file' })) as Promise<{ ok: boolean; message: string }>;
  const tierOn = async (ticket: number) => {
    const page = await openTicket(ticket);
    const tier = await page.getByTestId('centric-sidebar').getByTestId('tier').textContent();
    const source = await page.getByTestId('centric-sidebar').getByTestId('value-source').textContent();
    await page.close();
    return { tier, source };
  };

  it('is synced when configured, shown with its source, and not downloaded again while unchanged', async () => {
    service.file = { body: scoreRowsToCsv([row(customerId(1008), 'Silver', 555)]), etag: '"v1"' };
    const page = await extensionPage();
    await page.evaluate(async (url) => {
      const { chrome } = globalThis as unknown as Chrome;
      const { sources } = (await chrome.storage.local.get('sources')) as { sources: { sources: unknown[]; precedence: string[] } };
      await chrome.storage.local.set({
        sources: {
          ...sources,
          sources: [...sources.sources, { id: 'team-file', kind: 'score-file', name: 'Team file', enabled: true, url, format: 'csv', syncMinutes: 60 }],
          precedence: ['team-file', ...sources.precedence],
        },
      });
    }, `${service.url}/scores.csv`);
    // The background syncs a new file at once.
    await expect
      .poll(async () => ((await page.evaluate(() => (globalThis as unknown as Chrome).chrome.storage.local.get('sourcesStatus'))) as { sourcesStatus?: Record<string, { outcome: string }> }).sourcesStatus?.['team-file']?.outcome, POLL)
      .toBe('changed');
    expect(await tierOn(1008)).toEqual({ tier: 'Silver', source: expect.stringMatching(/^From Team file, as of/) });
    const again = await syncNow(page);
    expect(again).toEqual({ ok: true, message: 'The file has not changed since the last sync.' });
    expect(service.requests.filter((r) => r.path === '/scores.csv').at(-1)?.headers['if-none-match']).toBe('"v1"');
    await page.close();
  });

  it('keeps the old scores when the new file is truncated, and takes a complete new file', async () => {
    const page = await extensionPage();
    const complete = scoreRowsToCsv([row(customerId(1008), 'Bronze', 777), row(customerId(1009), 'Bronze', 700)]);
    service.file = { body: complete.slice(0, complete.length - 9), etag: '"v2"' };
    const truncated = await syncNow(page);
    expect(truncated.ok).toBe(false);
    expect(truncated.message).toMatch(/cannot be used.*previous scores are kept/);
    expect((await tierOn(1008)).tier).toBe('Silver');

    service.file = { body: complete, etag: '"v3"' };
    expect(await syncNow(page)).toEqual({ ok: true, message: 'Synced: 2 customers.' });
    expect((await tierOn(1008)).tier).toBe('Bronze');
    expect((await tierOn(1009)).tier).toBe('Bronze');
    await page.close();
  });
});
