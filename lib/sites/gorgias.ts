import { emailOf, firstVisible, personExtraction, textOf } from './text';
import type { Extraction, SiteAdapter } from './types';

/**
 * Gorgias helpdesk (React): a ticket (/app/ticket/<id>, or /app/views/<view>/<id> when opened
 * beside a view's ticket list) and a customer page (/app/customer/<id>).
 *
 * The customer is read from the customer sidebar ("infobar") of the ticket, never from the ticket
 * list of a view (other customers) or from the thread (agents' names and signatures). Gorgias
 * styles with CSS modules (generated class names such as `InfobarLayout--component--…`), so only
 * the plain hooks its own source code sets are used. Sources:
 *  - Gorgias's helpdesk web app source (public, read in the search index):
 *    `InfobarLayout` / `TicketInfobarContainer` render `<div class="… infobar infobar-panel …">`
 *    (`hidden-panel` when collapsed); `InfobarCustomerInfo` renders
 *    `<div data-candu-id="infobar-widgets-list-view">` holding the customer's name as
 *    `<Link to="/app/customer/<id>">` and `CustomerChannels`, which renders each email address as
 *    `<a href="mailto:<address>" id="address-copied-<channel id>">` (preferred address first);
 *  - the OpenPaint "Gorgias to SofaPaint" extension (2026): `[aria-label="Breadcrumbs"]
 *    a[href*="/customer/"]` (the customer in the ticket header, used when the sidebar has no
 *    profile section, as in the Helpdesk V2 layout), `[aria-label="Ticket thread"]`, and the
 *    /app/views/<view>/<ticket> URL shape;
 *  - a public Gorgias login automation script: the React root `#app-root`.
 */
export const GORGIAS_SELECTORS = {
  /** The customer sidebar (InfobarLayout, TicketInfobarContainer: global class next to the CSS-module one). */
  infobar: '.infobar-panel',
  /** The customer section of the sidebar (InfobarCustomerInfo: `infobar-widgets-list-view` / `-edition`). */
  customerInfo: '[data-candu-id^="infobar-widgets-list"]',
  /** The customer's name, a link to their page (InfobarCustomerInfo). */
  customerLink: 'a[href^="/app/customer/"]',
  /** An email channel of the customer (CustomerChannels). */
  channelEmail: 'a[href^="mailto:" i][id^="address-copied-"]',
  /** The ticket header's breadcrumbs, holding a link to the customer (OpenPaint extension). */
  breadcrumbs: '[aria-label="Breadcrumbs"]',
  /** The React root (public login automation script). */
  appRoot: '#app-root',
} as const;

const TICKET_PATHS = [/^\/app\/ticket\/(\d+)\/?$/, /^\/app\/views\/\d+\/(\d+)\/?$/];
const CUSTOMER_PATH = /^\/app\/customers?\/(\d+)\/?$/;

type Page = { kind: 'ticket' | 'customer'; id: string };

function pageOf(url: URL): Page | null {
  for (const pattern of TICKET_PATHS) {
    const id = pattern.exec(url.pathname)?.[1];
    if (id) return { kind: 'ticket', id };
  }
  const customer = CUSTOMER_PATH.exec(url.pathname)?.[1];
  return customer ? { kind: 'customer', id: customer } : null;
}

function readEmail(scope: ParentNode): string | undefined {
  const channel = firstVisible(scope, GORGIAS_SELECTORS.channelEmail) ?? firstVisible(scope, 'a[href^="mailto:" i]');
  return emailOf(channel);
}

export const gorgias: SiteAdapter = {
  id: 'gorgias',
  definition: { version: 1, selectors: GORGIAS_SELECTORS },
  name: 'Gorgias',
  matches: ['https://*.gorgias.com/*'],

  isRecordPage(url) {
    return pageOf(url) !== null;
  },

  extract(root, url): Extraction {
    const page = pageOf(url);
    if (!page) return { identity: null, missing: ['ticket or customer id in the URL'] };

    const infobar = firstVisible(root, GORGIAS_SELECTORS.infobar);
    const section = infobar ? firstVisible(infobar, GORGIAS_SELECTORS.customerInfo) ?? infobar : null;
    const breadcrumbs = firstVisible(root, GORGIAS_SELECTORS.breadcrumbs);
    if (!section && !breadcrumbs) return { identity: null, missing: ['customer sidebar'] };

    const customerLink =
      (section && firstVisible(section, GORGIAS_SELECTORS.customerLink)) ??
      (breadcrumbs && firstVisible(breadcrumbs, GORGIAS_SELECTORS.customerLink));
    return personExtraction(
      { host: 'gorgias', hostRecordId: page.id, recordType: page.kind },
      { email: section ? readEmail(section) : undefined, name: textOf(customerLink) },
      'customer',
    );
  },

  watchRoot(document) {
    return document.querySelector(GORGIAS_SELECTORS.appRoot);
  },
};
