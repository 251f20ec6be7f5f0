/**
 * Least privilege, on the production build: no broad host access at install, the sidebar runs on
 * the demo's hosts only until a person enables a site.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_DIRS, launchWithExtension, POLL, waitForSample, type ExtensionBrowser } from '../support/chromium';
import { pastDocumentIdle, recordExtensionScripts } from '../support/page-state';

let browser: ExtensionBrowser;
beforeAll(async () => {
  browser = await launchWithExtension({ build: 'production' });
  await browser.context.route('https://acme.zendesk.com/**', (route) =>
    route.fulfill({ path: resolve(process.cwd(), 'tests/fixtures/hosts/zendesk/agent-ticket.html'), contentType: 'text/html' }),
  );
});
afterAll(async () => {
  await browser?.close();
});

describe('permissions (production build)', () => {
  it('asks for no site at install but the demo hosts; every CRM site is optional', () => {
    const manifest = JSON.parse(readFileSync(resolve(EXTENSION_DIRS.production, 'manifest.json'), 'utf8'));
    expect(manifest.host_permissions).toEqual(['http://127.0.0.1/*', 'http://localhost/*']);
    expect(manifest.content_scripts ?? []).toEqual([]);
    expect(manifest.optional_host_permissions).toContain('https://*.zendesk.com/agent/*');
    expect(JSON.stringify(manifest.permissions)).not.toMatch(/<all_urls>|tabs|webRequest/);
  });

  it('does not run on a site that was not enabled', async () => {
    const page = await browser.context.newPage();
    const scripts = await recordExtensionScripts(page);
    await page.goto('https://acme.zendesk.com/agent/tickets/1');
    // Past document_idle, when a matching content script would have been injected: none was.
    await pastDocumentIdle(page);
    expect(scripts.scripts).toEqual([]);
    expect(await page.locator('centric-sidebar').count()).toBe(0);
    await scripts.stop();
    await page.close();
  });

  it('registers the sidebar for the granted hosts only', async () => {
    const registered = await browser.serviceWorker.evaluate(async () => {
      const api = (globalThis as unknown as { chrome: typeof import('wxt/browser').browser }).chrome;
      return (await api.scripting.getRegisteredContentScripts()).map((script) => script.matches);
    });
    expect(registered).toEqual([['http://127.0.0.1/*', 'http://localhost/*']]); // the demo's script only
    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options.html'));
    await waitForSample(options);
    await expect.poll(() => options.getByTestId('site-zendesk').getAttribute('data-enabled'), POLL).toBe('false');
    expect(await options.getByTestId('site-zendesk').textContent()).toContain('Turn on');
    await options.close();
  });
});
