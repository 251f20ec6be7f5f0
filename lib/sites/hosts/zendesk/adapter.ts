import { compact, domainOfEmail, emailFromMailto, findEmail, firstMatch, isHidden, pathPattern, personExtraction, textOf } from '../../text';
import type { Extraction, SiteAdapter } from '../../types';

/**
 * Zendesk Support, Agent Workspace: the single-ticket page (/agent/tickets/<id>) and the user
 * profile page (/agent/users/<id>, with its sub-tabs such as /agent/users/<id>/requested_tickets).
 *
 * Agent Workspace keeps one workspace per open tab in the DOM; the inactive ones are flagged
 * (`data-is-active="false"`, no `active` class) or hidden, and may come first in document order.
 * Every read is therefore scoped to the workspace of the ticket in the URL. The customer is the
 * ticket's REQUESTER: the requester field and the customer context panel describe them. The page is
 * never searched for "any email": the submitter (an agent who opened the ticket for a caller), the
 * assignee, CCs and followers, message authors and other tabs all show addresses too.
 *
 * Every selector and URL pattern is in ZENDESK_SELECTORS below, each with its public evidence; the
 * full account (sources, dates, traps, what is assumed) is docs/hosts/zendesk.md. Zendesk's own API
 * (lib/sites/hosts/zendesk/api.ts) corrects this reading from `requester_id`.
 */
export const ZENDESK_SELECTORS = {
  /** URL path patterns (regular-expression sources, compiled on use by pathPattern). */
  paths: {
    /** The single-ticket page: /agent/tickets/<id> (Toggl and Clockify read the id this way: `tickets\/(\d+)`). */
    ticket: '^/agent/tickets/(\\d+)/?$',
    /** A user's profile and its sub-tabs: /agent/users/<id>[/requested_tickets …] (Zendesk's agent URLs). */
    user: '^/agent/users/(\\d+)(?:/[a-z_]+)?/?$',
    /**
     * The test id of a ticket's pane grid, `ticket-<id>-custom-layout` ("Support Toolkit" Zendesk
     * extension's selectors module and design spec, "verified live 2026-06-22").
     */
    workspaceTestId: '^ticket-(\\d+)-custom-layout$',
  },
  /**
   * One per open ticket tab: the pane grid `.ticket-panes-grid-layout` (Toggl 2023-09…2024-10,
   * Clockify 2024-10, Support Toolkit 2026-06) with data-test-id `ticket-<id>-custom-layout`
   * (Support Toolkit 2026-06); `[data-ticket-id]` (a Zendesk userscript reading
   * `[data-ticket-id="<id>"] [data-test-id="omni-log-container"]`; cited in issue 17).
   */
  workspace: '.ticket-panes-grid-layout, [data-test-id$="-custom-layout"], [data-ticket-id]',
  /** The ticket id on the conversation pane: `data-side-conversations-anchor-id="<id>"` (Toggl 2024-10; holatuwol/liferay-zendesk-userscript src/main.ts, 2025-08). */
  conversationAnchor: '[data-side-conversations-anchor-id]',
  /** An element inside a grid naming its ticket (the userscript evidence for `data-ticket-id`, above). */
  ticketIdMark: '[data-ticket-id]',
  /** Marks of the active tab: class `active` (Clockify 2024-10, a Toggl version) and `data-is-active="true"` (Toggl 2024-10, Clockify 2024-11…2026-03). */
  active: '.active, [data-is-active="true"]',
  /** Marks of an inactive tab: `data-is-active="false"` (as above) and hidden attributes (inline display:none is read by isHidden; holatuwol sidebar.ts). */
  inactive: '[hidden], [aria-hidden="true"], [data-is-active="false"]',
  /**
   * The requester field of the ticket's properties: the wrapper `[data-test-id="requester-field"]`
   * (a 2026 Zendesk "frustration meter" extension, which reads the email from a `[title]` inside it)
   * and the combobox `ticket-system-field-requester-select` (same extension; several userscripts).
   */
  requesterField: '[data-test-id="requester-field"], [data-test-id="ticket-system-field-requester-select"]',
  /** Elements inside a field that are not its value: its label (Garden `forms.input_label`, zendeskgarden/react-components) and an open dropdown (Garden `dropdowns.menu`, holatuwol sidebar.ts; ARIA roles). */
  notValue: 'label, [data-garden-id="forms.input_label"], [data-garden-id="dropdowns.menu"], [role="listbox"], [role="menu"], [role="tooltip"]',
  /** An element whose `title` holds an address (the frustration-meter extension: "Zendesk often puts the email in a title"). */
  titled: '[title]',
  /**
   * A field being edited: its combobox is open (`aria-expanded="true"`, WAI-ARIA combobox pattern
   * that Garden's dropdowns follow); what it shows then is the agent's search, not the requester.
   */
  editing: '[aria-expanded="true"]',
  /** A field's text box (the frustration-meter extension reads the requester from `value || textContent`). */
  input: 'input:not([type="hidden"])',
  /**
   * The customer context panel: `customer-context-pane` (a 2026 Zendesk userscript opening it with
   * `omnipanel-selector-item-customer-context`), the grid's third column `column-3`
   * (`component-type-ContextPanel`, Support Toolkit 2026-06).
   */
  contextPanel: '[data-test-id="customer-context-pane"], [data-test-id="column-3"]',
  /** The requester's email in the context panel: `[data-test-id="attribute-email-display"]` (two public userscripts, 2024–2026; cited in issue 17). */
  contextEmail: '[data-test-id="attribute-email-display"]',
  /** The requester's name in the context panel: `customer-context-name` (two public userscripts' selector lists, 2025–2026; weak evidence). */
  contextName: '[data-test-id="customer-context-name"]',
  /** The requester's organization: `customer-context-organization` and the ticket field `ticket-system-field-organization-value` (a 2025 userscript's selector list); a link to /agent/organizations/<id>. */
  organization: '[data-test-id="customer-context-organization"], [data-test-id="ticket-system-field-organization-value"]',
  organizationLink: 'a[href*="/agent/organizations/"]',
  /** One per open user tab (ASSUMED: no public source shows the user page's hooks). */
  userWorkspace: '[data-test-id="user-workspace"], [data-user-id]',
  /** The user page's profile panel and its parts (ASSUMED, as above; the context panel's email hook is tried first). */
  userPanel: '[data-test-id="user-profile"], [data-test-id="customer-context-pane"]',
  userName: '[data-test-id="user-name"], [data-test-id="customer-context-name"]',
  userEmail: '[data-test-id="attribute-email-display"], [data-test-id="user-email"], a[href^="mailto:" i]',
  /** What a MutationObserver should watch, narrowest first: `main[data-garden-id="navigation.main"]` (Support Toolkit 2026-06), then landmarks. */
  page: ['main[data-garden-id="navigation.main"]', '[data-test-id="main-layout"]', 'main', '[role="main"]', '#root'],
};

/** The record a URL opens: a ticket or a user, by the numeric id in its path; null on any other page. */
export function zendeskRecord(url: URL): { kind: 'ticket' | 'user'; id: string } | null {
  const ticketId = pathPattern(ZENDESK_SELECTORS.paths.ticket).exec(url.pathname)?.[1];
  if (ticketId) return { kind: 'ticket', id: ticketId };
  const userId = pathPattern(ZENDESK_SELECTORS.paths.user).exec(url.pathname)?.[1];
  return userId ? { kind: 'user', id: userId } : null;
}

/** Hidden by the page (see isHidden), or inside an inactive tab. */
function isInactive(element: Element): boolean {
  return isHidden(element) || element.closest(ZENDESK_SELECTORS.inactive) !== null;
}

/** The ticket id a workspace names: its own attributes first, then the conversation pane inside it. */
function workspaceIdOf(workspace: Element): string | undefined {
  const own =
    workspace.getAttribute('data-ticket-id') ??
    pathPattern(ZENDESK_SELECTORS.paths.workspaceTestId).exec(workspace.getAttribute('data-test-id') ?? '')?.[1];
  if (own) return own;
  const anchor = workspace.querySelector(ZENDESK_SELECTORS.conversationAnchor);
  return anchor?.getAttribute('data-side-conversations-anchor-id') ?? workspace.querySelector(ZENDESK_SELECTORS.ticketIdMark)?.getAttribute('data-ticket-id') ?? undefined;
}

/**
 * The workspace of the URL's record among the visible ones of a kind: the one that names the id;
 * else the one marked active; else the only one. Candidates nested in another candidate (a page
 * part or another extension's element carrying `data-ticket-id`) and those inside a workspace of the
 * other kind (a user page lists the user's tickets) are not workspaces.
 */
function activeWorkspace(root: ParentNode, selector: string, otherKind: string, idOf: (el: Element) => string | undefined, id: string): Element | null {
  const all = [...root.querySelectorAll(selector)];
  const outermost = all.filter((el) => !all.some((other) => other !== el && other.contains(el)));
  const candidates = outermost.filter((el) => !isInactive(el) && el.parentElement?.closest(otherKind) == null);
  return (
    candidates.find((el) => idOf(el) === id) ??
    candidates.find((el) => el.matches(ZENDESK_SELECTORS.active)) ??
    (candidates.length === 1 ? candidates[0]! : null)
  );
}

/** The visible elements matching `selector` under `scope`, outside any label, dropdown or tooltip. */
function valueElements(scope: ParentNode, selector: string): Element[] {
  return [...scope.querySelectorAll(selector)].filter((el) => !isHidden(el) && el.closest(ZENDESK_SELECTORS.notValue) === null);
}

/** Whether `element` is, or is inside, a label, dropdown or tooltip below `field`. */
function isNotValue(element: Element, field: Element): boolean {
  for (let el: Element | null = element; el && el !== field; el = el.parentElement) {
    if (el.matches(ZENDESK_SELECTORS.notValue)) return true;
  }
  return false;
}

/**
 * The text a field shows as its value: its text nodes outside labels, dropdowns and tooltips
 * (an `<input>` being typed in holds no text node, so a search being typed is never read),
 * whitespace collapsed; undefined when empty.
 */
function shownValue(field: Element | null | undefined): string | undefined {
  if (!field) return undefined;
  const parts: string[] = [];
  const walker = field.ownerDocument.createTreeWalker(field, 4 /* NodeFilter.SHOW_TEXT */);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent && !isNotValue(parent, field) && !isHidden(parent)) parts.push(node.textContent ?? '');
  }
  const text = parts.join(' ').replace(/\s+/g, ' ').trim();
  return text || undefined;
}

/**
 * What a field holds as its value when it is not being edited: its text box's value (a live
 * property: what the page shows), else its shown text; undefined while the agent edits it.
 */
function fieldValue(field: Element | undefined): string | undefined {
  if (!field || field.matches(ZENDESK_SELECTORS.editing) || field.querySelector(ZENDESK_SELECTORS.editing)) return undefined;
  const input = (field.matches(ZENDESK_SELECTORS.input) ? field : field.querySelector(ZENDESK_SELECTORS.input)) as HTMLInputElement | null;
  return input?.value?.replace(/\s+/g, ' ').trim() || shownValue(field);
}

/** The first address the elements show: a mailto link's, else one written in its text. */
function firstEmail(elements: Element[]): string | undefined {
  for (const el of elements) {
    const email = emailFromMailto(el.getAttribute('href')) ?? findEmail(shownValue(el));
    if (email) return email;
  }
  return undefined;
}

/** A name as a field shows it, without the addresses it may carry ("Ana <ana@x>", "Ana (ana@x)"). */
function nameOf(text: string | undefined): string | undefined {
  const name = text?.replace(/<[^<>]*@[^<>]*>|\([^()]*@[^()]*\)|\S+@\S+/g, '').replace(/\s+/g, ' ').trim();
  return name || undefined;
}

function extractTicket(root: ParentNode, ticketId: string): Extraction {
  const workspace = activeWorkspace(root, ZENDESK_SELECTORS.workspace, ZENDESK_SELECTORS.userWorkspace, workspaceIdOf, ticketId);
  if (!workspace) return { identity: null, missing: ['ticket workspace'] };

  const panels = valueElements(workspace, ZENDESK_SELECTORS.contextPanel);
  // The requester field, unless the agent is editing it (then it shows their search).
  const field = valueElements(workspace, ZENDESK_SELECTORS.requesterField)[0];
  const requesterField = field && fieldValue(field) !== undefined ? field : undefined;
  // The requester's address: the context panel's email attribute, else the requester field's title.
  // Never "any address in the workspace" (assignee, CCs, followers, message authors show theirs).
  const email =
    firstEmail(valueElements(workspace, ZENDESK_SELECTORS.contextEmail)) ??
    (requesterField ? valueElements(requesterField, ZENDESK_SELECTORS.titled).map((el) => findEmail(el.getAttribute('title'))).find(Boolean) : undefined);
  const name = nameOf(shownValue(valueElements(workspace, ZENDESK_SELECTORS.contextName)[0])) ?? nameOf(fieldValue(requesterField));
  const company =
    shownValue(valueElements(workspace, ZENDESK_SELECTORS.organization)[0]) ??
    shownValue(panels.flatMap((panel) => valueElements(panel, ZENDESK_SELECTORS.organizationLink))[0]);

  if (!email && !name) return { identity: null, missing: ['requester email', 'requester name'] };
  return {
    identity: compact({ host: 'zendesk', hostRecordId: ticketId, recordType: 'ticket', email, name, company, domain: domainOfEmail(email) }),
    missing: email ? [] : ['requester email'],
  };
}

function userIdOf(workspace: Element): string | undefined {
  return workspace.getAttribute('data-user-id') ?? undefined;
}

function extractUser(root: ParentNode, userId: string): Extraction {
  const workspace = activeWorkspace(root, ZENDESK_SELECTORS.userWorkspace, ZENDESK_SELECTORS.workspace, userIdOf, userId);
  if (!workspace) return { identity: null, missing: ['user workspace'] };
  const panel = valueElements(workspace, ZENDESK_SELECTORS.userPanel)[0] ?? workspace;
  return personExtraction(
    { host: 'zendesk', hostRecordId: userId, recordType: 'user' },
    {
      email: firstEmail(valueElements(panel, ZENDESK_SELECTORS.userEmail)),
      name: nameOf(shownValue(valueElements(panel, ZENDESK_SELECTORS.userName)[0])),
      company: shownValue(valueElements(panel, ZENDESK_SELECTORS.organizationLink)[0]),
    },
    'user',
  );
}

export const zendesk: SiteAdapter = {
  id: 'zendesk',
  definition: { version: 1, selectors: ZENDESK_SELECTORS },
  name: 'Zendesk',
  matches: ['https://*.zendesk.com/agent/*'],

  isRecordPage(url) {
    return zendeskRecord(url) !== null;
  },

  recordOf(url) {
    const record = zendeskRecord(url);
    return record && { hostRecordId: record.id, recordType: record.kind };
  },

  extract(root, url): Extraction {
    try {
      const record = zendeskRecord(url);
      if (!record) return { identity: null, missing: ['ticket or user id in the URL'] };
      return record.kind === 'ticket' ? extractTicket(root, record.id) : extractUser(root, record.id);
    } catch {
      return { identity: null, missing: ['readable agent page'] };
    }
  },

  watchRoot(document) {
    return firstMatch(document, ZENDESK_SELECTORS.page);
  },
};
