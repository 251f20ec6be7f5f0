import { compact, domainOfEmail, emailFromMailto, findEmail, textOf } from './text';
import type { Extraction, SiteAdapter } from './types';

/**
 * Zendesk Support, Agent Workspace, single-ticket page (/agent/tickets/<id>).
 *
 * Agent Workspace keeps one workspace per open ticket tab in the DOM and hides the inactive ones, so
 * every read is scoped to the visible workspace of the ticket in the URL. Selectors use Zendesk's
 * own `data-test-id` hooks (stable across releases, unlike its generated class names) and are kept
 * here, in one place. They are tested against tests/fixtures/hosts/zendesk/*.html.
 */
export const ZENDESK_SELECTORS = {
  /** One per open ticket tab; the active one is not hidden. */
  workspace: '[data-test-id="ticket-workspace"], [data-ticket-id]',
  /** The "Requester" field of the ticket's properties panel. */
  requesterField: '[data-test-id="ticket-system-field-requester-select"]',
  /** The customer context (user profile) panel beside the conversation. */
  userPanel: '[data-test-id="customer-context"], [data-test-id="user-profile"]',
  userName: '[data-test-id="customer-context-name"], [data-test-id="user-name"]',
  userEmail: '[data-test-id="customer-context-email"], [data-test-id="user-email"], a[href^="mailto:"]',
} as const;

const TICKET_PATH = /^\/agent\/tickets\/(\d+)\/?$/;

function isHidden(element: Element): boolean {
  return element.closest('[hidden], [aria-hidden="true"]') !== null;
}

function activeWorkspace(root: ParentNode, ticketId: string): Element | null {
  const candidates = [...root.querySelectorAll(ZENDESK_SELECTORS.workspace)].filter((el) => !isHidden(el));
  return (
    candidates.find((el) => el.getAttribute('data-ticket-id') === ticketId) ?? candidates[0] ?? null
  );
}

export const zendesk: SiteAdapter = {
  id: 'zendesk',
  name: 'Zendesk',
  matches: ['https://*.zendesk.com/*'],

  isRecordPage(url) {
    return TICKET_PATH.test(url.pathname);
  },

  extract(root, url): Extraction {
    const ticketId = TICKET_PATH.exec(url.pathname)?.[1];
    if (!ticketId) return { identity: null, missing: ['ticket id in the URL'] };
    const workspace = activeWorkspace(root, ticketId);
    if (!workspace) return { identity: null, missing: ['ticket workspace'] };

    const panel = workspace.querySelector(ZENDESK_SELECTORS.userPanel);
    const requesterField = workspace.querySelector(ZENDESK_SELECTORS.requesterField);
    const emailElement = panel?.querySelector(ZENDESK_SELECTORS.userEmail) ?? null;
    const email =
      emailFromMailto(emailElement?.getAttribute('href')) ??
      findEmail(textOf(emailElement)) ??
      findEmail(textOf(requesterField));
    const name =
      textOf(panel?.querySelector(ZENDESK_SELECTORS.userName)) ??
      textOf(requesterField)?.replace(/<[^>]*>|\S+@\S+/g, '').trim() ??
      undefined;
    if (!email && !name) {
      return { identity: null, missing: ['requester email', 'requester name'] };
    }
    return {
      identity: compact({
        host: 'zendesk',
        hostRecordId: ticketId,
        email,
        name: name || undefined,
        domain: domainOfEmail(email),
      }),
      missing: email ? [] : ['requester email'],
    };
  },
};
