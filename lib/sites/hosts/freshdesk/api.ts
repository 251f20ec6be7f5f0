/**
 * Freshdesk's own REST API (v2), asked from the content script with the agent's session (same
 * origin, the session cookie only: no API key, no other header than `Accept`). Evidence that the
 * session suffices: Pepperoni-mc/viewlift-userscripts memory.md (2026-08-21), "fetch('/api/v2/...',
 * {credentials: 'same-origin'}) from a Freshdesk page is authenticated by the session cookie alone.
 * No API key, no X-CSRF-Token. Confirmed live ... /api/v2/tickets/<id>?include=requester ... all
 * returned 200", and its scripts/better-viewlift.user.js (same date) asks the API so first; a public
 * Freshdesk extension ("Atlas Comet", 2026) fetches `/api/v2/tickets/<id>?include=company` and
 * `/api/v2/contacts/<id>` from its content script the same way. See docs/hosts/freshdesk.md.
 *
 * - a ticket page /a/tickets/{id}: `GET /api/v2/tickets/{id}?include=requester,company` answers the
 *   ticket (developers.freshdesk.com/api, "View a Ticket": `id`, `requester_id`, `responder_id`,
 *   `company_id`, `cc_emails`, `fwd_emails`, `reply_cc_emails`, `to_emails`, …) with the embedded
 *   `requester: { id, name, email, mobile, phone }` and `company: { id, name }`. The customer is the
 *   requester: never the responder (the agent), the CCs or the forwarded-to addresses.
 * - a contact page /a/contacts/{id}: `GET /api/v2/contacts/{id}` answers `{ id, name, email,
 *   company_id, … }` (no company name: the page's is kept when it shows the same person).
 *
 * Ids are JSON numbers. A contact reached by phone only has `email: null`. The answer is checked by
 * hand (the content script carries no zod); only the identity fields an adapter reads from the page
 * come out of it. The API works on the account's *.freshdesk.com domain, not on a custom CNAME
 * (Freshdesk's API documentation), which is where the content script runs.
 */
import { freshdeskRecord } from './adapter';
import { compact, domainOfEmail } from '../../text';
import { createCachedHostApi, unknownShape as unknownShapeOf, type HostApiOptions } from '../../../host-api/cached';
import { emailOf, isId, isObject, textOf, type Fields } from '../../../host-api/fields';
import type { HostApi, HostApiAnswer } from '../../../host-api/types';

/** The paths asked, built from the numeric id in the page's URL only. */
export const FRESHDESK_API_PATHS = {
  ticket: (id: string) => `/api/v2/tickets/${id}?include=requester,company`,
  contact: (id: string) => `/api/v2/contacts/${id}`,
} as const;

const unknownShape = (what: string): HostApiAnswer => unknownShapeOf('Freshdesk', what);

function person(contact: Fields, company: string | undefined, record: { hostRecordId: string; recordType: string }): HostApiAnswer {
  const email = emailOf(contact.email);
  const name = textOf(contact.name, 200);
  if (!email && !name) return { ok: false, problem: 'Freshdesk’s API gives neither a name nor an email address for this customer.' };
  return { ok: true, identity: compact({ host: 'freshdesk', ...record, email, name, company, domain: domainOfEmail(email) }) };
}

/** The requester of ticket `ticketId` in an answer to FRESHDESK_API_PATHS.ticket. */
export function readTicketAnswer(json: unknown, ticketId: string): HostApiAnswer {
  if (!isObject(json) || !isId(json.id)) return unknownShape('no ticket');
  if (json.id !== Number(ticketId)) return { ok: false, problem: `Freshdesk’s API answered for ticket ${json.id}, not ${ticketId}.` };
  if (!isId(json.requester_id)) return unknownShape('no requester');
  const requester = json.requester;
  if (!isObject(requester)) return { ok: false, problem: 'Freshdesk’s API did not include the ticket’s requester.' };
  // The embedded requester must be the ticket's: an answer naming someone else is not trusted.
  if (requester.id !== undefined && requester.id !== json.requester_id) {
    return { ok: false, problem: 'Freshdesk’s API included someone other than the ticket’s requester.' };
  }
  const company = isObject(json.company) && (json.company.id === undefined || json.company_id === undefined || json.company.id === json.company_id) ? textOf(json.company.name, 200) : undefined;
  return person(requester, company, { hostRecordId: ticketId, recordType: 'ticket' });
}

/** The contact `contactId` in an answer to FRESHDESK_API_PATHS.contact. */
export function readContactAnswer(json: unknown, contactId: string): HostApiAnswer {
  if (!isObject(json) || !isId(json.id)) return unknownShape('no contact');
  if (json.id !== Number(contactId)) return { ok: false, problem: `Freshdesk’s API answered for contact ${json.id}, not ${contactId}.` };
  return person(json, undefined, { hostRecordId: contactId, recordType: 'contact' });
}

/** Freshdesk's API for the sidebar (lib/host-api/cached.ts: one request per record for the page's life). */
export function createFreshdeskApi(options: HostApiOptions = {}): HostApi {
  return createCachedHostApi(
    { name: 'Freshdesk', record: freshdeskRecord, paths: FRESHDESK_API_PATHS, read: { ticket: readTicketAnswer, contact: readContactAnswer } },
    options,
  );
}

/** The content script's: one per page. */
export const freshdeskApi = createFreshdeskApi();
