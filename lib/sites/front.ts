import { compact, domainOfEmail, emailFromMailto, findEmail, firstVisible, textOf, visibleAll } from './text';
import type { Extraction, SiteAdapter } from './types';

/**
 * Front (app.frontapp.com), the open conversation: /open/cnv_<id> and the inbox routes
 * /inboxes/…/<status>/<conversation id>. The customer is the contact shown in the contact panel
 * beside the conversation; when that panel is not rendered, the sender of the conversation's first
 * message (who started it) is read instead.
 *
 * Front is a React app styled with styled-components: class names are `<component>__<StyledPart>-sc-
 * <hash>-<n>`, the prefix stable, the hash changing on deploys — so parts are matched by prefix, and
 * by Front's own data-testid / data-* hooks where it has them. Front keeps more than one
 * conversation viewer mounted (the list column, a viewer being replaced), so reads are scoped to the
 * visible viewer of the URL's conversation. Selectors are kept here, in one place; they are tested
 * against tests/fixtures/hosts/front/*.html.
 */
export const FRONT_SELECTORS = {
  /** App root (public "Central" Front extension, Feb 2026: `#root, [id="app"]`). */
  app: '#root, #app',
  /** Conversation viewer: `viewer__StyledViewerDiv` with data-testid="viewer-<numeric id>" (Central). */
  viewer: '[data-testid^="viewer-"], [class*="viewer__StyledViewerDiv"]',
  /** Messages in the viewer (Central: `messageViewerBase__StyledMessageDiv`, `[role="article"]`). */
  message: '[class*="messageViewerBase__StyledMessageDiv"], [role="article"]',
  /**
   * A message's sender: name in the first child of `messageViewerRecipient__StyledDetailsWrapperDiv`
   * (Central; Clockify's Front integration reads `.messageViewerRecipient__StyledDetailsWrapperDiv-sc-1z03g13-1 div`),
   * the contact's account (company) as `[data-account-name]`, the address in
   * `messageViewerRecipient__StyledHandleSpan` as "<address>" (Central).
   */
  senderDetails: '[class*="messageViewerRecipient__StyledDetailsWrapperDiv"]',
  senderHandle: '[class*="messageViewerRecipient__StyledHandleSpan"]',
  senderAccount: '[data-account-name]',
  /**
   * The contact panel (Front's "Contact details" sidebar). UNVERIFIED: no public code or capture
   * shows its markup; these names follow Front's conventions (data-testid, styled-components
   * prefixes). When none matches, the first message's sender is read (verified hooks above).
   */
  contactPanel: '[data-testid="contact-details"], [class*="contactDetails__"], [class*="contactPanel__"]',
  panelName: 'h1, h2, h3, [role="heading"]',
  panelAccount: '[data-account-name]',
} as const;

/** Path segments that name an inbox or a view, never a conversation. */
const CONTAINER_SEGMENTS = new Set(['inboxes', 'teams', 'teammates', 'shared', 'folders', 'views', 'search', 'workspace', 'inbox']);
const CNV_ID = /^cnv_[a-z0-9]+$/i;
const URL_ID = /^\d{6,}$/;

/**
 * The conversation's API id (cnv_<base 36>) from the URL. Front's URLs carry either the API id or
 * its base-10 form (the numeric id is the base-36 part read in base 10, as documented by Front's
 * ID-conversion notes), so both routes to one conversation give the same id.
 */
function conversationIdOf(url: URL): string | undefined {
  const segments = url.pathname.split('/').filter(Boolean);
  const [root] = segments;
  const last = segments[segments.length - 1];
  const previous = segments[segments.length - 2];
  if (!last || (root !== 'open' && root !== 'inboxes')) return undefined;
  if (root === 'open' && segments.length !== 2) return undefined;
  if (CNV_ID.test(last)) return last.toLowerCase();
  const numericAllowed = root === 'open' || (previous !== undefined && !CONTAINER_SEGMENTS.has(previous) && !/^\d+$/.test(previous));
  return numericAllowed && URL_ID.test(last) ? `cnv_${BigInt(last).toString(36)}` : undefined;
}

/** The base-10 id Front puts in the viewer's data-testid for this conversation id. */
function urlIdOf(conversationId: string): string | undefined {
  const base36 = conversationId.slice('cnv_'.length);
  if (!/^[0-9a-z]+$/.test(base36)) return undefined;
  let value = 0n;
  for (const digit of base36) value = value * 36n + BigInt(parseInt(digit, 36));
  return value.toString();
}

/** The visible viewer of this conversation (or the only visible viewer). */
function openViewer(root: ParentNode, conversationId: string): Element | null {
  const viewers = visibleAll(root, FRONT_SELECTORS.viewer);
  const testId = `viewer-${urlIdOf(conversationId) ?? ''}`;
  return viewers.find((v) => v.getAttribute('data-testid') === testId) ?? viewers[0] ?? null;
}

interface Contact {
  email?: string;
  name?: string;
  company?: string;
}

function fromPanel(panel: Element): Contact {
  const link = panel.querySelector('a[href^="mailto:"]');
  const email = emailFromMailto(link?.getAttribute('href')) ?? findEmail(textOf(panel));
  const name = textOf(panel.querySelector(FRONT_SELECTORS.panelName));
  const company = panel.querySelector(FRONT_SELECTORS.panelAccount)?.getAttribute('data-account-name')?.trim();
  return { email, name: name && name !== email ? name : undefined, company: company || undefined };
}

function fromFirstMessage(viewer: Element): Contact {
  const message = viewer.querySelector(FRONT_SELECTORS.message) ?? viewer;
  const details = message.querySelector(FRONT_SELECTORS.senderDetails);
  const nameElement = details?.firstElementChild;
  const email = findEmail(textOf(message.querySelector(FRONT_SELECTORS.senderHandle)));
  const name = textOf(nameElement);
  const company = details?.querySelector(FRONT_SELECTORS.senderAccount)?.getAttribute('data-account-name')?.trim();
  return { email, name: name && name !== email && !findEmail(name) ? name : undefined, company: company || undefined };
}

export const front: SiteAdapter = {
  id: 'front',
  definition: { version: 1, selectors: FRONT_SELECTORS },
  name: 'Front',
  matches: ['https://app.frontapp.com/*'],

  isRecordPage(url) {
    return conversationIdOf(url) !== undefined;
  },

  extract(root, url): Extraction {
    const conversationId = conversationIdOf(url);
    if (!conversationId) return { identity: null, missing: ['conversation id in the URL'] };
    const viewer = openViewer(root, conversationId);
    if (!viewer) return { identity: null, missing: ['conversation viewer'] };

    // One source, never a mix: the panel's person when it names one, else the first sender.
    const panel = firstVisible(root, FRONT_SELECTORS.contactPanel);
    const fromContactPanel = panel ? fromPanel(panel) : {};
    const contact: Contact =
      fromContactPanel.email || fromContactPanel.name ? fromContactPanel : fromFirstMessage(viewer);
    if (!contact.email && !contact.name) return { identity: null, missing: ['conversation contact'] };
    return {
      identity: compact({
        host: 'front',
        hostRecordId: conversationId,
        recordType: 'conversation',
        email: contact.email,
        name: contact.name,
        company: contact.company,
        domain: domainOfEmail(contact.email),
      }),
      missing: contact.email ? [] : ['contact email'],
    };
  },

  watchRoot(document) {
    return document.querySelector(FRONT_SELECTORS.app);
  },
};
