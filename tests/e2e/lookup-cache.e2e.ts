/**
 * The sidebar's kept answers in real Chromium (issue 17, lib/sidebar/lookup-cache.ts): going back to a
 * ticket already shown paints its answer in the URL change's own task (before the next frame), the
 * toolbar badge still follows, and an answer changed elsewhere — a link made in another tab — is never
 * painted stale: the background tells every sidebar that asked ('store-changed') and they forget.
 */
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { POLL, type ExtensionBrowser } from '../support/chromium';
import { useExtensionBrowser } from '../support/extension';

const FIXTURES = resolve(process.cwd(), 'tests/fixtures/hosts/zendesk');
const SIGN_IN = '<!doctype html><html><head><title>Sign in</title></head><body><form action="/access/login"><input name="email"></form></body></html>';

const browser = useExtensionBrowser();

/** A Zendesk tab whose documents are `fixture` and whose API answers with a sign-in page (the page's reading is what is shown). */
async function openZendesk(url: string, fixture: string): Promise<Page> {
  const tab = await browser.context.newPage();
  await tab.route('https://acme.zendesk.com/**', (route) =>
    route.request().isNavigationRequest()
      ? route.fulfill({ path: resolve(FIXTURES, fixture), contentType: 'text/html' })
      : route.fulfill({ status: 200, contentType: 'text/html', body: SIGN_IN }),
  );
  await tab.goto(url);
  return tab;
}

/**
 * Zendesk's tab switch (the ticket's workspace shows, its URL is pushed), in the page; resolves with
 * whether the sidebar showed ticket `id` in `state` before the next animation frame, and every
 * (record, state) the sidebar showed meanwhile.
 */
function switchTicket(tab: Page, id: string, state: string): Promise<{ beforeNextFrame: boolean; shown: string[] }> {
  return tab.evaluate(
    ({ id, state }) =>
      new Promise<{ beforeNextFrame: boolean; shown: string[] }>((done, fail) => {
        const root = document.querySelector('centric-sidebar')!.shadowRoot!;
        const aside = root.querySelector('[data-testid="centric-sidebar"]')!;
        const shown: string[] = [];
        let frameCame = false;
        requestAnimationFrame(() => (frameCame = true));
        const observer = new MutationObserver(() => {
          const now = `${aside.getAttribute('data-record-id') ?? '-'} ${aside.getAttribute('data-state')}`;
          if (shown[shown.length - 1] !== now) shown.push(now);
          if (now === `${id} ${state}`) {
            observer.disconnect();
            done({ beforeNextFrame: !frameCame, shown });
          }
        });
        observer.observe(root, { subtree: true, childList: true, attributes: true });
        // Fails with what was shown, rather than leaving the test to its timeout, if the state never comes.
        setTimeout(() => {
          observer.disconnect();
          fail(new Error(`ticket ${id} never showed "${state}"; shown: ${shown.join(', ') || 'nothing new'}`));
        }, 30_000);
        // Agent Workspace's tab panes: one grid per ticket, the active one flagged, the others hidden (docs/hosts/zendesk.md).
        for (const w of document.querySelectorAll('.ticket-panes-grid-layout')) {
          const active = w.getAttribute('data-test-id') === `ticket-${id}-custom-layout`;
          w.setAttribute('data-is-active', String(active));
          w.classList.toggle('active', active);
          w.toggleAttribute('hidden', !active);
        }
        history.pushState({}, '', `/agent/tickets/${id}`);
      }),
    { id, state },
  );
}

type Chrome = typeof import('wxt/browser').browser;
async function badgeText(tab: Page): Promise<string> {
  return browser.serviceWorker.evaluate(async (url) => {
    const chrome = (globalThis as unknown as { chrome: Chrome }).chrome;
    const found = (await chrome.tabs.query({})).find((t) => t.url === url);
    return found?.id === undefined ? '?' : chrome.action.getBadgeText({ tabId: found.id });
  }, tab.url());
}

describe('kept answers', () => {
  it('paint a ticket the agent goes back to before the next frame, and the toolbar badge still follows', async () => {
    const tab = await openZendesk('https://acme.zendesk.com/agent/tickets/1', 'agent-ticket.html');
    const sidebar = tab.getByTestId('centric-sidebar');
    await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('customer');
    const tier = sidebar.getByTestId('tier');
    const first = (await tier.textContent())!.trim();
    await expect.poll(() => badgeText(tab), POLL).toBe(first[0]);

    await switchTicket(tab, '2', 'customer'); // a first visit: asked
    expect(await sidebar.getByTestId('customer-name').textContent()).toBe('Luca Tanaka');
    const second = (await tier.textContent())!.trim();
    await expect.poll(() => badgeText(tab), POLL).toBe(second[0]);

    const back = await switchTicket(tab, '1', 'customer'); // kept
    expect(back.beforeNextFrame).toBe(true);
    expect(back.shown).not.toContain('- loading');
    expect(await sidebar.getByTestId('customer-name').textContent()).toBe('Kaia Nakamura');
    expect((await tier.textContent())!.trim()).toBe(first);
    // Asked again all the same: the badge, cleared by the navigation, shows this ticket's tier.
    await expect.poll(() => badgeText(tab), POLL).toBe(first[0]);
    await tab.close();
  });

  it('are forgotten when a link made in another tab changes the answer: the stale one is never painted', async () => {
    // The page shows only the requester's name (five sample customers share it): "not found" until linked.
    const agent = await openZendesk('https://acme.zendesk.com/agent/tickets/4101', 'agent-ticket-name-only.html');
    const sidebar = agent.getByTestId('centric-sidebar');
    await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('not-found');
    await expect.poll(() => agent.getByTestId('identified-by').getAttribute('title'), POLL).toMatch(/sign-in page/);
    await switchTicket(agent, '4102', 'customer'); // the other tab's requester, a sample customer by email
    const kept = await switchTicket(agent, '4101', 'not-found');
    expect(kept.beforeNextFrame).toBe(true); // the answer is kept …
    await switchTicket(agent, '4102', 'customer');

    // … when a teammate (or the agent in another tab) links ticket 4101 to a customer.
    const other = await openZendesk('https://acme.zendesk.com/agent/tickets/4101', 'agent-ticket-name-only.html');
    const otherSidebar = other.getByTestId('centric-sidebar');
    await expect.poll(() => otherSidebar.getAttribute('data-state'), POLL).toBe('not-found');
    await otherSidebar.getByTestId('link-choice').first().click();
    await expect.poll(() => otherSidebar.getAttribute('data-state'), POLL).toBe('customer');
    const linked = await otherSidebar.getByTestId('customer-name').textContent();
    // The background told the first tab before it answered the link (its write came first), so by now
    // the first tab has forgotten: going back shows the linked customer, never the kept "not found".
    const after = await switchTicket(agent, '4101', 'customer');
    expect(after.shown.filter((s) => s.startsWith('4101 '))).toEqual(['4101 customer']);
    expect(await sidebar.getByTestId('customer-name').textContent()).toBe(linked);
    expect(await sidebar.getByTestId('centric-source').textContent()).toContain('Linked to this record');

    // Unlinked in the other tab: the first tab follows again.
    await other.getByTestId('unlink').click();
    await expect.poll(() => otherSidebar.getAttribute('data-state'), POLL).toBe('not-found');
    await switchTicket(agent, '4102', 'customer');
    const unlinked = await switchTicket(agent, '4101', 'not-found');
    expect(unlinked.shown.filter((s) => s.startsWith('4101 '))).toEqual(['4101 not-found']);
    await agent.close();
    await other.close();
  });
});
