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
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../demo/server';
import { ADDON_UUID, HOST_FIXTURES, launchFirefox, newPage, openExtensionPage, openHost, until } from '../support/firefox';

let browser: Browser;
let demo: DemoServer;

beforeAll(async () => {
  // The end-to-end build, its welcome tab (opened on install) closed so the tests' pages are in front.
  demo = await startDemoServer();
  browser = await launchFirefox({ build: 'e2e' });
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

type Ext = typeof import('wxt/browser').browser;

/** Sets the list chips switch, and asks the background for a customer's tier, from the add-on's popup page. */
async function inExtension<T>(run: (arg: string) => Promise<T>, arg = ''): Promise<T> {
  const popup = await openExtensionPage(browser, 'popup.html');
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
    const page = await newPage(browser);
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
    const page = await newPage(browser);
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
    const page = await openHost(browser, 'https://acme.zendesk.com/agent/tickets/1', 'zendesk/agent-ticket.html');
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

  it('corrects a name-only Zendesk ticket from Zendesk’s own API, asked on the page’s origin (issue 17)', async () => {
    // As tests/e2e/host-api.e2e.ts in Chromium: the page shows only a name five sample customers share;
    // the content script's same-origin request to Zendesk's API is answered with the requester's email.
    const page = await newPage(browser);
    const html = readFileSync(resolve(HOST_FIXTURES, 'zendesk/agent-ticket-name-only.html'), 'utf8');
    const answer = readFileSync(resolve(HOST_FIXTURES, 'zendesk/api-ticket-4101.json'), 'utf8');
    const asked: { url: string; method: string; headers: Record<string, string> }[] = [];
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith('https://acme.zendesk.com/api/v2/')) {
        asked.push({ url, method: request.method(), headers: request.headers() });
        void request.respond({ status: 200, contentType: 'application/json', body: answer });
      } else if (url.startsWith('https://acme.zendesk.com/')) void request.respond({ status: 200, contentType: 'text/html', body: html });
      else if (url.startsWith(`moz-extension://${ADDON_UUID}/`)) void request.continue();
      else void request.abort();
    });
    await page.goto('https://acme.zendesk.com/agent/tickets/4101');
    const shown = await until(
      page,
      () => {
        const root = document.querySelector('centric-sidebar')?.shadowRoot;
        const how = root?.querySelector('[data-testid="identified-by"]')?.textContent;
        const customer = root?.querySelector('[data-testid="centric-customer"]')?.textContent ?? '';
        return how === 'Identified by Zendesk’s API' && customer ? { customer, source: root!.querySelector('[data-testid="centric-source"]')?.textContent } : null;
      },
      'the sidebar corrected from Zendesk’s API',
    );
    expect(shown.customer).toContain('goran.abbott.1712@tidewater.example');
    expect(shown.source).toMatch(/ · Matched by email · Identified by Zendesk’s API$/);
    expect(asked.map(({ url, method }) => `${method} ${url}`)).toEqual(['GET https://acme.zendesk.com/api/v2/tickets/4101.json?include=users,organizations']);
    expect(asked[0]!.headers.accept).toBe('application/json');
    expect(asked[0]!.headers.authorization).toBeUndefined();
    // Sent as the page's own same-origin request (Firefox MV3 content scripts), not as the add-on's.
    expect(asked[0]!.headers['sec-fetch-site']).toBe('same-origin');
    expect(asked[0]!.headers.origin ?? 'https://acme.zendesk.com').toBe('https://acme.zendesk.com');
    await page.close();
  });

  it('puts the right tier chip on each row of a HubSpot contacts list', async () => {
    await setListChips({ hubspot: true });
    const page = await openHost(browser, 'https://app.hubspot.com/contacts/123456/objects/0-1/views/all/list', 'hubspot/contacts-list.html');
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
