import { DEMO_SELECTORS } from '../demo';
import { domainOfEmail, findEmail, firstMatch, textOf } from '../text';
import { absoluteUrl, labelOf } from './table';
import type { ListReader, ListRow } from './types';

/**
 * The bundled demo helpdesk's lists (demo/pages.ts): /tickets (the requester's name and email on
 * each ticket row) and /customers (name, email, company). Plain, stable hooks, kept here in one place;
 * nothing is read unless the page carries the demo's application-name marker.
 */
export const DEMO_LIST_SELECTORS = {
  app: DEMO_SELECTORS.app,
  row: 'tr[data-ticket-row], tr[data-customer-row]',
  ticketLink: 'a[href^="/tickets/"]',
  name: '.requester-name, .customer-name',
  email: '.requester-email, .customer-email',
  company: '.customer-company',
  watch: ['main table', 'main'],
} as const;

const LIST_PATH = /^\/(?:tickets|customers)\/?$/;

export const demoList: ListReader = {
  id: 'demo',
  rowSelector: DEMO_LIST_SELECTORS.row,

  isListPage(url) {
    return LIST_PATH.test(url.pathname);
  },

  readRow(row, url): ListRow | null {
    const nameElement = row.querySelector(DEMO_LIST_SELECTORS.name);
    const name = textOf(nameElement);
    const email = findEmail(textOf(row.querySelector(DEMO_LIST_SELECTORS.email)));
    if (!nameElement || (!name && !email)) return null;
    const ticketId = row.getAttribute('data-ticket-row') ?? undefined;
    const link = (ticketId && row.querySelector<HTMLElement>(DEMO_LIST_SELECTORS.ticketLink)) || undefined;
    return {
      element: row,
      anchor: nameElement,
      identity: {
        host: 'demo',
        hostRecordId: ticketId,
        recordType: ticketId ? 'ticket' : 'customer',
        email,
        name,
        company: textOf(row.querySelector(DEMO_LIST_SELECTORS.company)),
        domain: domainOfEmail(email),
      },
      recordUrl: absoluteUrl(link?.getAttribute('href'), url),
      link,
      label: labelOf(name, email),
    };
  },

  watchRoot(document) {
    return document.querySelector(DEMO_LIST_SELECTORS.app) ? firstMatch(document, DEMO_LIST_SELECTORS.watch) : null;
  },
};
