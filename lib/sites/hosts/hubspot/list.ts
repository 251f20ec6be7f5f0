import { domainOfEmail, domainOfWebsite, findEmail, firstMatch, textOf } from '../../text';
import { absoluteUrl, labelOf } from '../../lists/table';
import type { ListReader, ListRow } from '../../lists/types';

/**
 * HubSpot CRM index pages: contacts and companies, /contacts/<portal>/objects/0-1|0-2/views/<view>/list
 * (and the older /contacts/<portal>/contacts|companies/list/view/<view>). The table is HubSpot's
 * `framework-data-table`; every cell carries `data-test-id="cell-<objectTypeId>-<property>-<recordId>"`
 * (HubSpot Ticket Refined userscript, SysAdminDoc, MIT: framework-data-table, cell-0-5-<property>-<id>;
 * tests/fixtures/hosts/hubspot/contacts-list.html). Cells are found by that hook, never by column
 * position or HubSpot's generated class names, so reordered or hidden columns do not matter.
 */
export const HUBSPOT_LIST_SELECTORS = {
  /** The index table (its body rows are the records; HubSpot recycles them when paging). */
  table: '[data-test-id="framework-data-table"]',
  /** A record row: any table row holding a name cell. */
  row: '[data-test-id="framework-data-table"] tbody tr',
  /** The name cell of a contact (0-1) or company (0-2): `cell-0-1-name-<id>`. */
  nameCell: '[data-test-id^="cell-0-1-name-"], [data-test-id^="cell-0-2-name-"]',
  /** Contact email, contact company, company domain / website cells. */
  emailCell: '[data-test-id^="cell-0-1-email-"]',
  companyCell: '[data-test-id^="cell-0-1-company-"], [data-test-id^="cell-0-1-associatedcompanyid-"]',
  domainCell: '[data-test-id^="cell-0-2-domain-"], [data-test-id^="cell-0-2-website-"]',
  /** What a MutationObserver watches: the table's container, narrowest first. */
  watch: ['[data-test-id="framework-data-table"]', '#crm', 'main', '[role="main"]'],
} as const;

const LIST_PATH = /^\/contacts\/\d+\/(?:objects\/0-[12]\/views\/[^/]+\/list|(?:contacts|companies)(?:\/list)?(?:\/view\/[^/]+)?)\/?$/;
const CELL_ID = /^cell-(0-[12])-name-(\d+)$/;

export const hubspotList: ListReader = {
  id: 'hubspot',
  rowSelector: HUBSPOT_LIST_SELECTORS.row,

  isListPage(url) {
    return LIST_PATH.test(url.pathname);
  },

  readRow(row, url): ListRow | null {
    const nameCell = row.querySelector(HUBSPOT_LIST_SELECTORS.nameCell);
    const match = CELL_ID.exec(nameCell?.getAttribute('data-test-id') ?? '');
    if (!nameCell || !match) return null;
    const link = nameCell.querySelector<HTMLElement>('a[href]') ?? undefined;
    const shown = textOf(link ?? nameCell);
    const recordUrl = absoluteUrl(link?.getAttribute('href'), url);
    if (match[1] === '0-2') {
      const domain = domainOfWebsite(textOf(row.querySelector(HUBSPOT_LIST_SELECTORS.domainCell)));
      if (!shown && !domain) return null;
      return {
        element: row,
        anchor: link ?? nameCell,
        identity: { host: 'hubspot', hostRecordId: match[2], recordType: 'company', company: shown, domain },
        recordUrl,
        link,
        label: labelOf(shown, domain),
      };
    }
    const emailCell = row.querySelector(HUBSPOT_LIST_SELECTORS.emailCell);
    const email = findEmail(emailCell?.querySelector('a[href^="mailto:"]')?.getAttribute('href')) ?? findEmail(textOf(emailCell));
    // hs_full_name_or_email: a contact without a name shows the email in the name column.
    const name = shown && !findEmail(shown) ? shown : undefined;
    if (!email && !name) return null;
    return {
      element: row,
      anchor: link ?? nameCell,
      identity: {
        host: 'hubspot',
        hostRecordId: match[2],
        recordType: 'contact',
        email: email ?? findEmail(shown),
        name,
        company: textOf(row.querySelector(HUBSPOT_LIST_SELECTORS.companyCell)),
        domain: domainOfEmail(email ?? findEmail(shown)),
      },
      recordUrl,
      link,
      label: labelOf(name, email),
    };
  },

  watchRoot(document) {
    return firstMatch(document, HUBSPOT_LIST_SELECTORS.watch);
  },
};
