import { emailOf, findEmail, firstVisible, personExtraction, textOf } from './text';
import type { Extraction, SiteAdapter } from './types';

/**
 * Intercom (the Ember "Inbox 2" help desk): an open conversation
 * (/a/inbox/<app>/inbox/…/conversation/<id>) and a contact's page (/a/apps/<app>/users/<id>).
 *
 * The inbox shows a list of conversations, the open conversation and, to its right, the details
 * panel of the open conversation's user. Only that panel is read: the list names other people, and
 * the conversation stream holds teammates' names and signatures. Sources of the hooks:
 *  - an "Intercom Focus" extension (selectors "verified from actual Intercom DOM, May 2026"):
 *    `[data-intercom-target="conversation-space"]`, `.inbox2__conversation-details-sidebar`,
 *    `[data-resize-target]`, `[data-intercom-target="inbox-left-nav"]`, and the fact that the list,
 *    the conversation space and the right sidebar are siblings (`:has(> [data-intercom-target=
 *    "conversation-space"]) > *`);
 *  - "Support Copilot for Intercom" (2026): `[data-inbox-conversation-header-title]`,
 *    `[data-conversation-title]`, `[data-conversation-stream]`, `data-part-group-category`, its
 *    changelog noting Intercom renamed `inbox2__` classes to `inbox-2__` (both are accepted), and that
 *    parts of the stream live in open shadow roots (`#teammate-app-react`) — so the panel is looked
 *    for in open shadow roots too when the light DOM has none;
 *  - a 2019 GitHub/Intercom extension's selectors: user attributes rendered as `[data-key="<attribute>"]`
 *    rows (`[data-key=user_id] .t__solo-link`, `[data-key="company.remote_company_id"] a`) and the older
 *    `[data-intercom-target="conversation-sidebar"]`;
 *  - Toggl (2021) / Clockify (2025) Intercom integrations: `data-intercom-target` hooks.
 * `data-intercom-target` and `data-key` are Intercom's own product-tour / attribute hooks, stable
 * across its class-name refactors. Not shown by any public source, hence assumed: that the user's
 * name in the panel links to /a/apps/<app>/users/<id>.
 */
export const INTERCOM_SELECTORS = {
  /** The open conversation (Intercom Focus, Support Copilot). */
  conversationSpace: '[data-intercom-target="conversation-space"]',
  /** The right-hand details panel of the open conversation (Intercom Focus; renamed classes; 2019 hook). */
  detailsPanel:
    '.inbox2__conversation-details-sidebar, .inbox-2__conversation-details-sidebar, [data-intercom-target="conversation-sidebar"]',
  /** The conversation header's title: the user's name (Clockify 2025, Support Copilot). */
  headerTitle: '[data-inbox-conversation-header-title], [data-conversation-title]',
  /** A user attribute row, by attribute key (2019 extension selectors). */
  attributeRow: (key: string) => `[data-key="${key}"]`,
  /** The value inside an attribute row (2019 extension selectors: `.t__solo-link`, `a`). */
  attributeValue: '.t__solo-link, a',
  /** Link to the user's own page from the panel (assumed, see above). */
  profileLink: 'a[href*="/users/"]',
  /** Main region of a contact page (semantic landmark; Intercom's own wrapper is not public). */
  mainRegion: 'main, [role="main"]',
  /** Ember puts this class on its root element (Ember's documented behaviour). */
  appRoot: '.ember-application',
} as const;

const CONVERSATION_PATHS = [
  /^\/a\/(?:inbox|apps)\/[^/]+\/inbox(?:\/[^/]+)*?\/conversations?\/(\d+)\/?$/,
  /^\/a\/apps\/[^/]+\/conversations\/(\d+)\/?$/,
];
/** Contact ids are 24 hex digits; `/users/segments/…` is the list. */
const USER_PATH = /^\/a\/apps\/[^/]+\/users\/([0-9a-f]{24})(?:\/[^/]+)*\/?$/i;

type Page = { kind: 'conversation' | 'contact'; id: string };

function pageOf(url: URL): Page | null {
  for (const pattern of CONVERSATION_PATHS) {
    const id = pattern.exec(url.pathname)?.[1];
    if (id) return { kind: 'conversation', id };
  }
  const user = USER_PATH.exec(url.pathname)?.[1];
  return user ? { kind: 'contact', id: user } : null;
}

/** The root and every open shadow root below it (Intercom renders parts of the inbox in shadow DOM). */
function* treeRoots(root: ParentNode): Generator<ParentNode> {
  yield root;
  for (const element of root.querySelectorAll('*')) {
    if (element.shadowRoot) yield* treeRoots(element.shadowRoot);
  }
}

/** First visible match in the light DOM, else in open shadow roots. */
function findDeep(root: ParentNode, selector: string): Element | null {
  const light = firstVisible(root, selector);
  if (light) return light;
  for (const tree of treeRoots(root)) {
    if (tree === root) continue;
    const hit = firstVisible(tree, selector);
    if (hit) return hit;
  }
  return null;
}

function attributeValue(scope: ParentNode, key: string): string | undefined {
  const row = firstVisible(scope, INTERCOM_SELECTORS.attributeRow(key));
  if (!row) return undefined;
  return (
    textOf(row.querySelector(INTERCOM_SELECTORS.attributeValue)) ??
    textOf(row.lastElementChild) ??
    textOf(row)
  );
}

function readEmail(scope: ParentNode): string | undefined {
  const row = firstVisible(scope, INTERCOM_SELECTORS.attributeRow('email'));
  const fromRow = findEmail(textOf(row));
  if (fromRow) return fromRow;
  const mailto = firstVisible(scope, 'a[href^="mailto:" i]');
  return emailOf(mailto);
}

function identityOf(scope: ParentNode, page: Page, names: (string | undefined)[]): Extraction {
  return personExtraction(
    { host: 'intercom', hostRecordId: page.id, recordType: page.kind },
    {
      email: readEmail(scope),
      name: names.find((candidate) => candidate !== undefined),
      company: attributeValue(scope, 'company.name'),
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

  extract(root, url): Extraction {
    const page = pageOf(url);
    if (!page) return { identity: null, missing: ['conversation or contact id in the URL'] };

    if (page.kind === 'conversation') {
      const panel = findDeep(root, INTERCOM_SELECTORS.detailsPanel);
      if (!panel) return { identity: null, missing: ['conversation details panel'] };
      const space = findDeep(root, INTERCOM_SELECTORS.conversationSpace);
      const title = space ? textOf(firstVisible(space, INTERCOM_SELECTORS.headerTitle)) : undefined;
      return identityOf(panel, page, [
        textOf(firstVisible(panel, INTERCOM_SELECTORS.profileLink)),
        attributeValue(panel, 'name'),
        title,
      ]);
    }

    const scope =
      firstVisible(root, INTERCOM_SELECTORS.attributeRow('email'))?.closest(
        `${INTERCOM_SELECTORS.mainRegion}, section, [role="region"]`,
      ) ?? firstVisible(root, INTERCOM_SELECTORS.mainRegion);
    if (!scope) return { identity: null, missing: ['contact details'] };
    return identityOf(scope, page, [attributeValue(scope, 'name'), textOf(firstVisible(scope, 'h1'))]);
  },

  watchRoot(document, url) {
    if (pageOf(url)?.kind === 'conversation') {
      const container = document.querySelector(INTERCOM_SELECTORS.conversationSpace)?.parentElement;
      if (container) return container;
    }
    return document.querySelector(INTERCOM_SELECTORS.appRoot);
  },
};
