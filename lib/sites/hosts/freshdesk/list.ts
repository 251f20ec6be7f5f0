import { domainOfEmail, findEmail, firstMatch, pathPattern, textOf } from '../../text';
import { absoluteUrl, cellAt, Columns, headerPattern, innermost, labelOf } from '../../lists/table';
import type { ListReader, ListRow } from '../../lists/types';

/**
 * Freshdesk ticket lists, /a/tickets/filters/<view> (and /a/tickets). ASSUMED markup (no public
 * capture, see tests/fixtures/hosts/freshdesk/ticket-list.html): a table whose rows link to
 * /a/tickets/<id> and whose "Requester" (or "Contact") column holds the requester's name or email.
 */
export const FRESHDESK_LIST_SELECTORS = {
  /** URL path patterns (regular-expression sources, compiled on use by pathPattern). */
  paths: {
    /** The ticket list: /a/tickets and /a/tickets/filters/<view> (Freshdesk's own URLs). */
    list: '^/a/tickets(?:/filters/[^/]+)?/?$',
    /** The ticket id in a row's link. */
    ticketId: '/a/tickets/(\\d+)',
  },
  /** The requester's column header text (English UI; case-insensitive). */
  requesterHeader: '^(requester|contact)$',
  row: 'table tbody tr',
  ticketLink: 'a[href*="/a/tickets/"]',
  watch: ['main table', 'main', '#ember-app'],
};

const columns = new Columns();

export const freshdeskList: ListReader = {
  id: 'freshdesk',
  rowSelector: FRESHDESK_LIST_SELECTORS.row,

  isListPage(url) {
    return pathPattern(FRESHDESK_LIST_SELECTORS.paths.list).test(url.pathname);
  },

  readRow(row, url): ListRow | null {
    const link = row.querySelector<HTMLElement>(FRESHDESK_LIST_SELECTORS.ticketLink) ?? undefined;
    const id = pathPattern(FRESHDESK_LIST_SELECTORS.paths.ticketId).exec(link?.getAttribute('href') ?? '')?.[1];
    const cell = cellAt(row, columns.index(row.closest('table'), headerPattern(FRESHDESK_LIST_SELECTORS.requesterHeader)));
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
