/**
 * Zendesk's own API in real Chromium (issue 17): ticket pages opened at their real URLs, answered
 * from fixtures by request routing, and the same-origin `/api/v2/tickets/<id>.json` the content
 * script asks answered by the test. The page shows only the requester's NAME, which five customers
 * of the bundled sample share: the sidebar paints that reading at once, then ends on the customer
 * whose email Zendesk's API gives, and says so. When the API fails (401, a sign-in page) the page's
 * reading stays and the sidebar keeps working.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLL } from '../support/chromium';
import { identifiedBy, stateOf, useHostApiBrowser, type ApiRequest } from '../support/host-api';

const FIXTURES = resolve(process.cwd(), 'tests/fixtures/hosts/zendesk');
const NAME_ONLY_PAGE = resolve(FIXTURES, 'agent-ticket-name-only.html');
const EMAIL_PAGE = resolve(FIXTURES, 'agent-ticket.html');
/** Ticket 4101's answer: requester Goran Abbott <goran.abbott.1712@tidewater.example>; submitter, assignee, CCs (another Goran Abbott) and follower besides. */
const API_ANSWER = readFileSync(resolve(FIXTURES, 'api-ticket-4101.json'), 'utf8');
const REQUESTER_EMAIL = 'goran.abbott.1712@tidewater.example';
const SESSION = { name: '_zendesk_shared_session', value: 'agent-session-of-the-test' };

const { open: openTicket } = useHostApiBrowser({ domain: 'acme.zendesk.com', session: SESSION, apiPrefix: '/api/v2/' });
const state = stateOf;

describe('Zendesk’s API identifies the requester when the page shows only a name', () => {
  it('paints the page’s reading at once, then ends on the customer whose email the API gives', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const { tab, requests, pageErrors, sidebar } = await openTicket('https://acme.zendesk.com/agent/tickets/4101', NAME_ONLY_PAGE, async (route) => {
      await held; // the API answers only once the test has seen the page's reading
      await route.fulfill({ status: 200, contentType: 'application/json; charset=utf-8', body: API_ANSWER });
    });

    // The page's reading, without waiting for the API: a name five sample customers share.
    await expect.poll(() => state(tab), POLL).toBe('not-found');
    expect(await sidebar.getByTestId('centric-not-found').textContent()).toContain('Goran Abbott is not in your customer data yet.');
    expect(await sidebar.getByTestId('link-choice').allTextContents()).toHaveLength(5);
    expect(await identifiedBy(tab).textContent()).toBe('Read from the page');
    await expect.poll(() => requests.length, POLL).toBe(1);

    release();
    await expect.poll(() => state(tab), POLL).toBe('customer');
    expect(await sidebar.getByTestId('customer-name').textContent()).toBe('Goran Abbott');
    expect(await sidebar.getByTestId('centric-customer').textContent()).toContain(REQUESTER_EMAIL);
    expect(await sidebar.getByTestId('centric-customer').textContent()).not.toContain('goran.abbott.7@'); // the CC of the same name
    expect(await sidebar.getByTestId('centric-source').textContent()).toMatch(/ · Matched by email · Identified by Zendesk’s API$/);
    expect(await sidebar.getByTestId('tier').textContent()).toMatch(/\S/);

    // One request: the page's origin, the URL's ticket, the agent's session, JSON asked for, no other credentials.
    expect(requests).toHaveLength(1);
    const [request] = requests as [ApiRequest];
    expect(request.url).toBe('https://acme.zendesk.com/api/v2/tickets/4101.json?include=users,organizations');
    expect(request.method).toBe('GET');
    expect(request.headers.accept).toBe('application/json');
    expect(request.headers.cookie).toContain(`${SESSION.name}=${SESSION.value}`);
    expect(request.headers.authorization).toBeUndefined();
    if (request.headers['sec-fetch-site']) expect(request.headers['sec-fetch-site']).toBe('same-origin');
    expect(pageErrors).toEqual([]);
    await tab.close();
  });

  it('says "name only" when Zendesk has no email address for the requester (a phone caller)', async () => {
    const answer = JSON.parse(API_ANSWER) as { ticket: { id: number }; users: { id: number; email: unknown }[] };
    answer.ticket.id = 4104;
    answer.users.find((u) => u.id === 90001712)!.email = null;
    const { tab, sidebar, pageErrors } = await openTicket('https://acme.zendesk.com/agent/tickets/4104', NAME_ONLY_PAGE, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(answer) }),
    );
    await expect.poll(() => identifiedBy(tab).textContent(), POLL).toBe('Identified by Zendesk’s API, which has no email address for this customer: name only');
    expect(await state(tab)).toBe('not-found');
    expect(await sidebar.getByTestId('link-choice').allTextContents()).toHaveLength(5);
    expect(pageErrors).toEqual([]);
    await tab.close();
  });
});

describe('when Zendesk’s API fails, the page’s reading stays', () => {
  it('401: the customer read from the page stays, the reason is kept, and the sidebar keeps working', async () => {
    const { tab, sidebar, requests, pageErrors } = await openTicket('https://acme.zendesk.com/agent/tickets/1', EMAIL_PAGE, (route) =>
      route.fulfill({ status: 401, contentType: 'application/json; charset=utf-8', body: '{"error":"Couldn\'t authenticate you"}' }),
    );
    await expect.poll(() => identifiedBy(tab).getAttribute('title'), POLL).toBe('Zendesk’s API refused: you are signed out (HTTP 401).');
    expect(await state(tab)).toBe('customer');
    expect(await sidebar.getByTestId('customer-name').textContent()).toBe('Kaia Nakamura');
    expect(await sidebar.getByTestId('centric-source').textContent()).toMatch(/ · Matched by email · Read from the page$/);

    // Still works: it collapses and opens again, and follows the agent to the other ticket tab.
    const toggle = tab.getByTestId('centric-toggle');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-expanded'), POLL).toBe('false');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-expanded'), POLL).toBe('true');
    await tab.evaluate(() => {
      // Agent Workspace flags the tab panes (docs/hosts/zendesk.md): ticket #2's grid comes first.
      const [second, first] = document.querySelectorAll('.ticket-panes-grid-layout');
      first!.setAttribute('data-is-active', 'false');
      first!.classList.remove('active');
      second!.setAttribute('data-is-active', 'true');
      second!.classList.add('active');
      history.pushState({}, '', '/agent/tickets/2');
    });
    await expect.poll(() => sidebar.getAttribute('data-record-id'), POLL).toBe('2');
    await expect.poll(() => identifiedBy(tab).getAttribute('title'), POLL).toBe('Zendesk’s API refused: you are signed out (HTTP 401).');
    expect(await sidebar.getByTestId('customer-name').textContent()).toBe('Luca Tanaka');
    expect(requests.map((r) => new URL(r.url).pathname)).toEqual(['/api/v2/tickets/1.json', '/api/v2/tickets/2.json']);
    expect(pageErrors).toEqual([]);
    await tab.close();
  });

  it('a sign-in page instead of data: the name-only reading stays, and the agent links the customer by hand', async () => {
    const login = '<!doctype html><html><head><title>Sign in</title></head><body><form action="/access/login"><input name="email"></form></body></html>';
    const { tab, sidebar, pageErrors } = await openTicket('https://acme.zendesk.com/agent/tickets/4103', NAME_ONLY_PAGE, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: login }),
    );
    await expect.poll(() => identifiedBy(tab).getAttribute('title'), POLL).toBe('Zendesk’s API answered with a web page (a sign-in page?), not data.');
    expect(await state(tab)).toBe('not-found');
    await sidebar.getByTestId('link-choice').first().click();
    await expect.poll(() => state(tab), POLL).toBe('customer');
    expect(await sidebar.getByTestId('centric-source').textContent()).toMatch(/ · Linked to this record · Read from the page$/);
    expect(pageErrors).toEqual([]);
    await tab.close();
  });
});
