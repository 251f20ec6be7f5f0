import { emailFromMailto, emailInOwnText, emailOf, findEmail, firstVisible, pathPattern, personExtraction, textOf, visibleAll } from '../../text';
import type { Extraction, SiteAdapter } from '../../types';

/**
 * Help Scout: a conversation (/conversation/<id>/<number>) and a customer's profile page
 * (/customer/<id>/<mailbox>/ or /customers/<id>), in both of the agent UIs that are live: the
 * current one (HSDS components tagged `data-cy` / `data-testid`) and the legacy theme (id- and
 * class-named markup: #tkHeader, #subjectLine, article.thread…), which Help Scout still offers and
 * public integrations still support (Clockify, 2026-03: "support description selector for both
 * Helpscout UI versions").
 *
 * The customer is read from the customer profile beside the conversation, never from the thread
 * (teammates' replies and signatures, notes, CC'd addresses, other people's replies), the sidebar's
 * list of previous conversations, a preview of another conversation, or a hidden previous view.
 * In the legacy theme, whose profile markup no public source shows, the profile is the link to a
 * customer page (/customer/<id>) outside the thread, with the email beside it; failing that, the
 * author of the customer threads when they all name the same customer. Every selector and URL
 * pattern is here, with its evidence; see docs/hosts/helpscout.md.
 */
export const HELPSCOUT_SELECTORS = {
  /** URL path patterns (regular expressions' source, compiled on use). */
  paths: {
    /** /conversation/<id>/<number> (linear-clockify extension 2026; Clockify 2026-03 also accepts /conversations/). */
    conversation: '^/conversations?/(\\d+)(?:/\\d+)?/?$',
    /** /customer/<id>/<mailbox>/ (public integrations' profile links) and /customers/<id>. */
    customer: '^/customers?/(\\d+)(?:/[^/]+)*/?$',
    /** A link to a customer page: /customer/<id>… (linear-clockify: the email link's href holds /customer/<id>). */
    customerLink: '/customers?/(\\d+)(?:[/?#]|$)',
    /** The tab title "#<number> <subject> - <customer name>" (linear-clockify extension 2026). */
    title: '^#\\d+\\s+.+\\s-\\s(.+)$',
  },
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
  /** A field being edited (the profile's edit form puts values in inputs; ASSUMED, no public source). */
  input: 'input, textarea',
  mailto: 'a[href^="mailto:" i]',
  heading: 'h1, h2, h3',
  /** Layers that show something else over the page: dialogs and popovers (a conversation preview; ASSUMED roles). */
  otherLayers: '[role="dialog"], [role="tooltip"], [data-cy="Popover"]',
  /** Main region of a profile page (semantic landmark; Help Scout's own wrapper is not public). */
  mainRegion: 'main, [role="main"]',
  /** The app container (Help Scout userscripts observe it). */
  appRoot: '#js-wrap',
  legacy: {
    /**
     * Marks of a legacy-theme conversation: #tkHeader (number) and #subjectLine (subject), read by
     * Toggl (2016-2021) and Clockify (2020-2026-03, "Legacy theme"), the toolbar .convo-actions
     * (Toggl, Clockify to 2023) / .actions__wrapper (Clockify "Helpscout legacy theme", 2024-2026).
     */
    marker: '#tkHeader, #subjectLine, .convo-actions, .actions__wrapper',
    /** One thread item: article.thread, `customer` for the customer's messages (helpscout-thread-hider, 2023). */
    thread: 'article.thread',
    customerThread: 'article.thread.customer',
    /** A thread item's header (helpscout-thread-hider: section.js-thread-content > … > section.threadHeader). */
    threadHeader: 'section.threadHeader',
    /** The legacy app's containers (a public Help Scout assistant extension waits for #wrap / #mailbox). */
    appRoot: '#wrap, #mailbox',
    /** Lists of other conversations (the profile's previous conversations): links to /conversation/. */
    conversationLink: 'a[href*="/conversation/"]',
    /** One entry of such a list (a link to another conversation, with its customer). */
    listItem: 'li',
    /** Links to a customer page (the profile's name; ASSUMED in the legacy sidebar). */
    customerLink: 'a[href*="/customer/"], a[href*="/customers/"]',
  },
};

type Page = { kind: 'conversation' | 'customer'; id: string };

function pageOf(url: URL): Page | null {
  const conversation = pathPattern(HELPSCOUT_SELECTORS.paths.conversation).exec(url.pathname)?.[1];
  if (conversation) return { kind: 'conversation', id: conversation };
  const customer = pathPattern(HELPSCOUT_SELECTORS.paths.customer).exec(url.pathname)?.[1];
  return customer ? { kind: 'customer', id: customer } : null;
}

/** Visible and not inside a layer that shows something else (a preview of another conversation). */
function shown(root: ParentNode, selector: string): Element[] {
  return visibleAll(root, selector).filter((el) => el.closest(HELPSCOUT_SELECTORS.otherLayers) === null);
}

/** A field's value: the inputs' values while it is edited (never the form's labels), else its text. */
function valueOf(field: Element | null | undefined): string | undefined {
  if (!field) return undefined;
  const inputs = [...field.querySelectorAll(HELPSCOUT_SELECTORS.input)];
  if (inputs.length > 0) {
    const values = inputs.map((input) => input.getAttribute('value')?.trim()).filter(Boolean);
    return values.length > 0 ? values.join(' ').replace(/\s+/g, ' ') : undefined;
  }
  return textOf(field.querySelector(HELPSCOUT_SELECTORS.truncated)) ?? textOf(field);
}

function readEmail(scope: ParentNode): string | undefined {
  const { customerEmails, emailLink, truncated, mailto } = HELPSCOUT_SELECTORS;
  const list = shown(scope, customerEmails)[0] ?? scope;
  for (const link of shown(list, emailLink)) {
    const email = findEmail(textOf(link.querySelector(truncated))) ?? findEmail(textOf(link));
    if (email) return email;
  }
  const fromMailto = emailOf(shown(scope, mailto)[0]);
  if (fromMailto) return fromMailto;
  for (const text of shown(scope, truncated)) {
    const email = findEmail(textOf(text));
    if (email) return email;
  }
  return undefined;
}

function titleName(root: ParentNode): string | undefined {
  const title = (root as Node).nodeType === 9 ? (root as Document).title : (root as Node).ownerDocument?.title;
  return pathPattern(HELPSCOUT_SELECTORS.paths.title).exec(title?.trim() ?? '')?.[1]?.trim() || undefined;
}

function readName(scope: ParentNode): string | undefined {
  const name = valueOf(shown(scope, HELPSCOUT_SELECTORS.customerName)[0]) ?? textOf(shown(scope, HELPSCOUT_SELECTORS.heading)[0]);
  return name && !findEmail(name) ? name : undefined;
}

/** The customer id of a link to a customer page, if it is one. */
function customerIdOf(link: Element): string | undefined {
  return pathPattern(HELPSCOUT_SELECTORS.paths.customerLink).exec(link.getAttribute('href') ?? '')?.[1];
}

/** A customer as a link to their page shows them: name (unless it is an address) and the email beside it. */
function personAt(link: Element, block: Element): { id?: string; name?: string; email?: string } {
  const text = textOf(link);
  const { mailto } = HELPSCOUT_SELECTORS;
  const email = findEmail(text) ?? emailFromMailto(block.querySelector(mailto)?.getAttribute('href')) ?? emailInOwnText(block, link);
  return { id: customerIdOf(link), name: text && !findEmail(text) ? text : undefined, email };
}

/** The largest ancestor of `link` (inside `limit`) that shows no other customer and no thread. */
function blockOf(link: Element, limit: Element | null): Element {
  const { legacy } = HELPSCOUT_SELECTORS;
  let block = link;
  for (let parent = link.parentElement; parent && parent !== limit; parent = parent.parentElement) {
    const others = [...parent.querySelectorAll(legacy.customerLink)].some((other) => customerIdOf(other) !== customerIdOf(link));
    if (others || parent.querySelector(legacy.thread) || parent.querySelector(legacy.conversationLink)) break;
    block = parent;
  }
  return block;
}

/**
 * The legacy theme: the first link to a customer page outside the thread, outside lists of other
 * conversations and hidden views, read with the email beside it; else the customer threads' author
 * when every customer thread names the same customer (a CC'd person who replied is another one).
 */
function readLegacy(root: ParentNode): { name?: string; email?: string } | null {
  const { legacy } = HELPSCOUT_SELECTORS;
  const threads = shown(root, legacy.thread);
  const profileLink = shown(root, legacy.customerLink).find(
    (link) => link.closest(legacy.thread) === null && customerIdOf(link) !== undefined && !link.closest(legacy.listItem)?.querySelector(legacy.conversationLink),
  );
  if (profileLink) return personAt(profileLink, blockOf(profileLink, threads[0]?.parentElement ?? null));

  const authors = shown(root, legacy.customerThread).map((thread) => {
    const header = thread.querySelector(legacy.threadHeader) ?? thread;
    const link = [...header.querySelectorAll(legacy.customerLink)].find((a) => customerIdOf(a) !== undefined);
    return link ? personAt(link, link.parentElement ?? header) : undefined;
  });
  const ids = new Set(authors.map((a) => a?.id));
  if (authors.length === 0 || ids.size !== 1 || ids.has(undefined)) return null;
  return authors.find((a) => a?.email) ?? authors[0] ?? null;
}

export const helpscout: SiteAdapter = {
  id: 'helpscout',
  definition: { version: 1, selectors: HELPSCOUT_SELECTORS },
  name: 'Help Scout',
  matches: ['https://secure.helpscout.net/*', 'https://app.helpscout.com/*'],

  isRecordPage(url) {
    return pageOf(url) !== null;
  },

  recordOf(url) {
    const page = pageOf(url);
    return page && { hostRecordId: page.id, recordType: page.kind };
  },

  extract(root, url): Extraction {
    try {
      const page = pageOf(url);
      if (!page) return { identity: null, missing: ['conversation or customer id in the URL'] };
      const record = { host: 'helpscout', hostRecordId: page.id, recordType: page.kind };
      const { customerProfile, customerEmails, mainRegion, legacy } = HELPSCOUT_SELECTORS;

      const profile =
        shown(root, customerProfile)[0] ??
        shown(root, customerEmails)[0]?.parentElement ??
        (page.kind === 'customer' && !firstVisible(root, legacy.marker) ? shown(root, mainRegion)[0] : null);
      if (profile) {
        return personExtraction(
          record,
          { email: readEmail(profile), name: readName(profile) ?? (page.kind === 'conversation' ? titleName(root) : undefined) },
          'customer',
        );
      }

      // The legacy theme (its marks, or legacy thread items, and none of the current UI's profile hooks).
      if (firstVisible(root, legacy.marker) || firstVisible(root, legacy.thread)) {
        const customer = readLegacy(root);
        if (!customer) return { identity: null, missing: ['customer profile (legacy theme)'] };
        return personExtraction(record, { email: customer.email, name: customer.name }, 'customer');
      }
      return { identity: null, missing: [page.kind === 'conversation' ? 'customer profile sidebar' : 'customer profile'] };
    } catch {
      return { identity: null, missing: ['readable conversation page'] };
    }
  },

  watchRoot(document) {
    const { appRoot, legacy, mainRegion } = HELPSCOUT_SELECTORS;
    return document.querySelector(appRoot) ?? document.querySelector(legacy.appRoot) ?? document.querySelector(mainRegion);
  },
};
