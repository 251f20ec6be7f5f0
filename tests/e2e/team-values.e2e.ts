/**
 * The team's values in real Chromium (issue 19): the team service in-process (PGlite in memory, on a
 * local port, a score file uploaded), the extension connected (the TEAM setting, as Options → Team
 * writes it). A HubSpot contact's sidebar shows the team's tier, "Team value, as of …"; the HubSpot
 * contacts list gets the team's tiers on its chips with one batch request; then the service stops and
 * the sidebar still shows the cached team value with its "as of", marked stale once past its fresh time.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/server/app';
import { openDatabase, type Sql } from '../../lib/server/database';
import { migrate } from '../../lib/server/migrations';
import { createToken } from '../../lib/server/tokens';
import { POLL } from '../support/chromium';
import { useExtensionBrowser } from '../support/extension';

type Chrome = typeof import('wxt/browser').browser;
const FIXTURES = resolve(process.cwd(), 'tests/fixtures/hosts/hubspot');
const browser = useExtensionBrowser();
let db: Sql;
let app: FastifyInstance;
let extPage: Page;
/** The service's request lines: "POST /v1/lookup/batch 200". */
const requests: string[] = [];
const count = (what: string) => requests.filter((line) => line.startsWith(what)).length;

// The HubSpot fixtures' customers (sample customers: this browser has its own tiers for them), as the team scores them.
const TEAM_TIERS: Record<string, string> = {
  'gael.okafor.5@northwind.example': 'Diamond',
  'pablo.dimitrov.6@northwind.example': 'Diamond',
  'freya.vasquez.19@copperleaf.example': 'Emerald',
  'uma.novak.29@redwood.example': 'Emerald',
};

beforeAll(async () => {
  db = await openDatabase({});
  await migrate(db);
  const manager = (await createToken(db, { name: 'Mia manager', role: 'manager' })).token;
  const agent = (await createToken(db, { name: 'Al agent', role: 'agent' })).token;
  app = await buildApp({ db, log: (line) => requests.push(line.split(' ').slice(1, 4).join(' ')), ratePerMinute: 10_000 });
  const csv = ['id,tier,clv,pAlive,email', ...Object.entries(TEAM_TIERS).map(([email, tier], i) => `T-${i},${tier},${9000 + i},0.9,${email}`)].join('\n');
  const uploaded = await app.inject({ method: 'PUT', url: '/v1/scores?name=team.csv', headers: { authorization: `Bearer ${manager}`, 'content-type': 'text/csv' }, payload: `${csv}\n` });
  expect(uploaded.statusCode).toBe(200);
  // On 127.0.0.1, which the e2e build's manifest grants (and its CSP's connect-src allows: https: and
  // the loopback hosts only): that no host permission is needed for the team service is checked by
  // tests/unit/team/values.test.ts, whose fake browser has no permissions API at all.
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  extPage = await browser.context.newPage();
  await extPage.goto(browser.extensionUrl('popup.html'));
  // What Options → Team saves; and the HubSpot list chips switched on.
  await extPage.evaluate((value) => (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.set(value), { team: { url, token: agent }, listChips: { hubspot: true } });
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

async function openFixture(fixture: string, url: string, page?: Page): Promise<Page> {
  page ??= await browser.context.newPage();
  const html = readFileSync(resolve(FIXTURES, fixture));
  await page.route('**/*', (route) => (route.request().isNavigationRequest() ? route.fulfill({ body: html, contentType: 'text/html' }) : route.abort()));
  await page.goto(url);
  await page.getByTestId('centric-sidebar').waitFor({ state: 'attached', ...POLL });
  return page;
}

const CONTACT = 'https://app.hubspot.com/contacts/123456/record/0-1/789';
const LIST = 'https://app.hubspot.com/contacts/123456/objects/0-1/views/all/list';

/** Moves the cached team answers `ms` into the past (read and written in an extension page). */
function ageTeamCache(ms: number): Promise<number> {
  return extPage.evaluate(
    (by) =>
      new Promise<number>((resolvePromise, reject) => {
        const open = indexedDB.open('centric');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('lookupCache', 'readwrite');
          const store = tx.objectStore('lookupCache');
          let moved = 0;
          const all = store.getAll();
          all.onsuccess = () => {
            for (const record of all.result as { value: { sourceId: string; fetchedAt: number; expiresAt: number; staleUntil: number } }[]) {
              const v = record.value;
              if (!v.sourceId.startsWith('@team:')) continue;
              store.put({ ...record, value: { ...v, fetchedAt: v.fetchedAt - by, expiresAt: v.expiresAt - by, staleUntil: v.staleUntil - by } });
              moved++;
            }
          };
          tx.oncomplete = () => {
            open.result.close();
            resolvePromise(moved);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    ms,
  );
}

describe('the team’s values', () => {
  it('a HubSpot contact’s sidebar shows the team’s tier, said to be the team’s, as of when it was fetched', async () => {
    const page = await openFixture('contact.html', CONTACT);
    const sidebar = page.getByTestId('centric-sidebar');
    await expect.poll(() => sidebar.getByTestId('tier').textContent(), POLL).toBe('Diamond');
    expect(await sidebar.getByTestId('value-source').textContent()).toMatch(/^Team value, as of \d{1,2} [A-Z][a-z]{2} \d\d:\d\d$/);
    expect(count('GET /v1/lookup')).toBe(1);
    await page.close();
  });

  it('the contacts list’s chips show the team’s tiers, asked in one batch request', async () => {
    const before = count('POST /v1/lookup/batch');
    const page = await openFixture('contacts-list.html', LIST);
    const chipTier = (text: string) =>
      page.evaluate((t) => [...document.querySelectorAll('[data-test-id="framework-data-table"] tbody tr')].find((r) => r.textContent?.includes(t))?.querySelector('centric-chip')?.getAttribute('data-tier') ?? null, text);
    for (const [row, tier] of [['Gael Okafor', 'Diamond'], ['Pablo Dimitrov', 'Diamond'], ['Freya Vasquez', 'Emerald'], ['uma.novak.29', 'Emerald']] as const) {
      await expect.poll(() => chipTier(row), POLL).toBe(tier);
    }
    const title = await page.evaluate(() => document.querySelector('centric-chip')?.getAttribute('title') ?? '');
    expect(title).toMatch(/\(Team value, as of .*\)$/);
    expect(count('POST /v1/lookup/batch')).toBe(before + 1);
    await page.close();
  });

  it('with the service stopped, the sidebar still shows the cached team value with its “as of”, and stale once past its fresh time', async () => {
    await app.close();
    const page = await openFixture('contact.html', CONTACT);
    const sidebar = page.getByTestId('centric-sidebar');
    await expect.poll(() => sidebar.getByTestId('tier').textContent(), POLL).toBe('Diamond');
    const asOf = await sidebar.getByTestId('value-source').textContent();
    expect(asOf).toMatch(/^Team value, as of /);

    // Twenty minutes later (past the 10 minutes fresh), still offline: the same value, marked stale, the same "as of" time moved back.
    expect(await ageTeamCache(20 * 60_000)).toBeGreaterThan(0);
    await page.reload();
    await expect.poll(() => sidebar.getByTestId('remote-stale').count(), POLL).toBe(1);
    expect(await sidebar.getByTestId('tier').textContent()).toBe('Diamond');
    expect(await sidebar.getByTestId('value-source').textContent()).toMatch(/^Team value, as of \d{1,2} [A-Z][a-z]{2} \d\d:\d\d$/);
    await page.close();
  });
});
