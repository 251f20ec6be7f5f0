/**
 * The built extension in real Chromium: the sidebar mounts on routed host pages at their real URLs,
 * not on unrelated sites, shows the customer's purchase facts, keeps its state, and is isolated from
 * the host page's styles.
 */
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../demo/server';
import { launchWithExtension, POLL, waitForFirstRun, type ExtensionBrowser } from '../support/chromium';
import { pastDocumentIdle, recordExtensionScripts } from '../support/page-state';

const FIXTURES = resolve(process.cwd(), 'tests/fixtures/hosts');
let browser: ExtensionBrowser;
let demo: DemoServer;

beforeAll(async () => {
  [browser, demo] = await Promise.all([launchWithExtension(), startDemoServer()]);
  await waitForFirstRun(browser);
  // Host pages at their real URLs, answered from saved fixtures: content scripts match as in production.
  await browser.context.route('https://acme.zendesk.com/**', (route) =>
    route.fulfill({ path: resolve(FIXTURES, 'zendesk/agent-ticket.html'), contentType: 'text/html' }),
  );
  await browser.context.route('https://www.example.com/**', (route) =>
    route.fulfill({ path: resolve(FIXTURES, 'other/unrelated.html'), contentType: 'text/html' }),
  );
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

async function open(url: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(url);
  return page;
}

describe('sidebar in real Chromium', () => {
  it('mounts on a Zendesk ticket and shows the requester of the active tab', async () => {
    const page = await open('https://acme.zendesk.com/agent/tickets/1');
    const sidebar = page.getByTestId('centric-sidebar');
    await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('customer');
    expect(await sidebar.getByTestId('customer-name').textContent()).toBe('Kaia Nakamura');
    expect(await sidebar.getByTestId('fact-orders').textContent()).toBe('56');
    expect(await sidebar.getByTestId('fact-total').textContent()).toBe('$6,552.70');
    // The bundled sample is scored on first run: the customer's tier and value are shown.
    // Kaia bought 56 times in spring 1997, then never again: the model gives her little future value.
    expect(await sidebar.getByTestId('tier').textContent()).toBe('Lead');
    expect(await sidebar.getByTestId('tier-explanation').textContent()).toMatch(/^Lead: .*\(rank [\d,]+ of 2,357\)\.$/);
    expect(await sidebar.getByTestId('value-clv').textContent()).toMatch(/^\$(\d{1,3}(,\d{3})*|\d\.\d\d)$/); // a prediction: whole dollars from $10 up, cents below
    // Issue 16: "Lifetime value" is the residual lifetime value — never smaller than the 12-month value —
    // and the 12-month figure says what it is.
    const money = async (id: string) => Number((await sidebar.getByTestId(id).textContent())?.replace(/[$,]/g, ''));
    expect(await money('value-lifetime')).toBeGreaterThanOrEqual(await money('value-clv'));
    const terms = await sidebar.locator('[data-testid="customer-value"] dt').allTextContents();
    expect(terms).toEqual(['Lifetime value', 'Next 12 months (discounted)', 'P(alive)', 'Expected orders']);
    await page.close();
  });

  it('follows single-page navigation to another ticket at once', async () => {
    const page = await open('https://acme.zendesk.com/agent/tickets/1');
    const sidebar = page.getByTestId('centric-sidebar');
    await expect.poll(() => sidebar.getAttribute('data-record-id'), POLL).toBe('1');
    // Zendesk switches tabs without loading a page: the URL changes and the other workspace shows.
    // The page itself times how long the sidebar takes to show the new record (a test's polling
    // would add its own delays): the moment the sidebar's record id changes, seen by an observer.
    await page.evaluate(() => {
      const w = window as { __followedIn?: number };
      const root = document.querySelector('centric-sidebar')!.shadowRoot!;
      const started = performance.now();
      const observer = new MutationObserver(() => {
        if (!root.querySelector('[data-record-id="2"]')) return;
        w.__followedIn = performance.now() - started;
        observer.disconnect();
      });
      observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-record-id'] });
      // Agent Workspace flags the tab panes (docs/hosts/zendesk.md): ticket #2's grid comes first.
      const [second, first] = document.querySelectorAll('.ticket-panes-grid-layout');
      first!.setAttribute('data-is-active', 'false');
      first!.classList.remove('active');
      second!.setAttribute('data-is-active', 'true');
      second!.classList.add('active');
      history.pushState({}, '', '/agent/tickets/2');
    });
    const followedIn = () => page.evaluate(() => (window as { __followedIn?: number }).__followedIn ?? null);
    await expect.poll(followedIn, POLL).not.toBeNull();
    await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('customer');
    expect(await sidebar.getByTestId('customer-name').textContent()).toBe('Luca Tanaka');
    // Well before WXT's 1 s location polling: the Navigation API's event, not the polling, followed it.
    expect(await followedIn()).toBeLessThan(900);
    await page.close();
  });

  it('does not mount on an unrelated site', async () => {
    const page = await browser.context.newPage();
    const scripts = await recordExtensionScripts(page);
    await page.goto('https://www.example.com/');
    // Past document_idle, when a matching content script would have been injected: none was.
    await pastDocumentIdle(page);
    expect(scripts.scripts).toEqual([]);
    expect(await page.locator('centric-sidebar').count()).toBe(0);
    expect(await page.getByTestId('centric-sidebar').count()).toBe(0);
    await page.close();
  });

  it('is isolated from the host page styles, and leaves them alone', async () => {
    const page = await open('https://acme.zendesk.com/agent/tickets/1');
    const name = page.getByTestId('customer-name');
    await name.waitFor();
    // The fixture sets html { font-size: 40px } and * { color: #c00 !important }.
    const style = await name.evaluate((el) => {
      const s = getComputedStyle(el);
      return { fontSize: s.fontSize, color: s.color };
    });
    expect(style.fontSize).toBe('18px');
    expect(style.color).not.toBe('rgb(204, 0, 0)');
    const hostHeading = await page.evaluate(() => getComputedStyle(document.querySelector('h2')!).fontSize);
    expect(hostHeading).toBe('31px');
    await page.close();
  });

  it('shows purchase facts on a demo helpdesk ticket, and "not found" for an unknown requester', async () => {
    const page = await open(demo.firstTicketUrl);
    const sidebar = page.getByTestId('centric-sidebar');
    await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('customer');
    expect(await sidebar.getByTestId('fact-first').textContent()).toMatch(/1997/);
    await page.goto(`${demo.url}/tickets/1015`);
    await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('not-found');
    expect(await sidebar.getByTestId('centric-not-found').textContent()).toContain('Morgan Reyes');
    await page.goto(`${demo.url}/tickets`);
    await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('no-customer');
    await page.close();
  });

  it('links an unknown requester to a customer, remembers it for the ticket, and unlinks', async () => {
    const page = await open(`${demo.url}/tickets/1015`);
    const sidebar = page.getByTestId('centric-sidebar');
    await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('not-found');
    await sidebar.getByTestId('link-search').fill('Teo Var');
    await sidebar.getByTestId('link-choice').first().waitFor();
    expect(await sidebar.getByTestId('link-choice').first().textContent()).toContain('Teo Varga');
    await sidebar.getByTestId('link-choice').first().click();
    await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('customer');
    expect(await sidebar.getByTestId('centric-source').textContent()).toContain('Linked to this record');
    await page.reload();
    await expect.poll(() => page.getByTestId('centric-sidebar').getAttribute('data-state'), POLL).toBe('customer');
    expect(await page.getByTestId('customer-name').textContent()).toBe('Teo Varga');
    await page.getByTestId('unlink').click();
    await expect.poll(() => page.getByTestId('centric-sidebar').getAttribute('data-state'), POLL).toBe('not-found');
    await page.close();
  });

  it('shows the recommended treatment and paints the badge in the tier colour', async () => {
    const page = await open(demo.firstTicketUrl);
    const sidebar = page.getByTestId('centric-sidebar');
    await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('customer');
    expect(await sidebar.getByTestId('tier').textContent()).toBe('Platinum');
    expect(await sidebar.getByTestId('treatment').textContent()).toMatch(/^White-glove service/);
    await page.getByTestId('centric-toggle').click();
    expect(await sidebar.getByTestId('tab-initial').textContent()).toBe('P');
    await page.getByTestId('centric-toggle').click();
    await page.close();
  });

  it('draws the purchase history and forecast only when asked, in an extension frame', async () => {
    const page = await open(demo.firstTicketUrl);
    const sidebar = page.getByTestId('centric-sidebar');
    await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('customer');
    expect(await sidebar.getByTestId('history-frame').count()).toBe(0);
    await sidebar.getByTestId('history-toggle').click();
    const frame = page.frameLocator('[data-testid="history-frame"]');
    const summary = frame.getByTestId('history-summary');
    await summary.waitFor(POLL);
    expect(await summary.textContent()).toMatch(/^42 orders over \d+ months; about [\d.]+ expected in the next 12 months \((bgnbd|mbgnbd|pareto-nbd)\)\.$/);
    await page.close();
  });

  it('collapses from the keyboard to a slim edge tab and remembers it', async () => {
    const page = await open(demo.firstTicketUrl);
    const toggle = page.getByTestId('centric-toggle');
    await page.getByTestId('centric-customer').waitFor();
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => toggle.getAttribute('aria-expanded'), POLL).toBe('false');
    const box = await toggle.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(32);
    expect(box!.x + box!.width).toBeCloseTo(1280, 0);
    // The collapsed tab does not cover the page: a click beside it reaches the host.
    const panelHidden = await page.getByTestId('centric-sidebar').locator('#centric-panel').isHidden();
    expect(panelHidden).toBe(true);
    await page.reload();
    await page.getByTestId('centric-toggle').waitFor();
    await expect.poll(() => page.getByTestId('centric-toggle').getAttribute('aria-expanded'), POLL).toBe('false');
    await page.getByTestId('centric-toggle').click();
    await expect.poll(() => page.getByTestId('centric-toggle').getAttribute('aria-expanded'), POLL).toBe('true');
    await page.close();
  });

  it('lets clicks through to the host page beside the collapsed tab', async () => {
    const page = await open(demo.firstTicketUrl);
    await page.getByTestId('centric-toggle').waitFor();
    if ((await page.getByTestId('centric-toggle').getAttribute('aria-expanded')) === 'true') {
      await page.getByTestId('centric-toggle').click();
    }
    await expect.poll(() => page.getByTestId('centric-toggle').getAttribute('aria-expanded'), POLL).toBe('false');
    const hit = await page.evaluate(() => document.elementFromPoint(1270, 600)?.tagName.toLowerCase());
    expect(hit).not.toBe('centric-sidebar');
    await page.close();
  });
});

describe('extension pages', () => {
  it('the options page shows the bundled sample in the store', async () => {
    const page = await open(browser.extensionUrl('options.html'));
    await expect.poll(() => page.getByTestId('summary-customers').textContent(), POLL).toBe('2,357');
    expect(await page.getByTestId('summary-transactions').textContent()).toBe('6,919');
    expect(await page.getByTestId('site-list').textContent()).toContain('Zendesk');
    await page.close();
  });

  it('the popup renders with the store status', async () => {
    const page = await open(browser.extensionUrl('popup.html'));
    await expect.poll(() => page.getByTestId('customer-count').textContent(), POLL).toBe('2,357');
    await page.close();
  });
});
