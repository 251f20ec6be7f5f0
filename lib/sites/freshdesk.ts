import { emailOf, findEmail, firstVisible, personExtraction, textOf, visibleAll } from './text';
import type { Extraction, SiteAdapter } from './types';

/**
 * Freshdesk (agent UI, "mint" Ember app): the ticket page (/a/tickets/<id>, legacy
 * /helpdesk/tickets/<id>) and the contact page (/a/contacts/<id>).
 *
 * The customer is read from the "Contact details" widget of the ticket sidebar, never from the
 * conversation (agents' replies carry their own names and signatures). Selectors are Freshdesk's
 * own `data-test-id` hooks where public scripts show them, plus a few plain semantic class names
 * that Freshdesk keeps stable across releases (it has no generated class names). Sources:
 *  - bubbleupdotnet/freshdesk `add_info_links.user.js`: `div[data-test-id="requester-info-contact-email"]
 *    .info-details-content`, `.info-details-widget .contacts__view_more_info a[data-test-id="view-more-info"]`,
 *    `.group-field span.ember-power-select-selected-item`;
 *  - a public "Kodex" Freshdesk content script: `.widget-requestor-info` (contact name),
 *    `[data-test-id="requester-info-contact-<field>"] .info-details-content`,
 *    `[data-test-id="requester-info-company-<field>"]`, `.sender-info [data-test-id="user-name"]`,
 *    `[data-test-id="tkt-properties-<field>"]`, `.ticket-subject-heading`;
 *  - a public Clockify custom integration: `.company-info a` (its href ends in the company id);
 *  - Toggl / Clockify Freshdesk integrations: `.ticket-subject-heading`, `.breadcrumb__item.active`,
 *    `.page-actions__left`, `.ticket-details-header`.
 * The contact page's own layout is not shown by any public source; it is read with the same widget
 * hooks and, failing those, a mailto link or an email-looking value in the page's main region.
 */
export const FRESHDESK_SELECTORS = {
  /** The "Contact details" widget of the ticket sidebar (bubbleup userscript). */
  contactWidget: '.info-details-widget',
  /** Contact name at the top of the widget (Kodex script); its link, when present, is /a/contacts/<id>. */
  contactName: '.widget-requestor-info',
  /** Name as a widget field, Freshdesk's `requester-info-contact-<field>` pattern. */
  contactNameField: '[data-test-id="requester-info-contact-name"] .info-details-content',
  /** Email field (bubbleup userscript, Kodex script). */
  contactEmail: '[data-test-id="requester-info-contact-email"] .info-details-content',
  /** Any other email field of the widget, e.g. a secondary address. */
  anyEmailField: '[data-test-id*="email"] .info-details-content',
  /** Company link (Clockify custom integration): text = company name, href ends in the company id. */
  companyLink: '.company-info a',
  /** Company name as a widget field, Freshdesk's `requester-info-company-<field>` pattern. */
  companyNameField: '[data-test-id="requester-info-company-name"] .info-details-content',
  /** "View more info" link to the contact page (bubbleup userscript). */
  viewMoreInfo: 'a[data-test-id="view-more-info"]',
  /** User names shown by the Ember app (Kodex script); on the contact page the contact's own. */
  userName: '[data-test-id="user-name"]',
  /** Main region of the contact page (semantic landmark; Freshdesk's exact wrapper is not public). */
  mainRegion: 'main, [role="main"]',
  /** Ember puts this class on its root element (Ember's documented behaviour). */
  appRoot: '.ember-application',
} as const;

const TICKET_PATH = /^\/(?:a|helpdesk)\/tickets\/(\d+)\/?$/;
const CONTACT_PATH = /^\/a\/contacts\/(\d+)\/?$/;

type Page = { kind: 'ticket' | 'contact'; id: string };

function pageOf(url: URL): Page | null {
  const ticket = TICKET_PATH.exec(url.pathname)?.[1];
  if (ticket) return { kind: 'ticket', id: ticket };
  const contact = CONTACT_PATH.exec(url.pathname)?.[1];
  return contact ? { kind: 'contact', id: contact } : null;
}

/** The visible contact-details widget; Ember may leave the previous route's view in the DOM, hidden. */
function contactWidget(root: ParentNode): Element | null {
  return firstVisible(root, FRESHDESK_SELECTORS.contactWidget);
}

function readEmail(scope: ParentNode): string | undefined {
  const field = firstVisible(scope, FRESHDESK_SELECTORS.contactEmail);
  const fromField = findEmail(textOf(field));
  if (fromField) return fromField;
  for (const other of visibleAll(scope, FRESHDESK_SELECTORS.anyEmailField)) {
    const email = findEmail(textOf(other));
    if (email) return email;
  }
  const mailto = firstVisible(scope, 'a[href^="mailto:" i]');
  return emailOf(mailto);
}

function readName(scope: ParentNode): string | undefined {
  const header = firstVisible(scope, FRESHDESK_SELECTORS.contactName);
  const link = header?.querySelector('a[href*="/contacts/"]');
  return (
    textOf(link) ??
    textOf(header) ??
    textOf(firstVisible(scope, FRESHDESK_SELECTORS.contactNameField)) ??
    textOf(firstVisible(scope, FRESHDESK_SELECTORS.userName))
  );
}

function readCompany(scope: ParentNode): string | undefined {
  return (
    textOf(firstVisible(scope, FRESHDESK_SELECTORS.companyLink)) ??
    textOf(firstVisible(scope, FRESHDESK_SELECTORS.companyNameField))
  );
}

export const freshdesk: SiteAdapter = {
  id: 'freshdesk',
  definition: { version: 1, selectors: FRESHDESK_SELECTORS },
  name: 'Freshdesk',
  matches: ['https://*.freshdesk.com/*'],

  isRecordPage(url) {
    return pageOf(url) !== null;
  },

  extract(root, url): Extraction {
    const page = pageOf(url);
    if (!page) return { identity: null, missing: ['ticket or contact id in the URL'] };

    let scope: ParentNode | null;
    if (page.kind === 'ticket') {
      scope = contactWidget(root);
      if (!scope) return { identity: null, missing: ['contact details panel'] };
    } else {
      scope = contactWidget(root) ?? firstVisible(root, FRESHDESK_SELECTORS.mainRegion);
      if (!scope) return { identity: null, missing: ['contact details'] };
    }

    return personExtraction(
      { host: 'freshdesk', hostRecordId: page.id, recordType: page.kind },
      { email: readEmail(scope), name: readName(scope), company: readCompany(scope) },
      'customer',
    );
  },

  watchRoot(document) {
    return document.querySelector(FRESHDESK_SELECTORS.appRoot);
  },
};
