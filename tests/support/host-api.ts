/**
 * The host-API e2e tests' setup (Zendesk, Freshdesk, Gorgias): a browser with the extension and the
 * agent's session cookie for the host, and tabs whose documents are fixtures and whose same-origin
 * API requests the test answers; nothing else leaves the machine.
 */
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchWithExtension, waitForFirstRun, type ExtensionBrowser } from './chromium';

export interface ApiRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
}

export interface HostApiSite {
  /** The host's origin's domain (acme.zendesk.com). */
  domain: string;
  /** The agent's session cookie there. */
  session: { name: string; value: string };
  /** Requests whose path starts with this go to the test's `api` handler ('/api/v2/'). */
  apiPrefix: string;
}

/**
 * Registers the browser's start and stop for the file's tests; `open` loads a URL whose document is
 * `page` and records the API requests and the page's uncaught errors.
 */
export function useHostApiBrowser(site: HostApiSite) {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launchWithExtension();
    await waitForFirstRun(browser);
    // The agent's session with the host: a cookie of the page's origin (same-origin requests carry it).
    await browser.context.addCookies([{ ...site.session, domain: site.domain, path: '/', secure: true, httpOnly: true, sameSite: 'Lax' }]);
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(url: string, page: string, api: (route: Route) => Promise<void>) {
    const tab = await browser.context.newPage();
    const requests: ApiRequest[] = [];
    const pageErrors: string[] = [];
    tab.on('pageerror', (error) => pageErrors.push(error.message));
    await tab.route('**/*', async (route) => {
      const request = route.request();
      if (request.isNavigationRequest()) return route.fulfill({ path: page, contentType: 'text/html' });
      if (new URL(request.url()).pathname.startsWith(site.apiPrefix)) {
        requests.push({ url: request.url(), method: request.method(), headers: await request.allHeaders() });
        return api(route);
      }
      return route.abort();
    });
    await tab.goto(url);
    return { tab, requests, pageErrors, sidebar: tab.getByTestId('centric-sidebar') };
  }

  return { open, browser: () => browser };
}

export const stateOf = (tab: Page) => tab.getByTestId('centric-sidebar').getAttribute('data-state');
export const identifiedBy = (tab: Page) => tab.getByTestId('identified-by');
