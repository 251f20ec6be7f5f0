import { compact, domainOfEmail, emailOf, findEmail, firstMatch, isHidden, personExtraction, textOf } from './text';
import type { Extraction, SiteAdapter } from './types';

/**
 * Zendesk Support, Agent Workspace: the single-ticket page (/agent/tickets/<id>) and the user
 * profile page (/agent/users/<id>, with its sub-tabs such as /agent/users/<id>/requested_tickets).
 *
 * Agent Workspace keeps one workspace per open tab (tickets and users alike) in the DOM and hides
 * the inactive ones, so every read is scoped to the visible workspace of the ticket or user in the
 * URL. Selectors use Zendesk's own `data-test-id` hooks (stable across releases, unlike its
 * generated class names) and are kept here, in one place. They are tested against
 * tests/fixtures/hosts/zendesk/*.html.
 */
export const ZENDESK_SELECTORS = {
  /** One per open ticket tab; the active one is not hidden. */
  workspace: '[data-test-id="ticket-workspace"], [data-ticket-id]',
  /** One per open user tab; the active one is not hidden. */
  userWorkspace: '[data-test-id="user-workspace"], [data-user-id]',
  /**
   * Marks of an inactive tab: hidden attributes, and the `data-is-active` flag that Agent Workspace
   * sets on tab panes (Clockify's Zendesk selectors since 2024-11: `[data-is-active="true"] [data-test-id="omni-header-subject"]`).
   */
  inactive: '[hidden], [aria-hidden="true"], [data-is-active="false"]',
  /** The "Requester" field of the ticket's properties panel. */
  requesterField: '[data-test-id="ticket-system-field-requester-select"]',
  /** The customer context (user profile) panel beside the conversation, and the user page's profile. */
  userPanel: '[data-test-id="customer-context"], [data-test-id="user-profile"]',
  userName: '[data-test-id="customer-context-name"], [data-test-id="user-name"]',
  userEmail: '[data-test-id="customer-context-email"], [data-test-id="user-email"], a[href^="mailto:"]',
  /** The user's organization: a link to its page, whatever the panel's layout. */
  organizationLink: 'a[href*="/agent/organizations/"]',
  /** What a MutationObserver should watch, narrowest first. */
  page: ['[data-test-id="main-layout"]', 'main', '[role="main"]', '#root'],
} as const;

const TICKET_PATH = /^\/agent\/tickets\/(\d+)\/?$/;
const USER_PATH = /^\/agent\/users\/(\d+)(?:\/[a-z_]+)?\/?$/;

/** The record a URL opens: a ticket or a user, by the numeric id in its path; null on any other page. */
export function zendeskRecord(url: URL): { kind: 'ticket' | 'user'; id: string } | null {
  const ticketId = TICKET_PATH.exec(url.pathname)?.[1];
  if (ticketId) return { kind: 'ticket', id: ticketId };
  const userId = USER_PATH.exec(url.pathname)?.[1];
  return userId ? { kind: 'user', id: userId } : null;
}

/** Hidden by the page (see isHidden), or inside an inactive tab. */
function isInactive(element: Element): boolean {
  return isHidden(element) || element.closest(ZENDESK_SELECTORS.inactive) !== null;
}

/**
 * The visible workspace of a tab kind, preferring the one that names the URL's id. Elements of the
 * other kind's workspaces are not candidates (a user page lists the user's tickets; a ticket's
 * context panel describes its requester).
 */
function activeWorkspace(root: ParentNode, selector: string, otherKind: string, idAttribute: string, id: string): Element | null {
  const candidates = [...root.querySelectorAll(selector)].filter(
    (el) => !isInactive(el) && el.parentElement?.closest(otherKind) == null,
  );
  return candidates.find((el) => el.getAttribute(idAttribute) === id) ?? candidates[0] ?? null;
}

/** Email, name and organization of the user panel inside a workspace. */
function readPanel(workspace: Element): { email?: string; name?: string; company?: string } {
  const panel = workspace.querySelector(ZENDESK_SELECTORS.userPanel);
  const emailElement = panel?.querySelector(ZENDESK_SELECTORS.userEmail) ?? null;
  return {
    email: emailOf(emailElement),
    name: textOf(panel?.querySelector(ZENDESK_SELECTORS.userName)),
    company: textOf(panel?.querySelector(ZENDESK_SELECTORS.organizationLink)),
  };
}

function extractTicket(root: ParentNode, ticketId: string): Extraction {
  const workspace = activeWorkspace(root, ZENDESK_SELECTORS.workspace, ZENDESK_SELECTORS.userWorkspace, 'data-ticket-id', ticketId);
  if (!workspace) return { identity: null, missing: ['ticket workspace'] };

  const requesterField = workspace.querySelector(ZENDESK_SELECTORS.requesterField);
  const panel = readPanel(workspace);
  const email = panel.email ?? findEmail(textOf(requesterField));
  const name =
    panel.name ?? textOf(requesterField)?.replace(/<[^>]*>|\S+@\S+/g, '').trim() ?? undefined;
  if (!email && !name) {
    return { identity: null, missing: ['requester email', 'requester name'] };
  }
  return {
    identity: compact({
      host: 'zendesk',
      hostRecordId: ticketId,
      recordType: 'ticket',
      email,
      name: name || undefined,
      company: panel.company,
      domain: domainOfEmail(email),
    }),
    missing: email ? [] : ['requester email'],
  };
}

function extractUser(root: ParentNode, userId: string): Extraction {
  const workspace = activeWorkspace(root, ZENDESK_SELECTORS.userWorkspace, ZENDESK_SELECTORS.workspace, 'data-user-id', userId);
  if (!workspace) return { identity: null, missing: ['user workspace'] };

  return personExtraction({ host: 'zendesk', hostRecordId: userId, recordType: 'user' }, readPanel(workspace), 'user');
}

export const zendesk: SiteAdapter = {
  id: 'zendesk',
  definition: { version: 1, selectors: ZENDESK_SELECTORS },
  name: 'Zendesk',
  matches: ['https://*.zendesk.com/agent/*'],

  isRecordPage(url) {
    return zendeskRecord(url) !== null;
  },

  extract(root, url): Extraction {
    try {
      const record = zendeskRecord(url);
      if (!record) return { identity: null, missing: ['ticket or user id in the URL'] };
      return record.kind === 'ticket' ? extractTicket(root, record.id) : extractUser(root, record.id);
    } catch {
      return { identity: null, missing: ['readable agent page'] };
    }
  },

  watchRoot(document) {
    return firstMatch(document, ZENDESK_SELECTORS.page);
  },
};
