/**
 * Gorgias's own API in real Chromium (issue 17): ticket pages opened at their real URLs, answered
 * from fixtures by request routing, and the same-origin `/api/tickets/<id>` the content script asks
 * answered by the test. The page shows only the customer's NAME (the customer sidebar is collapsed),
 * which five customers of the bundled sample share: the sidebar paints that reading at once, then
 * ends on the customer whose email Gorgias's API gives, and says so. When the API fails (401, a
 * sign-in page) the page's reading stays and the sidebar keeps working.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLL } from '../support/chromium';
import { identifiedBy, stateOf, useHostApiBrowser, type ApiRequest } from '../support/host-api';

const FIXTURES = resolve(process.cwd(), 'tests/fixtures/hosts/gorgias');
const NAME_ONLY_PAGE = resolve(FIXTURES, 'ticket-name-only.html');
const EMAIL_PAGE = resolve(FIXTURES, 'ticket.html');
/** Ticket 4201's answer: customer Goran Abbott <goran.abbott.1712@tidewater.example>; the assignee, a CC'd Goran Abbott and a note besides. */
const API_ANSWER = readFileSync(resolve(FIXTURES, 'api-ticket-4201.json'), 'utf8');
const CUSTOMER_EMAIL = 'goran.abbott.1712@tidewater.example';
const SESSION = { name: 'session', value: 'agent-session-of-the-test' };

const { open: openTicket } = useHostApiBrowser({ domain: 'acme.gorgias.com', session: SESSION, apiPrefix: '/api/' });
const state = stateOf;

describe('Gorgias’s API identifies the customer when the page shows only a name', () => {
  it('paints the page’s reading at once, then ends on the customer whose email the API gives', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const { tab, requests, pageErrors, sidebar } = await openTicket('https://acme.gorgias.com/app/ticket/4201', NAME_ONLY_PAGE, async (route) => {
      await held; // the API answers only once the test has seen the page's reading
      await route.fulfill({ status: 200, contentType: 'application/json', body: API_ANSWER });
    });

    await expect.poll(() => state(tab), POLL).toBe('not-found');
    expect(await sidebar.getByTestId('centric-not-found').textContent()).toContain('Goran Abbott is not in your customer data yet.');
    expect(await identifiedBy(tab).textContent()).toBe('Read from the page');
    await expect.poll(() => requests.length, POLL).toBe(1);

    release();
    await expect.poll(() => state(tab), POLL).toBe('customer');
    expect(await sidebar.getByTestId('customer-name').textContent()).toBe('Goran Abbott');
    expect(await sidebar.getByTestId('centric-customer').textContent()).toContain(CUSTOMER_EMAIL);
    expect(await sidebar.getByTestId('centric-customer').textContent()).not.toContain('goran.abbott.7@'); // the CC of the same name
    expect(await sidebar.getByTestId('centric-source').textContent()).toMatch(/ · Matched by email · Identified by Gorgias’s API$/);

    // One request: the page's origin, the URL's ticket, the agent's session, JSON asked for, no other credentials.
    expect(requests).toHaveLength(1);
    const [request] = requests as [ApiRequest];
    expect(request.url).toBe('https://acme.gorgias.com/api/tickets/4201');
    expect(request.method).toBe('GET');
    expect(request.headers.accept).toBe('application/json');
    expect(request.headers.cookie).toContain(`${SESSION.name}=${SESSION.value}`);
    expect(request.headers.authorization).toBeUndefined();
    if (request.headers['sec-fetch-site']) expect(request.headers['sec-fetch-site']).toBe('same-origin');
    expect(pageErrors).toEqual([]);
    await tab.close();
  });
});

describe('when Gorgias’s API fails, the page’s reading stays', () => {
  it('401: the customer read from the page stays, and the reason is kept', async () => {
    const { tab, sidebar, requests, pageErrors } = await openTicket('https://acme.gorgias.com/app/ticket/123', EMAIL_PAGE, (route) =>
      route.fulfill({ status: 401, contentType: 'application/json', body: '{"error":{"msg":"Unauthorized"}}' }),
    );
    await expect.poll(() => identifiedBy(tab).getAttribute('title'), POLL).toBe('Gorgias’s API refused: you are signed out (HTTP 401).');
    expect(await state(tab)).toBe('customer');
    expect(await sidebar.getByTestId('customer-name').textContent()).toBe('Hana Torres');
    expect(await sidebar.getByTestId('centric-source').textContent()).toMatch(/ · Matched by email · Read from the page$/);
    expect(requests.map((r) => new URL(r.url).pathname)).toEqual(['/api/tickets/123']);
    expect(pageErrors).toEqual([]);
    await tab.close();
  });

  it('a sign-in page instead of data: the name-only reading stays', async () => {
    const login = '<!doctype html><html><head><title>Log in</title></head><body><form action="/login"><input name="email"></form></body></html>';
    const { tab, pageErrors } = await openTicket('https://acme.gorgias.com/app/ticket/4201', NAME_ONLY_PAGE, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: login }),
    );
    await expect.poll(() => identifiedBy(tab).getAttribute('title'), POLL).toBe('Gorgias’s API answered with a web page (a sign-in page?), not data.');
    expect(await state(tab)).toBe('not-found');
    expect(pageErrors).toEqual([]);
    await tab.close();
  });
});
