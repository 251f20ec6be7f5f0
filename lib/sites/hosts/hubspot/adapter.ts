import {
  domainOfEmail,
  domainOfWebsite,
  emailFromMailto,
  emailInOwnText,
  findEmail,
  firstMatch,
  isHidden,
  pathPattern,
  recordExtraction,
  textOf,
  visibleAll,
} from '../../text';
import type { Extraction, Identity, SiteAdapter } from '../../types';

/**
 * HubSpot: CRM record pages (contact, company, deal, ticket) at
 * /contacts/<portal>/record/<objectTypeId>/<recordId> (0-1 contact, 0-2 company, 0-3 deal,
 * 0-5 ticket) and the older /contacts/<portal>/(contact|company|deal|ticket)/<id>, and Help Desk
 * tickets at /help-desk/<portal>/…/ticket/<ticketId>(/thread) (the Service Hub workspace, 2024-).
 *
 * A record page shows the record in its left sidebar and associated records (companies, contacts)
 * as cards in the right sidebar; clicking one opens a preview panel of *another* record on top of
 * the page. Only the record of the URL is read: its left sidebar, outside preview panels, dialogs
 * and association cards. Deals and tickets are not people: their customer is an associated contact,
 * chosen by a stated rule and said through `Identity.note` when there were several:
 *  - a Help Desk ticket: the ticket's own contact, the one its header names (HubSpot's "opened by"
 *    contact), found among the ticket's associated contacts by record id (else by name) for the email;
 *    when the header names no contact, the first associated contact;
 *  - a CRM deal or ticket record: the first associated contact of the Contacts card (HubSpot lists
 *    them in its own order; the page marks no primary contact).
 * Never the ticket/deal owner (a HubSpot user), the recipients of the reply composer, the thread's
 * senders, other tickets of a Help Desk view, or a previewed record. Selectors use HubSpot's own test
 * hooks (`data-test-id`, `data-selenium-test`), never its styled-components class names or words of
 * the UI (localised). Every selector and URL pattern is here, with its evidence; see docs/hosts/hubspot.md.
 */
export const HUBSPOT_SELECTORS = {
  /** URL path patterns (regular expressions' source, compiled on use). */
  paths: {
    /** /contacts/<portal>/record/<objectTypeId>/<id>: HubSpot's record URLs since 2022 (Clockify, Toggl, the quick-actions userscript's getRecord, 2026). */
    record: '^/contacts/(\\d+)/record/(0-[1235])/(\\d+)(?:/[^?#]*)?$',
    /** /contacts/<portal>/<type>/<id>: the older record URLs, still redirected (quick-actions userscript, 2026). */
    legacyRecord: '^/contacts/(\\d+)/(contact|company|deal|ticket)/(\\d+)(?:/[^?#]*)?$',
    /**
     * Help Desk ticket: /help-desk/<portal>/view/<view>/ticket/<id> (a 2025 ticket link in public code,
     * with ?messageId=), /help-desk/<portal>/…/ticket/<id>/thread (Clockify hubspot.js 2025-2026:
     * /\/ticket\/(\d+)\/thread/; the quick-actions userscript: ^/help-desk/(\d+)/(?:.*\/)?ticket/(\d+)).
     */
    helpDeskTicket: '^/help-desk/(\\d+)/(?:[^?#]*/)?ticket/(\\d+)(?:/[^?#]*)?$',
    /** A contact's record id in a link: /record/0-1/<id> or /contact/<id>. */
    contactLink: '/(?:record/0-1|contact)/(\\d+)(?:[/?#]|$)',
    /** A ticket's id in a link: …/ticket/<id>(/thread) (Clockify; the ticket-helper extension reads the header links' hrefs). */
    ticketLink: '/ticket/(\\d+)(?:[/?#]|$)',
    /** The number in a card's title, "Contacts (3)", whatever the language. */
    cardCount: '\\((\\d+)\\)',
  },
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
  /** A property being edited: its input (HubSpot's inline edit puts the value in an input). */
  propertyInput: 'input, textarea',
  /** HubSpot's truncated text (public Selenium suites: property-input-email span.private-truncated-string__inner). */
  truncated: '.private-truncated-string__inner',
  /** Where an association tile ends: the card's content list, the card, the sidebar. */
  cardBoundary:
    '[data-test-id^="associated-objects-card-content-"], [data-test-id^="card-wrapper-"], [data-selenium-test^="card-id-"], [data-test-id="records-right-sidebar"], [data-test-id="right-sidebar"], [data-sidebar-card-association-object-type-id]',
  /** Association tiles' title links (Clockify's HubSpot integration; the 2026 ticket-helper extension also reads `data-test-id=`). */
  contactTitleLink: '[data-selenium-test="contact-chicklet-title-link"], [data-test-id="contact-chicklet-title-link"]',
  companyTitleLink: '[data-selenium-test="company-chicklet-title-link"], [data-test-id="company-chicklet-title-link"]',
  /** A contact tile's email link (2026 ticket-helper extension: a[data-test-id="contact-chicklet-email"][href^="mailto:"]). */
  contactTileEmail: 'a[data-test-id="contact-chicklet-email"], a[data-selenium-test="contact-chicklet-email"]',
  mailto: 'a[href^="mailto:" i]',
  /** Any link (a header's link to its record). */
  link: 'a[href]',
  /** The Contacts card's title, for its count "(3)" (ticket-helper extension: crm-card-title, h2). */
  cardTitle: '[data-selenium-test="crm-card-title"], h2, [role="heading"]',
  /** The Contacts / Companies cards of a record (CRM: card-wrapper-ASSOCIATION_V3/0-1; Help Desk: the ticket-helper's card keys). */
  contactsCard: '[data-sidebar-card-association-object-type-id="0-1"], [data-test-id="card-wrapper-ASSOCIATION_V3/0-1"], [data-selenium-test="card-id-ASSOCIATION_V3/0-1"]',
  helpDesk: {
    /** The Help Desk workspace (Clockify hubspot.js 2026: [data-application-name="svh-help-desk"]). */
    app: '[data-application-name="svh-help-desk"]',
    /** The ticket's subject link in its header; its href names the ticket (Clockify 2025-2026; ticket-helper extension 2026). */
    ticketHeaderName: '[data-test-id="ticket-header-name-link"]',
    /** The ticket's own contact in its header: a link to the contact record, text = name (or email), `[data-content="true"]` inside (ticket-helper extension 2026; Pureservice/HubSpot extractor). */
    ticketHeaderContact: '[data-test-id="ticket-header-contact-detail-link"]',
    headerContactText: '[data-content="true"]',
    /** The panel holding one open ticket (ticket-helper extension 2026: [data-component-name="Panel"] around ticket-panel-close-button). */
    ticketPanel: '[data-component-name="Panel"]',
    /** Roots a ticket's header may sit in, narrowest first (ticket-helper extension: Panel, then [data-layer-for="Panel"], then main). */
    ticketRoots: ['[data-component-name="Panel"]', '[data-layer-for="Panel"]', '[data-application-name="svh-help-desk"]', 'main'],
    /** The ticket's sidebar cards of associated records (ticket-helper extension 2026; data-sidebar-key is localised: never read). */
    contactsCard: '[data-sidebar-card-association-object-type-id="0-1"], [data-test-id="card-wrapper-ASSOCIATION_V3/0-1"]',
    companiesCard: '[data-sidebar-card-association-object-type-id="0-2"], [data-test-id="card-wrapper-ASSOCIATION_V3/0-2"]',
    /** One contact tile of a card (ticket-helper extension 2026). */
    contactTile: '[data-test-id^="chiclet-0-1-"], [data-test-id^="chicklet-"], [data-selenium-test="chicklet"]',
  },
  /** What a MutationObserver should watch on a CRM record page, narrowest first (Help Desk: the body). */
  page: ['#crm', 'main', '[role="main"]'],
};

const OBJECT_TYPES = { '0-1': 'contact', '0-2': 'company', '0-3': 'deal', '0-5': 'ticket' } as const;
type RecordType = (typeof OBJECT_TYPES)[keyof typeof OBJECT_TYPES];
type RecordRef = { type: RecordType; id: string; helpDesk: boolean };

function parseRecordUrl(url: URL): RecordRef | null {
  const { paths } = HUBSPOT_SELECTORS;
  const current = pathPattern(paths.record).exec(url.pathname);
  if (current) return { type: OBJECT_TYPES[current[2] as keyof typeof OBJECT_TYPES], id: current[3] ?? '', helpDesk: false };
  const legacy = pathPattern(paths.legacyRecord).exec(url.pathname);
  if (legacy) return { type: legacy[2] as RecordType, id: legacy[3] ?? '', helpDesk: false };
  const helpDesk = pathPattern(paths.helpDeskTicket).exec(url.pathname);
  return helpDesk ? { type: 'ticket', id: helpDesk[2] ?? '', helpDesk: true } : null;
}

/**
 * Elements of the page's own record: visible, and not inside a layer that shows another record
 * (a layer that holds `root` itself, e.g. the Help Desk panel of the URL's ticket, does not count).
 */
function onPage(scope: ParentNode, selector: string, root?: Element): Element[] {
  return visibleAll(scope, selector).filter((el) => {
    const layer = el.closest(HUBSPOT_SELECTORS.otherRecordLayers);
    return layer === null || (root !== undefined && layer.contains(root));
  });
}

/** The value of a property element: an input's value (edit mode), or its text. */
function valueOf(element: Element | undefined): string | undefined {
  if (!element) return undefined;
  const { propertyInput, truncated } = HUBSPOT_SELECTORS;
  const control = element.matches(propertyInput) ? element : element.querySelector(propertyInput);
  const value = control?.getAttribute('value') ?? (control ? textOf(control) : undefined);
  if (control && value?.trim()) return value.replace(/\s+/g, ' ').trim();
  return textOf(element.querySelector(truncated) ?? element);
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
    const { mailto } = HUBSPOT_SELECTORS;
    const link = element?.matches(mailto) ? element : element?.querySelector(mailto);
    return emailFromMailto(link?.getAttribute('href')) ?? findEmail(valueOf(element));
  }
}

/** One associated record's tile: its title link, name, email (contacts) and record id. */
interface Tile {
  link: Element;
  name?: string;
  email?: string;
  contactId?: string;
}

/** The association tile of a title link: the largest ancestor inside the card that still holds only this record. */
function tileOf(link: Element, titleLink: string): Tile {
  let tile: Element = link;
  for (let parent = tile.parentElement; parent; parent = parent.parentElement) {
    if (parent.matches(HUBSPOT_SELECTORS.cardBoundary) || parent.querySelectorAll(titleLink).length > 1) break;
    tile = parent;
  }
  const { contactTileEmail, mailto } = HUBSPOT_SELECTORS;
  const mail = tile.querySelector(contactTileEmail) ?? tile.querySelector(mailto);
  return {
    link,
    name: textOf(link),
    email: emailFromMailto(mail?.getAttribute('href')) ?? findEmail(textOf(mail)) ?? emailInOwnText(tile, link),
    contactId: contactIdOf(link.getAttribute('href')),
  };
}

function contactIdOf(href: string | null | undefined): string | undefined {
  return href ? pathPattern(HUBSPOT_SELECTORS.paths.contactLink).exec(href)?.[1] : undefined;
}

/** Associated records of a kind in `scope`'s association cards (the right sidebar), in the page's order. */
function associatedTiles(scope: ParentNode, titleLink: string, inCards: string, root?: Element): Tile[] {
  return onPage(scope, titleLink, root)
    .filter((el) => el.closest(inCards) !== null)
    .map((link) => tileOf(link, titleLink));
}

/** How many contacts a card says it holds ("Contacts (3)"), when more than it shows. */
function cardCount(scope: ParentNode, card: string, root?: Element, keep: (card: Element) => boolean = () => true): number {
  let count = 0;
  for (const el of onPage(scope, card, root).filter(keep)) {
    const title = el.querySelector(HUBSPOT_SELECTORS.cardTitle);
    const n = Number(pathPattern(HUBSPOT_SELECTORS.paths.cardCount).exec(textOf(title) ?? '')?.[1] ?? 0);
    count = Math.max(count, Number.isSafeInteger(n) ? n : 0);
  }
  return count;
}

/** A display name that is really an email (hs_full_name_or_email falls back to the email). */
function personName(text: string | undefined): string | undefined {
  return text && !findEmail(text) ? text : undefined;
}

const sameName = (a: string | undefined, b: string | undefined) =>
  !!a && !!b && a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();

/** "3 associated contacts", "2 associated companies". */
const associatedCount = (n: number, kind: 'contact' | 'company') =>
  `${n} associated ${kind === 'contact' ? (n === 1 ? 'contact' : 'contacts') : n === 1 ? 'company' : 'companies'}`;

/** The first associated contact and company of a CRM deal or ticket, and the note when there were several. */
function associatedCustomer(root: ParentNode): { email?: string; name?: string; company?: string; note?: string } {
  const { contactTitleLink, companyTitleLink, rightSidebar, contactsCard } = HUBSPOT_SELECTORS;
  const contacts = associatedTiles(root, contactTitleLink, rightSidebar);
  const companies = associatedTiles(root, companyTitleLink, rightSidebar);
  const contact = contacts[0];
  const total = Math.max(contacts.length, cardCount(root, contactsCard));
  const notes: string[] = [];
  if (contact && total > 1) notes.push(`first of ${associatedCount(total, 'contact')}`);
  if (companies.length > 1) notes.push(`first of ${associatedCount(companies.length, 'company')}`);
  return { email: contact?.email, name: personName(contact?.name), company: companies[0]?.name, note: notes.join('; ') || undefined };
}

/** The open ticket's root on a Help Desk page: the panel (or workspace) whose header names the URL's ticket. */
function helpDeskRoot(root: ParentNode, ticketId: string): Element | null {
  const { ticketHeaderName, ticketHeaderContact, ticketRoots } = HUBSPOT_SELECTORS.helpDesk;
  const headers = [...root.querySelectorAll(`${ticketHeaderName}, ${ticketHeaderContact}`)].filter((el) => !isHidden(el));
  const { link, paths } = HUBSPOT_SELECTORS;
  const hrefs = (header: Element) => [header, ...header.querySelectorAll(link)].map((a) => a.getAttribute('href') ?? '');
  const ownsTicket = (header: Element) => hrefs(header).some((href) => pathPattern(paths.ticketLink).exec(href)?.[1] === ticketId);
  const header = headers.find(ownsTicket) ?? headers[0];
  if (!header) return null;
  for (const selector of ticketRoots) {
    const candidate = header.closest(selector);
    if (candidate) return candidate;
  }
  return header.ownerDocument.body;
}

/** A Help Desk ticket: the contact its header names, matched to its associated contacts for the email. */
function helpDeskCustomer(root: ParentNode, ticketId: string): { found: boolean; email?: string; name?: string; company?: string; note?: string } {
  const ticket = helpDeskRoot(root, ticketId);
  if (!ticket) return { found: false };
  const { app, contactsCard, companiesCard, ticketHeaderContact, headerContactText, ticketPanel } = HUBSPOT_SELECTORS.helpDesk;
  const { contactTitleLink, companyTitleLink } = HUBSPOT_SELECTORS;
  // The sidebar of associated records sits in the ticket's panel, or beside it (the full ticket view):
  // then the workspace is read, without what another ticket's panel holds.
  const scope: ParentNode = ticket.querySelector(contactsCard) ? ticket : (ticket.closest(app) ?? ticket.ownerDocument);
  const ofThisTicket = (el: Element) => {
    const panel = el.closest(ticketPanel);
    return panel === null || panel === ticket || panel.contains(ticket) || ticket.contains(panel);
  };
  const contacts = associatedTiles(scope, contactTitleLink, contactsCard, ticket).filter((t) => ofThisTicket(t.link));
  const companies = associatedTiles(scope, companyTitleLink, companiesCard, ticket).filter((t) => ofThisTicket(t.link));
  const total = Math.max(contacts.length, cardCount(scope, contactsCard, ticket, ofThisTicket));
  const company = companies[0]?.name;
  const companyNote = companies.length > 1 ? `first of ${associatedCount(companies.length, 'company')}` : undefined;
  const join = (...notes: (string | undefined)[]) => notes.filter(Boolean).join('; ') || undefined;

  const header = onPage(ticket, ticketHeaderContact, ticket)[0];
  const link = header?.matches(HUBSPOT_SELECTORS.link) ? header : header?.querySelector(HUBSPOT_SELECTORS.link);
  const shown = textOf(header?.querySelector(headerContactText) ?? link ?? header);
  const headerId = contactIdOf(link?.getAttribute('href'));
  const headerEmail = findEmail(shown);
  const tile =
    contacts.find((t) => headerId !== undefined && t.contactId === headerId) ??
    contacts.find((t) => sameName(t.name, shown) || (!!headerEmail && t.email === headerEmail));
  // The header names a contact when its link leads to a contact record, it shows an address, it names
  // one of the ticket's contacts, or the contacts card has not rendered (then its words are a name).
  // Otherwise it offers to add a contact ("Add contact", in the agent's language): there is none.
  if (header && (headerId || (shown && (headerEmail || tile || contacts.length === 0)))) {
    const others = total > 1 ? `the ticket’s own contact (named in its header), not the other ${total - 1} of ${associatedCount(total, 'contact')}` : undefined;
    return {
      found: true,
      email: headerEmail ?? tile?.email,
      name: personName(shown) ?? personName(tile?.name),
      company,
      note: join(others, companyNote),
    };
  }
  const first = contacts[0];
  return {
    found: true,
    email: first?.email,
    name: personName(first?.name),
    company,
    note: join(first && total > 1 ? `the ticket header names no contact: first of ${associatedCount(total, 'contact')}` : undefined, companyNote),
  };
}

export const hubspot: SiteAdapter = {
  id: 'hubspot',
  definition: { version: 1, selectors: HUBSPOT_SELECTORS },
  name: 'HubSpot',
  matches: ['https://*.hubspot.com/contacts/*', 'https://*.hubspot.com/help-desk/*'],

  isRecordPage(url) {
    return parseRecordUrl(url) !== null;
  },

  recordOf(url) {
    const record = parseRecordUrl(url);
    return record && { hostRecordId: record.id, recordType: record.type };
  },

  extract(root, url): Extraction {
    try {
      const record = parseRecordUrl(url);
      if (!record) return { identity: null, missing: ['record id in the URL'] };
      const identityOf = (
        parts: Pick<Identity, 'email' | 'name' | 'company' | 'domain'>,
        expected: { [part: string]: boolean },
        note?: string,
      ): Extraction => {
        const extraction = recordExtraction({ host: 'hubspot', hostRecordId: record.id, recordType: record.type }, parts, expected);
        return extraction.identity && note ? { ...extraction, identity: { ...extraction.identity, note } } : extraction;
      };

      if (record.helpDesk) {
        const customer = helpDeskCustomer(root, record.id);
        if (!customer.found) return { identity: null, missing: ['ticket header'] };
        const { email, name, company, note } = customer;
        return identityOf({ email, name, company, domain: domainOfEmail(email) }, { 'ticket contact email': !!email, 'ticket contact name': !!name }, note);
      }

      const own = new OwnRecord(root);
      switch (record.type) {
        case 'contact': {
          const shown = own.text(HUBSPOT_SELECTORS.recordName.contact);
          const email = own.email() ?? findEmail(shown);
          const name = personName(shown);
          const company =
            own.text(HUBSPOT_SELECTORS.company) ?? associatedTiles(root, HUBSPOT_SELECTORS.companyTitleLink, HUBSPOT_SELECTORS.rightSidebar)[0]?.name;
          return identityOf({ email, name, company, domain: domainOfEmail(email) }, { 'contact email': !!email, 'contact name': !!name });
        }
        case 'company': {
          const company = own.text(HUBSPOT_SELECTORS.recordName.company);
          const domain = domainOfWebsite(own.text(HUBSPOT_SELECTORS.domain));
          return identityOf({ company, domain }, { 'company name': !!company, 'company domain': !!domain });
        }
        case 'deal':
        case 'ticket': {
          const { email, name, company, note } = associatedCustomer(root);
          return identityOf(
            { email, name, company, domain: domainOfEmail(email) },
            { 'associated contact email': !!email, 'associated contact name': !!name },
            note,
          );
        }
      }
    } catch {
      return { identity: null, missing: ['readable record page'] };
    }
  },

  watchRoot(document, url) {
    // Help Desk opens tickets (and previews) as layers at the end of the body, outside the
    // workspace: the body is watched there (null: the caller's fallback).
    if (parseRecordUrl(url)?.helpDesk) return null;
    return firstMatch(document, HUBSPOT_SELECTORS.page);
  },
};
