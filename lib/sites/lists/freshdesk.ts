import { domainOfEmail, findEmail, firstMatch, textOf } from '../text';
import { absoluteUrl, cellAt, Columns, labelOf } from './table';
import { innermost } from './zendesk';
import type { ListReader, ListRow } from './types';

/**
 * Freshdesk ticket lists, /a/tickets/filters/<view> (and /a/tickets). ASSUMED markup (no public
 * capture, see tests/fixtures/hosts/freshdesk/ticket-list.html): a table whose rows link to
 * /a/tickets/<id> and whose "Requester" (or "Contact") column holds the requester's name or email.
 */
export const FRESHDESK_LIST_SELECTORS = {
  row: 'table tbody tr',
  ticketLink: 'a[href*="/a/tickets/"]',
  watch: ['main table', 'main', '#ember-app'],
} as const;

const REQUESTER = /^(requester|contact)$/i;
const LIST_PATH = /^\/a\/tickets(?:\/filters\/[^/]+)?\/?$/;
const TICKET_ID = /\/a\/tickets\/(\d+)/;
const columns = new Columns();

export const freshdeskList: ListReader = {
  id: 'freshdesk',
  rowSelector: FRESHDESK_LIST_SELECTORS.row,

  isListPage(url) {
    return LIST_PATH.test(url.pathname);
  },

  readRow(row, url): ListRow | null {
    const link = row.querySelector<HTMLElement>(FRESHDESK_LIST_SELECTORS.ticketLink) ?? undefined;
    const id = TICKET_ID.exec(link?.getAttribute('href') ?? '')?.[1];
    const cell = cellAt(row, columns.index(row.closest('table'), REQUESTER));
    const shown = textOf(cell);
    if (!id || !cell || !shown) return null;
    const email = findEmail(shown);
    return {
      element: row,
      anchor: innermost(cell),
      identity: { host: 'freshdesk', hostRecordId: id, recordType: 'ticket', email, name: email ? undefined : shown, domain: domainOfEmail(email) },
      recordUrl: absoluteUrl(link?.getAttribute('href'), url),
      link,
      label: labelOf(shown),
    };
  },

  watchRoot(document) {
    return firstMatch(document, FRESHDESK_LIST_SELECTORS.watch);
  },
};
