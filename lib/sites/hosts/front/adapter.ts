import { compact, domainOfEmail, emailFromMailto, findEmail, firstVisible, isHidden, pathPattern, textOf, visibleAll } from '../../text';
import type { Extraction, SiteAdapter } from '../../types';

/**
 * Front (app.frontapp.com), the open conversation: /open/cnv_<id> and the inbox routes
 * /inboxes/…/<status>/<conversation id>. The customer is the conversation's CONTACT (Front's own
 * model: a conversation has one main recipient, the contact, whichever side wrote first — Front
 * plugin SDK and core API docs). Read, in order:
 *  1. the Contact details panel beside the conversation, when it is rendered;
 *  2. else the conversation's first message: its sender when that is not the team; when the team
 *     wrote first (an outbound conversation), the first "To" recipient who is not the team.
 * "The team" is the signed-in teammate shown in the app chrome (address and name), addresses of
 * the teammate's company domain (a shared inbox's channel address), and messages Front marks as
 * outbound. When the page shows none of these, the first sender is taken and `note` says that Front
 * did not show which side is the team's.
 *
 * Front is a React app styled with styled-components: class names are `<component>__<StyledPart>-sc-
 * <hash>-<n>`, the prefix stable, the hash changing on deploys — so parts are matched by prefix, and
 * by Front's own data-testid / data-* hooks where it has them. Every selector and URL pattern is in
 * FRONT_SELECTORS with its evidence; evidence is THIN for the contact panel, the teammate in the
 * chrome and the direction marker (docs/hosts/front.md says what is assumed).
 */
export const FRONT_SELECTORS = {
  /** URL patterns (regular-expression sources, compiled on use) and path words. */
  paths: {
    /** Front's API conversation id, cnv_<base 36> (Front core API; the "Central" extension reads `/(cnv_[a-zA-Z0-9]+)/` from the URL). */
    conversationId: '^cnv_[a-z0-9]+$',
    /** The base-10 form Front puts in inbox URLs and in the viewer's data-testid. */
    urlId: '^\\d{6,}$',
    /** Path segments that name an inbox or a view, never a conversation. */
    containers: ['inboxes', 'teams', 'teammates', 'shared', 'folders', 'views', 'search', 'workspace', 'inbox'],
  },
  /** App root (public "Central" Front extension, Feb 2026: `#root, [id="app"]`). */
  app: '#root, #app',
  /** Conversation viewer: `viewer__StyledViewerDiv` with data-testid="viewer-<numeric id>" (Central, Feb 2026). */
  viewer: '[data-testid^="viewer-"], [class*="viewer__StyledViewerDiv"]',
  /** Messages in the viewer (Central: `messageViewerBase__StyledMessageDiv`, `[role="article"]`). */
  message: '[class*="messageViewerBase__StyledMessageDiv"], [role="article"]',
  /**
   * A message's sender: name in the first child of `messageViewerRecipient__StyledDetailsWrapperDiv`
   * (Central; Clockify's Front integration 2022–2023 reads `.messageViewerRecipient__StyledDetailsWrapperDiv-sc-1z03g13-1 div`),
   * the contact's account (company) as `[data-account-name]`, the address in
   * `messageViewerRecipient__StyledHandleSpan` as "<address>" (Central).
   */
  senderDetails: '[class*="messageViewerRecipient__StyledDetailsWrapperDiv"]',
  senderHandle: '[class*="messageViewerRecipient__StyledHandleSpan"]',
  senderAccount: '[data-account-name]',
  /** A message's recipients: the first collapsed section is "To:" (Central: `messageViewerDetails__StyledSectionTitleDiv` + `…StyledCollapsedSectionContentDiv`). */
  recipients: '[class*="messageViewerDetails__StyledCollapsedSectionContentDiv"]',
  /**
   * Front's mark of a message the team sent. ASSUMED: no public source shows one in the DOM; these
   * mirror Front's API field `is_inbound` (core API Message) and a direction attribute.
   */
  outbound: '[data-is-inbound="false"], [data-message-direction="outbound"], [data-direction="outbound"]',
  /**
   * The signed-in teammate in the app chrome (Front's plugin SDK exposes it as `context.teammate`;
   * in the DOM: ASSUMED). Read from `aria-label` / `title` as "Name (address)" or from the text.
   */
  teammate: '[data-testid="teammate-avatar"], [data-testid="currentTeammate"], [data-testid="teammate-menu-button"]',
  /**
   * The Contact details panel (help.frontapp.com: the "contact details plugin" beside the
   * conversation). UNVERIFIED markup: no public code or capture shows it; these names follow Front's
   * conventions (data-testid, styled-components prefixes). When none matches, messages are read.
   */
  contactPanel: '[data-testid="contact-details"], [class*="contactDetails__"], [class*="contactPanel__"]',
  panelName: 'h1, h2, h3, [role="heading"]',
  panelAccount: '[data-account-name]',
  mailto: 'a[href^="mailto:" i]',
};

/** Public mail services: an address there says nothing about the team's company. */
const PUBLIC_MAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'yahoo.com', 'icloud.com', 'me.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.de', 'gmx.net', 'web.de']);

/**
 * The conversation's API id (cnv_<base 36>) from the URL. Front's URLs carry either the API id or
 * its base-10 form (the numeric id is the base-36 part read in base 10, as documented by Front's
 * ID-conversion notes), so both routes to one conversation give the same id.
 */
function conversationIdOf(url: URL): string | undefined {
  const { paths } = FRONT_SELECTORS;
  const segments = url.pathname.split('/').filter(Boolean);
  const [root] = segments;
  const last = segments[segments.length - 1];
  const previous = segments[segments.length - 2];
  if (!last || (root !== 'open' && root !== 'inboxes')) return undefined;
  if (root === 'open' && segments.length !== 2) return undefined;
  if (pathPattern(paths.conversationId).test(last.toLowerCase())) return last.toLowerCase();
  const numericAllowed = root === 'open' || (previous !== undefined && !paths.containers.includes(previous) && !/^\d+$/.test(previous));
  return numericAllowed && pathPattern(paths.urlId).test(last) ? `cnv_${BigInt(last).toString(36)}` : undefined;
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
  const viewers = visibleAll(root, FRONT_SELECTORS.viewer).filter((v) => !v.parentElement?.closest(FRONT_SELECTORS.viewer));
  const testId = `viewer-${urlIdOf(conversationId) ?? ''}`;
  return viewers.find((v) => v.getAttribute('data-testid') === testId) ?? (viewers.length === 1 ? viewers[0]! : null);
}

interface Person {
  email?: string;
  name?: string;
  company?: string;
}

function cleanName(name: string | undefined, email: string | undefined): string | undefined {
  return name && name !== email && !findEmail(name) ? name : undefined;
}

function fromPanel(panel: Element): Person {
  const link = firstVisible(panel, FRONT_SELECTORS.mailto);
  const email = emailFromMailto(link?.getAttribute('href')) ?? findEmail(textOf(panel));
  const name = textOf(firstVisible(panel, FRONT_SELECTORS.panelName));
  const company = panel.querySelector(FRONT_SELECTORS.panelAccount)?.getAttribute('data-account-name')?.trim();
  return { email, name: cleanName(name, email), company: company || undefined };
}

interface Message {
  sender: Person;
  to: Person[];
  outbound: boolean;
}

/** "Ana Li <ana@x.example>, bo@y.example" -> people (name when written before the address). */
function peopleIn(text: string | undefined): Person[] {
  if (!text) return [];
  return text
    .split(/[,;](?![^<]*>)/)
    .map((part) => {
      const email = findEmail(part);
      const name = part.replace(/<[^<>]*>/g, '').replace(/\S+@\S+/g, '').replace(/\s+/g, ' ').trim();
      return { email, name: cleanName(name || undefined, email) };
    })
    .filter((p) => p.email || p.name);
}

function readMessage(element: Element): Message {
  const details = element.querySelector(FRONT_SELECTORS.senderDetails);
  const email = findEmail(textOf(element.querySelector(FRONT_SELECTORS.senderHandle)));
  const company = details?.querySelector(FRONT_SELECTORS.senderAccount)?.getAttribute('data-account-name')?.trim();
  return {
    sender: { email, name: cleanName(textOf(details?.firstElementChild), email), company: company || undefined },
    to: peopleIn(textOf(element.querySelector(FRONT_SELECTORS.recipients))),
    outbound: element.matches(FRONT_SELECTORS.outbound) || element.querySelector(FRONT_SELECTORS.outbound) !== null,
  };
}

/** The signed-in teammate as the app chrome shows them: addresses and names. */
function teammateOf(root: ParentNode): { emails: Set<string>; names: Set<string>; domains: Set<string> } {
  const emails = new Set<string>();
  const names = new Set<string>();
  for (const el of root.querySelectorAll(FRONT_SELECTORS.teammate)) {
    for (const text of [el.getAttribute('aria-label'), el.getAttribute('title'), textOf(el)]) {
      const email = findEmail(text);
      if (email) emails.add(email);
      const name = text?.replace(/\([^()]*\)|<[^<>]*>|\S+@\S+/g, '').replace(/\s+/g, ' ').trim();
      if (name && email) names.add(name.toLowerCase());
    }
  }
  const domains = new Set([...emails].map(domainOfEmail).filter((d): d is string => !!d && !PUBLIC_MAIL_DOMAINS.has(d)));
  return { emails, names, domains };
}

/** The customer of the conversation from its messages, and how they were chosen. */
function fromMessages(messages: Message[], root: ParentNode): { person: Person; note?: string } | null {
  const team = teammateOf(root);
  const knowsTeam = team.emails.size > 0 || messages.some((m) => m.outbound);
  const isTeam = (p: Person) =>
    (!!p.email && (team.emails.has(p.email) || team.domains.has(domainOfEmail(p.email) ?? ''))) || (!!p.name && !p.email && team.names.has(p.name.toLowerCase()));
  const teamMessage = (m: Message) => m.outbound || isTeam(m.sender) || (!!m.sender.name && team.names.has(m.sender.name.toLowerCase()));
  const first = messages.find((m) => m.sender.email || m.sender.name);
  if (!first) return null;
  if (!teamMessage(first)) {
    return { person: first.sender, note: knowsTeam ? undefined : 'the first message’s sender: Front did not show which side is your team' };
  }
  const recipient = first.to.find((p) => !isTeam(p));
  if (recipient) return { person: recipient, note: 'the first recipient of your team’s first message (an outbound conversation)' };
  // The team wrote first and its recipients are not shown: the first sender from outside.
  const outsider = messages.find((m) => !teamMessage(m) && (m.sender.email || m.sender.name));
  return outsider ? { person: outsider.sender, note: 'the first sender outside your team (an outbound conversation)' } : null;
}

export const front: SiteAdapter = {
  id: 'front',
  definition: { version: 1, selectors: FRONT_SELECTORS },
  name: 'Front',
  matches: ['https://app.frontapp.com/*'],

  isRecordPage(url) {
    return conversationIdOf(url) !== undefined;
  },

  recordOf(url) {
    const id = conversationIdOf(url);
    return id ? { hostRecordId: id, recordType: 'conversation' } : null;
  },

  extract(root, url): Extraction {
    const conversationId = conversationIdOf(url);
    if (!conversationId) return { identity: null, missing: ['conversation id in the URL'] };
    const viewer = openViewer(root, conversationId);
    if (!viewer) return { identity: null, missing: ['conversation viewer'] };

    // One source, never a mix: the panel's person when it names one, else the messages' contact.
    const panel = firstVisible(root, FRONT_SELECTORS.contactPanel);
    const fromContactPanel = panel ? fromPanel(panel) : {};
    const chosen =
      fromContactPanel.email || fromContactPanel.name
        ? { person: fromContactPanel, note: undefined }
        : fromMessages(
            visibleAll(viewer, FRONT_SELECTORS.message).filter((m) => !isHidden(m)).map(readMessage),
            root,
          );
    const contact = chosen?.person;
    if (!contact || (!contact.email && !contact.name)) return { identity: null, missing: ['conversation contact'] };
    return {
      identity: compact({
        host: 'front',
        hostRecordId: conversationId,
        recordType: 'conversation',
        email: contact.email,
        name: contact.name,
        company: contact.company,
        domain: domainOfEmail(contact.email),
        note: chosen.note,
      }),
      missing: contact.email ? [] : ['contact email'],
    };
  },

  watchRoot(document) {
    return document.querySelector(FRONT_SELECTORS.app);
  },
};
