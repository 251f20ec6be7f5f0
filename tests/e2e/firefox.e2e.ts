/**
 * The Firefox build in Debian's firefox-esr, loaded as a temporary add-on through puppeteer-core
 * (WebDriver BiDi): the end-to-end build (.output/firefox-mv3-e2e, the built-in sites granted at
 * install, as the Chromium tests' build; otherwise the same as the shipped .output/firefox-mv3). The
 * first run imports and scores the sample in Firefox's IndexedDB; the content script mounts the
 * sidebar in its shadow root with its styles (constructed style sheets behave differently in
 * Firefox's content scripts); the lookup travels content script → background → content script; the
 * list chips are injected by the background (scripting.executeScript) when their switch is on. Host
 * pages are opened at their real URLs and answered from the saved fixtures (request interception).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../demo/server';
import { TIMEOUTS } from '../support/chromium';

const FIREFOX = '/usr/bin/firefox-esr';
const BUILD = resolve(process.cwd(), '.output/firefox-mv3-e2e');
const FIXTURES = resolve(process.cwd(), 'tests/fixtures/hosts');
const ADDON_ID = 'centric@centric.example';
/** A fixed internal UUID, so the test can open the add-on's own pages at a known moz-extension:// URL. */
const ADDON_UUID = '3f1d2c4b-8a6e-4f0d-9b7a-5c2e1d0f6a11';

let browser: Browser;
let demo: DemoServer;

beforeAll(async () => {
  if (!existsSync(FIREFOX)) throw new Error(`${FIREFOX} is missing: run bash scripts/setup.sh (it installs Debian's firefox-esr).`);
  if (!existsSync(resolve(BUILD, 'manifest.json'))) throw new Error(`No Firefox build in ${BUILD}: npx wxt build -b firefox --mode e2e`);
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
  // On install the add-on opens its welcome page in a new tab, in front (as for a person): waited for
  // and closed, so the tests' pages are the active tabs (Firefox holds back a background tab's frames).
  // (Over BiDi its target's URL stays about:blank: each page is asked where it is.)
  const welcomeUrl = `moz-extension://${ADDON_UUID}/welcome.html`;
  const welcome = await poll(
    async () => {
      for (const page of await browser.pages()) if ((await page.evaluate(() => location.href).catch(() => '')) === welcomeUrl) return page;
      return null;
    },
    () => 'the welcome page to open on install',
  );
  await welcome.close();
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

/** Calls `check` every 100 ms until it gives something other than null; fails after the suite's deadline for a state. */
async function poll<T>(check: () => Promise<T | null>, what: () => string): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() - started > TIMEOUTS.state) throw new Error(`Timed out waiting for ${what()}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Polls `read` in the page until it returns something other than null. */
const until = <T>(page: Page, read: () => T | null, what: string): Promise<T> => poll(() => page.evaluate(read) as Promise<T | null>, () => what);

/**
 * Opens one of the add-on's pages. The page loads, but puppeteer's navigation over BiDi never sees a
 * moz-extension:// page finish loading (firefox-esr 153): the navigation is not awaited; the page is.
 */
async function openExtensionPage(path: string): Promise<Page> {
  const page = await browser.newPage();
  const url = `moz-extension://${ADDON_UUID}/${path}`;
  page.goto(url, { timeout: TIMEOUTS.slow }).catch(() => undefined);
  let seen = '';
  return poll(
    async () => {
      seen = await page.evaluate(() => `${location.href} ${document.readyState}`).catch(() => '');
      return seen === `${url} complete` ? page : null;
    },
    () => `${url} to load (last seen: ${seen || 'nothing'})`,
  );
}

/** A host page at its real URL, answered from a saved fixture; every other request is refused. */
async function openHost(url: string, fixture: string): Promise<Page> {
  const page = await browser.newPage();
  const html = readFileSync(resolve(FIXTURES, fixture), 'utf8');
  const origin = new URL(url).origin;
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url().startsWith(`${origin}/`)) void request.respond({ status: 200, contentType: 'text/html', body: html });
    else void request.abort();
  });
  await page.goto(url);
  return page;
}

type Ext = typeof import('wxt/browser').browser;

/** Sets the list chips switch, and asks the background for a customer's tier, from the add-on's popup page. */
async function inExtension<T>(run: (arg: string) => Promise<T>, arg = ''): Promise<T> {
  const popup = await openExtensionPage('popup.html');
  try {
    return (await popup.evaluate(run as never, arg as never)) as T;
  } finally {
    await popup.close();
  }
}
const setListChips = (value: Record<string, boolean>) =>
  inExtension((json) => (globalThis as unknown as { browser: Ext }).browser.storage.local.set({ listChips: JSON.parse(json) }), JSON.stringify(value)).then(() => undefined);
/** The tier a single lookup gives each of these customers (one popup page asks for all). */
const tiersOf = (emails: string[]) =>
  inExtension(
    (json) =>
      Promise.all(
        (JSON.parse(json) as string[]).map(async (email) => {
          const answer = (await (globalThis as unknown as { browser: Ext }).browser.runtime.sendMessage({ type: 'lookup', identity: { host: 'test', email } })) as { customer?: { value?: { tier: string } } };
          return answer.customer?.value?.tier ?? null;
        }),
      ),
    JSON.stringify(emails),
  );

describe('Firefox (firefox-esr)', () => {
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
        return { name: name.trim(), tier: tier.textContent?.trim(), radius: face.borderTopLeftRadius };
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
    await setListChips({ demo: true });
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
      expect(chip.label).toContain(`${chip.tier} customer, 12-month value $`);
      // The chips' shared constructed style sheet (or its <style> fallback) styles the face.
      expect(chip.radius).toBe('8px');
    }
    await page.close();
  });

  it('mounts on a Zendesk ticket at its real URL and shows the requester, as in Chromium', async () => {
    const page = await openHost('https://acme.zendesk.com/agent/tickets/1', 'zendesk/agent-ticket.html');
    const shown = await until(
      page,
      () => {
        const root = document.querySelector('centric-sidebar')?.shadowRoot;
        const name = root?.querySelector('[data-testid="customer-name"]')?.textContent;
        const tier = root?.querySelector('[data-testid="tier"]')?.textContent;
        return name && tier ? { name, tier, orders: root!.querySelector('[data-testid="fact-orders"]')?.textContent } : null;
      },
      'the sidebar on the Zendesk ticket',
    );
    // The same customer, tier and purchase facts as tests/e2e/sidebar.e2e.ts reads in Chromium.
    expect(shown).toEqual({ name: 'Kaia Nakamura', tier: 'Lead', orders: '56' });
    await page.close();
  });

  it('puts the right tier chip on each row of a HubSpot contacts list', async () => {
    await setListChips({ hubspot: true });
    const page = await openHost('https://app.hubspot.com/contacts/123456/objects/0-1/views/all/list', 'hubspot/contacts-list.html');
    const tiers = await until(
      page,
      () => {
        const rows = [...document.querySelectorAll('[data-test-id="framework-data-table"] tbody tr')];
        const chips = rows.map((row) => row.querySelector('centric-chip')?.getAttribute('data-tier') ?? null);
        return chips.filter(Boolean).length >= 3 ? chips : null;
      },
      'tier chips on the HubSpot list',
    );
    const expected = await tiersOf(['gael.okafor.5@northwind.example', 'pablo.dimitrov.6@northwind.example', 'freya.vasquez.19@copperleaf.example', 'uma.novak.29@redwood.example']);
    // Rows 1–4 are sample customers (the fourth shows its email in the name column); row 5 has neither name nor email.
    expect(tiers).toEqual([...expected, null]);
    await setListChips({});
    await page.close();
  });
});
