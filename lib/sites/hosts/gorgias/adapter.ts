import { emailOf, firstVisible, pathPattern, personExtraction, textOf, visibleAll } from '../../text';
import type { Extraction, SiteAdapter } from '../../types';

/**
 * Gorgias helpdesk (React): a ticket (/app/ticket/<id>; /app/views/<view>/<id> beside a view's
 * ticket list; /app/tickets/<view>/<id> in the split ticket view) and a customer page
 * (/app/customer/<id>).
 *
 * The customer is the ticket's customer, read from the customer sidebar ("infobar") of the ticket,
 * never from the ticket list of a view (other customers), the thread (agents' names and signatures,
 * CC'd addresses, internal notes) or a customer search in the sidebar. Gorgias styles with CSS
 * modules (generated class names such as `InfobarLayout--component--…`), so only the plain hooks its
 * own source code sets are used. When the ticket header names the customer (a link to their page),
 * the sidebar's customer must be that one. Gorgias's own API corrects the page's reading from the
 * content script (lib/sites/hosts/gorgias/api.ts). Every selector and URL pattern is here, with its
 * evidence; see docs/hosts/gorgias.md.
 */
export const GORGIAS_SELECTORS = {
  /** URL path patterns (regular expressions' source, compiled on use). */
  paths: {
    /** /app/ticket/<id> (Gorgias's ticket URL; public integrations and the OpenPaint extension, 2026). */
    ticket: '^/app/ticket/(\\d+)/?$',
    /** /app/views/<view>/<id>: a ticket opened beside a view's list (OpenPaint "Gorgias to SofaPaint" extension, 2026). */
    viewTicket: '^/app/views/\\d+/(\\d+)/?$',
    /** /app/tickets/<view>/<id>: the split ticket view (Gorgias's web app source, TicketsPage: `${path}/:viewId/:ticketId`; ASSUMED mounted at /app/tickets). */
    splitTicket: '^/app/tickets/\\d+/(\\d+)/?$',
    /** /app/customer/<id> (InfobarCustomerInfo's link to the customer; /app/customers/<id> accepted too). */
    customer: '^/app/customers?/(\\d+)/?$',
    /** A link's customer id: /app/customer/<id>. */
    customerLink: '^/app/customers?/(\\d+)(?:[/?#]|$)',
  },
  /** The customer sidebar (InfobarLayout, TicketInfobarContainer: global class next to the CSS-module one). */
  infobar: '.infobar-panel',
  /** The customer section of the sidebar (InfobarCustomerInfo: `infobar-widgets-list-view` / `-edition`). */
  customerInfo: '[data-candu-id^="infobar-widgets-list"]',
  /** The customer's name, a link to their page (InfobarCustomerInfo). */
  customerLink: 'a[href^="/app/customer/"]',
  /** An email channel of the customer (CustomerChannels). */
  channelEmail: 'a[href^="mailto:" i][id^="address-copied-"]',
  mailto: 'a[href^="mailto:" i]',
  /** The ticket header's breadcrumbs, holding a link to the customer (OpenPaint extension). */
  breadcrumbs: '[aria-label="Breadcrumbs"]',
  /** A search field: the infobar's customer search (state/infobar searchCustomers) lists OTHER customers beside it. */
  searchField: 'input[type="search"]',
  /** The React root (public login automation script). */
  appRoot: '#app-root',
};

type Page = { kind: 'ticket' | 'customer'; id: string };

/** The record a URL opens: a ticket or a customer, by the numeric id in its path; null on any other page. */
export function gorgiasRecord(url: URL): Page | null {
  const { paths } = GORGIAS_SELECTORS;
  for (const source of [paths.ticket, paths.viewTicket, paths.splitTicket]) {
    const id = pathPattern(source).exec(url.pathname)?.[1];
    if (id) return { kind: 'ticket', id };
  }
  const customer = pathPattern(paths.customer).exec(url.pathname)?.[1];
  return customer ? { kind: 'customer', id: customer } : null;
}

/** The customer id of a link to a customer page. */
function customerIdOf(link: Element | null | undefined): string | undefined {
  return pathPattern(GORGIAS_SELECTORS.paths.customerLink).exec(link?.getAttribute('href') ?? '')?.[1];
}

/** The customer's first email channel in the sidebar's customer section (the preferred one comes first). */
function readEmail(scope: ParentNode): string | undefined {
  const { channelEmail, mailto } = GORGIAS_SELECTORS;
  return emailOf(firstVisible(scope, channelEmail) ?? firstVisible(scope, mailto));
}

export const gorgias: SiteAdapter = {
  id: 'gorgias',
  definition: { version: 1, selectors: GORGIAS_SELECTORS },
  name: 'Gorgias',
  matches: ['https://*.gorgias.com/*'],

  isRecordPage(url) {
    return gorgiasRecord(url) !== null;
  },

  recordOf(url) {
    const page = gorgiasRecord(url);
    return page && { hostRecordId: page.id, recordType: page.kind };
  },

  extract(root, url): Extraction {
    try {
      const page = gorgiasRecord(url);
      if (!page) return { identity: null, missing: ['ticket or customer id in the URL'] };
      const { infobar: infobarSelector, customerInfo, customerLink, breadcrumbs: breadcrumbsSelector } = GORGIAS_SELECTORS;

      const infobar = firstVisible(root, infobarSelector);
      const section = infobar ? (firstVisible(infobar, customerInfo) ?? infobar) : null;
      const breadcrumbs = firstVisible(root, breadcrumbsSelector);
      if (!section && !breadcrumbs) return { identity: null, missing: ['customer sidebar'] };

      // The ticket's customer as its header names them (a link to their page, whatever the language).
      const headerLink = breadcrumbs ? visibleAll(breadcrumbs, customerLink).find((a) => customerIdOf(a)) : undefined;
      const expectedId = page.kind === 'customer' ? page.id : customerIdOf(headerLink);
      const sidebarLinks = section ? visibleAll(section, customerLink).filter((a) => customerIdOf(a)) : [];
      // Without the customer section, a sidebar holding a customer search shows search results
      // (other customers): then only the customer the header names is read there.
      const searching = section === infobar && !!infobar?.querySelector(GORGIAS_SELECTORS.searchField);
      const sidebarLink = expectedId
        ? sidebarLinks.find((a) => customerIdOf(a) === expectedId)
        : searching
          ? undefined
          : sidebarLinks[0];
      // A sidebar that shows another customer (a search in the sidebar) is not this ticket's.
      const sidebarIsTheCustomers = !!sidebarLink || (sidebarLinks.length === 0 && !expectedId && !searching);

      return personExtraction(
        { host: 'gorgias', hostRecordId: page.id, recordType: page.kind },
        {
          email: section && sidebarIsTheCustomers ? readEmail(sidebarLink ? (sidebarLink.closest(customerInfo) ?? section) : section) : undefined,
          name: textOf(sidebarLink) ?? textOf(headerLink),
        },
        'customer',
      );
    } catch {
      return { identity: null, missing: ['readable ticket page'] };
    }
  },

  watchRoot(document) {
    return document.querySelector(GORGIAS_SELECTORS.appRoot);
  },
};
