import { deepQuerySelectorAll, emailInOwnText, emailOf, findEmail, isHidden, pathPattern, personExtraction, textOf } from '../../text';
import type { Extraction, SiteAdapter } from '../../types';

/**
 * Intercom (the Ember inbox): an open conversation (/a/inbox/<app>/inbox/…/conversation/<id>) and a
 * contact's page (/a/apps/<app>/users/<id>).
 *
 * The inbox shows a list of conversations, the open conversation and, to its right, the details
 * panel of the open conversation's contact (a user or a lead). The contact is read from that panel
 * and from the conversation's header, never from the list (other conversations, previews) or the
 * stream (teammates' replies and signatures, the customer quoting other addresses). Intercom renders
 * parts of the inbox in open shadow roots, so both are looked for through them; a closed shadow root
 * cannot be read and the adapter then says what it did not find.
 *
 * Evidence for the email is thin: `[data-key="email"]` is evidenced only by a 2019 extension; the
 * conversation header carrying the contact's address by a userscript (2022); no 2024–2026 source reads
 * the address. Every selector and URL pattern is in INTERCOM_SELECTORS with its evidence; the full
 * account is docs/hosts/intercom.md.
 */
export const INTERCOM_SELECTORS = {
  /** URL patterns (regular-expression sources, compiled on use). */
  paths: {
    /** Conversation routes of the inbox (/a/inbox/<app>/inbox/[…/]conversation/<id>) and the older /a/apps/<app>/… forms. */
    conversation: ['^/a/(?:inbox|apps)/[^/]+/inbox(?:/[^/]+)*?/conversations?/(\\d+)/?$', '^/a/apps/[^/]+/conversations/(\\d+)/?$'],
    /** A contact's page; contact ids are 24 hex digits (`/users/segments/…` is the list). */
    contact: '^/a/apps/[^/]+/users/([0-9a-f]{24})(?:/[^/]+)*/?$',
  },
  /** The open conversation ("Intercom Focus" extension, "selectors verified from actual Intercom DOM, May 2026"; "Support Copilot for Intercom" 2026). */
  conversationSpace: '[data-intercom-target="conversation-space"]',
  /**
   * The right-hand details panel of the open conversation: `.inbox2__conversation-details-sidebar`
   * and `[data-resize-target][data-resize-min-width="300"]` (Intercom Focus, May 2026); the
   * `inbox-2__` spelling Intercom switched to in April 2026 (Support Copilot changelog 3.1.0,
   * 2026-04-27); `[data-intercom-target="conversation-sidebar"]` (a 2019 extension).
   */
  detailsPanel:
    '.inbox2__conversation-details-sidebar, .inbox-2__conversation-details-sidebar, [data-resize-target][data-resize-min-width="300"], [data-intercom-target="conversation-sidebar"]',
  /** The conversation header's title, the contact's name (Clockify 2026-03: `[data-inbox-conversation-header-title] span`; Support Copilot 2026). */
  headerTitle: '[data-inbox-conversation-header-title], [data-conversation-title], .inbox-2__conversation-title, .inbox2__conversation-title',
  /** The conversation header, whose text includes the contact's address (a userscript, greasyfork 2022: `$('.inbox-2__conversation-header').text().search('<address>')`). */
  header: '.inbox-2__conversation-header, .inbox2__conversation-header',
  /** A contact attribute row, by attribute key (a 2019 extension: `[data-key=user_id] .t__solo-link`, `[data-key="company.remote_company_id"] a`). */
  emailRow: '[data-key="email"]',
  nameRow: '[data-key="name"]',
  companyRow: '[data-key="company.name"]',
  /** The value inside an attribute row (2019 extension selectors: `.t__solo-link`, `a`). */
  attributeValue: '.t__solo-link, a',
  /** Link to the contact's own page from the panel (ASSUMED: no public source shows it). */
  profileLink: 'a[href*="/users/"]',
  /** A mailto link on a contact's page (ASSUMED; not read in the conversation's right sidebar, which can show Copilot). */
  mailto: 'a[href^="mailto:" i]',
  /** Main region of a contact page (semantic landmark; Intercom's own wrapper is not public). */
  mainRegion: 'main, [role="main"]',
  /** The part of a contact page holding its attribute rows (ASSUMED: a landmark or section around the email row). */
  contactSection: 'main, [role="main"], section, [role="region"]',
  heading: 'h1',
  /** Ember puts this class on its root element (Ember's documented behaviour). */
  appRoot: '.ember-application',
};

type Page = { kind: 'conversation' | 'contact'; id: string };

function pageOf(url: URL): Page | null {
  for (const source of INTERCOM_SELECTORS.paths.conversation) {
    const id = pathPattern(source).exec(url.pathname)?.[1];
    if (id) return { kind: 'conversation', id };
  }
  const user = pathPattern(INTERCOM_SELECTORS.paths.contact).exec(url.pathname)?.[1];
  return user ? { kind: 'contact', id: user } : null;
}

/** Whether an element is hidden in its own tree or by its shadow hosts. */
function hiddenDeep(element: Element): boolean {
  for (let el: Element | null = element; el; ) {
    if (isHidden(el)) return true;
    const root = el.getRootNode();
    el = root instanceof ShadowRoot ? root.host : null;
  }
  return false;
}

/** The visible elements under `root` matching `selector`, through open shadow roots; the outermost of nested matches. */
function visibleDeep(root: ParentNode, selector: string): Element[] {
  const all = deepQuerySelectorAll(root, selector).filter((el) => !hiddenDeep(el));
  return all.filter((el) => !all.some((other) => other !== el && other.contains(el)));
}

function firstVisibleDeep(root: ParentNode, selector: string): Element | undefined {
  return visibleDeep(root, selector)[0];
}

/** The value an attribute row shows. */
function rowValue(scope: ParentNode, selector: string): string | undefined {
  const row = firstVisibleDeep(scope, selector);
  if (!row) return undefined;
  return textOf(row.querySelector(INTERCOM_SELECTORS.attributeValue)) ?? textOf(row.lastElementChild) ?? textOf(row);
}

/** The contact's address in its email attribute row. */
function rowEmail(scope: ParentNode): string | undefined {
  const row = firstVisibleDeep(scope, INTERCOM_SELECTORS.emailRow);
  return row ? findEmail(textOf(row)) : undefined;
}

function extractConversation(root: ParentNode, page: Page): Extraction {
  const panel = firstVisibleDeep(root, INTERCOM_SELECTORS.detailsPanel);
  const space = firstVisibleDeep(root, INTERCOM_SELECTORS.conversationSpace);
  const header = firstVisibleDeep(space ?? root, INTERCOM_SELECTORS.header);
  const title = textOf(firstVisibleDeep(space ?? root, INTERCOM_SELECTORS.headerTitle));
  if (!panel && !header && !title) return { identity: null, missing: ['conversation details panel'] };
  const titleElement = header ? firstVisibleDeep(header, INTERCOM_SELECTORS.headerTitle) : undefined;
  // The panel's email row, else the header. Not any address in the panel: the right sidebar can show
  // Copilot's answers (Intercom Focus: "Right sidebar (Details / Copilot)"), which quote other people.
  const email = (panel ? rowEmail(panel) : undefined) ?? (header ? emailInOwnText(header) : undefined);
  const name = [
    panel ? textOf(firstVisibleDeep(panel, INTERCOM_SELECTORS.profileLink)) : undefined,
    panel ? rowValue(panel, INTERCOM_SELECTORS.nameRow) : undefined,
    textOf(titleElement) ?? title,
  ].find((candidate) => candidate !== undefined && !findEmail(candidate));
  return personExtraction(
    { host: 'intercom', hostRecordId: page.id, recordType: page.kind },
    { email, name, company: panel ? rowValue(panel, INTERCOM_SELECTORS.companyRow) : undefined },
    'customer',
  );
}

function extractContact(root: ParentNode, page: Page): Extraction {
  const scope =
    firstVisibleDeep(root, INTERCOM_SELECTORS.emailRow)?.closest(INTERCOM_SELECTORS.contactSection) ??
    firstVisibleDeep(root, INTERCOM_SELECTORS.mainRegion);
  if (!scope) return { identity: null, missing: ['contact details'] };
  return personExtraction(
    { host: 'intercom', hostRecordId: page.id, recordType: page.kind },
    {
      email: rowEmail(scope) ?? emailOf(firstVisibleDeep(scope, INTERCOM_SELECTORS.mailto)),
      name: rowValue(scope, INTERCOM_SELECTORS.nameRow) ?? textOf(firstVisibleDeep(scope, INTERCOM_SELECTORS.heading)),
      company: rowValue(scope, INTERCOM_SELECTORS.companyRow),
    },
    'customer',
  );
}

export const intercom: SiteAdapter = {
  id: 'intercom',
  definition: { version: 1, selectors: INTERCOM_SELECTORS },
  name: 'Intercom',
  matches: [
    'https://app.intercom.com/*',
    'https://app.eu.intercom.com/*',
    'https://app.au.intercom.com/*',
    'https://app.intercom.io/*',
  ],

  isRecordPage(url) {
    return pageOf(url) !== null;
  },

  recordOf(url) {
    const page = pageOf(url);
    return page && { hostRecordId: page.id, recordType: page.kind };
  },

  extract(root, url): Extraction {
    const page = pageOf(url);
    if (!page) return { identity: null, missing: ['conversation or contact id in the URL'] };
    return page.kind === 'conversation' ? extractConversation(root, page) : extractContact(root, page);
  },

  watchRoot(document, url) {
    if (pageOf(url)?.kind === 'conversation') {
      const container = document.querySelector(INTERCOM_SELECTORS.conversationSpace)?.parentElement;
      if (container) return container;
    }
    return document.querySelector(INTERCOM_SELECTORS.appRoot);
  },
};
