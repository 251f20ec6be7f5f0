/**
 * Tier chips on list views and the worklist (issue 8), in real Chromium with the built extension:
 * list fixtures of HubSpot, Salesforce, Pipedrive, Zendesk, Freshdesk and Gmail at their real URLs, and
 * the demo helpdesk's lists.
 * Off by default; switched on, each recognised row gets a chip with its customer's tier (the same
 * tier a single lookup gives, as the sidebar of the record shows it); appended rows get chips; a
 * recycled row's chip follows its new customer; the host's row boxes do not move; the worklist is
 * ranked and opens the record.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer } from '../../demo/server';
import { rankWorklist } from '../../lib/lists/rank';
import type { BatchAnswer } from '../../lib/messages/schema';
import { POLL } from '../support/chromium';
import { useExtensionBrowser } from '../support/extension';
import { pastDocumentIdle, recordExtensionScripts } from '../support/page-state';

type Chrome = typeof import('wxt/browser').browser;
const FIXTURES = resolve(process.cwd(), 'tests/fixtures/hosts');
const browser = useExtensionBrowser();
let extPage: Page;

beforeAll(async () => {
  extPage = await browser.context.newPage();
  await extPage.goto(browser.extensionUrl('popup.html'));
});

/** Sets the list chips switch as the popup and options do (extension storage). */
async function setSwitch(value: Record<string, boolean>): Promise<void> {
  await extPage.evaluate((v) => (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.set({ listChips: v }), value);
}

/** The tier a single lookup (the record sidebar's path) gives this customer. */
async function tierOf(email: string): Promise<string> {
  const answer = (await extPage.evaluate((e) => (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({ type: 'lookup', identity: { host: 'test', email: e } }), email)) as {
    status: string;
    customer?: { value?: { tier: string } };
  };
  if (answer.status !== 'found' || !answer.customer?.value) throw new Error(`${email} is not a scored sample customer`);
  return answer.customer.value.tier;
}

async function openList(fixture: string, url: string, page?: Page): Promise<Page> {
  page ??= await browser.context.newPage();
  const html = readFileSync(resolve(FIXTURES, fixture));
  await page.route('**/*', (route) => (route.request().isNavigationRequest() ? route.fulfill({ body: html, contentType: 'text/html' }) : route.abort()));
  await page.goto(url);
  await page.getByTestId('centric-sidebar').waitFor({ state: 'attached', ...POLL });
  return page;
}

/** The tier of the chip in the row holding `rowText` (null: no chip). */
async function chipTierIn(page: Page, rowSelector: string, rowText: string): Promise<string | null> {
  return page.evaluate(
    ([selector, text]) => {
      const row = [...document.querySelectorAll(selector!)].find((r) => r.textContent?.includes(text!));
      return row?.querySelector('centric-chip')?.getAttribute('data-tier') ?? null;
    },
    [rowSelector, rowText],
  );
}

const rowBoxes = (page: Page, selector: string) =>
  page.evaluate((s) => [...document.querySelectorAll(s)].flatMap((row) => [row, ...row.children].map((el) => {
    const r = el.getBoundingClientRect();
    return [r.x, r.y, r.width, r.height].map((n) => Math.round(n * 100) / 100).join(',');
  })), selector);

interface ListCase {
  host: string;
  fixture: string;
  url: string;
  rowSelector: string;
  /** Row text → the sample customer's email whose tier the chip must show. */
  rows: Record<string, string>;
  /** Rows that must stay without a tier chip. */
  noTier: string[];
}

const CASES: ListCase[] = [
  {
    host: 'hubspot',
    fixture: 'hubspot/contacts-list.html',
    url: 'https://app.hubspot.com/contacts/123456/objects/0-1/views/all/list',
    rowSelector: '[data-test-id="framework-data-table"] tbody tr',
    rows: { 'Gael Okafor': 'gael.okafor.5@northwind.example', 'Pablo Dimitrov': 'pablo.dimitrov.6@northwind.example', 'Freya Vasquez': 'freya.vasquez.19@copperleaf.example', 'uma.novak.29': 'uma.novak.29@redwood.example' },
    noTier: [],
  },
  {
    host: 'salesforce',
    fixture: 'salesforce/contact-list.html',
    url: 'https://acme.lightning.force.com/lightning/o/Contact/list?filterName=Recent',
    rowSelector: 'tr[data-row-key-value]',
    rows: { 'Carmen Vasquez': 'carmen.vasquez.1@harborpine.example', 'Luca Tanaka': 'luca.tanaka.2@harborpine.example', 'Goran Abbott': 'goran.abbott.7@tidewater.example', 'Hana Mendes': 'hana.mendes.28@willowlane.example' },
    noTier: [],
  },
  {
    host: 'pipedrive',
    fixture: 'pipedrive/persons-list.html',
    url: 'https://acme.pipedrive.com/persons/list',
    rowSelector: 'table tbody tr',
    rows: { 'Goran Abbott': 'goran.abbott.7@tidewater.example', 'Hana Torres': 'hana.torres.8@harborpine.example', 'Hana Mendes': 'hana.mendes.28@willowlane.example' },
    noTier: ['Imported row'],
  },
  {
    host: 'zendesk',
    fixture: 'zendesk/agent-views.html',
    url: 'https://acme.zendesk.com/agent/filters/360000001',
    rowSelector: 'tr[data-test-id="generic-table-row"]',
    rows: { 'Hana Mendes': 'hana.mendes.28@willowlane.example', 'uma.novak.29': 'uma.novak.29@redwood.example' },
    // Several sample customers are named Kaia Nakamura / Luca Tanaka: a "?" chip, no tier.
    noTier: ['Kaia Nakamura', 'Luca Tanaka', 'Suspended requester'],
  },
  {
    host: 'freshdesk',
    fixture: 'freshdesk/ticket-list.html',
    url: 'https://acme.freshdesk.com/a/tickets/filters/all_tickets',
    rowSelector: 'table tbody tr',
    rows: { 'Hana Mendes': 'hana.mendes.28@willowlane.example' },
    // Names several sample customers share: no tier without an email.
    noTier: ['Carmen Vasquez', 'Luca Tanaka', 'Chidi Quispe'],
  },
];

describe('tier chips on list views', () => {
  it.each(CASES)('$host: off by default, then the right tier on each row without moving the rows', async (c) => {
    await setSwitch({});
    const page = await browser.context.newPage();
    const scripts = await recordExtensionScripts(page);
    await openList(c.fixture, c.url, page);
    await expect.poll(() => page.getByTestId('centric-sidebar').getAttribute('data-state'), POLL).toBe('no-customer');
    // The content script read the switch before it drew the sidebar: off, so the chips' code was
    // never asked for, and no chip and no worklist were drawn.
    await pastDocumentIdle(page);
    expect(scripts.scripts).not.toContain('/list-chips.js');
    expect(await page.locator('centric-chip').count()).toBe(0);
    expect(await page.getByTestId('centric-worklist').count()).toBe(0);
    const before = await rowBoxes(page, c.rowSelector);

    // On: the open page follows at once, no reload (the background injects the chips' code).
    await setSwitch({ [c.host]: true });
    await scripts.waitFor('/list-chips.js');
    await scripts.stop();
    for (const [text, email] of Object.entries(c.rows)) {
      const tier = await tierOf(email);
      await expect.poll(() => chipTierIn(page, c.rowSelector, text), POLL).toBe(tier);
    }
    for (const text of c.noTier) expect(await chipTierIn(page, c.rowSelector, text)).toBeFalsy();
    // The chip says tier and its 12-month value on hover and to screen readers.
    const title = await page.locator('centric-chip:not([data-tier=""])').first().getAttribute('title');
    expect(title).toMatch(/12-month value \$[\d,]+/);
    expect(await rowBoxes(page, c.rowSelector)).toEqual(before);

    // Off again: every chip goes, the rows are as before.
    await setSwitch({});
    await expect.poll(() => page.locator('centric-chip').count(), POLL).toBe(0);
    expect(await rowBoxes(page, c.rowSelector)).toEqual(before);
    await page.close();
  });

  it('gmail (real inbox capture): chips only for senders in the customer data', async () => {
    await setSwitch({ gmail: true });
    const page = await openList('gmail/inbox.html', 'https://mail.google.com/mail/u/0/#inbox');
    // Gmail's sidebar starts as its badge (Gmail does not dock, lib/sites/layout.ts): opened, it shows the worklist.
    await page.getByTestId('centric-toggle').click();
    // The 2014 test account's senders (Twilio, Google …) are not sample customers: once every row is
    // looked up (the sidebar's worklist says none is a customer), no chips; a row whose sender
    // becomes a customer gets one.
    await page.getByTestId('centric-worklist').getByText(/^No customer of this .+ list is in your customer data\.$/).waitFor(POLL);
    expect(await page.locator('centric-chip').count()).toBe(0);
    await page.evaluate(() => {
      const span = document.querySelector('tr.zA .yW span[email][name="Team Twilio"]')!;
      span.setAttribute('email', 'hana.mendes.28@willowlane.example');
      span.setAttribute('name', 'Hana Mendes');
      span.textContent = 'Hana Mendes';
    });
    const tier = await tierOf('hana.mendes.28@willowlane.example');
    await expect.poll(() => page.locator('centric-chip').first().getAttribute('data-tier'), POLL).toBe(tier);
    await page.close();
  });

  it('infinite scroll and recycled rows: appended rows get chips, a reused row follows its new customer', async () => {
    await setSwitch({ hubspot: true });
    const page = await openList('hubspot/contacts-list.html', 'https://app.hubspot.com/contacts/123456/objects/0-1/views/all/list');
    const rows = '[data-test-id="framework-data-table"] tbody tr';
    await expect.poll(() => chipTierIn(page, rows, 'Gael Okafor'), POLL).toBe(await tierOf('gael.okafor.5@northwind.example'));

    // The next page of the list is appended below.
    await page.evaluate(() => {
      const tbody = document.querySelector('[data-test-id="framework-data-table"] tbody')!;
      tbody.insertAdjacentHTML(
        'beforeend',
        '<tr><td data-test-id="cell-0-1-name-9001"><a href="/contacts/123456/record/0-1/9001">Carmen Vasquez</a></td><td data-test-id="cell-0-1-email-9001">carmen.vasquez.1@harborpine.example</td><td data-test-id="cell-0-1-company-9001">Harbor &amp; Pine</td></tr>',
      );
    });
    await expect.poll(() => chipTierIn(page, rows, 'Carmen Vasquez'), POLL).toBe(await tierOf('carmen.vasquez.1@harborpine.example'));

    // A virtual list reuses Gael's row element for another contact: the chip must not stay Gael's.
    const target = 'hana.mendes.28@willowlane.example';
    await page.evaluate((email) => {
      const row = document.querySelector('[data-test-id="framework-data-table"] tbody tr')!;
      const [name, mail] = row.querySelectorAll('td');
      name!.setAttribute('data-test-id', 'cell-0-1-name-28');
      const link = name!.querySelector('a')!;
      link.setAttribute('href', '/contacts/123456/record/0-1/28');
      link.textContent = 'Hana Mendes';
      mail!.setAttribute('data-test-id', 'cell-0-1-email-28');
      mail!.textContent = email;
    }, target);
    const firstChip = page.locator(`${rows} >> nth=0`).locator('centric-chip');
    // The chip is keyed by the row's identity: it now carries Hana's, not Gael's.
    await expect.poll(() => firstChip.getAttribute('data-key'), POLL).toContain(target);
    await expect.poll(() => chipTierIn(page, rows, 'Hana Mendes'), POLL).toBe(await tierOf(target));
    expect(await page.locator(`${rows} >> nth=0`).locator('centric-chip').count()).toBe(1);
    await page.close();
  });

  it('worklist: ranked high-value-at-risk first, then priority, then CLV; a click opens the record', async () => {
    await setSwitch({ salesforce: true });
    const url = 'https://acme.lightning.force.com/lightning/o/Contact/list?filterName=Recent';
    const page = await openList('salesforce/contact-list.html', url);
    const items = page.getByTestId('worklist-item');
    await expect.poll(() => items.count(), POLL).toBe(4);
    // The expected order from the background's own answers for the page's rows.
    const identities = [
      { host: 'salesforce', email: 'carmen.vasquez.1@harborpine.example', name: 'Carmen Vasquez', hostRecordId: '0035g00000CmVq1AAB', recordType: 'contact', company: 'Harbor & Pine', domain: 'harborpine.example' },
      { host: 'salesforce', email: 'luca.tanaka.2@harborpine.example', name: 'Luca Tanaka', hostRecordId: '0035g00000LcTn2AAC', recordType: 'contact', company: 'Harbor & Pine', domain: 'harborpine.example' },
      { host: 'salesforce', email: 'goran.abbott.7@tidewater.example', name: 'Goran Abbott', hostRecordId: '0035g00000GrAb7AAB', recordType: 'contact', company: 'Tidewater Foods', domain: 'tidewater.example' },
      { host: 'salesforce', name: 'Hana Mendes', hostRecordId: '0035g00000Zz028AAA', recordType: 'contact', company: 'Willow Lane Books' },
    ];
    const answer = (await extPage.evaluate((ids) => (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({ type: 'lookup-batch', identities: ids }), identities)) as { answers: BatchAnswer[] };
    const expected = rankWorklist(answer.answers.map((a, i) => ({ row: identities[i]!.hostRecordId, answer: a }))).map((e) => e.answer.id);
    expect(await items.evaluateAll((els) => els.map((el) => el.getAttribute('data-customer-id')))).toEqual(expected);

    // Keyboard: the first entry is a link; Enter opens its record.
    const first = items.first().locator('a');
    await first.focus();
    const firstId = identities[answer.answers.findIndex((a) => a.status === 'found' && a.id === expected[0])]!.hostRecordId;
    await Promise.all([page.waitForURL(`**/lightning/r/Contact/${firstId}/view`), page.keyboard.press('Enter')]);
    await page.close();
  });
});

describe('worklist of a longer list', () => {
  it('ranks every row of a list up to 200 rows, also those not scrolled into view', async () => {
    await setSwitch({ hubspot: true });
    const customers = readFileSync(resolve(process.cwd(), 'assets/public/sample/customers.csv'), 'utf8').trim().split('\n').slice(1, 81);
    const rows = customers
      .map((line) => {
        const [id, name, email] = line.split(',');
        return `<tr><td data-test-id="cell-0-1-name-${id}"><a href="/contacts/123456/record/0-1/${id}">${name}</a></td><td data-test-id="cell-0-1-email-${id}">${email}</td></tr>`;
      })
      .join('');
    const html = readFileSync(resolve(FIXTURES, 'hubspot/contacts-list.html'), 'utf8').replace(/<tbody>[\s\S]*?<\/tbody>/, `<tbody>${rows}</tbody>`);
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 400 });
    await page.route('**/*', (route) => (route.request().isNavigationRequest() ? route.fulfill({ body: html, contentType: 'text/html' }) : route.abort()));
    await page.goto('https://app.hubspot.com/contacts/123456/objects/0-1/views/all/list');
    // Every sample customer of the 80 rows is listed once, though most rows are below the fold.
    await expect.poll(() => page.getByTestId('worklist-item').count(), POLL).toBe(80);
    const ids = await page.getByTestId('worklist-item').evaluateAll((els) => els.map((el) => el.getAttribute('data-customer-id')));
    expect(new Set(ids).size).toBe(80);
    await page.close();
  });
});

describe('the demo helpdesk lists (npm run demo)', () => {
  it('chips each ticket requester and each customer with the tier a lookup gives, and ranks them in the worklist', async () => {
    const demo = await startDemoServer();
    try {
      await setSwitch({ demo: true });
      const page = await browser.context.newPage();
      await page.goto(`${demo.url}/tickets`);
      const requesters = await page.locator('tr[data-ticket-row] .requester-email').allTextContents();
      expect(requesters.length).toBeGreaterThan(5);
      for (const email of requesters.slice(0, 5)) {
        await expect.poll(() => chipTierIn(page, 'tr[data-ticket-row]', email), POLL).toBe(await tierOf(email));
      }
      // The worklist ranks the page's customers; its first entry opens that customer's ticket.
      const first = page.getByTestId('worklist-item').first();
      await first.waitFor(POLL);
      await first.locator('a').focus();
      await Promise.all([page.waitForURL(/\/tickets\/\d+$/), page.keyboard.press('Enter')]);
      await page.goto(`${demo.url}/customers`);
      const email = (await page.locator('tr[data-customer-row] .customer-email').first().textContent())!;
      await expect.poll(() => chipTierIn(page, 'tr[data-customer-row]', email), POLL).toBe(await tierOf(email));
      await page.close();
    } finally {
      await setSwitch({});
      await demo.close();
    }
  });
});

describe('the list chips switch', () => {
  it('Options → Sites switches a site on and off; open pages follow without reload', async () => {
    await setSwitch({});
    const page = await openList('pipedrive/persons-list.html', 'https://acme.pipedrive.com/persons/list');
    await expect.poll(() => page.getByTestId('centric-sidebar').getAttribute('data-state'), POLL).toBe('no-customer');
    const options = await browser.context.newPage();
    await options.goto(`${browser.extensionUrl('options.html')}#sites`);
    const toggle = options.getByTestId('list-chips-pipedrive');
    await expect.poll(() => toggle.isChecked(), POLL).toBe(false);
    await toggle.check();
    await expect.poll(() => chipTierIn(page, 'table tbody tr', 'Goran Abbott'), POLL).toBe(await tierOf('goran.abbott.7@tidewater.example'));
    // The other sites are untouched by this switch.
    expect(await extPage.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.get('listChips'))).toEqual({ listChips: { pipedrive: true } });
    await toggle.uncheck();
    await expect.poll(() => page.locator('centric-chip').count(), POLL).toBe(0);
    // The sites without list views have no switch.
    expect(await options.getByTestId('list-chips-zoho').count()).toBe(0);
    await options.close();
    await page.close();
  });
});
