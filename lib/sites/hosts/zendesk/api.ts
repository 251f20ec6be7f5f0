/**
 * Zendesk's own REST API, asked from the content script with the agent's session (same origin):
 *
 * - a ticket page /agent/tickets/{id}: `GET /api/v2/tickets/{id}.json?include=users,organizations`
 *   answers `{ ticket: { id, requester_id, submitter_id, assignee_id, collaborator_ids,
 *   follower_ids, email_cc_ids, organization_id, … }, users: [{ id, name, email, role,
 *   organization_id, … }], organizations: [{ id, name, … }] }` (users and organizations are
 *   side-loaded). The customer is the ticket's requester, `requester_id`: never the submitter (an
 *   agent who opened the ticket on the customer's behalf), the assignee, the CCs or the followers.
 * - a user page /agent/users/{id}: `GET /api/v2/users/{id}.json?include=organizations` answers
 *   `{ user: { id, name, email, organization_id, … }, organizations: [...] }`.
 *
 * Ids are JSON numbers. A user without an email address (a phone or chat end user) has `email: null`.
 * The answer is checked by hand here (the content script carries no zod); only the identity fields
 * an adapter reads from the page (email, name, company, domain) come out of it.
 */
import { compact, domainOfEmail } from '../../text';
import type { Identity } from '../../types';
import { zendeskRecord } from './adapter';
import { createCachedHostApi, unknownShape as unknownShapeOf, type HostApiOptions } from '../../../host-api/cached';
import { emailOf, isId, isObject, textOf, type Fields } from '../../../host-api/fields';
import type { HostApi, HostApiAnswer } from '../../../host-api/types';

/** The paths asked, built from the numeric id in the page's URL only. */
export const ZENDESK_API_PATHS = {
  ticket: (id: string) => `/api/v2/tickets/${id}.json?include=users,organizations`,
  user: (id: string) => `/api/v2/users/${id}.json?include=organizations`,
} as const;

/** The record of a side-loaded list with this id (ids compared as numbers). */
function byId(list: unknown, id: unknown): Fields | undefined {
  return Array.isArray(list) && isId(id) ? list.find((item): item is Fields => isObject(item) && item.id === id) : undefined;
}

const unknownShape = (what: string): HostApiAnswer => unknownShapeOf('Zendesk', what);

/** A Zendesk user as the identity of the URL's record; the organization from the side-loaded list. */
function personOf(user: Fields, organizations: unknown, organizationIds: unknown[], record: Pick<Identity, 'hostRecordId' | 'recordType'>): HostApiAnswer {
  const email = emailOf(user.email);
  const name = textOf(user.name, 200);
  if (!email && !name) return { ok: false, problem: 'Zendesk’s API gives neither a name nor an email address for this customer.' };
  const organization = organizationIds.map((id) => byId(organizations, id)).find(Boolean);
  return {
    ok: true,
    identity: compact({ host: 'zendesk', ...record, email, name, company: textOf(organization?.name, 200), domain: domainOfEmail(email) }),
  };
}

/** The requester of ticket `ticketId` in an answer to ZENDESK_API_PATHS.ticket. */
export function readTicketAnswer(json: unknown, ticketId: string): HostApiAnswer {
  const ticket = isObject(json) ? json.ticket : undefined;
  if (!isObject(json) || !isObject(ticket) || !isId(ticket.id)) return unknownShape('no ticket');
  if (ticket.id !== Number(ticketId)) return { ok: false, problem: `Zendesk’s API answered for ticket ${ticket.id}, not ${ticketId}.` };
  if (!isId(ticket.requester_id)) return unknownShape('no requester');
  const requester = byId(json.users, ticket.requester_id);
  if (!requester) return { ok: false, problem: 'Zendesk’s API did not include the ticket’s requester.' };
  // The ticket's organization is the requester's for this ticket (a user may belong to several).
  return personOf(requester, json.organizations, [ticket.organization_id, requester.organization_id], { hostRecordId: ticketId, recordType: 'ticket' });
}

/** The user `userId` in an answer to ZENDESK_API_PATHS.user. */
export function readUserAnswer(json: unknown, userId: string): HostApiAnswer {
  const user = isObject(json) ? json.user : undefined;
  if (!isObject(json) || !isObject(user) || !isId(user.id)) return unknownShape('no user');
  if (user.id !== Number(userId)) return { ok: false, problem: `Zendesk’s API answered for user ${user.id}, not ${userId}.` };
  return personOf(user, json.organizations, [user.organization_id], { hostRecordId: userId, recordType: 'user' });
}

/** Zendesk's API for the sidebar (lib/host-api/cached.ts: one request per record for the page's life). */
export function createZendeskApi(options: HostApiOptions = {}): HostApi {
  return createCachedHostApi(
    { name: 'Zendesk', record: zendeskRecord, paths: ZENDESK_API_PATHS, read: { ticket: readTicketAnswer, user: readUserAnswer } },
    options,
  );
}

/** The content script's: one per page. */
export const zendeskApi = createZendeskApi();
