/**
 * The data lifecycle in the options page: export everything, erase with confirmation, restore; and
 * "Erase everything" compared byte for byte with a fresh install (issue 16).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../demo/server';
import { DEFAULT_RULES } from '../../lib/rules/defaults';
import { ruleSetValue } from '../../lib/rules/stored';
import type { CustomSiteRule } from '../../lib/sites/custom';
import { SITE_ADAPTERS } from '../../lib/sites/registry';
import { scoreRowsToCsv } from '../../lib/dashboard/export';
import { launchWithExtension, POLL, waitForFirstRun, type ExtensionBrowser } from '../support/chromium';
import { dumpEverything, type Everything } from '../support/everything';
import { startScoreService, type ScoreService } from '../support/score-service';
import { teamApi, teamFile, teamSources } from '../helpers/team-sources';
import { LAST_INSTALL } from '../../lib/settings/items';

type Chrome = typeof import('wxt/browser').browser;
let browser: ExtensionBrowser;
let demo: DemoServer;
let service: ScoreService;
const SECRET = 'erase-me-5ecret';
/** What the install writes to storage.local (lib/welcome/first-run.ts): the welcome page opened, and when. */
const INSTALL_RECORD = { reason: 'install', welcomed: true, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) };

beforeAll(async () => {
  [browser, demo, service] = await Promise.all([launchWithExtension(), startDemoServer(), startScoreService()]);
  service.file = {
    body: scoreRowsToCsv([{ id: 'C-1', x: 2, tx: 30, T: 40, monetary: 20, pAlive: 0.5, expectedTransactions: 1, expectedSpend: 20, clv: 10, tier: 'Gold' }]),
    etag: '"1"',
  };
  await waitForFirstRun(browser);
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
  await service?.close();
});

const customSite: CustomSiteRule = {
  id: 'acme-crm',
  name: 'Acme CRM',
  matches: ['http://127.0.0.1/crm/*'],
  fields: { email: { selector: 'a.customer-email', attribute: 'href' }, name: { selector: '.customer-name' } },
};

/** What a manager would have set up: sources (one with an API key), rules, a custom site and domain, chips, where the sidebar shows. */
function settings(serviceUrl: string) {
  const rules = DEFAULT_RULES.map((r, i) => (i === 0 ? { ...r, name: `${r.name} (ours)` } : r));
  return {
    sources: teamSources(
      teamApi(`${serviceUrl}/lookup?email={email}`, SECRET, { timeoutMs: 1000, retries: 0, ratePerMinute: 600, ttlSeconds: 60, staleSeconds: 600 }),
      teamFile(`${serviceUrl}/scores.csv`),
    ),
    treatmentRules: ruleSetValue(rules),
    customSites: [customSite],
    customDomains: [{ domain: 'support.acme.com', adapterId: 'zendesk' }],
    listChips: { demo: true },
    'sidebar.layout': { zendesk: { mode: 'badge' }, demo: { collapsed: true } },
  };
}

async function optionsPage(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('options.html'));
  await page.getByTestId('data-section').waitFor(POLL);
  return page;
}

describe('erase everything (issue 16)', () => {
  it('leaves exactly what a fresh install holds: only the install record in storage, an empty database, no alarms, only the install’s scripts', async () => {
    const page = await optionsPage();
    await expect.poll(() => page.getByTestId('summary-customers').textContent(), POLL).toBe('2,357');
    // A fresh install, listed: in extension storage only the record the install wrote (lastInstall,
    // lib/welcome/first-run.ts; written once the welcome tab is open, so waited for), the `centric`
    // database (with the sample), no alarms, the sidebar's scripts for the sites granted at install
    // (this e2e build: every built-in site).
    await expect.poll(async () => (await dumpEverything(page)).storage, POLL).toEqual({ local: { [LAST_INSTALL.key]: INSTALL_RECORD }, sync: {}, session: {} });
    const fresh = await dumpEverything(page);
    expect(Object.keys(fresh.databases)).toEqual(['centric']);
    expect(fresh.alarms).toEqual([]);
    expect(fresh.scripts.map((s) => s.id)).toEqual(SITE_ADAPTERS.map((a) => `centric-${a.id}`).sort());

    // Everything a person could leave behind. The sidebar reads a ticket of the demo helpdesk (before
    // any source is set up, so nothing else is stored): the site health counts it (issue 17).
    const read = await browser.context.newPage();
    await read.goto(`${demo.url}/tickets/1001`);
    await expect.poll(async () => Object.keys((await dumpEverything(page)).storage.local), POLL).toContain('siteHealth');
    await read.close();
    await page.evaluate((value) => (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.set(value), settings(service.url));
    await page.evaluate(async () => {
      const put = (name: string, version: number | undefined, write: (db: IDBDatabase) => void) =>
        new Promise<void>((resolve, reject) => {
          const request = version ? indexedDB.open(name, version) : indexedDB.open(name);
          request.onupgradeneeded = () => request.result.createObjectStore('leftovers');
          request.onsuccess = () => {
            write(request.result);
            request.result.close();
            resolve();
          };
          request.onerror = () => reject(request.error);
        });
      await put('centric', undefined, (db) => {
        db.transaction('lookupCache', 'readwrite').objectStore('lookupCache').put({ key: 'team-api|x', value: { tier: 'Gold' }, fetchedAt: '2026-01-01T00:00:00Z', expiresAt: '2026-01-02T00:00:00Z' });
      });
      // A database an older version might have left.
      await put('centric-leftover', 1, (db) => db.transaction('leftovers', 'readwrite').objectStore('leftovers').put('x', 1));
    });
    // The background registers the custom site's script, schedules and syncs the score file.
    await expect.poll(async () => (await dumpEverything(page)).scripts.map((s) => s.id), POLL).toContain('centric-custom');
    await expect.poll(async () => (await dumpEverything(page)).alarms, POLL).toEqual(['centric-sync:team-file']);
    await expect.poll(async () => (await dumpEverything(page)).databases.centric?.stores.fileScores ?? 0, POLL).toBeGreaterThan(0);
    await expect.poll(async () => Object.keys((await dumpEverything(page)).storage.local).sort(), POLL).toContain('sourcesStatus');
    const before = await dumpEverything(page);
    expect(before.databases['centric-leftover']).toEqual({ stores: { leftovers: 1 } });
    expect(before.databases.centric!.stores.lookupCache).toBe(1);
    expect(before.storage.local.sources).toMatchObject({ sources: [{ headers: [{ value: SECRET }] }, {}] });

    await page.getByTestId('erase-all').click();
    const dialog = await page.getByRole('alertdialog').textContent();
    expect(dialog).toContain('2,357 customers and 6,919 transactions');
    expect(dialog).toContain('lookup sources with their API keys');
    expect(dialog).toContain('as freshly installed');
    await page.getByTestId('erase-confirm').click();
    const notice = page.getByTestId('data-notice');
    await expect.poll(() => notice.textContent(), POLL).toMatch(/^Erased 2,357 customers, 6,919 transactions/);
    const said = (await notice.textContent()) ?? '';
    for (const part of ['2 lookup sources', 'treatment rules', '1 custom site', '1 custom domain', '1 list-chip switch', '1 site’s reading counts (site health)', '1 cached answer', '1 scheduled sync (alarm)', '1 registered content script', '1 other database']) {
      expect(said).toContain(part);
    }
    await expect.poll(() => page.getByTestId('summary-customers').textContent(), POLL).toBe('0');

    const after = await dumpEverything(page);
    // Exactly the fresh install's storage: its install record, unchanged, and nothing else.
    const emptyCentric = Object.fromEntries(Object.keys(fresh.databases.centric!.stores).map((store) => [store, store === 'meta' ? 1 : 0]));
    expect(after).toEqual<Everything>({
      storage: fresh.storage,
      // One record stays: the note that the sample is not loaded again by itself.
      databases: { centric: { stores: emptyCentric, meta: [{ key: 'sampleLoaded', value: false }] } },
      alarms: [],
      scripts: fresh.scripts,
      permissions: fresh.permissions,
    });

    // It works as freshly installed: the sidebar answers on the demo helpdesk, and the sample can be loaded again.
    const ticket = await browser.context.newPage();
    await ticket.goto(`${demo.url}/tickets/1001`);
    await expect.poll(() => ticket.getByTestId('centric-sidebar').getAttribute('data-state'), POLL).toBe('not-found');
    await ticket.close();
    await page.getByTestId('load-sample').click();
    await expect.poll(() => page.getByTestId('summary-customers').textContent(), POLL).toBe('2,357');
    await page.close();
  });
});

describe('data lifecycle in the options page', () => {
  it('exports, erases (after confirming) and restores everything', async () => {
    const page = await optionsPage();
    const customers = page.getByTestId('summary-customers');
    await expect.poll(() => customers.textContent(), POLL).toBe('2,357');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-all').click()]);
    const backupPath = join(mkdtempSync(join(tmpdir(), 'centric-backup-')), download.suggestedFilename());
    await download.saveAs(backupPath);
    expect(download.suggestedFilename()).toMatch(/^centric-backup-\d{4}-\d{2}-\d{2}\.json$/);

    await page.getByTestId('erase-all').click();
    expect(await page.getByRole('alertdialog').textContent()).toContain('2,357 customers and 6,919 transactions');
    await page.getByTestId('erase-confirm').click();
    await expect.poll(() => customers.textContent(), POLL).toBe('0');

    // A file that is not a backup is refused with a reason, and nothing changes.
    await page.getByTestId('restore-file').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello":1}') });
    await expect.poll(() => page.getByTestId('data-notice').textContent(), POLL).toMatch(/not a valid Centric backup/);
    expect(await customers.textContent()).toBe('0');

    await page.getByTestId('restore-file').setInputFiles(backupPath);
    await expect.poll(() => customers.textContent(), POLL).toBe('2,357');
    expect(await page.getByTestId('summary-transactions').textContent()).toBe('6,919');
    await page.close();
  });
});

describe('export everything and restore it (issue 16)', () => {
  /**
   * The logical data and settings to compare: storage without the derived sync status and the site
   * health counts (local diagnostics of a browser, not in backups: issue 17), and the data tables' counts.
   */
  const comparable = (all: Everything) => {
    const { sourcesStatus: _derived, siteHealth: _diagnostics, ...local } = all.storage.local;
    const { lookupCache: _cache, fileScores: _files, runSnapshots: _snapshots, ...stores } = all.databases.centric!.stores;
    return { local, stores, meta: all.databases.centric!.meta, alarms: all.alarms, scripts: all.scripts, permissions: all.permissions };
  };

  async function download(page: Page): Promise<{ path: string; text: string }> {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-all').click()]);
    const path = join(mkdtempSync(join(tmpdir(), 'centric-backup-')), file.suggestedFilename());
    await file.saveAs(path);
    return { path, text: readFileSync(path, 'utf8') };
  }

  async function eraseAll(page: Page): Promise<void> {
    await page.getByTestId('erase-all').click();
    await page.getByTestId('erase-confirm').click();
    await expect.poll(() => page.getByTestId('data-notice').textContent(), POLL).toMatch(/^Erased /);
  }

  it('gives back the same storage after erasing, with the secrets only when ticked', async () => {
    const page = await optionsPage();
    await expect.poll(() => page.getByTestId('summary-customers').textContent(), POLL).toBe('2,357');
    // The settings, and site health counts (which a backup leaves out).
    const health = { version: 1, hosts: { demo: { since: 1, failedInARow: 0, lastMissing: [], total: { identified: 1, partial: 0, failed: 0 }, days: {} } } };
    await page.evaluate((value) => (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.set(value), { ...settings(service.url), siteHealth: health });
    await expect.poll(async () => (await dumpEverything(page)).scripts.map((s) => s.id), POLL).toContain('centric-custom');
    await expect.poll(async () => (await dumpEverything(page)).alarms, POLL).toEqual(['centric-sync:team-file']);
    const before = comparable(await dumpEverything(page));

    // Secrets are left out unless ticked.
    expect(await page.getByTestId('export-secrets').isChecked()).toBe(false);
    const plain = await download(page);
    expect(plain.text).not.toContain(SECRET);
    expect(plain.text).not.toContain('siteHealth');
    expect(await page.getByTestId('data-notice').textContent()).toMatch(/and the settings \(6 treatment rules, 2 lookup sources, 1 custom site, 1 custom domain.*without the sources’ API keys/);
    await page.getByTestId('export-secrets').check();
    const withSecrets = await download(page);
    expect(withSecrets.text).toContain(SECRET);

    await eraseAll(page);
    expect((await dumpEverything(page)).storage.local).toEqual({ [LAST_INSTALL.key]: INSTALL_RECORD });
    await page.getByTestId('restore-file').setInputFiles(withSecrets.path);
    await expect.poll(() => page.getByTestId('data-notice').textContent(), POLL).toMatch(/^Restored 2,357 customers and the settings/);
    await expect.poll(async () => comparable(await dumpEverything(page)), POLL).toEqual(before);

    // Without secrets: the same, but the API key is not there, and the page says so.
    await eraseAll(page);
    await page.getByTestId('restore-file').setInputFiles(plain.path);
    await expect.poll(() => page.getByTestId('data-notice').textContent(), POLL).toContain('Team API comes back without its X-Api-Key header');
    const withoutKey = structuredClone(before);
    (withoutKey.local.sources as { sources: { headers: unknown[] }[] }).sources[0]!.headers = [];
    await expect.poll(async () => comparable(await dumpEverything(page)), POLL).toEqual(withoutKey);
    await page.close();
  });
});
