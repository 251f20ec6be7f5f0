/**
 * Launches Debian's Chromium with the built extension loaded, through playwright-core. Used by the
 * end-to-end tests and by `npm run demo`.
 */
import { mkdtempSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * The end-to-end tests wait on states (a locator, `expect.poll`, an event), never on time; these are
 * the deadlines of those waits, in one place. They are generous on purpose: CI runs on a busy 2-core
 * machine (`scripts/stress-e2e.sh` runs the suite under that load). On an idle machine the states
 * come in far sooner; a deadline only decides how long a broken build takes to fail.
 */
export const TIMEOUTS = {
  /** A state of a page or of the store: a sidebar's lookup, a page's data, a registration, a browser's start. */
  state: 45_000,
  /** Heavy work: the first run (loading and scoring the bundled sample), an import, a scoring. */
  slow: 120_000,
} as const;
/** Options for `expect.poll` and `locator.waitFor` on a state. */
export const POLL = { timeout: TIMEOUTS.state } as const;
/** The same, for heavy work (first run, import, scoring). */
export const SLOW = { timeout: TIMEOUTS.slow } as const;

/** Waits on an options page until the background's first run (loading and scoring the bundled sample) is done. */
export async function waitForSample(page: Page): Promise<void> {
  await page.getByTestId('summary-customers').filter({ hasText: '2,357' }).waitFor(SLOW);
}

/** Waits until the background's first run (loading and scoring the bundled sample) is done. */
export async function waitForFirstRun(browser: ExtensionBrowser): Promise<void> {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('options.html'));
  await waitForSample(page);
  await page.close();
}

/**
 * The builds: "production" is what ships (`wxt build`); "e2e" (`wxt build --mode e2e`) is the same
 * build with the built-in sites granted at install, since a test cannot click a permission prompt.
 */
export const EXTENSION_DIRS = {
  production: resolve(process.cwd(), '.output/chrome-mv3'),
  e2e: resolve(process.cwd(), '.output/chrome-mv3-e2e'),
} as const;

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  serviceWorker: Worker;
  /** chrome-extension://<id>/<path> */
  extensionUrl(path: string): string;
  close(): Promise<void>;
}

/**
 * The welcome page the background opens once on install (entrypoints/welcome), waited for as a state:
 * the tab opens asynchronously after the service worker starts.
 */
export async function waitForWelcomePage(context: BrowserContext, extensionId: string): Promise<Page> {
  const url = `chrome-extension://${extensionId}/welcome.html`;
  const isWelcome = (page: Page) => page.url().startsWith(url);
  const opened = context.waitForEvent('page', { predicate: isWelcome, timeout: 30_000 });
  const existing = context.pages().find(isWelcome);
  if (existing) {
    opened.catch(() => {}); // not needed any more: ends when the context closes
    return existing;
  }
  return opened;
}

export async function launchWithExtension({
  headless = true,
  build = 'e2e',
  extensionDir,
  keepWelcome = false,
  userDataDir: profileDir,
}: {
  headless?: boolean;
  build?: keyof typeof EXTENSION_DIRS;
  /** Leave the welcome tab (opened on install) open; by default it is closed once it has opened. */
  keepWelcome?: boolean;
  /** Load the extension from this folder instead (a copy of a build: its own path gives it its own id). */
  extensionDir?: string;
  /** Use this browser profile (kept on close, so a test can start the browser again on it); default: a new one, removed on close. */
  userDataDir?: string;
} = {}): Promise<ExtensionBrowser> {
  const EXTENSION_DIR = extensionDir ?? EXTENSION_DIRS[build];
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}. Run: bash scripts/setup.sh (installs the Debian package "chromium").`);
  }
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No built extension at ${EXTENSION_DIR}. Run: ${build === 'e2e' ? 'npx wxt build --mode e2e' : 'npm run build'}`);
  }
  const userDataDir = profileDir ?? mkdtempSync(join(tmpdir(), 'centric-profile-'));
  // A profile used before (a test starting the browser again on it) gets no welcome tab: that is opened on install only.
  const freshProfile = !profileDir || !existsSync(profileDir) || readdirSync(profileDir).length === 0;
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: false, // headless is chosen by the flag below: the new headless mode loads extensions
    viewport: { width: 1280, height: 800 },
    args: [
      ...(headless ? ['--headless=new'] : []),
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  // Every locator wait and action without a timeout of its own gets the suite's generous one.
  context.setDefaultTimeout(TIMEOUTS.state);
  const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', POLL));
  const extensionId = new URL(serviceWorker.url()).host;
  if (!keepWelcome && freshProfile) await (await waitForWelcomePage(context, extensionId)).close();
  return {
    context,
    extensionId,
    serviceWorker,
    extensionUrl: (path) => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`,
    close: async () => {
      await context.close();
      if (!profileDir) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
