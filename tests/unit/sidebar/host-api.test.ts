// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FetchFn } from '~/lib/host-api/request';
import type { HostApi, HostApiAnswer } from '~/lib/host-api/types';
import { createZendeskApi } from '~/lib/sites/hosts/zendesk/api';
import type { IdentityMessage, LookupResult } from '~/lib/messages/schema';
import { correctedIdentity, identifiedBy, withHostApi } from '~/lib/sidebar/host-api';
import type { SidebarState } from '~/lib/sidebar/state';
import { zendesk } from '~/lib/sites/hosts/zendesk/adapter';

const url = new URL('https://acme.zendesk.com/agent/tickets/4101');
const NAME_ONLY_PAGE = readFileSync(resolve(process.cwd(), 'tests/fixtures/hosts/zendesk/agent-ticket-name-only.html'), 'utf8');
const API_ANSWER = readFileSync(resolve(process.cwd(), 'tests/fixtures/hosts/zendesk/api-ticket-4101.json'), 'utf8');
const REQUESTER_EMAIL = 'goran.abbott.1712@tidewater.example';

function showPage(html: string) {
  document.body.innerHTML = new DOMParser().parseFromString(html, 'text/html').body.innerHTML;
}

/** A fetch whose answer the test releases when it wants (or that answers at once). */
function heldFetch(body: () => Response) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const fetchFn = vi.fn<FetchFn>(async () => {
    await released;
    return body();
  });
  return { fetchFn, release };
}
const jsonResponse = (text: string, status = 200) => new Response(text, { status, headers: { 'content-type': 'application/json' } });

/** The background: a customer for the requester's email, name suggestions otherwise. */
function fakeBackground() {
  const asked: IdentityMessage[] = [];
  const lookup = vi.fn(async (identity: IdentityMessage): Promise<LookupResult> => {
    asked.push(identity);
    if (identity.email === REQUESTER_EMAIL) {
      return {
        status: 'found',
        customer: {
          id: '1712', name: 'Goran Abbott', email: REQUESTER_EMAIL, currency: 'USD', asOf: '2026-01-01', source: 'sample', matchedBy: 'email',
          facts: { orders: 3, totalSpent: 40, firstPurchase: '1997-01-01', lastPurchase: '1997-03-01' },
        },
      };
    }
    return { status: 'not-found', suggestions: [{ id: '7', name: 'Goran Abbott' }, { id: '1712', name: 'Goran Abbott' }] };
  });
  return { lookup, asked };
}

async function run(api: HostApi, options: { timeoutMs?: number } = {}) {
  const { lookup, asked } = fakeBackground();
  const painted: SidebarState[] = [];
  const done = withHostApi(api)(zendesk, document, url, { lookup, timeoutMs: options.timeoutMs ?? 2000 }, (state) => painted.push(state));
  return { lookup, asked, painted, done };
}

afterEach(() => {
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

describe('the page first, then Zendesk’s API', () => {
  it('paints the page’s reading at once, then corrects it to the requester the API names', async () => {
    showPage(NAME_ONLY_PAGE);
    const { fetchFn, release } = heldFetch(() => jsonResponse(API_ANSWER));
    const { painted, asked, done } = await run(createZendeskApi({ fetchFn }));
    // The page's reading is painted while the API has not answered.
    await vi.waitFor(() => expect(painted).toHaveLength(1));
    expect(painted[0]).toMatchObject({
      kind: 'not-found',
      identity: { host: 'zendesk', hostRecordId: '4101', recordType: 'ticket', name: 'Goran Abbott' },
      identified: { by: 'page', text: 'Read from the page', why: 'Asking Zendesk’s API…' },
    });
    expect(fetchFn).toHaveBeenCalledTimes(1);
    release();
    await done;
    expect(painted).toHaveLength(2);
    expect(painted[1]).toMatchObject({
      kind: 'customer',
      customer: { id: '1712', email: REQUESTER_EMAIL },
      identity: { email: REQUESTER_EMAIL, name: 'Goran Abbott', company: 'Tidewater Foods', domain: 'tidewater.example', hostRecordId: '4101' },
      identified: { by: 'host-api', text: 'Identified by Zendesk’s API' },
    });
    // The background gets only the identity fields the page's reading has too.
    for (const identity of asked) {
      expect(Object.keys(identity).every((k) => ['host', 'hostRecordId', 'recordType', 'email', 'name', 'company', 'domain'].includes(k))).toBe(true);
    }
    expect(asked).toHaveLength(2);
  });

  it('does not wait for the page when the API answers first (a page that never renders the record)', async () => {
    document.body.innerHTML = '<div id="root">loading…</div>';
    const { painted, done, asked } = await run(createZendeskApi({ fetchFn: async () => jsonResponse(API_ANSWER) }), { timeoutMs: 60_000 });
    await done; // long before the page's 60 s wait would end
    expect(painted).toEqual([expect.objectContaining({ kind: 'customer', identified: { by: 'host-api', text: 'Identified by Zendesk’s API' } })]);
    expect(asked).toHaveLength(1);
  });

  it('on a revisit whose API answer is kept, paints the API’s customer at once: no page reading in between, one lookup', async () => {
    showPage(NAME_ONLY_PAGE);
    const api = createZendeskApi({ fetchFn: async () => jsonResponse(API_ANSWER) });
    await (await run(api)).done; // the first visit: the API is asked, its answer kept
    const again = await run(api);
    await again.done;
    expect(again.painted).toEqual([expect.objectContaining({ kind: 'customer', identified: { by: 'host-api', text: 'Identified by Zendesk’s API' } })]);
    expect(again.asked).toEqual([expect.objectContaining({ email: REQUESTER_EMAIL })]);
    // A kept failure: the page's reading, painted once, with why.
    const failing = createZendeskApi({ fetchFn: async () => jsonResponse('{"error":"Forbidden"}', 403) });
    await (await run(failing)).done;
    const revisit = await run(failing);
    await revisit.done;
    expect(revisit.painted).toEqual([
      expect.objectContaining({ kind: 'not-found', identified: { by: 'page', text: 'Read from the page', why: 'Zendesk’s API refused: not allowed for your role (HTTP 403).' } }),
    ]);
    expect(revisit.asked).toHaveLength(1);
  });

  it('only changes the words when the API names the customer the page showed (one lookup)', async () => {
    showPage(`<div class="ticket-panes-grid-layout" data-test-id="ticket-4101-custom-layout"><div data-test-id="customer-context-pane">
      <span data-test-id="customer-context-name">Goran Abbott</span>
      <div data-test-id="attribute-email-display">${REQUESTER_EMAIL}</div>
      <a href="/agent/organizations/5550001">Tidewater Foods</a></div></div>`);
    const { fetchFn, release } = heldFetch(() => jsonResponse(API_ANSWER));
    const { painted, asked, done } = await run(createZendeskApi({ fetchFn }));
    await vi.waitFor(() => expect(painted).toHaveLength(1));
    release();
    await done;
    expect(asked).toHaveLength(1);
    expect(painted[1]).toEqual({ ...painted[0], identified: { by: 'host-api', text: 'Identified by Zendesk’s API' } });
  });

  it.each([
    ['signed out', () => jsonResponse('{"error":"Couldn\'t authenticate you"}', 401), 'Zendesk’s API refused: you are signed out (HTTP 401).'],
    ['not allowed', () => jsonResponse('{"error":"Forbidden"}', 403), 'Zendesk’s API refused: not allowed for your role (HTTP 403).'],
    ['a sign-in page', () => new Response('<html><body>Sign in</body></html>', { headers: { 'content-type': 'text/html' } }), 'Zendesk’s API answered with a web page (a sign-in page?), not data.'],
    ['bad JSON', () => jsonResponse('{"ticket":'), 'Zendesk’s API answered with something that is not JSON.'],
    ['the requester missing from the users', () => jsonResponse(JSON.stringify({ ...JSON.parse(API_ANSWER), users: [] })), 'Zendesk’s API did not include the ticket’s requester.'],
  ])('keeps the page’s reading when the API fails (%s), and says why', async (_what, answer, why) => {
    showPage(NAME_ONLY_PAGE);
    const { fetchFn, release } = heldFetch(answer);
    const { painted, asked, done } = await run(createZendeskApi({ fetchFn }));
    await vi.waitFor(() => expect(painted).toHaveLength(1));
    release();
    await expect(done).resolves.toBeUndefined();
    expect(asked).toHaveLength(1);
    expect(painted[1]).toEqual({ ...painted[0], identified: { by: 'page', text: 'Read from the page', why } });
  });

  it('keeps the page’s reading after a timeout', async () => {
    showPage(NAME_ONLY_PAGE);
    const hang: FetchFn = (_u, init) => new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const { painted, done } = await run(createZendeskApi({ fetchFn: hang, timeoutMs: 50 }));
    await done;
    expect(painted.at(-1)).toMatchObject({ kind: 'not-found', identified: { by: 'page', why: 'Zendesk’s API did not answer within 0.05 s.' } });
  });

  it('never throws into the page, even when the API module itself does', async () => {
    showPage(NAME_ONLY_PAGE);
    const broken: HostApi = { name: 'Zendesk', identify: () => createZendeskApi({ fetchFn: () => { throw new Error('boom'); } }).identify(url) };
    const { painted, done } = await run(broken);
    await expect(done).resolves.toBeUndefined();
    expect(painted.at(-1)).toMatchObject({ kind: 'not-found', identified: { by: 'page', why: 'Zendesk’s API could not be reached.' } });
    for (const identify of [
      () => {
        throw new Error('a bug');
      },
      () => Promise.reject(new Error('a bug')),
    ]) {
      const { painted: shown, done: finished } = await run({ name: 'Zendesk', identify });
      await expect(finished).resolves.toBeUndefined();
      expect(shown.at(-1)).toMatchObject({ kind: 'not-found', identified: { by: 'page', why: 'Zendesk’s API could not be asked.' } });
    }
  });

  it('says "name only" when the API’s requester has no email address', async () => {
    showPage(NAME_ONLY_PAGE);
    const answer = JSON.parse(API_ANSWER) as { users: { id: number; email: unknown }[] };
    answer.users.find((u) => u.id === 90001712)!.email = null;
    const { painted, asked, done } = await run(createZendeskApi({ fetchFn: async () => jsonResponse(JSON.stringify(answer)) }));
    await done;
    expect(painted.at(-1)).toMatchObject({
      kind: 'not-found',
      identity: { name: 'Goran Abbott', company: 'Tidewater Foods' },
      identified: { by: 'host-api', text: 'Identified by Zendesk’s API, which has no email address for this customer: name only' },
    });
    expect(asked.at(-1)!.email).toBeUndefined();
  });

  it('asks for the ticket of the URL, not for the other open ticket tab', async () => {
    showPage(NAME_ONLY_PAGE);
    const fetchFn = vi.fn<FetchFn>(async () => jsonResponse(API_ANSWER));
    const { done } = await run(createZendeskApi({ fetchFn }));
    await done;
    expect(fetchFn.mock.calls.map(([u]) => u)).toEqual(['https://acme.zendesk.com/api/v2/tickets/4101.json?include=users,organizations']);
  });

  it('reads only the page on pages that are not records, and asks the API nothing', async () => {
    const identify = vi.fn<HostApi['identify']>(() => null);
    const painted: SidebarState[] = [];
    await withHostApi({ name: 'Zendesk', identify })(zendesk, document, new URL('https://acme.zendesk.com/agent/dashboard'), { lookup: vi.fn() }, (s) => painted.push(s));
    expect(identify).not.toHaveBeenCalled();
    expect(painted).toEqual([{ kind: 'no-customer', site: 'Zendesk', missing: [] }]);
  });
});

describe('the corrected identity', () => {
  const api = { host: 'zendesk', hostRecordId: '9', recordType: 'ticket', email: 'ana@li.example', name: 'Ana Li', domain: 'li.example' };

  it('is the API’s person; the page’s company stays only for the same person', () => {
    expect(correctedIdentity({ host: 'zendesk', hostRecordId: '9', name: 'Ana Li', company: 'Li & Co' }, api)).toEqual({ ...api, company: 'Li & Co' });
    expect(correctedIdentity({ host: 'zendesk', hostRecordId: '9', email: 'ana@li.example', company: 'Li & Co' }, api)).toEqual({ ...api, company: 'Li & Co' });
    // The page showed someone else (a CC's panel): nothing of theirs is kept.
    expect(correctedIdentity({ host: 'zendesk', hostRecordId: '9', email: 'cc@other.example', name: 'Ana Li', company: 'Other' }, api)).toEqual(api);
    expect(correctedIdentity({ host: 'zendesk', hostRecordId: '9', name: 'Bo Chen', company: 'Other' }, api)).toEqual(api);
    expect(correctedIdentity(null, api)).toEqual(api);
    expect(correctedIdentity({ host: 'zendesk', name: 'Ana Li', company: 'Li & Co' }, { ...api, company: 'Li Holdings' }).company).toBe('Li Holdings');
  });

  it('words: by the API, name only, or from the page with why', () => {
    const zd = { name: 'Zendesk', identify: () => null };
    const ok: HostApiAnswer = { ok: true, identity: api };
    expect(identifiedBy(zd, ok, api)).toEqual({ by: 'host-api', text: 'Identified by Zendesk’s API' });
    expect(identifiedBy(zd, ok, { host: 'zendesk', name: 'Ana' }).text).toMatch(/no email address for this customer: name only$/);
    expect(identifiedBy(zd, { ok: false, problem: 'Zendesk’s API refused: you are signed out (HTTP 401).' }, api)).toEqual({
      by: 'page',
      text: 'Read from the page',
      why: 'Zendesk’s API refused: you are signed out (HTTP 401).',
    });
  });
});
