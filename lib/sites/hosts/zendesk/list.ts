import { domainOfEmail, findEmail, firstMatch, pathPattern, textOf } from '../../text';
import { absoluteUrl, cellAt, Columns, headerPattern, innermost, labelOf } from '../../lists/table';
import type { ListReader, ListRow } from '../../lists/types';

/**
 * Zendesk Support ticket views, /agent/filters/<view id> (Agent Workspace). Structure from the real,
 * sanitised capture described in ../shared/fixtures/hosts/README.md (formax68/zhroma,
 * zendesk-view-priority-present.html, 2026-09): `table[data-test-id="generic-table"]`, rows
 * `tr[data-test-id="generic-table-row"]` (group rows are other rows), cells `td[data-garden-id="tables.cell"]`,
 * columns identified by header text only (the table has no per-column hooks). The customer is the
 * Requester column: a name (an email when the requester has no name); the ticket link
 * /agent/tickets/<id> opens the record. A name alone matches a customer only when exactly one has it.
 */
export const ZENDESK_LIST_SELECTORS = {
  /** URL and header patterns (regular-expression sources, compiled on use by pathPattern). */
  paths: {
    /** A ticket view: /agent/filters/<view id>. */
    list: '^/agent/filters/\\d+/?$',
    /** The ticket id in a ticket link. */
    ticketId: '/agent/tickets/(\\d+)',
    /**
     * The Requester column's header, by its words (the table has no per-column hooks): English as in
     * the capture; the other languages are ASSUMED translations of Zendesk's agent interface.
     */
    requesterHeader: '^(?:requester|anfragender|demandeur|solicitante|richiedente|aanvrager|requerente|依頼者)$',
  },
  table: 'table[data-test-id="generic-table"]',
  row: 'table[data-test-id="generic-table"] tr[data-test-id="generic-table-row"]',
  ticketLink: 'a[href*="/agent/tickets/"]',
  watch: ['table[data-test-id="generic-table"]', 'main', '#root'],
};

const columns = new Columns();

export const zendeskList: ListReader = {
  id: 'zendesk',
  rowSelector: ZENDESK_LIST_SELECTORS.row,

  isListPage(url) {
    return pathPattern(ZENDESK_LIST_SELECTORS.paths.list).test(url.pathname);
  },

  readRow(row, url): ListRow | null {
    const cell = cellAt(row, columns.index(row.closest(ZENDESK_LIST_SELECTORS.table), headerPattern(ZENDESK_LIST_SELECTORS.paths.requesterHeader)));
    const shown = textOf(cell);
    if (!cell || !shown) return null;
    const link = row.querySelector<HTMLElement>(ZENDESK_LIST_SELECTORS.ticketLink) ?? undefined;
    const email = findEmail(shown);
    return {
      element: row,
      // The chip goes after the requester's name: the innermost element holding the text.
      anchor: innermost(cell),
      identity: { host: 'zendesk', hostRecordId: pathPattern(ZENDESK_LIST_SELECTORS.paths.ticketId).exec(link?.getAttribute('href') ?? '')?.[1], recordType: 'ticket', email, name: email ? undefined : shown, domain: domainOfEmail(email) },
      recordUrl: absoluteUrl(link?.getAttribute('href'), url),
      link,
      label: labelOf(shown),
    };
  },

  watchRoot(document) {
    return firstMatch(document, ZENDESK_LIST_SELECTORS.watch);
  },
};
