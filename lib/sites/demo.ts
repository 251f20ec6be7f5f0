import { compact, domainOfEmail, emailOf, missingParts, textOf } from './text';
import type { Extraction, SiteAdapter } from './types';

/**
 * The bundled demo helpdesk (demo/server.mjs), served on 127.0.0.1. Its ticket page marks the
 * requester with plain, stable class names; selectors are kept here, in one place.
 */
export const DEMO_SELECTORS = {
  app: 'meta[name="application-name"][content="Centric demo helpdesk"]',
  ticket: 'main[data-ticket-id]',
  requester: '[data-requester]',
  requesterName: '.requester-name',
  requesterEmail: 'a.requester-email',
  requesterCompany: '.requester-company',
} as const;

const TICKET_PATH = /^\/tickets\/(\d+)\/?$/;

export const demoHelpdesk: SiteAdapter = {
  id: 'demo',
  definition: { version: 1, selectors: DEMO_SELECTORS },
  name: 'Centric demo helpdesk',
  matches: ['http://127.0.0.1/*', 'http://localhost/*'],

  isRecordPage(url) {
    return TICKET_PATH.test(url.pathname);
  },

  recordOf(url) {
    const id = TICKET_PATH.exec(url.pathname)?.[1];
    return id ? { hostRecordId: id } : null;
  },

  extract(root, url): Extraction {
    const ticketId = TICKET_PATH.exec(url.pathname)?.[1];
    const isDemo = root.querySelector(DEMO_SELECTORS.app) !== null;
    const ticket = root.querySelector(DEMO_SELECTORS.ticket);
    const requester = ticket?.querySelector(DEMO_SELECTORS.requester);
    if (!isDemo || !ticketId || !ticket || !requester) {
      return { identity: null, missing: [!isDemo ? 'demo marker' : !ticket ? 'ticket' : 'requester'] };
    }
    const emailLink = requester.querySelector(DEMO_SELECTORS.requesterEmail);
    const email = emailOf(emailLink);
    const name = textOf(requester.querySelector(DEMO_SELECTORS.requesterName));
    const company = textOf(requester.querySelector(DEMO_SELECTORS.requesterCompany));
    const missing = missingParts({ 'requester email': !!email, 'requester name': !!name });
    return {
      identity: compact({
        host: 'demo',
        hostRecordId: ticketId,
        email,
        name,
        company,
        domain: domainOfEmail(email),
      }),
      missing,
    };
  },
};
