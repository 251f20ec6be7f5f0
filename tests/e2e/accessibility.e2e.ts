/**
 * Accessibility in real Chromium: axe-core (the engine browsers' audit tools use) on every page of the
 * built extension and on the sidebar in its shadow root, in light and dark mode, each in the state a
 * person sees: options with the dashboard loaded, the popup with a search result and the watch list,
 * the report, the purchase history of a customer, the sidebar with a customer, "not found", a record
 * page it cannot read and an error. The pages are not listed here: every *.html of the e2e build is checked, so a renamed or a
 * new page is covered at once (a page that does not open fails).
 *
 * Fails on any serious, critical or moderate violation (moderate: axe's landmark and heading rules,
 * i.e. one main landmark, one h1, headings in order, all content in landmarks). The sidebar is checked
 * inside a host page with axe's context set to the sidebar's element and its shadow tree, so the host
 * page's own structure is not held against it.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../demo/server';
import { EXTENSION_DIRS, launchWithExtension, POLL, waitForFirstRun, waitForSample, type ExtensionBrowser } from '../support/chromium';

const AXE_SOURCE: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source;
const FIXTURES = resolve(process.cwd(), 'tests/fixtures/hosts');
const SCHEMES = ['light', 'dark'] as const;
type Scheme = (typeof SCHEMES)[number];

/** Every page of the build (relative paths), found in the build itself. */
function extensionPages(): string[] {
  let files: string[];
  try {
    files = readdirSync(EXTENSION_DIRS.e2e, { recursive: true, encoding: 'utf8' });
  } catch {
    throw new Error(`No built extension at ${EXTENSION_DIRS.e2e}. Run: npx wxt build --mode e2e`);
  }
  return files.filter((f) => f.endsWith('.html')).sort();
}
const PAGES = extensionPages();

let browser: ExtensionBrowser;
let demo: DemoServer;

beforeAll(async () => {
  [browser, demo] = await Promise.all([launchWithExtension(), startDemoServer()]);
  await waitForFirstRun(browser);
  await browser.context.route('https://acme.zendesk.com/**', (route) =>
    route.fulfill({ path: resolve(FIXTURES, 'zendesk/agent-ticket.html'), contentType: 'text/html' }),
  );
  // A ticket the Freshdesk adapter cannot read (issue 17: what was not found, link, page report).
  await browser.context.route('https://acme.freshdesk.com/**', (route) =>
    route.fulfill({ path: resolve(process.cwd(), 'tests/fixtures/page-report/unreadable-ticket.html'), contentType: 'text/html' }),
  );
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

interface Finding {
  rule: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** Runs axe-core in the page (injected through DevTools evaluation, which the extension CSP does not cover). */
async function axe(page: Page, include?: string): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (selector) => {
    const engine = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact?: string; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] }> } }).axe;
    const context = selector ? { include: [[selector]] } : document;
    const { violations } = await engine.run(context, { resultTypes: ['violations'] });
    return violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${JSON.stringify(n.target)}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 240)}`),
    }));
  }, include ?? null);
}

/** What fails the test: any violation but a minor one (axe's landmark and heading rules are moderate). */
const failing = (findings: Finding[]) => findings.filter((f) => f.impact !== 'minor');

/** One line per violation and element, to read in a failure. */
const report = (findings: Finding[]) => findings.flatMap((f) => f.nodes.map((n) => `${f.impact} ${f.rule} (${f.help}): ${n}`));

/** Lets the page repaint in the new colour scheme (charts redraw on the media change). */
async function setScheme(page: Page, scheme: Scheme): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  await expect.poll(() => page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), POLL).toBe(scheme === 'dark');
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/** A sample customer's id, for the purchase history page. */
const SAMPLE_CUSTOMER = '2';

/**
 * Brings an extension page into the state a person sees, by its name; a page not named here (a new
 * one) is checked as it opens, once it shows some text.
 */
async function prepare(page: Page, file: string): Promise<void> {
  const name = file.replace(/\.html$/, '');
  if (name === 'options') {
    await waitForSample(page);
    await page.getByTestId('tier-table').waitFor(POLL);
    // Options → Team (issue 19), not connected here; connected, it is checked in tests/e2e/team.e2e.ts.
    await page.getByTestId('team-section').waitFor(POLL);
  } else if (name === 'popup') {
    await page.getByTestId('popup-search-input').fill('Luca');
    await expect.poll(() => page.getByTestId('popup-search-result').count(), POLL).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('watch-list').textContent(), POLL).toMatch(/at risk/);
  } else if (name === 'report') {
    await page.getByTestId('report-equity').waitFor(POLL);
  } else if (/history|purchase/.test(name)) {
    await page.getByTestId('history-summary').waitFor(POLL);
  }
  // Any page: rendered (its script has put text on it).
  await expect.poll(() => page.evaluate(() => document.body.innerText.trim().length), POLL).toBeGreaterThan(0);
}

/** The URL an extension page is opened at (the purchase history page shows one customer). */
const pageUrl = (file: string) => browser.extensionUrl(/history|purchase/.test(file) ? `${file}?customer=${SAMPLE_CUSTOMER}` : file);

describe('accessibility of the extension pages (axe-core)', () => {
  it('finds the pages in the build', () => {
    expect(PAGES).toEqual(expect.arrayContaining(['options.html', 'popup.html', 'report.html']));
  });

  for (const file of PAGES) {
    for (const scheme of SCHEMES) {
      it(`${file} (${scheme}): no serious, critical or moderate violation`, async () => {
        const page = await browser.context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        await page.emulateMedia({ colorScheme: scheme });
        const response = await page.goto(pageUrl(file));
        // (Chromium gives some extension page loads no response object; a missing page shows Chromium's error page.)
        expect(response === null || response.ok(), `${file} did not open`).toBe(true);
        expect(page.url(), `${file} did not open`).toMatch(/^chrome-extension:\/\//);
        await prepare(page, file);
        await setScheme(page, scheme);
        expect(errors, `${file} threw`).toEqual([]);
        expect(report(failing(await axe(page)))).toEqual([]);
        await page.close();
      });
    }
  }
});

describe('accessibility of the sidebar in its shadow root (axe-core)', () => {
  /** A host page whose sidebar reaches `state`; `before` runs first (e.g. to make the store fail). */
  const cases: { name: string; url: () => string; state: string; before?: () => Promise<unknown>; after?: () => Promise<unknown> }[] = [
    { name: 'a customer on a demo ticket', url: () => demo.firstTicketUrl, state: 'customer' },
    { name: 'a customer on a Zendesk ticket (host fixture)', url: () => 'https://acme.zendesk.com/agent/tickets/1', state: 'customer' },
    { name: 'an unknown requester ("not found")', url: () => `${demo.url}/tickets/1015`, state: 'not-found' },
    { name: 'a record page Centric cannot read (what was not found, link, page report)', url: () => 'https://acme.freshdesk.com/a/tickets/4242', state: 'no-customer' },
    {
      name: 'a store that cannot be read (error)',
      url: () => `${demo.url}/tickets/1003`,
      state: 'error',
      // The background's store refuses every read, as a broken profile would.
      before: () =>
        browser.serviceWorker.evaluate(() => {
          const refuse = () => {
            throw new DOMException('The store is unavailable (accessibility test).', 'UnknownError');
          };
          for (const proto of [IDBObjectStore.prototype, IDBIndex.prototype] as unknown as Record<string, unknown>[]) {
            for (const method of ['get', 'getAll', 'getAllKeys', 'openCursor', 'openKeyCursor', 'count']) {
              proto[`__${method}`] ??= proto[method];
              proto[method] = refuse;
            }
          }
        }),
      after: () =>
        browser.serviceWorker.evaluate(() => {
          for (const proto of [IDBObjectStore.prototype, IDBIndex.prototype] as unknown as Record<string, unknown>[]) {
            for (const method of ['get', 'getAll', 'getAllKeys', 'openCursor', 'openKeyCursor', 'count']) {
              if (proto[`__${method}`]) proto[method] = proto[`__${method}`];
            }
          }
        }),
    },
  ];

  for (const c of cases) {
    for (const scheme of SCHEMES) {
      it(`${c.name} (${scheme}): no serious, critical or moderate violation`, async () => {
        await c.before?.();
        try {
          const page = await browser.context.newPage();
          await page.emulateMedia({ colorScheme: scheme });
          await page.goto(c.url());
          const sidebar = page.getByTestId('centric-sidebar');
          await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe(c.state);
          await setScheme(page, scheme);
          expect(report(failing(await axe(page, 'centric-sidebar')))).toEqual([]);
          await page.close();
        } finally {
          await c.after?.();
        }
      });
    }
  }
});
