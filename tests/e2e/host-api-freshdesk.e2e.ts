/**
 * Freshdesk's own API in real Chromium (issue 17), as tests/e2e/host-api.e2e.ts does for Zendesk:
 * ticket pages opened at their real URLs, answered from fixtures by request routing, and the
 * same-origin `/api/v2/tickets/<id>?include=requester,company` the content script asks answered by
 * the test. The mid-2026 page shows only the requester's NAME (three customers of the bundled
 * sample share it): the sidebar paints that reading, then ends on the customer whose email
 * Freshdesk's API gives. When the API fails, the page's reading stays.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLL } from '../support/chromium';
import { identifiedBy, stateOf, useHostApiBrowser, type ApiRequest } from '../support/host-api';

const FIXTURES = resolve(process.cwd(), 'tests/fixtures/hosts/freshdesk');
const NAME_ONLY_PAGE = resolve(FIXTURES, 'ticket-2026-light-de.html');
const SHADOW_PAGE = resolve(FIXTURES, 'ticket-2026.html');
/** Ticket 5121's answer: requester Carmen Vasquez <carmen.vasquez.1@harborpine.example>, a CC'd contact and the responder besides. */
const API_ANSWER = readFileSync(resolve(FIXTURES, 'api-ticket-5121.json'), 'utf8');
const REQUESTER_EMAIL = 'carmen.vasquez.1@harborpine.example';
const SESSION = { name: '_helpkit_session', value: 'agent-session-of-the-test' };

const { open: openTicket } = useHostApiBrowser({ domain: 'acme.freshdesk.com', session: SESSION, apiPrefix: '/api/v2/' });
const state = stateOf;

describe('Freshdesk’s API identifies the requester when the page shows only a name', () => {
  it('paints the page’s reading at once, then ends on the customer whose email the API gives', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const { tab, requests, pageErrors, sidebar } = await openTicket('https://acme.freshdesk.com/a/tickets/5121', NAME_ONLY_PAGE, async (route) => {
      await held; // the API answers only once the test has seen the page's reading
      await route.fulfill({ status: 200, contentType: 'application/json; charset=utf-8', body: API_ANSWER });
    });

    // The page's reading, without waiting for the API: a name three sample customers share.
    await expect.poll(() => state(tab), POLL).toBe('not-found');
    expect(await sidebar.getByTestId('centric-not-found').textContent()).toContain('Carmen Vasquez');
    expect(await identifiedBy(tab).textContent()).toBe('Read from the page');
    await expect.poll(() => requests.length, POLL).toBe(1);

    release();
    await expect.poll(() => state(tab), POLL).toBe('customer');
    expect(await sidebar.getByTestId('customer-name').textContent()).toBe('Carmen Vasquez');
    expect(await sidebar.getByTestId('centric-customer').textContent()).toContain(REQUESTER_EMAIL);
    expect(await sidebar.getByTestId('centric-customer').textContent()).not.toContain('luca.tanaka'); // the CC'd contact
    expect(await sidebar.getByTestId('centric-source').textContent()).toMatch(/ · Matched by email · Identified by Freshdesk’s API$/);

    // One request: the page's origin, the URL's ticket, the agent's session, JSON asked for, no API key.
    expect(requests).toHaveLength(1);
    const [request] = requests as [ApiRequest];
    expect(request.url).toBe('https://acme.freshdesk.com/api/v2/tickets/5121?include=requester,company');
    expect(request.method).toBe('GET');
    expect(request.headers.accept).toBe('application/json');
    expect(request.headers.cookie).toContain(`${SESSION.name}=${SESSION.value}`);
    expect(request.headers.authorization).toBeUndefined();
    if (request.headers['sec-fetch-site']) expect(request.headers['sec-fetch-site']).toBe('same-origin');
    expect(pageErrors).toEqual([]);
    await tab.close();
  });
});

describe('when Freshdesk’s API fails, the page’s reading stays', () => {
  it('401: the customer read from the contact panel’s shadow root stays, and the reason is kept', async () => {
    const { tab, sidebar, requests, pageErrors } = await openTicket('https://acme.freshdesk.com/a/tickets/5120', SHADOW_PAGE, (route) =>
      route.fulfill({ status: 401, contentType: 'application/json', body: '{"code":"invalid_credentials","message":"You have to be logged in to perform this action."}' }),
    );
    await expect.poll(() => identifiedBy(tab).getAttribute('title'), POLL).toBe('Freshdesk’s API refused: you are signed out (HTTP 401).');
    expect(await state(tab)).toBe('customer');
    expect(await sidebar.getByTestId('customer-name').textContent()).toBe('Chidi Quispe');
    expect(await sidebar.getByTestId('centric-customer').textContent()).toContain('chidi.quispe.1165@copperleaf.example');
    expect(await sidebar.getByTestId('centric-source').textContent()).toMatch(/ · Matched by email · Read from the page$/);
    expect(requests.map((r) => new URL(r.url).pathname)).toEqual(['/api/v2/tickets/5120']);
    expect(pageErrors).toEqual([]);
    await tab.close();
  });
});
