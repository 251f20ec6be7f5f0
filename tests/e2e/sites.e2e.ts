/**
 * Every site adapter in real Chromium: each case of tests/fixtures/hosts/<host>/cases.json is opened
 * at its real URL, answered from its saved fixture, and the sidebar must read the record (or say
 * there is no customer on a list page).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SITE_ADAPTERS } from '../../lib/sites/registry';
import { POLL, type ExtensionBrowser } from '../support/chromium';
import { useExtensionBrowser } from '../support/extension';

interface SiteCase {
  url: string;
  fixture: string;
  expect: null | { email?: string; name?: string; hostRecordId?: string; recordType?: string };
}

const HOSTS = resolve(process.cwd(), 'tests/fixtures/hosts');
const registered = new Set(SITE_ADAPTERS.map((a) => a.id));
const cases = readdirSync(HOSTS)
  .filter((host) => registered.has(host) && existsSync(resolve(HOSTS, host, 'cases.json')))
  .flatMap((host) =>
    (JSON.parse(readFileSync(resolve(HOSTS, host, 'cases.json'), 'utf8')) as SiteCase[]).map((c) => ({ host, ...c })),
  );

const browser = useExtensionBrowser();

describe('site adapters in real Chromium', () => {
  it('has cases for every built-in host', () => {
    const withCases = new Set(cases.map((c) => c.host));
    expect(SITE_ADAPTERS.filter((a) => a.id !== 'demo' && !withCases.has(a.id)).map((a) => a.id)).toEqual([]);
  });

  it.each(cases)('$host: $url', async (c) => {
    const page = await browser.context.newPage();
    const html = readFileSync(resolve(HOSTS, c.host, c.fixture));
    // The document at its real URL from the fixture; nothing else leaves the machine.
    await page.route('**/*', (route) =>
      route.request().isNavigationRequest() ? route.fulfill({ body: html, contentType: 'text/html' }) : route.abort(),
    );
    await page.goto(c.url);
    const sidebar = page.getByTestId('centric-sidebar');
    if (c.expect === null) {
      await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('no-customer');
    } else {
      await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toMatch(/^(customer|not-found)$/);
      if (c.expect.hostRecordId) expect(await sidebar.getAttribute('data-record-id')).toBe(c.expect.hostRecordId);
      if (c.expect.email) expect(await sidebar.getAttribute('data-state')).toBe('customer');
    }
    await page.close();
  });
});
