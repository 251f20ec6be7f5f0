import { compact, domainOfEmail, emailOf, findEmail, firstVisible, pathPattern, textOf, visibleAll } from '../../text';
import type { Extraction, SiteAdapter } from '../../types';

/**
 * Shopify admin (admin.shopify.com/store/<store>/…): the customer page (/customers/<id>) and the
 * order page (/orders/<id>, the order's customer card).
 *
 * The admin is a Polaris app. Its stable hooks are the Polaris Frame's landmark ids (`main
 * #AppFrameMain`), semantic elements (h1, links, mailto) and the admin's own URL scheme (links to
 * /customers/<id>); Polaris class names (`Polaris-<Component>__<Part>`) are used only where nothing
 * else marks a part, matched by prefix because Polaris's esnext build appends a hash suffix.
 * Popovers, hover cards (another customer's preview) and modals (an "edit contact information"
 * form being typed in) render in Polaris's portals container, outside the main region, so every read
 * is scoped to the main region. On an order the customer is the customer card's linked customer and
 * its contact address — never the shipping or billing address's name (a gift, a company payer) or a
 * staff member's comment. Every selector and URL pattern is in SHOPIFY_SELECTORS; the evidence, the
 * traps and what is assumed are in docs/hosts/shopify.md.
 */
export const SHOPIFY_SELECTORS = {
  /** URL patterns (regular-expression sources, compiled on use). */
  paths: {
    /** admin.shopify.com/store/<store>/customers/<id> and …/orders/<id> (the admin's URL scheme since 2023). */
    record: '^/store/[^/]+/(customers|orders)/(\\d+)/?$',
    /** A link to one customer's record (not /customers/<id>/orders or a segment). */
    customerHref: '/customers/\\d+/?(?:[?#]|$)',
  },
  /** Polaris Frame: `<main class="Polaris-Frame__Main" id="AppFrameMain">` (polaris-react Frame.tsx, APP_FRAME_MAIN); fallback the main landmark. */
  main: '#AppFrameMain, main, [role="main"]',
  /** Page title: Polaris Page Header renders the title as `<h1 class="Polaris-Header-Title">` (Page/components/Header/components/Title). */
  pageTitle: 'h1',
  /** The secondary (right) column of a Polaris Layout: `Polaris-Layout__Section--oneThird` (Layout/components/Section). */
  secondaryColumn: '[class*="Polaris-Layout__Section--oneThird"]',
  /** A link to a customer record — the admin's own URL scheme, stable across redesigns. */
  customerLink: 'a[href*="/customers/"]',
  /** A card: Polaris Card renders `Polaris-ShadowBevel > Polaris-Box`; LegacyCard `Polaris-LegacyCard`. */
  card: '[class*="Polaris-ShadowBevel"], [class*="Polaris-LegacyCard"], section',
  /** An email address shown as a mailto link. */
  mailto: 'a[href^="mailto:"]',
};

function mainRegion(root: ParentNode): Element | null {
  return firstVisible(root, SHOPIFY_SELECTORS.main);
}

/** The email shown in this element: a mailto link first, else an address in its text. */
function emailIn(element: Element): string | undefined {
  const link = firstVisible(element, SHOPIFY_SELECTORS.mailto);
  return emailOf(link) ?? findEmail(textOf(element));
}

/** The visible links to a customer record inside `scope`. */
function customerLinks(scope: Element): Element[] {
  return visibleAll(scope, SHOPIFY_SELECTORS.customerLink).filter((link) =>
    pathPattern(SHOPIFY_SELECTORS.paths.customerHref).test(link.getAttribute('href') ?? ''),
  );
}

/** The order page's customer card: the card in the secondary column that links to a customer. */
function orderCustomerCard(main: Element): Element | null {
  const columns = [...main.querySelectorAll(SHOPIFY_SELECTORS.secondaryColumn)];
  const scopes = columns.length ? columns : [main];
  for (const scope of scopes) {
    for (const link of customerLinks(scope)) {
      const card = link.closest(SHOPIFY_SELECTORS.card);
      if (card && scope.contains(card)) return card;
    }
  }
  return null;
}

function readCustomerPage(main: Element, id: string): Extraction {
  const name = textOf(firstVisible(main, SHOPIFY_SELECTORS.pageTitle));
  // The contact details live in the secondary column's customer card; the primary column's
  // timeline may quote other addresses (staff comments), so it is read last.
  const cards = visibleAll(main, SHOPIFY_SELECTORS.card);
  const inSecondary = (card: Element) => card.closest(SHOPIFY_SELECTORS.secondaryColumn) !== null;
  let email: string | undefined;
  for (const card of [...cards.filter(inSecondary), ...cards.filter((c) => !inSecondary(c))]) {
    if ((email = emailIn(card))) break;
  }
  if (!name && !email) return { identity: null, missing: ['customer name', 'customer email'] };
  return {
    identity: compact({
      host: 'shopify',
      hostRecordId: id,
      recordType: 'customer',
      email,
      name,
      domain: domainOfEmail(email),
    }),
    missing: email ? [] : ['customer email'],
  };
}

function readOrderPage(main: Element, id: string): Extraction {
  const card = orderCustomerCard(main);
  if (!card) return { identity: null, missing: ['order customer card'] };
  const name = textOf(customerLinks(card)[0]);
  const email = emailIn(card);
  return {
    identity: compact({
      host: 'shopify',
      hostRecordId: id,
      recordType: 'order',
      email,
      name,
      domain: domainOfEmail(email),
    }),
    missing: email ? [] : ['customer email'],
  };
}

export const shopify: SiteAdapter = {
  id: 'shopify',
  definition: { version: 1, selectors: SHOPIFY_SELECTORS },
  name: 'Shopify',
  matches: ['https://admin.shopify.com/store/*'],

  isRecordPage(url) {
    return pathPattern(SHOPIFY_SELECTORS.paths.record).test(url.pathname);
  },

  recordOf(url) {
    const [, kind, id] = pathPattern(SHOPIFY_SELECTORS.paths.record).exec(url.pathname) ?? [];
    return id ? { hostRecordId: id, recordType: kind === 'customers' ? 'customer' : 'order' } : null;
  },

  extract(root, url): Extraction {
    const [, kind, id] = pathPattern(SHOPIFY_SELECTORS.paths.record).exec(url.pathname) ?? [];
    if (!kind || !id) return { identity: null, missing: ['customer or order id in the URL'] };
    const main = mainRegion(root);
    if (!main) return { identity: null, missing: ['main content'] };
    return kind === 'customers' ? readCustomerPage(main, id) : readOrderPage(main, id);
  },

  watchRoot(document) {
    return mainRegion(document);
  },
};
