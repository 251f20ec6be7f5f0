import { compact, domainOfEmail, findEmail, textOf, visibleAll } from './text';
import type { Extraction, SiteAdapter } from './types';

/**
 * Gmail, the open thread (mail.google.com/mail/u/<n>/#<label>/<threadId>): the customer is the
 * SENDER of the thread — the first message not written by the account owner (falling back to the
 * first recipient who is not the owner, for a thread the owner started).
 *
 * Gmail keeps every view it has shown (the inbox list, threads opened earlier) in the DOM and hides
 * the inactive ones with `display: none`, so every read is scoped to the visible thread. Gmail has
 * no test ids: its short class names (hP, gD, adn …) are generated, but they have been stable for
 * a decade and are what every public Gmail extension library reads; they are kept here, in one
 * place, next to where each comes from. Tested against tests/fixtures/hosts/gmail/*.html.
 */
export const GMAIL_SELECTORS = {
  /**
   * The main content container; each route (list, thread) is one child `div.nH`, inactive ones
   * hidden with `display: none` (InboxSDK GmailElementGetter.getMainContentContainer, and its
   * setup-route-view-driver-stream test; the 2014 capture: div.aeF > div.nH > div[role=main]).
   */
  mainContainer: 'div.aeF > div.nH',
  /** A route's main region (gmail.js dom.inbox_content, InboxSDK: `[role=main]`). */
  main: '[role="main"]',
  /**
   * The open thread's subject, which carries the thread ids (gmail.js get.thread_id:
   * `h2[data-legacy-thread-id]`, dom.thread subject `h2.hP`; InboxSDK GmailThreadView.getThreadID:
   * `[data-legacy-thread-id]` with `data-thread-perm-id`).
   */
  threadSubject: 'h2.hP, h2[data-legacy-thread-id], [data-thread-perm-id]',
  /**
   * The thread view element (InboxSDK GmailThreadView: `.a98.iY` since 2022, `.if` before;
   * gmail.js api.dom.thread: div.if / div.iY).
   */
  thread: '.a98.iY, .iY, .if',
  /**
   * Each message's sender, in message order (gmail.js dom.email "from": `span[email].gD`;
   * InboxSDK GmailMessageView: the sender is the `span[email]` inside the header's `h3.iw`, the
   * first `td.gF span[email]`; recipients sit outside h3.iw). Attributes `email` and `name`.
   */
  sender: 'span.gD[email], h3.iw span[email]',
  /** Each message's recipients (gmail.js dom.email "to": `span[email].g2`; InboxSDK: `.hb span[email]`). */
  recipient: 'span.g2[email], .hb span[email]',
  /**
   * The account owner: the Google bar's account button, aria-label "Google Account: Name (email)",
   * linking to accounts.google.com/SignOutOptions (as read by public Gmail extensions).
   */
  accountButton: 'a[aria-label^="Google Account"], a[href*="accounts.google.com/SignOutOptions"][aria-label]',
  /** Gmail names the account owner "me" (2014 capture: `span.zF[email="…"][name="me"]`). */
  ownerMarker: '[email][name="me"]',
} as const;

/** Hash views whose second segment is a parameter, so the thread id is the third (#label/Name/<id>). */
const TWO_PART_VIEWS = new Set(['label', 'search', 'category', 'advanced-search', 'apps']);
/** Hash views that never show a thread. */
const NON_THREAD_VIEWS = new Set(['settings', 'contacts', 'create-filter']);
/** Thread ids: 16 hex digits (legacy) or the longer letters-and-digits form (FMfcgz…). */
const THREAD_ID = /^[A-Za-z0-9]{16,}$/;
const LEGACY_THREAD_ID = /^[0-9a-f]{16}$/i;
const GMAIL_PATH = /^\/mail(?:\/u\/\d+)?\/?$/;

/** The open thread's id from the hash (#inbox/<id>, #label/Name/<id>, …), or undefined. */
function threadIdOf(url: URL): string | undefined {
  if (!GMAIL_PATH.test(url.pathname)) return undefined;
  const route = url.hash.replace(/^#/, '').split('?')[0] ?? '';
  const segments = route.split('/').filter(Boolean);
  const view = segments[0];
  if (!view || NON_THREAD_VIEWS.has(view)) return undefined;
  const minimum = TWO_PART_VIEWS.has(view) ? 3 : 2;
  const last = segments[segments.length - 1];
  return segments.length >= minimum && last && THREAD_ID.test(last) ? last : undefined;
}

/** The visible thread (the one whose legacy id is the hash's, when the hash carries a legacy id). */
function openThread(root: ParentNode, threadId: string): Element | null {
  const subjects = visibleAll(root, GMAIL_SELECTORS.threadSubject);
  const subject =
    (LEGACY_THREAD_ID.test(threadId)
      ? subjects.find((el) => el.getAttribute('data-legacy-thread-id') === threadId)
      : undefined) ?? subjects[0];
  if (!subject) return null;
  return subject.closest(GMAIL_SELECTORS.main) ?? subject.closest(GMAIL_SELECTORS.thread) ?? subject.parentElement;
}

/** Every address Gmail shows as the account owner's. */
function ownerEmails(root: ParentNode): Set<string> {
  const owners = new Set<string>();
  const add = (email: string | undefined) => email && owners.add(email);
  for (const button of root.querySelectorAll(GMAIL_SELECTORS.accountButton)) {
    add(findEmail(button.getAttribute('aria-label')));
  }
  for (const me of root.querySelectorAll(GMAIL_SELECTORS.ownerMarker)) add(findEmail(me.getAttribute('email')));
  // "Subject - owner@example.com - Gmail"
  const title = root.querySelector('title');
  add(findEmail(textOf(title)?.match(/ - ([^ ]+@[^ ]+) - /)?.[1]));
  return owners;
}

interface Person {
  email?: string;
  name?: string;
}

function personOf(span: Element): Person {
  const email = findEmail(span.getAttribute('email'));
  const name = span.getAttribute('name')?.replace(/\s+/g, ' ').trim() || textOf(span);
  return { email, name: name && name !== email && name !== 'me' ? name : undefined };
}

/** The first person in these spans who is not the account owner. */
function firstOutsider(spans: Iterable<Element>, owners: Set<string>): Person | undefined {
  for (const span of spans) {
    const person = personOf(span);
    if (person.email && !owners.has(person.email)) return person;
  }
  return undefined;
}

export const gmail: SiteAdapter = {
  id: 'gmail',
  definition: { version: 1, selectors: GMAIL_SELECTORS },
  name: 'Gmail',
  matches: ['https://mail.google.com/mail/*'],

  isRecordPage(url) {
    return threadIdOf(url) !== undefined;
  },

  extract(root, url): Extraction {
    const threadId = threadIdOf(url);
    if (!threadId) return { identity: null, missing: ['thread id in the URL'] };
    const thread = openThread(root, threadId);
    if (!thread) return { identity: null, missing: ['open thread'] };

    const owners = ownerEmails(root);
    const senders = [...thread.querySelectorAll(GMAIL_SELECTORS.sender)];
    const customer =
      firstOutsider(senders, owners) ?? firstOutsider(thread.querySelectorAll(GMAIL_SELECTORS.recipient), owners);
    if (!customer) {
      return { identity: null, missing: senders.length ? ['sender other than the account owner'] : ['thread sender'] };
    }
    return {
      identity: compact({
        host: 'gmail',
        hostRecordId: threadId,
        recordType: 'thread',
        email: customer.email,
        name: customer.name,
        domain: domainOfEmail(customer.email),
      }),
      missing: [],
    };
  },

  watchRoot(document) {
    return document.querySelector(GMAIL_SELECTORS.mainContainer) ?? document.querySelector(GMAIL_SELECTORS.main);
  },
};
