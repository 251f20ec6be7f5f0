import { domainOfEmail, findEmail, firstMatch } from '../text';
import { labelOf } from './table';
import type { ListReader, ListRow } from './types';

/**
 * Gmail thread lists (#inbox, #label/…, #search/…, any list hash without an open thread). Real
 * capture: tests/fixtures/hosts/gmail/inbox.html (InboxSDK, 2014): rows `tr.zA` inside
 * `div[gh="tl"]`, senders `td.yX div.yW span[email][name]` (`span.zF` unread, `span.yP` read; the
 * account owner has name="me"). Current Gmail adds the thread id as `[data-legacy-thread-id]` on the
 * subject span (InboxSDK's thread-row parser); when present the worklist opens `#inbox/<id>`,
 * otherwise it clicks the row as a person would. The customer is the first sender who is not "me".
 */
export const GMAIL_LIST_SELECTORS = {
  row: 'div[gh="tl"] tr.zA',
  sender: '.yW span[email]',
  threadId: '[data-legacy-thread-id]',
  watch: ['div[gh="tl"]', 'div[role="main"]'],
} as const;

/** A list: a hash view without a thread id (#inbox, #label/x, #search/q, #category/social …). */
const THREAD_HASH = /^#[^/]+(?:\/[^/]+)*\/[A-Za-z0-9]{16,}$/;

export const gmailList: ListReader = {
  id: 'gmail',
  rowSelector: GMAIL_LIST_SELECTORS.row,

  isListPage(url) {
    return url.pathname.startsWith('/mail/') && !THREAD_HASH.test(url.hash) && (url.hash === '' || url.hash.startsWith('#'));
  },

  readRow(row, url): ListRow | null {
    const sender = [...row.querySelectorAll(GMAIL_LIST_SELECTORS.sender)].find((s) => s.getAttribute('name') !== 'me' && findEmail(s.getAttribute('email')));
    const email = findEmail(sender?.getAttribute('email'));
    if (!sender || !email) return null;
    const name = sender.getAttribute('name')?.trim() || undefined;
    const thread = row.querySelector(GMAIL_LIST_SELECTORS.threadId)?.getAttribute('data-legacy-thread-id');
    const view = url.hash.split('/')[0] || '#inbox';
    return {
      element: row,
      anchor: sender,
      identity: { host: 'gmail', email, name: name && !findEmail(name) ? name.slice(0, 200) : undefined, domain: domainOfEmail(email) },
      recordUrl: thread && /^[0-9a-f]{16}$/i.test(thread) ? new URL(`${view}/${thread}`, url).href : undefined,
      link: row as HTMLElement,
      label: labelOf(name, email),
    };
  },

  watchRoot(document) {
    return firstMatch(document, GMAIL_LIST_SELECTORS.watch);
  },
};
