import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createFreshdeskApi, FRESHDESK_API_PATHS, readContactAnswer, readTicketAnswer } from '~/lib/sites/hosts/freshdesk/api';
import type { FetchFn } from '~/lib/host-api/request';

/**
 * The answer of GET /api/v2/tickets/5121?include=requester,company, in the shape Freshdesk's API
 * reference documents ("View a Ticket": the ticket's fields, the embedded requester and company; see
 * the header of tests/fixtures/hosts/freshdesk/ticket-2026-light-de.html). Besides the requester
 * (Carmen Vasquez): the responder (an agent, by id), a CC'd contact (cc_emails, reply_cc_emails,
 * ticket_cc_emails) and the support address (to_emails).
 */
const FIXTURE = resolve(process.cwd(), 'tests/fixtures/hosts/freshdesk/api-ticket-5121.json');
type Answer = Record<string, unknown> & { requester: Record<string, unknown>; company?: Record<string, unknown> };
const answer = (): Answer => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Answer;

const REQUESTER = {
  host: 'freshdesk',
  hostRecordId: '5121',
  recordType: 'ticket',
  email: 'carmen.vasquez.1@harborpine.example',
  name: 'Carmen Vasquez',
  company: 'Harbor & Pine',
  domain: 'harborpine.example',
};

describe('Freshdesk ticket answer: the requester, and no one else', () => {
  it('reads the embedded requester with the ticket’s company', () => {
    expect(readTicketAnswer(answer(), '5121')).toEqual({ ok: true, identity: REQUESTER });
  });

  it('never takes the CCs, the forwarded-to or the support address, even without a requester email', () => {
    const json = answer();
    expect(json.cc_emails).toEqual(['luca.tanaka.2@harborpine.example']);
    json.requester.email = null;
    const result = readTicketAnswer(json, '5121');
    expect(result).toEqual({ ok: true, identity: { host: 'freshdesk', hostRecordId: '5121', recordType: 'ticket', name: 'Carmen Vasquez', company: 'Harbor & Pine' } });
  });

  it('refuses an embedded requester who is not the ticket’s (e.g. the responder), and an answer without one', () => {
    const json = answer();
    json.requester = { id: json.responder_id, name: 'Sam Rivera', email: 'sam.rivera@acme-support.example' };
    expect(readTicketAnswer(json, '5121')).toEqual({ ok: false, problem: 'Freshdesk’s API included someone other than the ticket’s requester.' });
    const without: Record<string, unknown> = answer();
    delete without.requester;
    expect(readTicketAnswer(without, '5121')).toEqual({ ok: false, problem: 'Freshdesk’s API did not include the ticket’s requester.' });
    expect(readTicketAnswer({ ...answer(), requester_id: '19000000001' }, '5121')).toMatchObject({ ok: false, problem: expect.stringContaining('no requester') });
  });

  it('takes only the ticket the URL names', () => {
    expect(readTicketAnswer(answer(), '5120')).toEqual({ ok: false, problem: 'Freshdesk’s API answered for ticket 5121, not 5120.' });
  });

  it('reads the company only when it is the ticket’s, and none when not embedded', () => {
    const json = answer();
    json.company = { id: 19000000999, name: 'Somebody Else Ltd' };
    expect(readTicketAnswer(json, '5121')).toMatchObject({ ok: true, identity: { email: REQUESTER.email } });
    const other = readTicketAnswer(json, '5121');
    expect(other.ok && other.identity.company).toBeUndefined();
    delete json.company;
    const none = readTicketAnswer(json, '5121');
    expect(none.ok && none.identity.company).toBeUndefined();
  });

  it('keeps page-like text as text, bounded, and refuses what is not an email address', () => {
    const json = answer();
    json.requester.name = `<img src=x onerror=alert(1)>${'x'.repeat(500)}`;
    json.requester.email = 'not an email <script>';
    const result = readTicketAnswer(json, '5121');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.identity.name!.startsWith('<img src=x onerror=alert(1)>')).toBe(true);
    expect(result.identity.name).toHaveLength(200);
    expect(result.identity.email).toBeUndefined();
    json.requester.name = ' ';
    json.requester.email = null;
    expect(readTicketAnswer(json, '5121')).toMatchObject({ ok: false, problem: expect.stringContaining('neither a name nor an email') });
  });

  it('refuses shapes it does not know', () => {
    for (const json of [null, 'ticket', [], {}, { id: '5121' }, { ticket: answer() }, [answer()]]) {
      expect(readTicketAnswer(json, '5121').ok, JSON.stringify(json)).toBe(false);
    }
  });
});

describe('Freshdesk contact answer', () => {
  const contact = { id: 19000001165, name: 'Chidi Quispe', email: 'Chidi.Quispe.1165@copperleaf.example', company_id: 19000000700, phone: null };

  it('reads the contact of the URL', () => {
    expect(readContactAnswer(contact, '19000001165')).toEqual({
      ok: true,
      identity: { host: 'freshdesk', hostRecordId: '19000001165', recordType: 'contact', email: 'chidi.quispe.1165@copperleaf.example', name: 'Chidi Quispe', domain: 'copperleaf.example' },
    });
  });

  it('refuses another contact and unknown shapes', () => {
    expect(readContactAnswer(contact, '19000001166')).toEqual({ ok: false, problem: 'Freshdesk’s API answered for contact 19000001165, not 19000001166.' });
    expect(readContactAnswer({ contact }, '19000001165').ok).toBe(false);
  });
});

function fakeFetch(respond: (url: string) => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchFn = vi.fn<FetchFn>(async (url, init) => {
    calls.push({ url, init });
    return respond(url);
  });
  return { fetchFn, calls };
}
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });

describe('Freshdesk API requests', () => {
  const ticketUrl = new URL('https://acme.freshdesk.com/a/tickets/5121');

  it('asks only the page’s own origin, for the URL’s id, with the page’s session and nothing else (no API key)', async () => {
    const { fetchFn, calls } = fakeFetch(() => json(answer()));
    const api = createFreshdeskApi({ fetchFn });
    expect(api.name).toBe('Freshdesk');
    expect(await api.identify(ticketUrl)).toEqual({ ok: true, identity: REQUESTER });
    expect(calls).toHaveLength(1);
    const [{ url, init }] = calls as [{ url: string; init: RequestInit }];
    expect(url).toBe('https://acme.freshdesk.com/api/v2/tickets/5121?include=requester,company');
    expect(init).toMatchObject({ method: 'GET', credentials: 'same-origin', headers: { Accept: 'application/json' }, redirect: 'manual' });
    expect(Object.keys(init).sort()).toEqual(['credentials', 'headers', 'method', 'redirect', 'signal']);

    await api.identify(new URL('https://acme.freshdesk.com/a/contacts/19000001165'));
    expect(calls[1]!.url).toBe('https://acme.freshdesk.com/api/v2/contacts/19000001165');
    expect(FRESHDESK_API_PATHS.ticket('1')).toBe('/api/v2/tickets/1?include=requester,company');
  });

  it('asks nothing on pages that are not a ticket or a contact, nor for ids too long', () => {
    const { fetchFn } = fakeFetch(() => json({}));
    const api = createFreshdeskApi({ fetchFn });
    for (const href of [
      'https://acme.freshdesk.com/a/tickets/filters/all_tickets',
      'https://acme.freshdesk.com/a/tickets/new',
      'https://acme.freshdesk.com/a/companies/19000000500',
      'https://acme.freshdesk.com/a/tickets/1234567890123456789',
      'https://acme.freshdesk.com/a/tickets/1/../../api/v2/agents/me',
    ]) {
      expect(api.identify(new URL(href)), href).toBeNull();
    }
    expect(fetchFn).not.toHaveBeenCalled();
  });

  it('asks once per record for the page’s life; again after a failure that may pass, not after a refusal', async () => {
    let status = 200;
    const { fetchFn, calls } = fakeFetch(() => (status === 200 ? json(answer()) : json({ code: 'x' }, status)));
    const api = createFreshdeskApi({ fetchFn });
    await Promise.all([api.identify(ticketUrl), api.identify(ticketUrl)]);
    expect(calls).toHaveLength(1);
    const other = new URL('https://acme.freshdesk.com/a/tickets/5122');
    status = 429;
    expect(await api.identify(other)).toMatchObject({ ok: false, transient: true, problem: 'Freshdesk’s API is busy (too many requests) (HTTP 429).' });
    status = 403;
    expect(await api.identify(other)).toMatchObject({ ok: false, problem: 'Freshdesk’s API refused: not allowed for your role (HTTP 403).' });
    expect(await api.identify(other)).toMatchObject({ ok: false, problem: expect.stringContaining('403') });
    expect(calls).toHaveLength(3);
  });

  it('a sign-in page or a redirect instead of data is an answer in words', async () => {
    const login = '<!doctype html><html><body><form action="/login">Sign in</form></body></html>';
    const api = createFreshdeskApi({ fetchFn: fakeFetch(() => new Response(login, { headers: { 'content-type': 'text/html' } })).fetchFn });
    expect(await api.identify(ticketUrl)).toMatchObject({ ok: false, problem: 'Freshdesk’s API answered with a web page (a sign-in page?), not data.' });
    const redirect = { status: 0, type: 'opaqueredirect', ok: false, headers: new Headers() } as unknown as Response;
    const moved = createFreshdeskApi({ fetchFn: fakeFetch(() => redirect).fetchFn });
    expect(await moved.identify(ticketUrl)).toMatchObject({ ok: false, problem: 'Freshdesk’s API sent Centric elsewhere (a sign-in page?).' });
  });
});
