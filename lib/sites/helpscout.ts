import { emailOf, findEmail, firstVisible, personExtraction, textOf, visibleAll } from './text';
import type { Extraction, SiteAdapter } from './types';

/**
 * Help Scout: a conversation (/conversation/<id>/<number>) and a customer's profile page
 * (/customer/<id>/<mailbox>/ or /customers/<id>).
 *
 * The customer is read from the customer profile of the conversation's sidebar, never from the
 * thread (teammates' replies, signatures and CC'd addresses) or the sidebar's list of previous
 * conversations. Help Scout's UI (its HSDS design system) tags components with `data-cy` and
 * `data-testid`, and HSDS's Truncate component renders its text in `.c-Truncate__content`; these are
 * the hooks used. Sources:
 *  - a public "linear-clockify" extension reading the live app (2026):
 *    `[data-cy="Sidebar.CustomerEmails"] [data-testid="EmailList.EmailLink"]` whose
 *    `.c-Truncate__content` is the address and whose href holds `/customer/<id>`; the page title
 *    "#<number> <subject> - <customer name>"; the URL /conversation/<id>/<number>;
 *  - a public "Maestro" Help Scout content script ("found in your HTML"):
 *    `[data-testid="Sidebar.CustomerProfile"]`, `[data-cy="Sidebar.CustomerName"] .c-Truncate__content`,
 *    `ol[data-testid="ThreadContainer"] > li.ThreadListItem`, `#plugin-conversations`,
 *    `[data-testid="ConversationList"]`, `.c-ConversationList`;
 *  - helpscout/hsds-react: components carry `data-cy="<Component>"`, Truncate renders `c-Truncate__content`;
 *  - Toggl / Clockify Help Scout integrations: `[data-cy="ConversationHeader.Actions"]`,
 *    `[aria-label="Conversation Subject"]`; Help Scout userscripts: the `#js-wrap` app container.
 * The profile page's own layout is not shown by any public source: it is read with the same sidebar
 * hooks and, failing those, a mailto link or an email-looking value in the main region.
 */
export const HELPSCOUT_SELECTORS = {
  /** The customer profile of the sidebar (Maestro script). */
  customerProfile: '[data-testid="Sidebar.CustomerProfile"]',
  /** The customer's name (Maestro script). */
  customerName: '[data-cy="Sidebar.CustomerName"]',
  /** The customer's email addresses (linear-clockify extension). */
  customerEmails: '[data-cy="Sidebar.CustomerEmails"]',
  /** One address; its href holds /customer/<id> (linear-clockify extension). */
  emailLink: '[data-testid="EmailList.EmailLink"]',
  /** Text of an HSDS Truncate component (hsds-react; both scripts above). */
  truncated: '.c-Truncate__content',
  /** Main region of a profile page (semantic landmark; Help Scout's own wrapper is not public). */
  mainRegion: 'main, [role="main"]',
  /** The app container (Help Scout userscripts observe it). */
  appRoot: '#js-wrap',
} as const;

const CONVERSATION_PATH = /^\/conversation\/(\d+)(?:\/\d+)?\/?$/;
const CUSTOMER_PATH = /^\/customers?\/(\d+)(?:\/[^/]+)*\/?$/;
/** "#<number> <subject> - <customer name>" (linear-clockify extension). */
const TITLE = /^#\d+\s+.+\s-\s(.+)$/;

type Page = { kind: 'conversation' | 'customer'; id: string };

function pageOf(url: URL): Page | null {
  const conversation = CONVERSATION_PATH.exec(url.pathname)?.[1];
  if (conversation) return { kind: 'conversation', id: conversation };
  const customer = CUSTOMER_PATH.exec(url.pathname)?.[1];
  return customer ? { kind: 'customer', id: customer } : null;
}

function readEmail(scope: ParentNode): string | undefined {
  const list = firstVisible(scope, HELPSCOUT_SELECTORS.customerEmails) ?? scope;
  for (const link of visibleAll(list, HELPSCOUT_SELECTORS.emailLink)) {
    const email = findEmail(textOf(link.querySelector(HELPSCOUT_SELECTORS.truncated))) ?? findEmail(textOf(link));
    if (email) return email;
  }
  const mailto = firstVisible(scope, 'a[href^="mailto:" i]');
  const fromMailto = emailOf(mailto);
  if (fromMailto) return fromMailto;
  for (const text of visibleAll(scope, HELPSCOUT_SELECTORS.truncated)) {
    const email = findEmail(textOf(text));
    if (email) return email;
  }
  return undefined;
}

function titleName(root: ParentNode): string | undefined {
  const title = (root as Node).nodeType === 9 ? (root as Document).title : (root as Node).ownerDocument?.title;
  return TITLE.exec(title?.trim() ?? '')?.[1]?.trim() || undefined;
}

function readName(scope: ParentNode): string | undefined {
  const field = firstVisible(scope, HELPSCOUT_SELECTORS.customerName);
  return (
    textOf(field?.querySelector(HELPSCOUT_SELECTORS.truncated)) ??
    textOf(field) ??
    textOf(firstVisible(scope, 'h1, h2, h3'))
  );
}

export const helpscout: SiteAdapter = {
  id: 'helpscout',
  definition: { version: 1, selectors: HELPSCOUT_SELECTORS },
  name: 'Help Scout',
  matches: ['https://secure.helpscout.net/*', 'https://app.helpscout.com/*'],

  isRecordPage(url) {
    return pageOf(url) !== null;
  },

  extract(root, url): Extraction {
    const page = pageOf(url);
    if (!page) return { identity: null, missing: ['conversation or customer id in the URL'] };

    const profile =
      firstVisible(root, HELPSCOUT_SELECTORS.customerProfile) ??
      firstVisible(root, HELPSCOUT_SELECTORS.customerEmails)?.parentElement ??
      (page.kind === 'customer' ? firstVisible(root, HELPSCOUT_SELECTORS.mainRegion) : null);
    if (!profile) {
      return { identity: null, missing: [page.kind === 'conversation' ? 'customer profile sidebar' : 'customer profile'] };
    }

    return personExtraction(
      { host: 'helpscout', hostRecordId: page.id, recordType: page.kind },
      {
        email: readEmail(profile),
        name: readName(profile) ?? (page.kind === 'conversation' ? titleName(root) : undefined),
      },
      'customer',
    );
  },

  watchRoot(document) {
    return document.querySelector(HELPSCOUT_SELECTORS.appRoot) ?? document.querySelector(HELPSCOUT_SELECTORS.mainRegion);
  },
};
