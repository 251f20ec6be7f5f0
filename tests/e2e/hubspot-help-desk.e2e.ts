/**
 * HubSpot's Help Desk in real Chromium (issue 17): the sidebar runs on /help-desk/ pages (the second
 * HubSpot pattern), and follows the agent from a view to a ticket that HubSpot opens as a layer at
 * the end of the body, outside the workspace — rendered after the URL changed, as the single-page
 * app does. The page is the Help Desk fixtures', answered by request routing; nothing leaves the machine.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLL, type ExtensionBrowser } from '../support/chromium';
import { useExtensionBrowser } from '../support/extension';

const FIXTURES = resolve(process.cwd(), 'tests/fixtures/hosts/hubspot');
const VIEW_PAGE = resolve(FIXTURES, 'help-desk-view.html');
/** The open ticket's layer (the last `data-layer-for="Panel"` of the ticket fixture). */
const ticketFixture = readFileSync(resolve(FIXTURES, 'help-desk-ticket.html'), 'utf8');
const TICKET_LAYER = ticketFixture.slice(ticketFixture.lastIndexOf('<div data-layer-for="Panel">'), ticketFixture.lastIndexOf('</body>'));

const browser = useExtensionBrowser();

describe('HubSpot Help Desk', () => {
  it('follows the agent from a view to a ticket whose panel renders later, as a layer outside the workspace', async () => {
    const tab = await browser.context.newPage();
    const pageErrors: string[] = [];
    tab.on('pageerror', (error) => pageErrors.push(error.message));
    await tab.route('**/*', (route) =>
      route.request().isNavigationRequest() ? route.fulfill({ path: VIEW_PAGE, contentType: 'text/html' }) : route.abort(),
    );
    await tab.goto('https://app.hubspot.com/help-desk/123456/view/9001');
    const sidebar = tab.getByTestId('centric-sidebar');
    await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('no-customer');

    // The agent clicks a ticket: the URL changes first; the ticket's panel is rendered afterwards.
    await tab.evaluate(() => history.pushState({}, '', '/help-desk/123456/view/9001/ticket/8800077/thread'));
    await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('loading');
    await tab.evaluate((html) => {
      const template = document.createElement('template');
      template.innerHTML = html; // test fixture markup, parsed by the test, not by Centric
      document.body.append(template.content);
    }, TICKET_LAYER);

    await expect.poll(() => sidebar.getAttribute('data-state'), POLL).toBe('customer');
    expect(await sidebar.getAttribute('data-record-id')).toBe('8800077');
    expect(await sidebar.getByTestId('customer-name').textContent()).toBe('Priya Lindqvist');
    expect(await sidebar.getByTestId('centric-customer').textContent()).toContain('priya.lindqvist.20@bluefin.example');
    expect(pageErrors).toEqual([]);
    await tab.close();
  });
});
