import { domainOfEmail, emailFromMailto, findEmail, firstMatch, textOf } from '../../text';
import { absoluteUrl, labelOf } from '../../lists/table';
import type { ListReader, ListRow } from '../../lists/types';

/**
 * Pipedrive list views: people /persons/list and organizations /organizations/list (with optional
 * /filter/<id> or /user/<id>). Pipedrive publishes no DOM documentation and changes its generated
 * class names; rows are found by what they hold — a link to the record (/person/<id>,
 * /organization/<id>) — inside a table row or an ARIA grid row (the virtualised grid renders
 * `[role="row"]`). Email is a mailto link or an address in the row's email cell.
 * ASSUMED (no public capture): the table / grid row markup of tests/fixtures/hosts/pipedrive/persons-list.html.
 */
export const PIPEDRIVE_LIST_SELECTORS = {
  row: 'table tbody tr, [role="grid"] [role="row"], [role="table"] [role="row"]',
  person: 'a[href*="/person/"]',
  organization: 'a[href*="/organization/"]',
  email: 'a[href^="mailto:"]',
  watch: ['[role="grid"]', '[role="table"]', 'main table', 'main', '#application'],
} as const;

const LIST_PATH = /^\/(persons|organizations)\/list(?:\/[^?#]*)?$/;
const RECORD_ID = /\/(?:person|organization)\/(\d+)(?:[/?#]|$)/;

export const pipedriveList: ListReader = {
  id: 'pipedrive',
  rowSelector: PIPEDRIVE_LIST_SELECTORS.row,

  isListPage(url) {
    return LIST_PATH.test(url.pathname);
  },

  readRow(row, url): ListRow | null {
    const people = LIST_PATH.exec(url.pathname)?.[1] === 'persons';
    const link = row.querySelector<HTMLElement>(people ? PIPEDRIVE_LIST_SELECTORS.person : PIPEDRIVE_LIST_SELECTORS.organization) ?? undefined;
    const id = RECORD_ID.exec(link?.getAttribute('href') ?? '')?.[1];
    if (!link || !id) return null;
    const shown = textOf(link);
    const recordUrl = absoluteUrl(link.getAttribute('href'), url);
    if (!people) {
      if (!shown) return null;
      return { element: row, anchor: link, identity: { host: 'pipedrive', hostRecordId: id, recordType: 'organization', company: shown }, recordUrl, link, label: labelOf(shown) };
    }
    const mail = row.querySelector(PIPEDRIVE_LIST_SELECTORS.email);
    let email = emailFromMailto(mail?.getAttribute('href')) ?? findEmail(textOf(mail));
    if (!email) {
      // An email column without a link: the first address in a cell other than the name's.
      for (const cell of row.children) if (!cell.contains(link) && (email = findEmail(textOf(cell)))) break;
    }
    const name = shown && !findEmail(shown) ? shown : undefined;
    if (!email && !name) return null;
    return {
      element: row,
      anchor: link,
      identity: { host: 'pipedrive', hostRecordId: id, recordType: 'person', email, name, company: textOf(row.querySelector(PIPEDRIVE_LIST_SELECTORS.organization)), domain: domainOfEmail(email) },
      recordUrl,
      link,
      label: labelOf(name, email),
    };
  },

  watchRoot(document) {
    return firstMatch(document, PIPEDRIVE_LIST_SELECTORS.watch);
  },
};
