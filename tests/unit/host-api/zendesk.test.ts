import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { getSameOriginJson, MAX_ANSWER_CHARS, type FetchFn } from '~/lib/host-api/request';
import { createZendeskApi, readTicketAnswer, readUserAnswer, ZENDESK_API_PATHS } from '~/lib/sites/hosts/zendesk/api';

/**
 * The answer of GET /api/v2/tickets/4101.json?include=users,organizations, in the shape Zendesk's
 * API reference documents (the ticket's fields; side-loaded users and organizations). The requester
 * (90001712) comes last among the users; before it: the submitter and assignee (agents), two CCs
 * (one of them another "Goran Abbott" of the same company) and a follower (an admin).
 */
const FIXTURE = resolve(process.cwd(), 'tests/fixtures/hosts/zendesk/api-ticket-4101.json');
type Answer = { ticket: Record<string, unknown>; users: Record<string, unknown>[]; organizations?: Record<string, unknown>[] };
const answer = (): Answer => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Answer;
const userById = (json: Answer, id: number) => json.users.find((u) => u.id === id)!;

const REQUESTER = {
  host: 'zendesk',
  hostRecordId: '4101',
  recordType: 'ticket',
  email: 'goran.abbott.1712@tidewater.example',
  name: 'Goran Abbott',
  company: 'Tidewater Foods',
  domain: 'tidewater.example',
};

describe('Zendesk ticket answer: the requester, and no one else', () => {
  it('reads the requester (requester_id) with their email, name and organization', () => {
    expect(readTicketAnswer(answer(), '4101')).toEqual({ ok: true, identity: REQUESTER });
  });

  it('never takes the submitter (an agent who opened the ticket for the customer)', () => {
    const json = answer();
    // The submitter is listed first and is a different person: still the requester is read.
    expect(json.ticket.submitter_id).not.toBe(json.ticket.requester_id);
    expect(json.users[0]!.id).toBe(json.ticket.submitter_id);
    const result = readTicketAnswer(json, '4101');
    expect(result.ok && result.identity.email).toBe(REQUESTER.email);
    // Without the requester in the users, the submitter is not taken instead.
    json.users = json.users.filter((u) => u.id !== json.ticket.requester_id);
    expect(readTicketAnswer(json, '4101')).toEqual({ ok: false, problem: 'Zendesk’s API did not include the ticket’s requester.' });
  });

  it('never takes the assignee, the CCs (email_cc_ids, collaborator_ids) or the followers', () => {
    const json = answer();
    const others = [json.ticket.assignee_id, ...(json.ticket.email_cc_ids as number[]), ...(json.ticket.collaborator_ids as number[]), ...(json.ticket.follower_ids as number[])];
    const otherEmails = others.map((id) => String(userById(json, id as number).email).toLowerCase());
    expect(otherEmails).toContain('goran.abbott.7@tidewater.example'); // a CC with the requester's very name
    // The requester is last in the list; every other user comes before it.
    const result = readTicketAnswer(json, '4101');
    expect(result.ok).toBe(true);
    if (result.ok) expect(otherEmails).not.toContain(result.identity.email);
    // Even when a CC or the assignee is the only user with an email, the requester's answer has none of theirs.
    userById(json, json.ticket.requester_id as number).email = null;
    const nameOnly = readTicketAnswer(json, '4101');
    expect(nameOnly.ok && nameOnly.identity.email).toBeUndefined();
  });

  it('says "name only" for a requester without an email address (a phone or chat end user)', () => {
    const json = answer();
    userById(json, 90001712).email = null;
    expect(readTicketAnswer(json, '4101')).toEqual({
      ok: true,
      identity: { host: 'zendesk', hostRecordId: '4101', recordType: 'ticket', name: 'Goran Abbott', company: 'Tidewater Foods' },
    });
    delete userById(json, 90001712).email;
    const missing = readTicketAnswer(json, '4101');
    expect(missing.ok && missing.identity.email).toBeUndefined();
  });

  it('falls back (an answer with a problem) when the users list misses the requester, or there is none', () => {
    const json = answer();
    json.users = json.users.filter((u) => u.id !== 90001712);
    expect(readTicketAnswer(json, '4101')).toMatchObject({ ok: false, problem: expect.stringContaining('requester') });
    const noUsers: Record<string, unknown> = answer();
    delete noUsers.users;
    expect(readTicketAnswer(noUsers, '4101').ok).toBe(false);
    expect(readTicketAnswer({ ...answer(), users: 'not a list' }, '4101').ok).toBe(false);
  });

  it('compares ids as numbers: a requester_id or user id written as text is not a match', () => {
    const json = answer();
    json.ticket.requester_id = '90001712';
    expect(readTicketAnswer(json, '4101')).toMatchObject({ ok: false, problem: expect.stringContaining('no requester') });
    const json2 = answer();
    userById(json2, 90001712).id = '90001712';
    expect(readTicketAnswer(json2, '4101').ok).toBe(false);
    // Large ids (12 digits, as Zendesk's are) are exact JSON numbers.
    const json3 = answer();
    const agent = userById(json3, 361000000017);
    json3.ticket.requester_id = 361000000017;
    expect(readTicketAnswer(json3, '4101')).toMatchObject({ ok: true, identity: { email: agent.email } });
  });

  it('takes only the ticket the URL names: an answer for another open ticket tab is refused', () => {
    expect(readTicketAnswer(answer(), '4102')).toEqual({ ok: false, problem: 'Zendesk’s API answered for ticket 4101, not 4102.' });
    expect(readTicketAnswer(answer(), '04101')).toMatchObject({ ok: true });
  });

  it('reads the organization of the ticket first, then the user’s, and none when not side-loaded', () => {
    const json = answer();
    json.organizations!.push({ id: 5550002, name: 'Copperleaf Studio' });
    json.ticket.organization_id = 5550002;
    expect(readTicketAnswer(json, '4101')).toMatchObject({ ok: true, identity: { company: 'Copperleaf Studio' } });
    json.ticket.organization_id = null;
    expect(readTicketAnswer(json, '4101')).toMatchObject({ ok: true, identity: { company: 'Tidewater Foods' } });
    delete json.organizations;
    const result = readTicketAnswer(json, '4101');
    expect(result.ok && result.identity.company).toBeUndefined();
  });

  it('keeps page-like text as text, bounded, and refuses what is not an email address', () => {
    const json = answer();
    const requester = userById(json, 90001712);
    requester.name = `<img src=x onerror=alert(1)>${'x'.repeat(500)}`;
    requester.email = 'not an email <script>';
    const result = readTicketAnswer(json, '4101');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.identity.name!.startsWith('<img src=x onerror=alert(1)>')).toBe(true);
    expect(result.identity.name).toHaveLength(200);
    expect(result.identity.email).toBeUndefined();
    requester.name = '   ';
    requester.email = null;
    expect(readTicketAnswer(json, '4101')).toMatchObject({ ok: false, problem: expect.stringContaining('neither a name nor an email') });
  });

  it('refuses shapes it does not know', () => {
    for (const json of [null, 'ticket', [], {}, { ticket: [] }, { ticket: { id: '4101' } }, { ticket: { id: 4101 } }, { tickets: [answer().ticket] }]) {
      expect(readTicketAnswer(json, '4101').ok, JSON.stringify(json)).toBe(false);
    }
  });
});

describe('Zendesk user answer', () => {
  const user = {
    user: { id: 2044, name: 'Farah Ueda', email: 'Farah.Ueda.44@zephyr.example', role: 'end-user', organization_id: 77 },
    organizations: [{ id: 77, name: 'Zephyr Outdoor' }],
  };

  it('reads the user of the URL with their organization', () => {
    expect(readUserAnswer(user, '2044')).toEqual({
      ok: true,
      identity: { host: 'zendesk', hostRecordId: '2044', recordType: 'user', email: 'farah.ueda.44@zephyr.example', name: 'Farah Ueda', company: 'Zephyr Outdoor', domain: 'zephyr.example' },
    });
  });

  it('refuses another user and unknown shapes', () => {
    expect(readUserAnswer(user, '2045')).toEqual({ ok: false, problem: 'Zendesk’s API answered for user 2044, not 2045.' });
    expect(readUserAnswer({ users: [user.user] }, '2044').ok).toBe(false);
  });
});

/** A fetch that records what it was asked and answers `respond(url)`. */
function fakeFetch(respond: (url: string) => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchFn = vi.fn<FetchFn>(async (url, init) => {
    calls.push({ url, init });
    return respond(url);
  });
  return { fetchFn, calls };
}
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });

describe('Zendesk API requests', () => {
  const ticketUrl = new URL('https://acme.zendesk.com/agent/tickets/4101');

  it('asks only the page’s own origin, for the URL’s id, with the page’s session and nothing else', async () => {
    const { fetchFn, calls } = fakeFetch(() => json(answer()));
    const api = createZendeskApi({ fetchFn });
    expect(await api.identify(ticketUrl)).toEqual({ ok: true, identity: REQUESTER });
    expect(calls).toHaveLength(1);
    const [{ url, init }] = calls as [{ url: string; init: RequestInit }];
    expect(url).toBe('https://acme.zendesk.com/api/v2/tickets/4101.json?include=users,organizations');
    expect(init.method).toBe('GET');
    expect(init.credentials).toBe('same-origin');
    expect(init.headers).toEqual({ Accept: 'application/json' });
    expect(init.redirect).toBe('manual');
    expect(init.signal).toBeInstanceOf(AbortSignal);
    expect(Object.keys(init).sort()).toEqual(['credentials', 'headers', 'method', 'redirect', 'signal']);

    await api.identify(new URL('https://acme.zendesk.com/agent/users/2044/requested_tickets'));
    expect(calls[1]!.url).toBe('https://acme.zendesk.com/api/v2/users/2044.json?include=organizations');
    expect(ZENDESK_API_PATHS.ticket('1')).toBe('/api/v2/tickets/1.json?include=users,organizations');
  });

  it('asks nothing on pages that are not a ticket or a user, nor for ids too long to be Zendesk’s', () => {
    const { fetchFn } = fakeFetch(() => json({}));
    const api = createZendeskApi({ fetchFn });
    for (const href of [
      'https://acme.zendesk.com/agent/filters/360000001',
      'https://acme.zendesk.com/agent/tickets/abc',
      'https://acme.zendesk.com/agent/tickets/1234567890123456789',
      'https://acme.zendesk.com/agent/tickets/1/../../../api/v2/users/me.json',
    ]) {
      expect(api.identify(new URL(href)), href).toBeNull();
    }
    expect(fetchFn).not.toHaveBeenCalled();
  });

  it('refuses to ask any origin but the page’s', async () => {
    const { fetchFn } = fakeFetch(() => json({}));
    for (const path of ['//evil.example/api', 'https://evil.example/api', 'api/v2/tickets/1.json']) {
      const result = await getSameOriginJson('https://acme.zendesk.com', path, { app: 'Zendesk', fetchFn });
      expect(result, path).toMatchObject({ ok: false, problem: 'Zendesk’s API was not asked: the address is not the page’s own.' });
    }
    expect(fetchFn).not.toHaveBeenCalled();
  });

  it('asks once per record for the page’s life, sharing the answer, with a bound on the records kept', async () => {
    const { fetchFn, calls } = fakeFetch((url) => {
      const id = Number(/tickets\/(\d+)/.exec(url)![1]);
      const body = answer();
      body.ticket.id = id;
      return json(body);
    });
    const api = createZendeskApi({ fetchFn, maxEntries: 3 });
    const ticket = (id: number) => new URL(`https://acme.zendesk.com/agent/tickets/${id}`);
    const [a, b] = await Promise.all([api.identify(ticket(1)), api.identify(ticket(1))]);
    expect(a).toBe(b);
    await api.identify(ticket(1));
    expect(calls).toHaveLength(1);
    for (const id of [2, 3, 4]) await api.identify(ticket(id));
    expect(calls).toHaveLength(4);
    await api.identify(ticket(4));
    expect(calls).toHaveLength(4);
    await api.identify(ticket(1)); // the oldest was let go: asked again
    expect(calls).toHaveLength(5);
    // Another Zendesk (another origin) has its own ticket 4.
    await api.identify(new URL('https://other.zendesk.com/agent/tickets/4'));
    expect(calls.at(-1)!.url).toBe('https://other.zendesk.com/api/v2/tickets/4.json?include=users,organizations');
  });

  it('asks again after a failure that may pass (5xx, 429, timeout), not after one that will not (401, 403, 404)', async () => {
    let status = 503;
    const { fetchFn, calls } = fakeFetch(() => json({ error: 'x' }, status));
    const api = createZendeskApi({ fetchFn });
    expect(await api.identify(ticketUrl)).toMatchObject({ ok: false, transient: true, problem: 'Zendesk’s API failed (HTTP 503).' });
    status = 429;
    expect(await api.identify(ticketUrl)).toMatchObject({ ok: false, problem: 'Zendesk’s API is busy (too many requests) (HTTP 429).' });
    status = 401;
    expect(await api.identify(ticketUrl)).toMatchObject({ ok: false, problem: 'Zendesk’s API refused: you are signed out (HTTP 401).' });
    expect(await api.identify(ticketUrl)).toMatchObject({ ok: false, problem: expect.stringContaining('401') });
    expect(calls).toHaveLength(3);
  });
});

describe('every way the API can fail is an answer in words, never a throw', () => {
  const ask = (respond: () => Response | Promise<Response>, timeoutMs = 5000) =>
    createZendeskApi({ fetchFn: fakeFetch(respond).fetchFn, timeoutMs }).identify(new URL('https://acme.zendesk.com/agent/tickets/4101'));

  it.each([
    [401, 'Zendesk’s API refused: you are signed out (HTTP 401).'],
    [403, 'Zendesk’s API refused: not allowed for your role (HTTP 403).'],
    [404, 'Zendesk’s API does not know this record (HTTP 404).'],
    [410, 'Zendesk’s API refused (HTTP 410).'],
    [500, 'Zendesk’s API failed (HTTP 500).'],
    [502, 'Zendesk’s API failed (HTTP 502).'],
  ])('HTTP %i', async (status, problem) => {
    expect(await ask(() => json({ error: 'Couldn’t authenticate you' }, status))).toMatchObject({ ok: false, problem });
  });

  it('an HTML sign-in page (even with a 200 and a JSON content type)', async () => {
    const login = '<!doctype html><html><body><form action="/access/login">Sign in</form></body></html>';
    expect(await ask(() => new Response(login, { headers: { 'content-type': 'text/html' } }))).toMatchObject({ ok: false, problem: 'Zendesk’s API answered with a web page (a sign-in page?), not data.' });
    expect(await ask(() => new Response(`\n ${login}`, { headers: { 'content-type': 'application/json' } }))).toMatchObject({ ok: false, problem: expect.stringContaining('web page') });
  });

  it('a redirect (to a sign-in page elsewhere)', async () => {
    const redirect = { status: 0, type: 'opaqueredirect', ok: false, headers: new Headers() } as unknown as Response;
    expect(await ask(() => redirect)).toMatchObject({ ok: false, problem: 'Zendesk’s API sent Centric elsewhere (a sign-in page?).' });
  });

  it('bad JSON, a wrong shape, a truncated answer, an answer too large', async () => {
    expect(await ask(() => new Response('{"ticket": {', { headers: { 'content-type': 'application/json' } }))).toMatchObject({ ok: false, problem: 'Zendesk’s API answered with something that is not JSON.' });
    expect(await ask(() => json({ tickets: [] }))).toMatchObject({ ok: false, problem: 'Zendesk’s API answered in a shape Centric does not know (no ticket).' });
    const huge = new Response(' '.repeat(MAX_ANSWER_CHARS + 1), { headers: { 'content-type': 'application/json' } });
    expect(await ask(() => huge)).toMatchObject({ ok: false, problem: 'Zendesk’s API answered with more data than a record has.' });
  });

  it('a network failure, and a timeout (the request is aborted)', async () => {
    expect(await ask(() => Promise.reject(new TypeError('Failed to fetch')))).toMatchObject({ ok: false, transient: true, problem: 'Zendesk’s API could not be reached.' });
    let aborted = false;
    const hang = (_url: string, init: RequestInit) =>
      new Promise<Response>((_, reject) => {
        init.signal!.addEventListener('abort', () => {
          aborted = true;
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    const api = createZendeskApi({ fetchFn: hang, timeoutMs: 30 });
    expect(await api.identify(new URL('https://acme.zendesk.com/agent/tickets/4101'))).toMatchObject({ ok: false, transient: true, problem: 'Zendesk’s API did not answer within 0.03 s.' });
    expect(aborted).toBe(true);
  });

  it('a page that goes away stops the request', async () => {
    const page = new AbortController();
    const hang: FetchFn = (_url, init) => new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const asked = createZendeskApi({ fetchFn: hang }).identify(new URL('https://acme.zendesk.com/agent/tickets/4101'), page.signal)!;
    page.abort();
    expect(await asked).toMatchObject({ ok: false, transient: true, problem: 'Zendesk’s API was not asked to finish: the page moved on.' });
  });
});
