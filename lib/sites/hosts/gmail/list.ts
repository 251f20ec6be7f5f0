import { domainOfEmail, findEmail, firstMatch, pathPattern } from '../../text';
import { labelOf } from '../../lists/table';
import type { ListReader, ListRow } from '../../lists/types';

/**
 * Gmail thread lists (#inbox, #label/…, #search/…, any list hash without an open thread). Real
 * capture: tests/fixtures/hosts/gmail/inbox.html (InboxSDK, 2014): rows `tr.zA` inside
 * `div[gh="tl"]`, senders `td.yX div.yW span[email][name]` (`span.zF` unread, `span.yP` read; the
 * account owner has name="me" in English). Current Gmail adds the thread id as
 * `[data-legacy-thread-id]` on the subject span (InboxSDK's thread-row parser); when present the
 * worklist opens `#inbox/<id>`, otherwise it clicks the row as a person would. The customer is the
 * first sender who is not the signed-in account: known by the account button's address (any
 * language, as lib/sites/hosts/gmail/adapter.ts reads it), not only by the English "me". Kept apart from the
 * adapter so the list script does not carry the thread reader.
 */
export const GMAIL_LIST_SELECTORS = {
  paths: {
    /** A hash that opens a thread (#view[/…]/<thread id>): not a list. */
    threadHash: '^#[^/]+(?:/[^/]+)*/[A-Za-z0-9]{16,}$',
    /** A legacy thread id the worklist can open as #<view>/<id>. */
    legacyThreadId: '^[0-9a-f]{16}$',
  },
  row: 'div[gh="tl"] tr.zA',
  sender: '.yW span[email]',
  threadId: '[data-legacy-thread-id]',
  /** The Google bar's account button, "Google Account: Name (address)" in any language (see GMAIL_SELECTORS.accountButton). */
  accountButton: 'a[href*="accounts.google.com/SignOutOptions"][aria-label], a[aria-label^="Google Account"]',
  watch: ['div[gh="tl"]', 'div[role="main"]'],
};

/** The account's addresses per document, read once per list pass (the account button does not change). */
const owners = new WeakMap<Document, Set<string>>();
function accountOf(row: Element): Set<string> {
  const doc = row.ownerDocument;
  let known = owners.get(doc);
  if (!known || known.size === 0) {
    known = new Set<string>();
    for (const button of doc.querySelectorAll(GMAIL_LIST_SELECTORS.accountButton)) {
      const label = button.getAttribute('aria-label') ?? '';
      const email = findEmail(/\(([^()]*@[^()]*)\)\s*$/.exec(label)?.[1] ?? label);
      if (email) known.add(email);
    }
    owners.set(doc, known);
  }
  return known;
}

export const gmailList: ListReader = {
  id: 'gmail',
  rowSelector: GMAIL_LIST_SELECTORS.row,

  isListPage(url) {
    return url.pathname.startsWith('/mail/') && !pathPattern(GMAIL_LIST_SELECTORS.paths.threadHash).test(url.hash) && (url.hash === '' || url.hash.startsWith('#'));
  },

  readRow(row, url): ListRow | null {
    const account = accountOf(row);
    const sender = [...row.querySelectorAll(GMAIL_LIST_SELECTORS.sender)].find((s) => {
      const email = findEmail(s.getAttribute('email'));
      return email && s.getAttribute('name') !== 'me' && !account.has(email);
    });
    const email = findEmail(sender?.getAttribute('email'));
    if (!sender || !email) return null;
    const name = sender.getAttribute('name')?.trim() || undefined;
    const thread = row.querySelector(GMAIL_LIST_SELECTORS.threadId)?.getAttribute('data-legacy-thread-id');
    const view = url.hash.split('/')[0] || '#inbox';
    return {
      element: row,
      anchor: sender,
      identity: { host: 'gmail', email, name: name && !findEmail(name) ? name.slice(0, 200) : undefined, domain: domainOfEmail(email) },
      recordUrl: thread && pathPattern(GMAIL_LIST_SELECTORS.paths.legacyThreadId).test(thread) ? new URL(`${view}/${thread}`, url).href : undefined,
      link: row as HTMLElement,
      label: labelOf(name, email),
    };
  },

  watchRoot(document) {
    return firstMatch(document, GMAIL_LIST_SELECTORS.watch);
  },
};
