import { compact, domainOfEmail, findEmail, isHidden, pathPattern, textOf, visibleAll } from '../../text';
import type { Extraction, SiteAdapter } from '../../types';

/**
 * Gmail, the open thread (mail.google.com/mail/u/<n>/#<label>/<threadId>), full page or in the
 * reading pane beside the list. The customer is the OTHER PARTY of the thread's first message,
 * never the signed-in account: its sender when someone else wrote first, else (the account wrote
 * first: an outbound thread) its first recipient. People of the account's own company (its domain,
 * unless that is a public mail service) are the account's side too. When the thread has more
 * people than that, the choice is said in `note`.
 *
 * Gmail keeps every view it has shown (the list, threads opened earlier) in the DOM and hides the
 * inactive ones with `display: none`, so reads are scoped to the visible thread. Gmail has no test
 * ids: its short class names are generated but have been stable for a decade and are what every
 * public Gmail extension library reads. Every selector and URL pattern is in GMAIL_SELECTORS with
 * its evidence; the full account is docs/hosts/gmail.md.
 */
export const GMAIL_SELECTORS = {
  /** URL patterns (regular-expression sources, compiled on use) and the hash's view names. */
  paths: {
    /** Gmail's page: /mail/ or /mail/u/<n>/ (the thread is in the hash). */
    mail: '^/mail(?:/u/\\d+)?/?$',
    /** Thread ids in the hash: 16 hex digits (legacy) or the longer letters-and-digits form (FMfcgz…). */
    threadId: '^[A-Za-z0-9]{16,}$',
    legacyThreadId: '^[0-9a-f]{16}$',
    /** Hash views whose second segment is a parameter, so the thread id is the third (#label/Name/<id>). */
    twoPartViews: ['label', 'search', 'category', 'advanced-search', 'apps'],
    /** Hash views that never show a thread. */
    nonThreadViews: ['settings', 'contacts', 'create-filter'],
  },
  /**
   * The main content container; each route (list, thread) is one child `div.nH`, inactive ones
   * hidden with `display: none` (InboxSDK GmailElementGetter.getMainContentContainer, 2026-07; the
   * 2014 capture: div.aeF > div.nH > div[role=main]).
   */
  mainContainer: 'div.aeF > div.nH',
  /** A route's main region (gmail.js dom.inbox_content; InboxSDK: `[role=main]`). */
  main: '[role="main"]',
  /**
   * The open thread's subject, which carries the thread ids (gmail.js get.thread_id:
   * `h2[data-legacy-thread-id]`, dom.thread subject `h2.hP`; InboxSDK GmailThreadView:
   * `[data-legacy-thread-id]` with `data-thread-perm-id`).
   */
  threadSubject: 'h2.hP, h2[data-legacy-thread-id], [data-thread-perm-id]',
  /**
   * The thread view: `.a98.iY` (InboxSDK getThreadContainerElement, selector_2023_11_16), `.if`
   * before (gmail.js api.dom.thread: div.if / div.iY); in the reading pane the thread sits in
   * `.ao9` inside `div[role=main] .aia` (InboxSDK #startMonitoringPreviewPaneForThread,
   * selector_2023_11_30 `.ao9:has(.a98.iY, .apa)`), in the same main region as the list's rows.
   */
  thread: '.a98.iY, .iY, .if, .ao9',
  /** One message of the thread (InboxSDK GmailMessageView: `[data-message-id]`; gmail.js: div.adn). */
  message: '[data-message-id]',
  /**
   * A message's sender (gmail.js dom.email "from": `span[email].gD`; InboxSDK getSender:
   * `td.gF span[email]` inside the header's `h3.iw`). Attributes `email` and `name`.
   */
  sender: 'span.gD[email], td.gF span[email], h3.iw span[email]',
  /** A message's recipients, To before Cc (gmail.js "to": `span[email].g2`; InboxSDK getRecipients: `.hb span[email]`). */
  recipient: '.hb span[email], span.g2[email]',
  /**
   * The signed-in account: the Google bar's account button links to accounts.google.com/SignOutOptions
   * and its aria-label ends with "(<address>)" in every language ("Google Account: …",
   * "Google-Konto: …"); read by href, never by its words.
   */
  accountButton: 'a[href*="accounts.google.com/SignOutOptions"][aria-label], a[aria-label^="Google Account"]',
  /** Gmail names the account owner "me" in English lists (2014 capture: `span.zF[email="…"][name="me"]`). */
  ownerMarker: '[email][name="me"]',
  /** The page's title, "Subject - <account address> - Gmail" in every language. */
  title: 'title',
};

/** Public mail services: an address there says nothing about the account's company. */
const PUBLIC_MAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'yahoo.com', 'icloud.com', 'me.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.de', 'gmx.net', 'web.de']);

/** The open thread's id from the hash (#inbox/<id>, #label/Name/<id>, …), or undefined. */
function threadIdOf(url: URL): string | undefined {
  const { paths } = GMAIL_SELECTORS;
  if (!pathPattern(paths.mail).test(url.pathname)) return undefined;
  const route = url.hash.replace(/^#/, '').split('?')[0] ?? '';
  const segments = route.split('/').filter(Boolean);
  const view = segments[0];
  if (!view || paths.nonThreadViews.includes(view)) return undefined;
  const minimum = paths.twoPartViews.includes(view) ? 3 : 2;
  const last = segments[segments.length - 1];
  return segments.length >= minimum && last && pathPattern(paths.threadId).test(last) ? last : undefined;
}

/** The visible thread (the one whose legacy id is the hash's, when the hash carries a legacy id). */
function openThread(root: ParentNode, threadId: string): Element | null {
  const subjects = visibleAll(root, GMAIL_SELECTORS.threadSubject);
  const subject =
    (pathPattern(GMAIL_SELECTORS.paths.legacyThreadId).test(threadId)
      ? subjects.find((el) => el.getAttribute('data-legacy-thread-id') === threadId)
      : undefined) ?? subjects[0];
  if (!subject) return null;
  // The thread view itself first: in the reading pane the main region holds the list's rows too.
  return subject.closest(GMAIL_SELECTORS.thread) ?? subject.closest(GMAIL_SELECTORS.main) ?? subject.parentElement;
}

/** Every address Gmail shows as the signed-in account's (the account button, "me" markers, the title). */
function ownerEmails(root: ParentNode): Set<string> {
  const owners = new Set<string>();
  const add = (email: string | undefined) => email && owners.add(email);
  for (const button of root.querySelectorAll(GMAIL_SELECTORS.accountButton)) {
    // "Google Account: Name (email)": the address in the parentheses, in any language.
    const label = button.getAttribute('aria-label') ?? '';
    add(findEmail(/\(([^()]*@[^()]*)\)\s*$/.exec(label)?.[1] ?? label));
  }
  for (const me of root.querySelectorAll(GMAIL_SELECTORS.ownerMarker)) add(findEmail(me.getAttribute('email')));
  // "Subject - owner@example.com - Gmail" (the page title, in every language).
  const title = root.querySelector(GMAIL_SELECTORS.title);
  add(findEmail(textOf(title)?.match(/ - ([^ ]+@[^ ]+) - /)?.[1]));
  return owners;
}

/** Whether an address is the account's side: the account itself, or its company's domain. */
function accountSide(owners: Set<string>): (email: string) => boolean {
  const domains = new Set([...owners].map(domainOfEmail).filter((d): d is string => !!d && !PUBLIC_MAIL_DOMAINS.has(d)));
  return (email) => owners.has(email) || domains.has(domainOfEmail(email) ?? '');
}

interface Person {
  email: string;
  name?: string;
}

function personOf(span: Element): Person | undefined {
  const email = findEmail(span.getAttribute('email'));
  if (!email) return undefined;
  const name = span.getAttribute('name')?.replace(/\s+/g, ' ').trim() || textOf(span);
  return { email, name: name && name !== email && name !== 'me' && !findEmail(name) ? name.slice(0, 200) : undefined };
}

interface Message {
  sender?: Person;
  recipients: Person[];
}

/** The thread's visible messages in order: sender and recipients of each. */
function messagesOf(thread: Element): Message[] {
  const elements = visibleAll(thread, GMAIL_SELECTORS.message);
  const read = (scope: Element): Message => ({
    sender: personOf(scope.querySelector(GMAIL_SELECTORS.sender) ?? scope),
    recipients: [...scope.querySelectorAll(GMAIL_SELECTORS.recipient)].map(personOf).filter((p): p is Person => !!p),
  });
  if (elements.length) return elements.map(read);
  // No message wrappers rendered: each sender starts a message.
  return visibleAll(thread, GMAIL_SELECTORS.sender).map((span) => ({ sender: personOf(span), recipients: [] }));
}

/** The customer of a thread, and how they were chosen when there was a choice. */
function customerOf(messages: Message[], isAccount: (email: string) => boolean): { person?: Person; note?: string } {
  const outsiders = new Map<string, Person>();
  for (const { sender, recipients } of messages) {
    for (const person of [sender, ...recipients]) if (person && !isAccount(person.email) && !outsiders.has(person.email)) outsiders.set(person.email, person);
  }
  const first = messages.find((m) => m.sender);
  let person: Person | undefined;
  let how: string | undefined;
  if (first?.sender && !isAccount(first.sender.email)) {
    person = first.sender;
    how = 'the sender of the thread’s first message';
  } else if (first) {
    person = first.recipients.find((r) => !isAccount(r.email));
    how = person ? 'the first recipient of the thread’s first message, which your side sent' : undefined;
  }
  // Nobody outside on the first message (a note to self, or recipients not rendered): the first outsider.
  if (!person) {
    person = outsiders.values().next().value;
    how = 'the first person outside your side in the thread';
  }
  if (!person) return {};
  const others = outsiders.size - 1;
  return { person, note: others > 0 ? `${how}; ${others} other ${others === 1 ? 'person' : 'people'} in the thread` : undefined };
}

export const gmail: SiteAdapter = {
  id: 'gmail',
  definition: { version: 1, selectors: GMAIL_SELECTORS },
  name: 'Gmail',
  matches: ['https://mail.google.com/mail/*'],

  isRecordPage(url) {
    return threadIdOf(url) !== undefined;
  },

  recordOf(url) {
    const id = threadIdOf(url);
    return id ? { hostRecordId: id, recordType: 'thread' } : null;
  },

  extract(root, url): Extraction {
    const threadId = threadIdOf(url);
    if (!threadId) return { identity: null, missing: ['thread id in the URL'] };
    const thread = openThread(root, threadId);
    if (!thread || isHidden(thread)) return { identity: null, missing: ['open thread'] };

    const messages = messagesOf(thread);
    if (!messages.some((m) => m.sender)) return { identity: null, missing: ['thread sender'] };
    const owners = ownerEmails(root);
    const { person, note } = customerOf(messages, accountSide(owners));
    if (!person) return { identity: null, missing: ['sender other than the account owner'] };
    return {
      identity: compact({
        host: 'gmail',
        hostRecordId: threadId,
        recordType: 'thread',
        email: person.email,
        name: person.name,
        domain: domainOfEmail(person.email),
        note,
      }),
      missing: [],
    };
  },

  watchRoot(document) {
    return document.querySelector(GMAIL_SELECTORS.mainContainer) ?? document.querySelector(GMAIL_SELECTORS.main);
  },
};
