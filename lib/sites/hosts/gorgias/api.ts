/**
 * Gorgias's own REST API, asked from the content script with the agent's session (same origin):
 *
 * - a ticket page (/app/ticket/{id}, /app/views/{view}/{id}, /app/tickets/{view}/{id}):
 *   `GET /api/tickets/{id}` answers `{ id, customer: { id, email, name, firstname, lastname, … },
 *   assignee_user: { … }, messages: [{ sender, receiver, source: { from, to, cc, bcc }, from_agent,
 *   public, … }], … }` (developers.gorgias.com, "Retrieve a ticket"). The customer is the ticket's
 *   `customer`: never the assignee (an agent), a message's sender or receiver, or an address in a
 *   message's To / Cc / Bcc, which name agents and CC'd people.
 * - a customer page (/app/customer/{id}): `GET /api/customers/{id}` answers `{ id, email, name,
 *   firstname, lastname, channels: [{ type: "email", address, preferred }, …], … }`.
 *
 * Gorgias documents its REST API at https://<domain>.gorgias.com/api/ with basic auth (an API key)
 * for integrations; its own helpdesk web app calls the same `/api/…` paths on the account's origin
 * with the agent's session and no key (the web app's source: a same-origin client for /api/…, the
 * ticket page's getTicket / getCustomer operations, attachment links to /api/attachment/download/…
 * opened by the browser); see docs/hosts/gorgias.md. Nothing but the page's own session is sent.
 * The answer is checked by hand (the content script carries no zod); only the identity fields an
 * adapter reads from the page (email, name, domain) come out of it.
 */
import { gorgiasRecord } from './adapter';
import { compact, domainOfEmail } from '../../text';
import type { Identity } from '../../types';
import { emailOf, isId, isObject, textOf, type Fields } from '../../../host-api/fields';
import { createCachedHostApi, unknownShape as unknownShapeOf, type HostApiOptions } from '../../../host-api/cached';
import type { HostApi, HostApiAnswer } from '../../../host-api/types';

/** The paths asked, built from the numeric id in the page's URL only. */
export const GORGIAS_API_PATHS = {
  ticket: (id: string) => `/api/tickets/${id}`,
  customer: (id: string) => `/api/customers/${id}`,
} as const;

const unknownShape = (what: string): HostApiAnswer => unknownShapeOf('Gorgias', what);

/** The customer's address: their `email`, else their preferred email channel, else their first one. */
function customerEmail(customer: Fields): string | undefined {
  const direct = emailOf(customer.email);
  if (direct) return direct;
  const channels = Array.isArray(customer.channels) ? customer.channels.filter(isObject).filter((c) => c.type === 'email') : [];
  const channel = channels.find((c) => c.preferred === true) ?? channels[0];
  return emailOf(channel?.address);
}

/** A Gorgias customer as the identity of the URL's record. */
function personOf(customer: Fields, record: Pick<Identity, 'hostRecordId' | 'recordType'>): HostApiAnswer {
  const email = customerEmail(customer);
  const parts = [textOf(customer.firstname, 100), textOf(customer.lastname, 100)].filter(Boolean).join(' ');
  const name = textOf(customer.name, 200) ?? (parts || undefined);
  const shownName = name && !emailOf(name) ? name : undefined;
  if (!email && !shownName) return { ok: false, problem: 'Gorgias’s API gives neither a name nor an email address for this customer.' };
  return { ok: true, identity: compact({ host: 'gorgias', ...record, email, name: shownName, domain: domainOfEmail(email) }) };
}

/** The customer of ticket `ticketId` in an answer to GORGIAS_API_PATHS.ticket. */
export function readTicketAnswer(json: unknown, ticketId: string): HostApiAnswer {
  if (!isObject(json) || !isId(json.id)) return unknownShape('no ticket');
  if (json.id !== Number(ticketId)) return { ok: false, problem: `Gorgias’s API answered for ticket ${json.id}, not ${ticketId}.` };
  if (!isObject(json.customer)) return { ok: false, problem: 'Gorgias’s API gives no customer for this ticket.' };
  return personOf(json.customer, { hostRecordId: ticketId, recordType: 'ticket' });
}

/** The customer `customerId` in an answer to GORGIAS_API_PATHS.customer. */
export function readCustomerAnswer(json: unknown, customerId: string): HostApiAnswer {
  if (!isObject(json) || !isId(json.id)) return unknownShape('no customer');
  if (json.id !== Number(customerId)) return { ok: false, problem: `Gorgias’s API answered for customer ${json.id}, not ${customerId}.` };
  return personOf(json, { hostRecordId: customerId, recordType: 'customer' });
}

/** Gorgias's API for the sidebar (lib/host-api/cached.ts: one request per record for the page's life). */
export function createGorgiasApi(options: HostApiOptions = {}): HostApi {
  return createCachedHostApi(
    { name: 'Gorgias', record: gorgiasRecord, paths: GORGIAS_API_PATHS, read: { ticket: readTicketAnswer, customer: readCustomerAnswer } },
    options,
  );
}

/** The content script's: one per page. */
export const gorgiasApi = createGorgiasApi();
