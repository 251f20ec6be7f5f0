import {
  domainOfEmail,
  domainOfWebsite,
  emailFromMailto,
  emailInOwnText,
  findEmail,
  firstMatch,
  recordExtraction,
  textOf,
  visibleAll,
} from './text';
import type { Extraction, SiteAdapter } from './types';

/**
 * HubSpot CRM record pages: contact, company, deal and ticket, at
 * /contacts/<portal>/record/<objectTypeId>/<recordId> (0-1 contact, 0-2 company, 0-3 deal,
 * 0-5 ticket) and at the older /contacts/<portal>/(contact|company|deal|ticket)/<id>.
 *
 * A record page shows the record in its left sidebar and associated records (companies, contacts)
 * as cards in the right sidebar; clicking one opens a preview panel of *another* record on top of
 * the page. Only the record of the URL is read: its left sidebar, outside preview panels, dialogs
 * and association cards. Deals and tickets are not people: for them the customer is the first
 * associated contact of the right sidebar, and the first associated company. Selectors use
 * HubSpot's own test hooks (`data-test-id`, `data-selenium-test`), never its styled-components
 * class names, which change with every build. Tested against tests/fixtures/hosts/hubspot/*.html.
 */
export const HUBSPOT_SELECTORS = {
  /** Layers that show another record over the page: the record preview panel, the index page's
   * inline preview, any dialog (Clockify's HubSpot integration, 2024-2026; the preview panel hook since 2026-03). */
  otherRecordLayers: '[data-selenium-test="sidebar-preview-panel"], [data-test-id="IndexPageInlineSidebar"], [role="dialog"]',
  /** The record's own column (HubSpot Ticket Refined userscript, Clockify: left-sidebar hooks). */
  leftSidebar: '[data-test-id="left-sidebar"], [data-scroll-trackable-container="left-sidebar"], #record-page-left-sidebar',
  /** The associations column. */
  rightSidebar: '[data-test-id="records-right-sidebar"], [data-test-id="right-sidebar"]',
  /** Cards that show associated records' properties (a contact record shows its company's `name`). */
  associationCards: '[data-test-id^="card-wrapper-ASSOCIATION"], [data-selenium-test^="card-id-ASSOCIATION"], [data-test-id^="associated-objects-card-content-"]',
  /** The record's name in the highlight card: new UI, then the 2019-2023 hook. */
  recordName: {
    contact: ['[data-test-id="highlight-property-display-hs_full_name_or_email"]', '[data-test-id="highlight-record-label"]', '[data-selenium-test="highlightTitle"]'],
    company: ['[data-test-id="highlight-property-display-name"]', '[data-test-id="highlight-record-label"]', '[data-selenium-test="highlightTitle"]', '[data-selenium-test="property-input-name"]'],
  },
  /** A contact's email: highlight strip, then the About card's property input. */
  email: ['[data-test-id="highlight-property-display-email"]', '[data-selenium-test="property-input-email"]', '[data-unit-test="highlightSubtitle"] a[href^="mailto:"]'],
  /** A contact's company property. */
  company: ['[data-test-id="highlight-property-display-company"]', '[data-selenium-test="property-input-company"]'],
  /** A company's web domain. */
  domain: ['[data-test-id="highlight-property-display-domain"]', '[data-selenium-test="property-input-domain"]', '[data-selenium-test="property-input-website"]'],
  /** Where an association tile ends: the card's content list, the card, the sidebar. */
  cardBoundary:
    '[data-test-id^="associated-objects-card-content-"], [data-test-id^="card-wrapper-"], [data-selenium-test^="card-id-"], [data-test-id="records-right-sidebar"], [data-test-id="right-sidebar"]',
  /** Association cards' title links (Clockify's HubSpot integration). */
  contactTitleLink: '[data-selenium-test="contact-chicklet-title-link"]',
  companyTitleLink: '[data-selenium-test="company-chicklet-title-link"]',
  /** What a MutationObserver should watch, narrowest first. */
  page: ['#crm', 'main', '[role="main"]'],
} as const;

const OBJECT_TYPES = { '0-1': 'contact', '0-2': 'company', '0-3': 'deal', '0-5': 'ticket' } as const;
type RecordType = (typeof OBJECT_TYPES)[keyof typeof OBJECT_TYPES];

const RECORD_PATH = /^\/contacts\/(\d+)\/record\/(0-[1235])\/(\d+)(?:\/[^?#]*)?$/;
const LEGACY_PATH = /^\/contacts\/(\d+)\/(contact|company|deal|ticket)\/(\d+)(?:\/[^?#]*)?$/;

function parseRecordUrl(url: URL): { type: RecordType; id: string } | null {
  const current = RECORD_PATH.exec(url.pathname);
  if (current) return { type: OBJECT_TYPES[current[2] as keyof typeof OBJECT_TYPES], id: current[3] ?? '' };
  const legacy = LEGACY_PATH.exec(url.pathname);
  return legacy ? { type: legacy[2] as RecordType, id: legacy[3] ?? '' } : null;
}

/** Elements of the page's own record: visible and outside layers that show another record. */
function onPage(root: ParentNode, selector: string): Element[] {
  return visibleAll(root, selector).filter((el) => el.closest(HUBSPOT_SELECTORS.otherRecordLayers) === null);
}

/** The value of a property element: an input's value, or its text. */
function valueOf(element: Element | undefined): string | undefined {
  if (!element) return undefined;
  const control = element.matches('input, textarea') ? element : element.querySelector('input, textarea');
  const value = control?.getAttribute('value') ?? (control ? textOf(control) : undefined);
  if (control && value?.trim()) return value.replace(/\s+/g, ' ').trim();
  return textOf(element.querySelector('.private-truncated-string__inner') ?? element);
}

/** Reads the record's own properties: the left sidebar, association cards excluded. */
class OwnRecord {
  private readonly scope: ParentNode;
  constructor(root: ParentNode) {
    this.scope = onPage(root, HUBSPOT_SELECTORS.leftSidebar)[0] ?? root;
  }
  first(selectors: readonly string[]): Element | undefined {
    for (const selector of selectors) {
      const found = onPage(this.scope, selector).find((el) => el.closest(HUBSPOT_SELECTORS.associationCards) === null);
      if (found) return found;
    }
    return undefined;
  }
  text(selectors: readonly string[]): string | undefined {
    return valueOf(this.first(selectors));
  }
  email(): string | undefined {
    const element = this.first(HUBSPOT_SELECTORS.email);
    const link = element?.matches('a[href^="mailto:"]') ? element : element?.querySelector('a[href^="mailto:"]');
    return emailFromMailto(link?.getAttribute('href')) ?? findEmail(valueOf(element));
  }
}

/** The first associated record of a kind in the right sidebar: its name and, for contacts, email. */
function associated(root: ParentNode, titleLink: string): { name?: string; email?: string } {
  const link = onPage(root, titleLink).find((el) => el.closest(HUBSPOT_SELECTORS.rightSidebar) !== null);
  if (!link) return {};
  // The association tile: the largest ancestor inside the card that still holds only this record.
  let tile: Element = link;
  for (let parent = tile.parentElement; parent; parent = parent.parentElement) {
    if (parent.matches(HUBSPOT_SELECTORS.cardBoundary) || parent.querySelectorAll(titleLink).length > 1) break;
    tile = parent;
  }
  const mailto = tile.querySelector('a[href^="mailto:"]');
  return { name: textOf(link), email: emailFromMailto(mailto?.getAttribute('href')) ?? emailInOwnText(tile, link) };
}

/** A display name that is really an email (hs_full_name_or_email falls back to the email). */
function personName(text: string | undefined): string | undefined {
  return text && !findEmail(text) ? text : undefined;
}

export const hubspot: SiteAdapter = {
  id: 'hubspot',
  definition: { version: 1, selectors: HUBSPOT_SELECTORS },
  name: 'HubSpot',
  matches: ['https://*.hubspot.com/contacts/*'],

  isRecordPage(url) {
    return parseRecordUrl(url) !== null;
  },

  extract(root, url): Extraction {
    try {
      const record = parseRecordUrl(url);
      if (!record) return { identity: null, missing: ['record id in the URL'] };
      const own = new OwnRecord(root);
      let email: string | undefined;
      let name: string | undefined;
      let company: string | undefined;
      let domain: string | undefined;
      let expected: Record<string, boolean>;

      switch (record.type) {
        case 'contact': {
          const shown = own.text(HUBSPOT_SELECTORS.recordName.contact);
          email = own.email() ?? findEmail(shown);
          name = personName(shown);
          company = own.text(HUBSPOT_SELECTORS.company) ?? associated(root, HUBSPOT_SELECTORS.companyTitleLink).name;
          domain = domainOfEmail(email);
          expected = { 'contact email': !!email, 'contact name': !!name };
          break;
        }
        case 'company': {
          company = own.text(HUBSPOT_SELECTORS.recordName.company);
          domain = domainOfWebsite(own.text(HUBSPOT_SELECTORS.domain));
          expected = { 'company name': !!company, 'company domain': !!domain };
          break;
        }
        case 'deal':
        case 'ticket': {
          const contact = associated(root, HUBSPOT_SELECTORS.contactTitleLink);
          email = contact.email;
          name = personName(contact.name);
          company = associated(root, HUBSPOT_SELECTORS.companyTitleLink).name;
          domain = domainOfEmail(email);
          expected = { 'associated contact email': !!email, 'associated contact name': !!name };
          break;
        }
      }
      return recordExtraction(
        { host: 'hubspot', hostRecordId: record.id, recordType: record.type },
        { email, name, company, domain },
        expected,
      );
    } catch {
      return { identity: null, missing: ['readable record page'] };
    }
  },

  watchRoot(document) {
    return firstMatch(document, HUBSPOT_SELECTORS.page);
  },
};
