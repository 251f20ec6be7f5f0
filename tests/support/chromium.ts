/**
 * Launches Debian's Chromium with the built extension loaded, through playwright-core. Used by the
 * end-to-end tests and by `npm run demo`.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Polling options for UI assertions: the first lookup waits for the background's first-run work. */
export const POLL = { timeout: 30_000 } as const;

/** Waits until the background's first run (loading and scoring the bundled sample) is done. */
export async function waitForFirstRun(browser: ExtensionBrowser): Promise<void> {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('options.html'));
  await page.getByTestId('summary-customers').filter({ hasText: '2,357' }).waitFor({ timeout: 90_000 });
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
}: {
  headless?: boolean;
  build?: keyof typeof EXTENSION_DIRS;
  /** Leave the welcome tab (opened on install) open; by default it is closed once it has opened. */
  keepWelcome?: boolean;
  /** Load the extension from this folder instead (a copy of a build: its own path gives it its own id). */
  extensionDir?: string;
} = {}): Promise<ExtensionBrowser> {
  const EXTENSION_DIR = extensionDir ?? EXTENSION_DIRS[build];
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}. Run: bash scripts/setup.sh (installs the Debian package "chromium").`);
  }
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No built extension at ${EXTENSION_DIR}. Run: ${build === 'e2e' ? 'npx wxt build --mode e2e' : 'npm run build'}`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'centric-profile-'));
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
  const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const extensionId = new URL(serviceWorker.url()).host;
  if (!keepWelcome) await (await waitForWelcomePage(context, extensionId)).close();
  return {
    context,
    extensionId,
    serviceWorker,
    extensionUrl: (path) => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
