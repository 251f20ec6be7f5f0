import { domainOfEmail, emailFromMailto, findEmail, firstMatch, pathPattern, textOf } from '../../text';
import { absoluteUrl, cellAt, Columns, headerPattern, labelOf } from '../../lists/table';
import type { ListReader, ListRow } from '../../lists/types';

/**
 * Salesforce Lightning list views, /lightning/o/<Object>/list?filterName=… (Contacts, Leads, Accounts,
 * Cases, Opportunities). Rows are `tr[data-row-key-value="<record id>"]` — the key of both the Aura
 * list view (forceListViewManager) and the LWC `lightning-datatable`, which also labels each cell
 * `th|td[data-label="<column label>"]` (developer.salesforce.com, lightning-datatable; the row key is
 * the record Id). The record's name is the row header (`th[scope="row"]`) link to
 * /lightning/r/<Object>/<id>/view; emails render as lightning-formatted-email mailto links. The
 * account column is found by label ("Account Name"/"Account"/"Company"), by data-label or by the
 * table header (English UI; other languages still match by email and name).
 * Fixture: tests/fixtures/hosts/salesforce/contact-list.html (hand-built on the real captures' structure).
 */
export const SALESFORCE_LIST_SELECTORS = {
  /** URL path patterns and header texts (regular-expression sources, compiled on use by pathPattern). */
  paths: {
    /** A list view: /lightning/o/<Object>/list (Lightning's documented URL format). */
    list: '^/lightning/o/(Account|Contact|Lead|Case|Opportunity)/list/?$',
    /** A record id of the row key (15 or 18 characters). */
    recordId: '^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$',
  },
  /** The account column's header text, when the table has no data-label (English UI only). */
  companyHeader: '^(account name|account|company)$',
  row: 'tr[data-row-key-value]',
  /** The record name: the row header's record link. */
  nameLink: 'th[scope="row"] a[href*="/lightning/r/"], th[data-label] a[href*="/lightning/r/"], a.outputLookupLink[href*="/lightning/r/"]',
  email: 'a[href^="mailto:"]',
  /** The row's header cell, where a chip goes when the row has no record link. */
  rowHeader: 'th',
  /** Account / company cell by its data-label (lightning-datatable). */
  companyCell: 'td[data-label="Account Name"], td[data-label="Account"], td[data-label="Company"]',
  /** List view containers, narrowest first. */
  watch: ['.forceListViewManager', 'lightning-datatable', '.oneContent.active', '.oneCenterStage'],
};

const TYPES = { Account: 'account', Contact: 'contact', Lead: 'lead', Case: 'case', Opportunity: 'opportunity' } as const;
const columns = new Columns();

export const salesforceList: ListReader = {
  id: 'salesforce',
  rowSelector: SALESFORCE_LIST_SELECTORS.row,

  isListPage(url) {
    return pathPattern(SALESFORCE_LIST_SELECTORS.paths.list).test(url.pathname);
  },

  readRow(row, url): ListRow | null {
    const object = pathPattern(SALESFORCE_LIST_SELECTORS.paths.list).exec(url.pathname)?.[1] as keyof typeof TYPES | undefined;
    const id = row.getAttribute('data-row-key-value') ?? '';
    if (!object || !(object in TYPES) || !pathPattern(SALESFORCE_LIST_SELECTORS.paths.recordId).test(id)) return null;
    const link = row.querySelector<HTMLElement>(SALESFORCE_LIST_SELECTORS.nameLink) ?? undefined;
    const shown = link ? (link.getAttribute('title')?.trim() || textOf(link)) : undefined;
    const mail = row.querySelector(SALESFORCE_LIST_SELECTORS.email);
    const email = emailFromMailto(mail?.getAttribute('href')) ?? findEmail(textOf(mail));
    const companyCell = row.querySelector(SALESFORCE_LIST_SELECTORS.companyCell) ?? cellAt(row, columns.index(row.closest('table'), headerPattern(SALESFORCE_LIST_SELECTORS.companyHeader)));
    const company = textOf(companyCell);
    const recordType = TYPES[object];
    const isAccount = recordType === 'account';
    if (!shown && !email) return null;
    return {
      element: row,
      anchor: link ?? row.querySelector(SALESFORCE_LIST_SELECTORS.rowHeader) ?? row,
      identity: {
        host: 'salesforce',
        hostRecordId: id,
        recordType,
        email,
        // Cases and opportunities are named by their subject / deal name, not by the person.
        name: isAccount || recordType === 'case' || recordType === 'opportunity' || findEmail(shown) ? undefined : shown,
        company: isAccount ? shown : company,
        domain: domainOfEmail(email),
      },
      recordUrl: absoluteUrl(link?.getAttribute('href'), url),
      link,
      label: labelOf(shown, email),
    };
  },

  watchRoot(document) {
    return firstMatch(document, SALESFORCE_LIST_SELECTORS.watch);
  },
};
