/**
 * Issue 17, "fit the app's layout", in real Chromium:
 * - on every record fixture of tests/fixtures/hosts/<host>/cases.json, opened at its real URL, the
 *   sidebar in its default home covers none of the page's controls, on a narrow window (1024×768: the
 *   badge) and a wide one (1440×900: beside the page where the host allows it, else the badge);
 * - each host's layout entry (lib/sites/layout.ts: docking offered or not) agrees with what docking
 *   does on the host's layout shape (tests/fixtures/layout/*.html): the page makes room, every control
 *   stays visible left of the sidebar, and switching docking off gives the page back exactly;
 * - the check can fail: the same shape with the sidebar over the page has covered controls;
 * - the home is chosen per site from the sidebar's menu and remembered; the old single switch migrates;
 * - the side panel page shows the active tab's sidebar state and links back (opened as a tab at
 *   sidepanel.html?tab=<id>: headless Chromium has no side panel to open; see the last describe).
 * "Covered" is what a click would hit: document.elementFromPoint at the centre and the four corners of
 * each visible control (a, button, input, select, textarea, [role=button], [tabindex], also in open
 * shadow roots) must not be Centric's element.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERACTIVE } from '../../lib/content/dock';
import { startDemoServer, type DemoServer } from '../../demo/server';
import { layoutFor, SIDEBAR_WIDTH, SITE_LAYOUTS } from '../../lib/sites/layout';
import { SITE_ADAPTERS } from '../../lib/sites/registry';
import { POLL, type ExtensionBrowser } from '../support/chromium';
import { useExtensionBrowser } from '../support/extension';

interface SiteCase {
  host: string;
  url: string;
  fixture: string;
  expect: null | { hostRecordId?: string };
}

const HOSTS = resolve(process.cwd(), 'tests/fixtures/hosts');
const SHAPES = resolve(process.cwd(), 'tests/fixtures/layout');
const registered = new Set(SITE_ADAPTERS.map((a) => a.id));
const cases: SiteCase[] = readdirSync(HOSTS)
  .filter((host) => registered.has(host) && existsSync(resolve(HOSTS, host, 'cases.json')))
  .flatMap((host) => (JSON.parse(readFileSync(resolve(HOSTS, host, 'cases.json'), 'utf8')) as Omit<SiteCase, 'host'>[]).map((c) => ({ host, ...c })));
const records = cases.filter((c) => c.expect !== null);

/**
 * The layout shape of each host's app (tests/fixtures/layout/<shape>.html; evidence and assumptions in
 * each file's header and in docs/architecture.md "Layout …").
 */
const SHAPE_OF: Record<string, string> = {
  zendesk: 'app-fixed',
  salesforce: 'app-absolute',
  hubspot: 'app-grid',
  freshdesk: 'app-fixed',
  intercom: 'app-fixed',
  pipedrive: 'app-fixed',
  gorgias: 'app-fixed',
  shopify: 'document-fixed-topbar',
  helpscout: 'app-fixed',
  zoho: 'app-fixed',
  front: 'app-fixed',
  gmail: 'app-scripted',
};
const SHAPE_DOCKS: Record<string, boolean> = {
  'app-fixed': true,
  'app-absolute': true,
  'app-grid': true,
  'document-fixed-topbar': false,
  'app-scripted': false,
};

const WIDE = { width: 1440, height: 900 };
const NARROW = { width: 1024, height: 768 };

const browser = useExtensionBrowser();

type Chrome = typeof import('wxt/browser').browser;
const storage = {
  get: (key: string) => browser.serviceWorker.evaluate(async (k) => (await (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.get(k))[k], key),
  set: (items: Record<string, unknown>) => browser.serviceWorker.evaluate((i) => (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.set(i), items),
  remove: (keys: string[]) => browser.serviceWorker.evaluate((k) => (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.remove(k), keys),
};

/** Opens `html` at `url` (nothing leaves the machine) in a page of the given size. */
async function openAt(url: string, html: Buffer | string, viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize(viewport);
  await page.route('**/*', (route) => (route.request().isNavigationRequest() ? route.fulfill({ body: html, contentType: 'text/html' }) : route.abort()));
  await page.goto(url);
  return page;
}

/** The page's controls under Centric's element: each visible control's centre and corners, as a click would hit them. */
function coveredControls(page: Page): Promise<{ checked: number; covered: string[] }> {
  return page.evaluate((SELECTOR) => {
    const own = document.querySelector('centric-sidebar');
    const controls: Element[] = [];
    const collect = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        if (el === own) continue;
        if (el.matches(SELECTOR)) controls.push(el);
        if (el.shadowRoot) collect(el.shadowRoot);
      }
    };
    collect(document);
    let checked = 0;
    const covered: string[] = [];
    for (const el of controls) {
      const r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1 || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      const left = Math.max(r.left + 2, 0);
      const right = Math.min(r.right - 2, innerWidth - 1);
      const top = Math.max(r.top + 2, 0);
      const bottom = Math.min(r.bottom - 2, innerHeight - 1);
      if (left > right || top > bottom) continue; // outside the window (scrolled away)
      checked++;
      const points = [[(left + right) / 2, (top + bottom) / 2], [left, top], [right, top], [left, bottom], [right, bottom]];
      const hits = points.filter(([x, y]) => document.elementFromPoint(x!, y!) === own);
      if (hits.length > 0) covered.push(`${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 30)}" at ${Math.round(r.left)},${Math.round(r.top)}`);
    }
    return { checked, covered };
  }, INTERACTIVE);
}

const sidebarOf = (page: Page) => page.getByTestId('centric-sidebar');
const layoutOf = (page: Page) => sidebarOf(page).getAttribute('data-layout');

describe('every host has a layout entry and a layout shape', () => {
  it('lists every built-in host', () => {
    const hosts = SITE_ADAPTERS.map((a) => a.id).filter((id) => id !== 'demo');
    expect(hosts.filter((id) => !SITE_LAYOUTS[id]), 'hosts without a layout entry').toEqual([]);
    expect(hosts.filter((id) => !SHAPE_OF[id]), 'hosts without a layout shape').toEqual([]);
    expect(records.length).toBeGreaterThan(0);
  });
});

describe('the default home covers none of the page’s controls (every record fixture, narrow then wide)', () => {
  beforeAll(() => storage.remove(['sidebar.layout', 'sidebar.collapsed']));

  it.each(records)('$host: $url', async (c) => {
    const page = await openAt(c.url, readFileSync(resolve(HOSTS, c.host, c.fixture)), NARROW);
    await expect.poll(() => sidebarOf(page).getAttribute('data-state'), POLL).toMatch(/^(customer|not-found)$/);
    // Narrow: the badge.
    await expect.poll(() => layoutOf(page), POLL).toBe('badge');
    // The badge takes a corner clear of the page's controls once the page has painted (page-layout.ts).
    await expect.poll(async () => (await coveredControls(page)).covered, { ...POLL, message: `${c.host} at 1024×768` }).toEqual([]);
    const narrow = await coveredControls(page);
    expect(narrow.checked).toBeGreaterThan(0);
    // Wide: the host's default (beside the page where it docks, else the badge).
    await page.setViewportSize(WIDE);
    const wide = layoutFor(c.host).wide === 'dock' ? 'docked' : 'badge';
    // Docked at once, checked once the page has laid out again (a page that did not make room is refused).
    await expect
      .poll(async () => ({ layout: await layoutOf(page), covered: (await coveredControls(page)).covered }), { ...POLL, message: `${c.host} at 1440×900` })
      .toEqual({ layout: wide, covered: [] });
    await page.close();
  });
});

/** Every control's box (tag, text, rect), to compare a page before and after docking. */
const boxes = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('a, button, input, select, textarea, [role="button"], [tabindex]')].map((el) => {
      const r = el.getBoundingClientRect();
      return { what: `${el.tagName} ${(el.textContent ?? '').trim().slice(0, 20)}`, left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    }),
  );

describe('docking on each host’s layout shape (1440×900)', () => {
  beforeAll(() => storage.remove(['sidebar.layout', 'sidebar.collapsed']));
  const hosts = Object.keys(SHAPE_OF).map((host) => ({ host, shape: SHAPE_OF[host]!, url: cases.find((c) => c.host === host && c.expect)?.url }));

  it.each(hosts)('$host ($shape): the table offers docking exactly where the page makes room', ({ host, shape }) => {
    expect(layoutFor(host).modes.includes('dock'), `${host}: lib/sites/layout.ts`).toBe(SHAPE_DOCKS[shape]);
  });

  it.each(Object.keys(SHAPE_DOCKS))('%s: docks where the page makes room, and refuses where it does not', async (shape) => {
    const html = readFileSync(resolve(SHAPES, `${shape}.html`));
    // The same page where Centric does not run: the page as its app lays it out.
    const plain = await openAt('https://layout.example/plain', html, WIDE);
    const before = await boxes(plain);
    await plain.close();
    // The demo's address: the default layout, docking offered and tried.
    const page = await openAt(`http://127.0.0.1:9/layout/${shape}`, html, WIDE);
    await sidebarOf(page).waitFor({ state: 'attached' });
    if (SHAPE_DOCKS[shape]) {
      await expect.poll(() => layoutOf(page), POLL).toBe('docked');
      expect((await coveredControls(page)).covered).toEqual([]);
      // Every control is still on screen, left of the sidebar, and none has gone (same count, none empty).
      const docked = await boxes(page);
      expect(docked.length).toBe(before.length);
      for (const box of docked) expect(box.right, box.what).toBeLessThanOrEqual(WIDE.width - SIDEBAR_WIDTH + 1);
      // Over the page instead: the style element is gone and the page is exactly as its app laid it out.
      await sidebarOf(page).getByTestId('layout-menu').selectOption('overlay');
      await expect.poll(() => layoutOf(page), POLL).toBe('over');
      expect(await page.locator('#centric-dock').count()).toBe(0);
      expect(await boxes(page)).toEqual(before);
      await storage.remove(['sidebar.layout']);
    } else {
      // The page did not make room: no style left behind, the badge, and the sidebar says why when opened.
      await expect.poll(() => layoutOf(page), POLL).toBe('badge');
      expect(await page.locator('#centric-dock').count()).toBe(0);
      expect(await boxes(page)).toEqual(before);
      expect((await coveredControls(page)).covered).toEqual([]);
      await page.getByTestId('centric-toggle').click();
      await expect.poll(() => layoutOf(page), POLL).toBe('over');
      expect(await page.getByTestId('layout-note').textContent()).toMatch(/^This page did not make room: \d+ of its controls would be under Centric\.$/);
      expect(await axe(page, 'centric-sidebar'), 'the sidebar with its note').toEqual([]);
    }
    await page.close();
  });

  it.each(hosts.filter((h) => h.url))('$host: at its own address on its shape, the default home covers nothing', async ({ host, shape, url }) => {
    const page = await openAt(url!, readFileSync(resolve(SHAPES, `${shape}.html`)), WIDE);
    await sidebarOf(page).waitFor({ state: 'attached' });
    await expect.poll(() => layoutOf(page), POLL).toBe(layoutFor(host).wide === 'dock' ? 'docked' : 'badge');
    expect((await coveredControls(page)).covered).toEqual([]);
    await page.close();
  });

  it('the check can fail: over the page, the shape’s right-hand controls are covered', async () => {
    await storage.set({ 'sidebar.layout': { demo: { mode: 'overlay' } } });
    const page = await openAt('http://127.0.0.1:9/layout/app-fixed', readFileSync(resolve(SHAPES, 'app-fixed.html')), NARROW);
    await expect.poll(() => layoutOf(page), POLL).toBe('over');
    const { covered } = await coveredControls(page);
    expect(covered.length).toBeGreaterThan(0);
    expect(covered.join('\n')).toContain('Profile');
    await page.close();
    await storage.remove(['sidebar.layout']);
  });
});

describe('the home is chosen per site and remembered', () => {
  const zendesk = records.find((c) => c.host === 'zendesk')!;
  const freshdesk = records.find((c) => c.host === 'freshdesk')!;
  const open = (c: SiteCase, viewport = WIDE) => openAt(c.url, readFileSync(resolve(HOSTS, c.host, c.fixture)), viewport);

  it('from the sidebar’s menu, from the keyboard; other sites keep theirs', async () => {
    await storage.remove(['sidebar.layout', 'sidebar.collapsed']);
    const page = await open(zendesk);
    await expect.poll(() => layoutOf(page), POLL).toBe('docked');
    const menu = page.getByTestId('layout-menu');
    await menu.focus();
    await menu.selectOption('badge');
    await expect.poll(() => layoutOf(page), POLL).toBe('badge');
    expect(await storage.get('sidebar.layout')).toEqual({ zendesk: { mode: 'badge' } });
    // The badge opens from the keyboard (over the page) and hides again; focus follows.
    const badge = page.getByTestId('centric-toggle');
    await badge.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => layoutOf(page), POLL).toBe('over');
    // Focus moves to "Hide" (in the sidebar's shadow root) once it is there.
    await expect.poll(() => page.getByTestId('centric-toggle').evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el), POLL).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => layoutOf(page), POLL).toBe('badge');
    await page.reload();
    await expect.poll(() => layoutOf(page), POLL).toBe('badge');
    const other = await open(freshdesk);
    await expect.poll(() => layoutOf(other), POLL).toBe('docked');
    await other.close();
    // Back to automatic, from the sidebar opened over the page: docked again, at once.
    await page.getByTestId('centric-toggle').click();
    await expect.poll(() => layoutOf(page), POLL).toBe('over');
    await menu.selectOption('');
    await expect.poll(() => layoutOf(page), POLL).toBe('docked');
    expect(await storage.get('sidebar.layout')).toEqual({});
    await page.close();
  });

  it('from Options → Sites, which says why a site cannot dock; open tabs follow at once', async () => {
    await storage.remove(['sidebar.layout']);
    const page = await open(zendesk);
    await expect.poll(() => layoutOf(page), POLL).toBe('docked');
    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options.html'));
    const row = options.getByTestId('site-layout-zendesk');
    await row.waitFor(POLL);
    const select = row.getByRole('combobox', { name: 'Zendesk' });
    expect(await select.inputValue()).toBe('');
    expect(await select.locator('option').allTextContents()).toEqual(['Automatic (beside the page)', 'Beside the page', 'Over the page', 'Browser side panel', 'Small badge']);
    // Gmail offers no docking, and says why.
    const gmail = options.getByTestId('site-layout-gmail');
    expect(await gmail.locator('option').allTextContents()).toEqual(['Automatic (small badge)', 'Over the page', 'Browser side panel', 'Small badge']);
    expect(await gmail.textContent()).toContain('Not beside the page: Gmail sizes its panes from the window');
    await select.selectOption('overlay');
    await expect.poll(() => storage.get('sidebar.layout'), POLL).toEqual({ zendesk: { mode: 'overlay' } });
    await expect.poll(() => options.getByTestId('site-layout-saved').textContent(), POLL).toBe('Zendesk: over the page. Open tabs follow at once.');
    await expect.poll(() => layoutOf(page), POLL).toBe('over');
    expect(await page.locator('#centric-dock').count()).toBe(0);
    // The sidebar's own menu shows the same choice, and a change there shows in the options page.
    expect(await page.getByTestId('layout-menu').inputValue()).toBe('overlay');
    await page.getByTestId('layout-menu').selectOption('dock');
    await expect.poll(() => select.inputValue(), POLL).toBe('dock');
    await expect.poll(() => layoutOf(page), POLL).toBe('docked');
    await options.close();
    await page.close();
    await storage.remove(['sidebar.layout']);
  });

  it('"Hide" beside the page is remembered for that site only', async () => {
    await storage.remove(['sidebar.layout']);
    const page = await open(zendesk);
    await expect.poll(() => layoutOf(page), POLL).toBe('docked');
    await page.getByTestId('centric-toggle').click();
    await expect.poll(() => layoutOf(page), POLL).toBe('badge');
    expect(await page.locator('#centric-dock').count()).toBe(0);
    await page.reload();
    await expect.poll(() => layoutOf(page), POLL).toBe('badge');
    const other = await open(freshdesk);
    await expect.poll(() => layoutOf(other), POLL).toBe('docked');
    await other.close();
    await page.close();
  });

  it('the old single "collapsed" switch becomes every site’s, once', async () => {
    await storage.remove(['sidebar.layout']);
    await storage.set({ 'sidebar.collapsed': true });
    await expect.poll(() => storage.get('sidebar.collapsed'), POLL).toBeUndefined();
    const layout = (await storage.get('sidebar.layout')) as Record<string, unknown>;
    expect(layout.zendesk).toEqual({ collapsed: true });
    expect(Object.keys(layout).sort()).toEqual(SITE_ADAPTERS.map((a) => a.id).sort());
    const page = await open(zendesk);
    await expect.poll(() => layoutOf(page), POLL).toBe('badge');
    await page.close();
    await storage.remove(['sidebar.layout']);
  });
});

const AXE_SOURCE: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source;
/** axe-core's serious, critical and moderate findings inside `selector` (or the whole page). */
async function axe(page: Page, selector?: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (include) => {
    const engine = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact?: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const { violations } = await engine.run(include ? { include: [[include]] } : document, { resultTypes: ['violations'] });
    return violations.filter((v) => v.impact !== 'minor').flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id}: ${JSON.stringify(n.target)}`));
  }, selector ?? null);
}

describe('the new UI is accessible (axe-core)', () => {
  it('the badge, the open sidebar with its menu, and the note, in light and dark', async () => {
    await storage.remove(['sidebar.layout']);
    const zendesk = records.find((c) => c.host === 'zendesk')!;
    for (const scheme of ['light', 'dark'] as const) {
      const page = await openAt(zendesk.url, readFileSync(resolve(HOSTS, 'zendesk', zendesk.fixture)), NARROW);
      await page.emulateMedia({ colorScheme: scheme });
      await expect.poll(() => sidebarOf(page).getAttribute('data-state'), POLL).toMatch(/^(customer|not-found)$/);
      await expect.poll(() => layoutOf(page), POLL).toBe('badge');
      expect(await axe(page, 'centric-sidebar'), `badge (${scheme})`).toEqual([]);
      await page.getByTestId('centric-toggle').click();
      await expect.poll(() => layoutOf(page), POLL).toBe('over');
      expect(await axe(page, 'centric-sidebar'), `open (${scheme})`).toEqual([]);
      await page.close();
    }
  });
});

/**
 * The browser's side panel of the window `page` is in, reached through the DevTools protocol (Playwright
 * lists no side panel among a context's pages): its address, a script evaluated in it, closing it.
 */
function sidePanelOf(page: Page) {
  const session = browser.context.newCDPSession(page);
  const target = async () => {
    const { targetInfos } = (await (await session).send('Target.getTargets')) as { targetInfos: { targetId: string; url: string }[] };
    return targetInfos.find((t) => t.url.startsWith(browser.extensionUrl('sidepanel.html')));
  };
  let next = 0;
  return {
    url: async () => (await target())?.url ?? null,
    /** Evaluates `expression` in the side panel (through a session attached to its target). */
    async evaluate(expression: string): Promise<unknown> {
      const cdp = await session;
      const found = await target();
      if (!found) return undefined;
      const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: found.targetId, flatten: false })) as { sessionId: string };
      const id = ++next;
      const answer = new Promise<unknown>((done) => {
        const listen = (event: { sessionId: string; message: string }) => {
          const message = JSON.parse(event.message) as { id?: number; result?: { result?: { value?: unknown } } };
          if (event.sessionId !== sessionId || message.id !== id) return;
          cdp.off('Target.receivedMessageFromTarget', listen);
          done(message.result?.result?.value);
        };
        cdp.on('Target.receivedMessageFromTarget', listen);
      });
      await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.evaluate', params: { expression, returnByValue: true, awaitPromise: true } }) });
      const value = await answer;
      await cdp.send('Target.detachFromTarget', { sessionId });
      return value;
    },
    async close() {
      const found = await target();
      if (found) await (await session).send('Target.closeTarget', { targetId: found.targetId });
    },
  };
}

describe('the browser’s side panel shows the tab’s sidebar', () => {
  let demo: DemoServer;
  beforeAll(async () => {
    demo = await startDemoServer();
  });
  afterAll(() => demo?.close());
  const tabIdOf = (url: string) =>
    browser.serviceWorker.evaluate(async (u) => (await (globalThis as unknown as { chrome: Chrome }).chrome.tabs.query({})).find((t) => t.url === u)?.id, url);

  it('state, updates and "link to customer" go both ways; the panel page is accessible', async () => {
    await storage.remove(['sidebar.layout']);
    const tab = await browser.context.newPage();
    await tab.setViewportSize(WIDE);
    await tab.goto(demo.firstTicketUrl);
    await expect.poll(() => sidebarOf(tab).getAttribute('data-state'), POLL).toBe('customer');
    const tabId = await tabIdOf(demo.firstTicketUrl);
    expect(tabId).toEqual(expect.any(Number));

    // Opened as a tab at the panel's address with the tab's id (the real side panel cannot be opened headless).
    const panel = await browser.context.newPage();
    await panel.goto(browser.extensionUrl(`sidepanel.html?tab=${tabId}`));
    const root = panel.getByTestId('sidepanel');
    await expect.poll(() => root.getAttribute('data-status'), POLL).toBe('connected');
    expect(await root.getAttribute('data-site')).toBe('demo');
    const inPanel = panel.getByTestId('centric-sidebar');
    await expect.poll(() => inPanel.getAttribute('data-state'), POLL).toBe('customer');
    expect(await inPanel.getAttribute('data-layout')).toBe('panel');
    expect(await panel.getByTestId('customer-name').textContent()).toBe(await tab.getByTestId('customer-name').textContent());
    expect(await panel.getByTestId('tier').textContent()).toBe(await tab.getByTestId('tier').textContent());
    expect(await panel.getByTestId('centric-toggle').count()).toBe(0); // no badge, no "Hide" in the panel
    for (const scheme of ['light', 'dark'] as const) {
      await panel.emulateMedia({ colorScheme: scheme });
      expect(await axe(panel), `side panel (${scheme})`).toEqual([]);
    }

    // The side panel as the home, chosen in the panel: the page keeps only the badge, undocked.
    await panel.getByTestId('layout-menu').selectOption('panel');
    await expect.poll(() => storage.get('sidebar.layout'), POLL).toEqual({ demo: { mode: 'panel' } });
    await expect.poll(() => layoutOf(tab), POLL).toBe('badge');
    expect(await sidebarOf(tab).getAttribute('data-mode')).toBe('panel');
    expect(await tab.locator('#centric-dock').count()).toBe(0);

    // A single-page navigation in the tab: the panel follows.
    await tab.evaluate(() => history.pushState({}, '', '/tickets/1015'));
    await expect.poll(() => sidebarOf(tab).getAttribute('data-record-id'), POLL).toBe('1015');
    await expect.poll(() => inPanel.getAttribute('data-record-id'), POLL).toBe('1015');
    // A full navigation (a new content script): the panel connects again. An unknown requester: link from the panel.
    await tab.goto(`${demo.url}/tickets/1015`);
    await expect.poll(() => sidebarOf(tab).getAttribute('data-state'), POLL).toBe('not-found');
    await expect.poll(() => inPanel.getAttribute('data-state'), POLL).toBe('not-found');
    await panel.getByTestId('link-search').fill('Teo Var');
    await panel.getByTestId('link-choice').first().waitFor(POLL);
    expect(await panel.getByTestId('link-choice').first().textContent()).toContain('Teo Varga');
    await panel.getByTestId('link-choice').first().click();
    await expect.poll(() => inPanel.getAttribute('data-state'), POLL).toBe('customer');
    await expect.poll(() => sidebarOf(tab).getAttribute('data-state'), POLL).toBe('customer');
    expect(await panel.getByTestId('customer-name').textContent()).toBe('Teo Varga');
    await panel.getByTestId('unlink').click();
    await expect.poll(() => sidebarOf(tab).getAttribute('data-state'), POLL).toBe('not-found');
    await expect.poll(() => inPanel.getAttribute('data-state'), POLL).toBe('not-found');

    // The tab closes: the panel says Centric is not there.
    await tab.close();
    await expect.poll(() => root.getAttribute('data-status'), POLL).toBe('away');
    expect(await axe(panel)).toEqual([]);
    await panel.close();
    await storage.remove(['sidebar.layout']);
  });

  it('the badge opens the browser’s own side panel, which shows the active tab’s sidebar', async () => {
    await storage.set({ 'sidebar.layout': { demo: { mode: 'panel' } } });
    const tab = await browser.context.newPage();
    await tab.setViewportSize(WIDE);
    await tab.goto(demo.firstTicketUrl);
    await expect.poll(() => sidebarOf(tab).getAttribute('data-state'), POLL).toBe('customer');
    await expect.poll(() => layoutOf(tab), POLL).toBe('badge');
    expect(await tab.getByTestId('centric-toggle').textContent()).toContain('Open Centric in the browser’s side panel');
    // The real side panel (headless Chromium has one, but Playwright does not list it as a page: reached through CDP).
    const panel = sidePanelOf(tab);
    expect(await panel.url()).toBeNull();
    await tab.getByTestId('centric-toggle').click();
    await expect.poll(() => panel.url(), POLL).toMatch(/\/sidepanel\.html$/);
    await expect.poll(() => panel.evaluate(`document.querySelector('[data-testid="sidepanel"]')?.dataset.status`), POLL).toBe('connected');
    await expect.poll(() => panel.evaluate(`document.querySelector('[data-testid="centric-sidebar"]')?.dataset.state`), POLL).toBe('customer');
    expect(await panel.evaluate(`document.querySelector('[data-testid="customer-name"]').textContent`)).toBe(await tab.getByTestId('customer-name').textContent());
    // The page itself keeps only the badge.
    expect(await layoutOf(tab)).toBe('badge');
    await panel.close();
    await tab.close();
    await storage.remove(['sidebar.layout']);
  });

  it('a refused side panel opens the sidebar over the page and says why', async () => {
    await storage.set({ 'sidebar.layout': { demo: { mode: 'panel' } } });
    // As a browser without a user gesture would (or Firefox, which opens its sidebar from its own menu only).
    await browser.serviceWorker.evaluate(() => {
      const chrome = (globalThis as unknown as { chrome: { sidePanel: Record<string, unknown> } }).chrome;
      chrome.sidePanel.__open = chrome.sidePanel.open;
      chrome.sidePanel.open = () => Promise.reject(new Error('`sidePanel.open()` may only be called in response to a user gesture.'));
    });
    try {
      const tab = await browser.context.newPage();
      await tab.setViewportSize(WIDE);
      await tab.goto(demo.firstTicketUrl);
      await expect.poll(() => layoutOf(tab), POLL).toBe('badge');
      await tab.getByTestId('centric-toggle').click();
      await expect.poll(() => layoutOf(tab), POLL).toBe('over');
      expect(await tab.getByTestId('layout-note').textContent()).toBe('The side panel did not open: `sidePanel.open()` may only be called in response to a user gesture.');
      await tab.close();
    } finally {
      await browser.serviceWorker.evaluate(() => {
        const chrome = (globalThis as unknown as { chrome: { sidePanel: Record<string, unknown> } }).chrome;
        chrome.sidePanel.open = chrome.sidePanel.__open;
      });
      await storage.remove(['sidebar.layout']);
    }
  });
});
