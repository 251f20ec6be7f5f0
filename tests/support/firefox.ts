/**
 * Debian's firefox-esr with a Centric build installed as a temporary add-on, through puppeteer-core
 * over WebDriver BiDi; the add-on gets a fixed internal UUID so its pages open at a known
 * moz-extension:// URL. Used by tests/e2e/firefox.e2e.ts and tests/e2e/firefox-production.e2e.ts.
 * Waits on states, with the suite's deadlines (TIMEOUTS in tests/support/chromium.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import { TIMEOUTS } from './chromium';

export const FIREFOX_PATH = '/usr/bin/firefox-esr';
export const ADDON_ID = 'centric@centric.example';
/** A fixed internal UUID, so a test can open the add-on's own pages at a known moz-extension:// URL. */
export const ADDON_UUID = '3f1d2c4b-8a6e-4f0d-9b7a-5c2e1d0f6a11';
/**
 * The builds: "production" is what ships (`wxt build -b firefox`); "e2e" (`--mode e2e`) is the same
 * build with the built-in sites granted at install, since a test cannot click a permission prompt.
 */
export const FIREFOX_BUILDS = {
  production: resolve(process.cwd(), '.output/firefox-mv3'),
  e2e: resolve(process.cwd(), '.output/firefox-mv3-e2e'),
} as const;
/** The saved host pages (tests/fixtures/hosts), answered at their real URLs by openHost. */
export const HOST_FIXTURES = resolve(process.cwd(), 'tests/fixtures/hosts');

/**
 * Launches firefox-esr (a new profile) with `build` installed; `prefs` are extra Firefox preferences.
 * On install the add-on opens its welcome page in a new tab, in front (as for a person): it is waited
 * for and closed, so the tests' pages are the active tabs (Firefox holds back a background tab's
 * frames), as tests/support/chromium.ts launchWithExtension does; `keepWelcome` leaves it open.
 */
export async function launchFirefox({
  build = 'e2e',
  prefs = {},
  keepWelcome = false,
}: {
  build?: keyof typeof FIREFOX_BUILDS;
  prefs?: Record<string, unknown>;
  /** Leave the welcome tab (opened on install) open; by default it is closed once it has opened. */
  keepWelcome?: boolean;
} = {}): Promise<Browser> {
  const dir = FIREFOX_BUILDS[build];
  if (!existsSync(FIREFOX_PATH)) throw new Error(`${FIREFOX_PATH} is missing: run bash scripts/setup.sh (it installs Debian's firefox-esr).`);
  if (!existsSync(resolve(dir, 'manifest.json'))) {
    throw new Error(`No Firefox build in ${dir}: npx wxt build -b firefox${build === 'e2e' ? ' --mode e2e' : ''}`);
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    // Firefox 153 lets WebDriver open extension pages (moz-extension://) only with system access.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: { 'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: ADDON_UUID }), ...prefs },
  });
  try {
    const installed = await browser.installExtension(dir);
    if (installed !== ADDON_ID) throw new Error(`Installed ${installed}, expected ${ADDON_ID}`);
    if (!keepWelcome) await (await waitForWelcomePage(browser)).close();
    return browser;
  } catch (error) {
    await browser.close().catch(() => {});
    throw error;
  }
}

/**
 * The welcome page the add-on opens once on install (entrypoints/welcome), waited for as a state: the
 * tab opens asynchronously after the background starts. (Over BiDi its target's URL stays
 * about:blank: each page is asked where it is.)
 */
export function waitForWelcomePage(browser: Browser): Promise<Page> {
  const url = `moz-extension://${ADDON_UUID}/welcome.html`;
  return poll(
    async () => {
      for (const page of await browser.pages()) if ((await page.evaluate(() => location.href).catch(() => '')) === url) return page;
      return null;
    },
    () => 'the welcome page to open on install',
  );
}

/** Calls `check` every 100 ms until it gives something other than null; fails after the suite's deadline for a state. */
export async function poll<T>(check: () => Promise<T | null>, what: () => string): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() - started > TIMEOUTS.state) throw new Error(`Timed out waiting for ${what()}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Polls `read` in the page (or frame) until it returns something other than null. */
export const until = <T>(page: Page | Frame, read: () => T | null, what: string): Promise<T> =>
  poll(() => page.evaluate(read) as Promise<T | null>, () => what);

/**
 * A new tab with the suite's deadlines: a navigation (page.goto) gets TIMEOUTS.slow, every other wait
 * and action without a timeout of its own TIMEOUTS.state (as launchWithExtension sets for Chromium).
 */
export async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUTS.state);
  page.setDefaultNavigationTimeout(TIMEOUTS.slow);
  return page;
}

/**
 * Opens one of the add-on's pages. The page loads, but puppeteer's navigation over BiDi never sees a
 * moz-extension:// page finish loading (firefox-esr 153): the navigation is not awaited; the page is.
 */
export async function openExtensionPage(browser: Browser, path: string): Promise<Page> {
  const page = await newPage(browser);
  const url = `moz-extension://${ADDON_UUID}/${path}`;
  page.goto(url).catch(() => undefined);
  let seen = '';
  return poll(
    async () => {
      seen = await page.evaluate(() => `${location.href} ${document.readyState}`).catch(() => '');
      return seen === `${url} complete` ? page : null;
    },
    () => `${url} to load (last seen: ${seen || 'nothing'})`,
  );
}

/** A host page at its real URL, answered from a saved fixture (HOST_FIXTURES); the add-on's own frames load; every other request is refused. */
export async function openHost(browser: Browser, url: string, fixture: string): Promise<Page> {
  const page = await newPage(browser);
  const html = readFileSync(resolve(HOST_FIXTURES, fixture), 'utf8');
  const origin = new URL(url).origin;
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url().startsWith(`${origin}/`)) void request.respond({ status: 200, contentType: 'text/html', body: html });
    else if (request.url().startsWith(`moz-extension://${ADDON_UUID}/`)) void request.continue(); // the add-on's own frames
    else void request.abort();
  });
  await page.goto(url);
  return page;
}
