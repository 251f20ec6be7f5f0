/**
 * List and table views (issue 8): which rows of a host's list page are customers. One reader per host
 * in lib/sites/lists/<host>.ts, pure over a DOM root and a URL like the record-page adapters (no
 * browser-extension APIs), with its selectors in one exported constant. Everything read is page text.
 */
import type { Identity } from '../types';

/** One recognised row of a list view. */
export interface ListRow {
  /** The row element (a table row, a grid row): what a virtual list recycles. */
  element: Element;
  /** Where the tier chip goes: after this element (usually the name link), or at the end of it when it is a table cell. */
  anchor: Element;
  /** Who the row is, as the sidebar's Identity. */
  identity: Identity;
  /** The record this row opens (absolute URL), when the row links to one. */
  recordUrl?: string;
  /** The row's own link to the record, which the worklist clicks so a single-page app routes itself. */
  link?: HTMLElement;
  /** The label the worklist shows: the person's or the company's name, else the email. */
  label: string;
}

export interface ListReader {
  /** The site adapter's id ("hubspot"): the same content script, the same permissions. */
  readonly id: string;
  /** True when the URL is a list view this reader reads. */
  isListPage(url: URL): boolean;
  /** The CSS selector of candidate rows (for a MutationObserver's cheap `closest()` checks). */
  readonly rowSelector: string;
  /** Reads one candidate row; null when it is not a customer row (a group header, an empty row …). */
  readRow(row: Element, url: URL): ListRow | null;
  /** The narrowest element that holds the list, for a MutationObserver (null: not rendered yet). */
  watchRoot(document: Document, url: URL): Element | null;
}

/** Every recognised row under `root`, in document order. */
export function readRows(reader: ListReader, root: ParentNode, url: URL): ListRow[] {
  const rows: ListRow[] = [];
  for (const element of root.querySelectorAll(reader.rowSelector)) {
    const row = reader.readRow(element, url);
    if (row) rows.push(row);
  }
  return rows;
}

/**
 * The key of an identity in the lookup cache: everything that can change the background's answer.
 * Two rows of the same person share one lookup; a recycled row whose person changed gets a new key.
 */
export function identityKey(identity: Identity): string {
  return [identity.host, identity.email ?? '', identity.hostRecordId ?? '', identity.recordType ?? '', identity.domain ?? '', (identity.name ?? '').toLowerCase(), (identity.company ?? '').toLowerCase()].join('\u0001');
}
