import { CLOSED_SHADOW, closestComposed, hasClosedShadowRoot, isHiddenComposed, renderedFirst, renderedQueryAll, renderedText, shadowHost } from '../../composed';
import { deepQuerySelectorAll, emailOf, findEmail, firstVisible, pathPattern, personExtraction, textOf, visibleAll } from '../../text';
import type { Extraction, Identity, SiteAdapter } from '../../types';

/**
 * Freshdesk agent UI: the ticket page (/a/tickets/<id>, legacy /helpdesk/tickets/<id>) and the
 * contact page (/a/contacts/<id>). Three layouts are live, read in this order:
 *
 * 1. 2026: the ticket's contact panel is a Freshworks micro-frontend,
 *    `mfe-application[app-id="fw-unified-mfe--contact-info"]`, whose content (contact link, company
 *    link, email) sits in its OPEN shadow root. Read through it (lib/sites/composed.ts); a closed root
 *    is named in `missing`.
 * 2. The older Ember "mint" widget (`.info-details-widget` with `data-test-id` hooks), kept for
 *    accounts still on it.
 * 3. Mid-2026: contact and company links in the page's own DOM (`a[href*="/a/contacts/"]`), read
 *    only outside the conversation (agents' replies and signatures, CC'd people who replied) and
 *    outside previews and pop-overs. It gives a name, rarely an email: Freshdesk's own API (see
 *    lib/sites/hosts/freshdesk/api.ts) then says who the requester is.
 *
 * The customer is never read from the conversation. Evidence, traps and decisions:
 * docs/hosts/freshdesk.md. Tested against tests/fixtures/hosts/freshdesk/*.html.
 */
export const FRESHDESK_SELECTORS = {
  /** URL path patterns (regular-expression sources, compiled on use by pathPattern). */
  paths: {
    /** A ticket: /a/tickets/<id> (every public script and integration), legacy /helpdesk/tickets/<id>. */
    ticket: '^/(?:a|helpdesk)/tickets/(\\d+)/?$',
    /** A contact: /a/contacts/<id> (the contact links of every layout point there). */
    contact: '^/a/contacts/(\\d+)/?$',
  },

  // --- 2026: the contact-info micro-frontend (shadow DOM) ---
  /**
   * The contact panel. Pepperoni-mc/viewlift-userscripts scripts/better-viewlift.user.js (2026-08)
   * reads `mfe-application[app-id="fw-unified-mfe--contact-info"]` and its `.shadowRoot`, and
   * `fw-unified-mfe--contact-info` (its memory.md, 2026-08-21: "the right-hand panels are shadow DOM:
   * ticket-details and fw-unified-mfe--contact-info (that one holds the contact name + email)"); a
   * public Freshdesk extension ("Atlas Comet", 2026) also tries `#fw-unified-mfe--contact-info`.
   */
  contactApp: 'mfe-application[app-id="fw-unified-mfe--contact-info"], fw-unified-mfe--contact-info, #fw-unified-mfe--contact-info',
  /** The contact's name, a link to /a/contacts/<id> in the panel ("Atlas Comet": shadowRoot `a[href*="/contacts/"]`). */
  appContactLink: 'a[href*="/contacts/"]',
  /** The company, a link to /a/companies/<id> in the panel ("Atlas Comet": shadowRoot `a[href*="/companies/"]`). */
  appCompanyLink: 'a[href*="/companies/"]',
  /**
   * The email in the panel, narrowest first: `p.break-all` (viewlift-userscripts 2026: "emailNodes =
   * root.querySelectorAll('p.break-all')"), a mailto link, an element whose test id names an email.
   */
  appEmail: ['p.break-all', 'a[href^="mailto:" i]', '[data-test-id*="email"]'],

  // --- mid-2026: links in the page's own DOM ---
  /** Contact link ("Atlas Comet", layout of June 2026: `document.querySelector('a[href*="/a/contacts/"]')`). */
  contactLink: 'a[href*="/a/contacts/"]',
  /** Company link (same source: `a[href*="/a/companies/"]`). */
  pageCompanyLink: 'a[href*="/a/companies/"]',
  /**
   * The conversation, never read for the customer: messages `.ticket-details__item` (first one
   * `[data-test-id="ticket-description"]`), `.conversation-header`, `[data-test-conversation]`, the
   * reply box `.rich-editor` (viewlift-userscripts memory.md, 2026-08), and the older
   * `#ticket_original_request`, `.sender-info` (a public "Kodex" script).
   */
  conversation: '.ticket-details__item, [data-test-id="ticket-description"], .conversation-header, [data-test-conversation], .rich-editor, #ticket_original_request, .sender-info',
  /** Previews and pop-overs (another ticket's hover preview, menus): ASSUMED markup (ARIA roles, Ember's dropdown content). */
  overlay: '[role="dialog"], [role="tooltip"], [role="menu"], .popover, .ember-basic-dropdown-content',

  // --- the older Ember ("mint") widget, kept as a fallback ---
  /** The "Contact details" widget of the ticket sidebar (bubbleupdotnet/freshdesk add_info_links.user.js). */
  contactWidget: '.info-details-widget',
  /** Contact name at the top of the widget (a public "Kodex" script); its link, when present, is /a/contacts/<id>. */
  contactName: '.widget-requestor-info',
  /** The contact link inside the widget's name. */
  contactNameLink: 'a[href*="/contacts/"]',
  /** Name as a widget field, Freshdesk's `requester-info-contact-<field>` pattern (Kodex script). */
  contactNameField: '[data-test-id="requester-info-contact-name"] .info-details-content',
  /** Email field (bubbleup userscript, Kodex script). */
  contactEmail: '[data-test-id="requester-info-contact-email"] .info-details-content',
  /** Any other email field of the widget, e.g. a secondary address. */
  anyEmailField: '[data-test-id*="email"] .info-details-content',
  /** A mailto link. */
  mailto: 'a[href^="mailto:" i]',
  /** Company link (a public Clockify custom integration): text = company name, href ends in the company id. */
  companyLink: '.company-info a',
  /** Company name as a widget field, Freshdesk's `requester-info-company-<field>` pattern. */
  companyNameField: '[data-test-id="requester-info-company-name"] .info-details-content',
  /** User names shown by the Ember app (Kodex script); on the contact page the contact's own. */
  userName: '[data-test-id="user-name"]',
  /** Main region of the contact page (semantic landmark; Freshdesk's exact wrapper is not public). */
  mainRegion: 'main, [role="main"]',
  /** What a MutationObserver should watch: Ember puts `.ember-application` on its root element (Ember's documented behaviour). */
  appRoot: '.ember-application',
};

type Page = { kind: 'ticket' | 'contact'; id: string };

/** The ticket or contact of a Freshdesk URL (for the adapter and for Freshdesk's API). */
export function freshdeskRecord(url: URL): Page | null {
  const ticket = pathPattern(FRESHDESK_SELECTORS.paths.ticket).exec(url.pathname)?.[1];
  if (ticket) return { kind: 'ticket', id: ticket };
  const contact = pathPattern(FRESHDESK_SELECTORS.paths.contact).exec(url.pathname)?.[1];
  return contact ? { kind: 'contact', id: contact } : null;
}

type Parts = Pick<Identity, 'email' | 'name' | 'company' | 'note'>;

/** Shown to the agent and visible: not hidden, not in a preview or pop-over. */
function isShown(element: Element): boolean {
  return !isHiddenComposed(element) && !closestComposed(element, FRESHDESK_SELECTORS.overlay);
}

/** `inner` sits inside `outer`, across shadow boundaries. */
function containsComposed(outer: Element, inner: Element): boolean {
  for (let node: Element | null = inner; node; node = node.parentElement ?? shadowHost(node)) {
    if (node !== inner && node === outer) return true;
  }
  return false;
}

/** A link's text as a name, or as an email when the contact has no name (Freshdesk then shows the address). */
function nameOrEmail(link: Element | null | undefined): Parts {
  const text = renderedText(link);
  const email = findEmail(text);
  return email && email === text?.toLowerCase() ? { email } : { name: text };
}

// --- 1. the 2026 contact-info micro-frontend ---

type AppReading = { parts: Parts; readable: true } | { readable: false; closed: boolean };

function readApp(app: Element): AppReading {
  const nameLink = renderedQueryAll(app, FRESHDESK_SELECTORS.appContactLink).find((a) => renderedText(a));
  const fromLink = nameOrEmail(nameLink);
  let email = fromLink.email;
  for (const selector of FRESHDESK_SELECTORS.appEmail) {
    if (email) break;
    for (const element of renderedQueryAll(app, selector)) {
      email = emailOf(element) ?? findEmail(renderedText(element));
      if (email) break;
    }
  }
  const company = renderedText(renderedFirst(app, [FRESHDESK_SELECTORS.appCompanyLink]));
  if (!email && !fromLink.name && !company) return { readable: false, closed: hasClosedShadowRoot(app) };
  return { readable: true, parts: { email, name: fromLink.name, company } };
}

/** The visible contact panels (outermost of nested ones), in document order. */
function contactApps(root: ParentNode): Element[] {
  const apps = deepQuerySelectorAll(root, FRESHDESK_SELECTORS.contactApp).filter(isShown);
  return apps.filter((app) => !apps.some((other) => other !== app && containsComposed(other, app)));
}

// --- 2. the older Ember widget ---

function readWidgetEmail(scope: ParentNode): string | undefined {
  const fromField = findEmail(textOf(firstVisible(scope, FRESHDESK_SELECTORS.contactEmail)));
  if (fromField) return fromField;
  for (const other of visibleAll(scope, FRESHDESK_SELECTORS.anyEmailField)) {
    const email = findEmail(textOf(other));
    if (email) return email;
  }
  return emailOf(firstVisible(scope, FRESHDESK_SELECTORS.mailto));
}

function readWidgetName(scope: ParentNode): string | undefined {
  const header = firstVisible(scope, FRESHDESK_SELECTORS.contactName);
  const link = header?.querySelector(FRESHDESK_SELECTORS.contactNameLink);
  return (
    textOf(link) ??
    textOf(header) ??
    textOf(firstVisible(scope, FRESHDESK_SELECTORS.contactNameField)) ??
    textOf(firstVisible(scope, FRESHDESK_SELECTORS.userName))
  );
}

function readWidgetCompany(scope: ParentNode): string | undefined {
  return textOf(firstVisible(scope, FRESHDESK_SELECTORS.companyLink)) ?? textOf(firstVisible(scope, FRESHDESK_SELECTORS.companyNameField));
}

function readWidget(scope: ParentNode): Parts {
  return { email: readWidgetEmail(scope), name: readWidgetName(scope), company: readWidgetCompany(scope) };
}

// --- 3. mid-2026 links in the page's own DOM ---

/** Visible links outside the conversation, previews and pop-overs. */
function pageLinks(root: ParentNode, selector: string): Element[] {
  return [...root.querySelectorAll(selector)].filter((a) => isShown(a) && !a.closest(FRESHDESK_SELECTORS.conversation) && textOf(a));
}

function readPageLinks(root: ParentNode): Parts | null {
  const contact = pageLinks(root, FRESHDESK_SELECTORS.contactLink)[0];
  if (!contact) return null;
  return { ...nameOrEmail(contact), company: textOf(pageLinks(root, FRESHDESK_SELECTORS.pageCompanyLink)[0]) };
}

/** The customer's parts on a ticket page, from the first layout that shows them; or why none did. */
function readTicket(root: ParentNode): { parts: Parts } | { missing: string } {
  const apps = contactApps(root);
  let closed = false;
  for (const app of apps) {
    const reading = readApp(app);
    if (reading.readable) {
      const note = apps.length > 1 ? `first of ${apps.length} contact panels on the page` : undefined;
      return { parts: { ...reading.parts, note } };
    }
    closed ||= reading.closed;
  }
  const widget = firstVisible(root, FRESHDESK_SELECTORS.contactWidget);
  if (widget) return { parts: readWidget(widget) };
  const links = readPageLinks(root);
  if (links) return { parts: links };
  return { missing: closed ? `contact details panel (${CLOSED_SHADOW})` : 'contact details panel' };
}

/** The contact's parts on a contact page: the panel or widget if the page has one, else its main region. */
function readContact(root: ParentNode): { parts: Parts } | { missing: string } {
  for (const app of contactApps(root)) {
    const reading = readApp(app);
    if (reading.readable) return { parts: reading.parts };
  }
  const scope = firstVisible(root, FRESHDESK_SELECTORS.contactWidget) ?? firstVisible(root, FRESHDESK_SELECTORS.mainRegion);
  return scope ? { parts: readWidget(scope) } : { missing: 'contact details' };
}

export const freshdesk: SiteAdapter = {
  id: 'freshdesk',
  definition: { version: 1, selectors: FRESHDESK_SELECTORS },
  name: 'Freshdesk',
  matches: ['https://*.freshdesk.com/*'],

  isRecordPage(url) {
    return freshdeskRecord(url) !== null;
  },

  recordOf(url) {
    const page = freshdeskRecord(url);
    return page && { hostRecordId: page.id, recordType: page.kind };
  },

  extract(root, url): Extraction {
    const page = freshdeskRecord(url);
    if (!page) return { identity: null, missing: ['ticket or contact id in the URL'] };
    const read = page.kind === 'ticket' ? readTicket(root) : readContact(root);
    if ('missing' in read) return { identity: null, missing: [read.missing] };
    const { note, ...parts } = read.parts;
    const extraction = personExtraction({ host: 'freshdesk', hostRecordId: page.id, recordType: page.kind }, parts, 'customer');
    return note && extraction.identity ? { ...extraction, identity: { ...extraction.identity, note } } : extraction;
  },

  watchRoot(document) {
    return document.querySelector(FRESHDESK_SELECTORS.appRoot);
  },
};
