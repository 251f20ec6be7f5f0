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
import { compact, domainOfEmail } from '../sites/text';
import type { Identity } from '../sites/types';
import { zendeskRecord } from '../sites/zendesk';
import { getSameOriginJson, type FetchFn } from './request';
import type { HostApi, HostApiAnswer } from './types';

/** The paths asked, built from the numeric id in the page's URL only. */
export const ZENDESK_API_PATHS = {
  ticket: (id: string) => `/api/v2/tickets/${id}.json?include=users,organizations`,
  user: (id: string) => `/api/v2/users/${id}.json?include=organizations`,
} as const;

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
/** Text of at most `max` characters (whitespace collapsed); undefined when absent, empty or not text. */
const textOf = (value: unknown, max: number) => (typeof value === 'string' && value.trim() ? value.replace(/\s+/g, ' ').trim().slice(0, max) : undefined);
const EMAIL = /^[^\s@<>"',;]+@[^\s@<>"',;]+\.[^\s@<>"',;]+$/;
const emailOf = (value: unknown) => (typeof value === 'string' && value.length <= 320 && EMAIL.test(value.trim()) ? value.trim().toLowerCase() : undefined);

/** The record of a side-loaded list with this id (ids compared as numbers). */
function byId(list: unknown, id: unknown): Fields | undefined {
  return Array.isArray(list) && isId(id) ? list.find((item): item is Fields => isObject(item) && item.id === id) : undefined;
}

const unknownShape = (what: string): HostApiAnswer => ({ ok: false, problem: `Zendesk’s API answered in a shape Centric does not know (${what}).` });

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

export interface ZendeskApiOptions {
  fetchFn?: FetchFn;
  timeoutMs?: number;
  /** How many records' answers are kept for the page's life (the oldest goes first). */
  maxEntries?: number;
}

/**
 * Zendesk's API for the sidebar: one request per record (ticket or user) for the page's life,
 * shared by everyone who asks meanwhile; failures that may pass (timeout, network, 429, 5xx) are
 * asked again next time, the others are kept like answers.
 */
export function createZendeskApi({ fetchFn, timeoutMs, maxEntries = 50 }: ZendeskApiOptions = {}): HostApi {
  const answers = new Map<string, Promise<HostApiAnswer>>();
  return {
    name: 'Zendesk',
    identify(url, signal) {
      const record = zendeskRecord(url);
      if (!record || record.id.length > 15) return null;
      const key = `${url.origin} ${record.kind} ${record.id}`;
      const known = answers.get(key);
      if (known) return known;
      const read = record.kind === 'ticket' ? readTicketAnswer : readUserAnswer;
      const asked: Promise<HostApiAnswer> = getSameOriginJson(url.origin, ZENDESK_API_PATHS[record.kind](record.id), { app: 'Zendesk', signal, timeoutMs, fetchFn })
        .then((answer) => (answer.ok ? read(answer.json, record.id) : answer))
        .catch(() => unknownShape('unreadable'))
        .then((answer) => {
          if (!answer.ok && answer.transient && answers.get(key) === asked) answers.delete(key);
          return answer;
        });
      answers.set(key, asked);
      for (const oldest of answers.keys()) {
        if (answers.size <= maxEntries) break;
        answers.delete(oldest);
      }
      return asked;
    },
  };
}

/** The content script's: one per page. */
export const zendeskApi = createZendeskApi();
