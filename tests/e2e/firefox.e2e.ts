/**
 * The shipped Firefox build (.output/firefox-mv2) in Debian's firefox-esr, loaded as a temporary
 * add-on through puppeteer-core (WebDriver BiDi), on the demo helpdesk: the first run imports and
 * scores the sample in Firefox's IndexedDB, the content script mounts the sidebar in its shadow root
 * with its styles (constructed style sheets behave differently in Firefox's content scripts), the
 * lookup travels content script → background → content script, and the list chips are injected by
 * the background (scripting.executeScript) when their switch is on.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../demo/server';

const FIREFOX = '/usr/bin/firefox-esr';
const BUILD = resolve(process.cwd(), '.output/firefox-mv2');
const ADDON_ID = 'centric@centric.example';
/** A fixed internal UUID, so the test can open the add-on's own pages at a known moz-extension:// URL. */
const ADDON_UUID = '3f1d2c4b-8a6e-4f0d-9b7a-5c2e1d0f6a11';

let browser: Browser;
let demo: DemoServer;

beforeAll(async () => {
  if (!existsSync(FIREFOX)) throw new Error(`${FIREFOX} is missing: run bash scripts/setup.sh (it installs Debian's firefox-esr).`);
  if (!existsSync(resolve(BUILD, 'manifest.json'))) throw new Error(`No Firefox build in ${BUILD}: npx wxt build -b firefox`);
  demo = await startDemoServer();
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    // Firefox 153 lets WebDriver open extension pages (moz-extension://) only with system access.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: { 'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: ADDON_UUID }) },
  });
  expect(await browser.installExtension(BUILD)).toBe(ADDON_ID);
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

/** Polls `read` in the page until it returns something other than null (or fails after 30 s). */
async function until<T>(page: Page, read: () => T | null, what: string): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = (await page.evaluate(read)) as T | null;
    if (value !== null) return value;
    if (Date.now() - started > 30_000) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 250));
  }
}

/**
 * Opens one of the add-on's pages. The page loads, but puppeteer's navigation over BiDi never sees a
 * moz-extension:// page finish loading (firefox-esr 153): the navigation is not awaited; the page is.
 */
async function openExtensionPage(path: string): Promise<Page> {
  const page = await browser.newPage();
  const url = `moz-extension://${ADDON_UUID}/${path}`;
  page.goto(url, { timeout: 60_000 }).catch(() => undefined);
  const started = Date.now();
  for (;;) {
    const ready = await page.evaluate(() => `${location.href} ${document.readyState}`).catch(() => '');
    if (ready === `${url} complete`) return page;
    if (Date.now() - started > 30_000) throw new Error(`${url} did not load (last seen: ${ready || 'nothing'})`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

describe('Firefox (firefox-esr, the shipped build)', () => {
  it('shows the requester’s tier on a demo ticket, styled, in a shadow root', async () => {
    const page = await browser.newPage();
    await page.goto(demo.firstTicketUrl);
    const requester = await page.$eval('[data-requester] .requester-name', (el) => el.textContent);
    // The first run (sample import and scoring) happens in the background on install: wait for it.
    const shown = await until(
      page,
      () => {
        const root = document.querySelector('centric-sidebar')?.shadowRoot;
        const name = root?.querySelector('[data-testid="customer-name"]')?.textContent;
        const tier = root?.querySelector('[data-testid="tier"]');
        if (!name || !tier) return null;
        const face = getComputedStyle(tier);
        return { name: name.trim(), tier: tier.textContent?.trim(), radius: face.borderTopLeftRadius, hostFont: getComputedStyle(document.body).fontFamily };
      },
      'the sidebar to show the customer',
    );
    expect(shown.name).toBe(requester);
    expect(shown.tier).toMatch(/^(Platinum|Gold|Iron|Lead)$/);
    // The sidebar's own style sheet applies inside its shadow root (a rounded tier badge).
    expect(shown.radius).not.toBe('0px');
    await page.close();
  });

  it('puts a tier chip on each ticket row once the list chips are switched on', async () => {
    const popup = await openExtensionPage('popup.html');
    await popup.evaluate(() => (globalThis as unknown as { browser: typeof import('wxt/browser').browser }).browser.storage.local.set({ listChips: { demo: true } }));
    await popup.close();
    const page = await browser.newPage();
    await page.goto(`${demo.url}/tickets`);
    const chips = await until(
      page,
      () => {
        const found = [...document.querySelectorAll('tr[data-ticket-row] centric-chip')];
        if (found.length < 5) return null;
        return found.slice(0, 5).map((chip) => {
          const face = chip.shadowRoot?.querySelector('[role="img"]');
          return { tier: chip.getAttribute('data-tier'), label: face?.getAttribute('aria-label') ?? '', radius: face ? getComputedStyle(face).borderTopLeftRadius : '' };
        });
      },
      'tier chips on the ticket list',
    );
    for (const chip of chips) {
      expect(chip.tier).toMatch(/^(Platinum|Gold|Iron|Lead)$/);
      expect(chip.label).toContain(`${chip.tier} customer, CLV $`);
      // The chips' shared constructed style sheet (or its <style> fallback) styles the face.
      expect(chip.radius).toBe('8px');
    }
    await page.close();
  });
});
