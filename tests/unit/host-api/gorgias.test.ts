import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { FetchFn } from '~/lib/host-api/request';
import { createGorgiasApi, GORGIAS_API_PATHS, readCustomerAnswer, readTicketAnswer } from '~/lib/sites/hosts/gorgias/api';

/**
 * The answer of GET /api/tickets/4201, in the shape Gorgias's REST API reference documents
 * (developers.gorgias.com, "Retrieve a ticket": the ticket's `customer`, `assignee_user` and
 * `messages` with `sender`, `receiver`, `source.from/to/cc/bcc`, `from_agent`, `public`). The
 * customer (91712) is one of five customers of the bundled sample named Goran Abbott; the messages
 * name the assignee (an agent), a CC'd Goran Abbott and, in an internal note, a third one.
 */
const FIXTURE = resolve(process.cwd(), 'tests/fixtures/hosts/gorgias/api-ticket-4201.json');
type Answer = Record<string, unknown> & { customer: Record<string, unknown>; messages: Record<string, unknown>[] };
const answer = (): Answer => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Answer;

const CUSTOMER = {
  host: 'gorgias',
  hostRecordId: '4201',
  recordType: 'ticket',
  email: 'goran.abbott.1712@tidewater.example',
  name: 'Goran Abbott',
  domain: 'tidewater.example',
};

describe('Gorgias ticket answer: the ticket’s customer, and no one else', () => {
  it('reads the ticket’s customer with their email (lower-cased) and name', () => {
    expect(readTicketAnswer(answer(), '4201')).toEqual({ ok: true, identity: CUSTOMER });
  });

  it('never takes the assignee, a sender or receiver, or a CC’d address, even without the customer', () => {
    const json = answer();
    const others = [
      (json.assignee_user as { email: string }).email,
      ...json.messages.flatMap((m) => [(m.sender as { email?: string } | null)?.email, (m.receiver as { email?: string } | null)?.email]),
      ...json.messages.flatMap((m) => ((m.source as { cc?: { address: string }[] }).cc ?? []).map((c) => c.address)),
    ].filter((e): e is string => !!e && e.toLowerCase() !== CUSTOMER.email);
    expect(others).toEqual(expect.arrayContaining(['sam.rivera@acme-support.example', 'goran.abbott.7@tidewater.example']));
    delete (json as Record<string, unknown>).customer;
    expect(readTicketAnswer(json, '4201')).toEqual({ ok: false, problem: 'Gorgias’s API gives no customer for this ticket.' });
  });

  it('says "name only" for a customer without an address, and takes an email channel when `email` is empty', () => {
    const json = answer();
    json.customer.email = null;
    expect(readTicketAnswer(json, '4201')).toEqual({ ok: true, identity: { host: 'gorgias', hostRecordId: '4201', recordType: 'ticket', name: 'Goran Abbott' } });
    json.customer.channels = [
      { id: 1, type: 'phone', address: '+15550107', preferred: true },
      { id: 2, type: 'email', address: 'goran.abbott.7@tidewater.example', preferred: false },
      { id: 3, type: 'email', address: 'Goran.Abbott.1712@tidewater.example', preferred: true },
    ];
    expect(readTicketAnswer(json, '4201')).toEqual({ ok: true, identity: CUSTOMER });
  });

  it('builds the name from first and last names, and never shows an address as a name', () => {
    const json = answer();
    json.customer.name = null;
    expect(readTicketAnswer(json, '4201')).toMatchObject({ ok: true, identity: { name: 'Goran Abbott' } });
    json.customer.name = 'goran.abbott.1712@tidewater.example';
    json.customer.firstname = '';
    json.customer.lastname = null;
    const result = readTicketAnswer(json, '4201');
    expect(result).toMatchObject({ ok: true, identity: { email: CUSTOMER.email } });
    expect(result.ok && result.identity.name).toBeUndefined();
  });

  it('takes only the ticket the URL names', () => {
    expect(readTicketAnswer(answer(), '4202')).toEqual({ ok: false, problem: 'Gorgias’s API answered for ticket 4201, not 4202.' });
  });

  it('keeps text as text, bounded, refuses what is not an address, and shapes it does not know', () => {
    const json = answer();
    json.customer.name = `<img src=x onerror=alert(1)>${'x'.repeat(500)}`;
    json.customer.email = 'not an email <script>';
    const result = readTicketAnswer(json, '4201');
    expect(result.ok && result.identity.name).toHaveLength(200);
    expect(result.ok && result.identity.email).toBeUndefined();
    json.customer.name = ' ';
    json.customer.firstname = null;
    json.customer.lastname = null;
    json.customer.email = null;
    expect(readTicketAnswer(json, '4201')).toMatchObject({ ok: false, problem: expect.stringContaining('neither a name nor an email') });
    for (const bad of [null, 'ticket', [], {}, { id: '4201' }, { data: [answer()] }]) {
      expect(readTicketAnswer(bad, '4201').ok, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('Gorgias customer answer', () => {
  const customer = {
    id: 9010,
    email: null,
    name: 'Kaia Zhou',
    firstname: 'Kaia',
    lastname: 'Zhou',
    channels: [{ id: 4, type: 'email', address: 'Kaia.Zhou.10@silverline.example', preferred: true }],
  };

  it('reads the customer of the URL, their address from their email channel', () => {
    expect(readCustomerAnswer(customer, '9010')).toEqual({
      ok: true,
      identity: { host: 'gorgias', hostRecordId: '9010', recordType: 'customer', email: 'kaia.zhou.10@silverline.example', name: 'Kaia Zhou', domain: 'silverline.example' },
    });
  });

  it('refuses another customer and unknown shapes', () => {
    expect(readCustomerAnswer(customer, '9011')).toEqual({ ok: false, problem: 'Gorgias’s API answered for customer 9010, not 9011.' });
    expect(readCustomerAnswer({ data: [customer] }, '9010').ok).toBe(false);
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
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('Gorgias API requests', () => {
  it('asks only the page’s own origin, for the URL’s ticket, with the page’s session and nothing else', async () => {
    const { fetchFn, calls } = fakeFetch(() => json(answer()));
    const api = createGorgiasApi({ fetchFn });
    for (const href of ['https://acme.gorgias.com/app/ticket/4201', 'https://acme.gorgias.com/app/views/1384557/4201', 'https://acme.gorgias.com/app/tickets/1384557/4201']) {
      expect(await createGorgiasApi({ fetchFn }).identify(new URL(href)), href).toEqual({ ok: true, identity: CUSTOMER });
    }
    expect(await api.identify(new URL('https://acme.gorgias.com/app/ticket/4201'))).toEqual({ ok: true, identity: CUSTOMER });
    const [{ url, init }] = calls as [{ url: string; init: RequestInit }];
    expect(url).toBe('https://acme.gorgias.com/api/tickets/4201');
    expect(init).toMatchObject({ method: 'GET', credentials: 'same-origin', headers: { Accept: 'application/json' }, redirect: 'manual' });
    expect(Object.keys(init).sort()).toEqual(['credentials', 'headers', 'method', 'redirect', 'signal']);
    expect(GORGIAS_API_PATHS.customer('9010')).toBe('/api/customers/9010');
  });

  it('asks a customer page for the customer, and nothing on other pages', async () => {
    const { fetchFn, calls } = fakeFetch(() => json({ id: 9010, name: 'Kaia Zhou', email: 'kaia.zhou.10@silverline.example' }));
    const api = createGorgiasApi({ fetchFn });
    expect(await api.identify(new URL('https://acme.gorgias.com/app/customer/9010'))).toMatchObject({ ok: true, identity: { recordType: 'customer', hostRecordId: '9010' } });
    expect(calls.map((c) => c.url)).toEqual(['https://acme.gorgias.com/api/customers/9010']);
    for (const href of ['https://acme.gorgias.com/app/views/1384557', 'https://acme.gorgias.com/app/ticket/new', 'https://acme.gorgias.com/app/ticket/1234567890123456789']) {
      expect(api.identify(new URL(href)), href).toBeNull();
    }
    expect(calls).toHaveLength(1);
  });

  it('asks once per ticket, and again only after a failure that may pass', async () => {
    let status = 200;
    const { fetchFn, calls } = fakeFetch(() => (status === 200 ? json(answer()) : json({ error: 'x' }, status)));
    const api = createGorgiasApi({ fetchFn });
    const url = new URL('https://acme.gorgias.com/app/ticket/4201');
    await Promise.all([api.identify(url), api.identify(url)]);
    expect(calls).toHaveLength(1);
    const other = new URL('https://acme.gorgias.com/app/ticket/4202');
    status = 503;
    expect(await api.identify(other)).toMatchObject({ ok: false, transient: true, problem: 'Gorgias’s API failed (HTTP 503).' });
    status = 401;
    expect(await api.identify(other)).toMatchObject({ ok: false, problem: 'Gorgias’s API refused: you are signed out (HTTP 401).' });
    expect(await api.identify(other)).toMatchObject({ ok: false, problem: expect.stringContaining('401') });
    expect(calls).toHaveLength(3);
  });

  it('says a sign-in page is not data', async () => {
    const { fetchFn } = fakeFetch(() => new Response('<!doctype html><title>Log in</title>', { headers: { 'content-type': 'text/html' } }));
    expect(await createGorgiasApi({ fetchFn }).identify(new URL('https://acme.gorgias.com/app/ticket/4201'))).toMatchObject({
      ok: false,
      problem: 'Gorgias’s API answered with a web page (a sign-in page?), not data.',
    });
  });
});
