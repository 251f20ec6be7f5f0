import { CLOSED_SHADOW, closedShadowHosts, firstVisibleDeep, hasDeep, isHiddenComposed, renderedFirst, renderedQueryAll, renderedText, shadowHost } from '../../composed';
import { domainOfEmail, domainOfWebsite, emailOf, findEmail, firstMatch, pathPattern, recordExtraction } from '../../text';
import type { Extraction, Identity, SiteAdapter } from '../../types';

/**
 * Salesforce Lightning Experience record pages (/lightning/r/<Object>/<id>/view) for Account,
 * Contact, Lead, Case and Opportunity, in standard navigation and in console apps.
 *
 * Lightning keeps more than one page in the DOM: standard navigation caches recently visited
 * pages as inactive "page hosts", a console app keeps one workspace per primary tab and one tab
 * section per subtab. Only the page host whose every container is marked active (and not hidden)
 * is read; the URL names the focused record. Fields are found by their API names
 * (`data-target-selection-name="sfdc:RecordField.<Object>.<Field>"`), which do not depend on the
 * user's language or the page layout's labels.
 *
 * Shadow DOM: Lightning's components run on LWC's synthetic shadow today (the real 2025 capture is
 * flat DOM), and Salesforce is moving them to native shadow DOM ("mixed shadow mode"). The Aura
 * containers (page hosts, workspaces) stay in the page's DOM; the LWC record parts are read through
 * OPEN shadow roots and their slots (lib/sites/composed.ts), and a part the page keeps in a CLOSED
 * shadow root is named in `missing`. Evidence and decisions: docs/hosts/salesforce.md. Tested
 * against tests/fixtures/hosts/salesforce/*.html.
 */
export const SALESFORCE_SELECTORS = {
  /** URL path patterns (regular-expression sources, compiled on use by pathPattern). */
  paths: {
    /** A record page: /lightning/r/<Object>/<15 or 18 character id>/view (Lightning's documented URL format). */
    record: '^/lightning/r/(Account|Contact|Lead|Case|Opportunity)/([a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?)/view/?$',
  },
  /**
   * Containers that are "active" or not, outermost first. Only Aura's component class names mark
   * them (there is no data attribute): the console workspace, `.navexWorkspace` (Salesforce's UTAM
   * page object navex/workspaceManager, salesforce-pageobjects 9.0.0, 2025-10: "activeWorkspace" =
   * `.navexWorkspace.active`; older consoles also carry `.oneWorkspace`), `.oneConsoleTab`
   * (section.tabContent, one per console subtab), `.oneContent` / `.lafPageHost` (one per page in
   * standard navigation: div.windowViewMode-normal.oneContent.active.lafPageHost; in a console:
   * div.windowViewMode-maximized.active.lafPageHost), as public Selenium suites select them.
   */
  switchable: '.navexWorkspace, .oneWorkspace, .oneConsoleTab, .oneContent, .lafPageHost',
  /** One page (record, list, home). */
  pageHost: '.lafPageHost, .oneContent',
  /**
   * Record-page content that proves a page host shows a record: field wrappers and the LWC record
   * components (UTAM: global/recordHomeTemplateDesktop `one-record-home-flexipage2`,
   * records/lwcDetailPanel, records/lwcHighlightsPanel, records/highlights2, records/recordLayoutItem).
   */
  recordContent:
    '[data-target-selection-name^="sfdc:RecordField."], one-record-home-flexipage2, records-lwc-detail-panel, records-lwc-highlights-panel, records-highlights2, records-record-layout-item',
  /** The LWC record components whose insides hold the fields: a closed shadow root on one of them hides fields. */
  recordComponents:
    'one-record-home-flexipage2, flexipage-record-home-template-desktop2, records-lwc-detail-panel, records-base-record-form, records-lwc-record-layout, records-lwc-highlights-panel, records-highlights2, records-record-layout-item',
  /** The field wrapper of the detail panel and the highlights panel, by API name (real capture, 2025-06): `[data-target-selection-name="sfdc:RecordField.<Object>.<Field>"]`. */
  field: '[data-target-selection-name="sfdc:RecordField.{object}.{field}"]',
  /** Any field of an object (same evidence): proves a page host shows a record of that object. */
  objectFields: '[data-target-selection-name^="sfdc:RecordField.{object}."]',
  /** The value part of a field wrapper (the rest is the label and the inline-edit button); real capture, 2025-06. */
  fieldValue: '.test-id__field-value',
  /**
   * The input of a field in inline edit (text inputs and a lookup's combobox; not hidden inputs or
   * checkboxes). Real capture, 2025-06: lightning-input > … > input; UTAM lightning/input: the input
   * sits in lightning-input's shadow tree in native shadow.
   */
  editInput: 'input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]), textarea',
  /**
   * Email fields, narrowest first: a mailto link (lightning-formatted-email renders one; UTAM
   * lightning/formattedEmail "formattedEmailLink" `a` in its shadow tree), the formatted email
   * itself, and the email wrappers UTAM records/recordLayoutItem lists as "sfaEmailWrapper"
   * (`emailui-formatted-email-contact|lead|case|account`, salesforce-pageobjects 9.0.0).
   */
  email: [
    'a[href^="mailto:" i]',
    'lightning-formatted-email',
    'emailui-formatted-email-contact, emailui-formatted-email-lead, emailui-formatted-email-case, emailui-formatted-email-account',
  ],
  /** URL fields (Website): lightning-formatted-url renders a link (UTAM records/recordLayoutItem "formattedUrl"). */
  url: ['a[href]', 'lightning-formatted-url'],
  /** The highlights panel (UTAM records/highlights2: `records-highlights2`). */
  highlights: 'records-highlights2',
  /**
   * The record's name in the highlights panel, narrowest first: the slotted content
   * `[slot='primaryField']` (UTAM records/highlights2 "primaryFieldContent"), the slot itself
   * (flat DOM of synthetic shadow), the heading.
   */
  highlightsName: ['[slot="primaryField"]', 'slot[name="primaryField"]', 'h1'],
  /** What a MutationObserver should watch, narrowest first: the center stage, the console's workspaces. */
  stage: ['.oneCenterStage', '.oneWorkspaceCollection', '.workspaceManager', '.viewport'],
};

/** The objects this adapter reads, with the record type it reports. */
const OBJECTS = {
  Account: 'account',
  Contact: 'contact',
  Lead: 'lead',
  Case: 'case',
  Opportunity: 'opportunity',
} as const;
type SObject = keyof typeof OBJECTS;

function parseRecordUrl(url: URL): { object: SObject; id: string } | null {
  const match = pathPattern(SALESFORCE_SELECTORS.paths.record).exec(url.pathname);
  return match && match[1] && match[1] in OBJECTS ? { object: match[1] as SObject, id: match[2] ?? '' } : null;
}

/** The field selector of <Object>.<Field>. */
function fieldSelector(object: string, name: string): string {
  return SALESFORCE_SELECTORS.field.replace('{object}', object).replace('{field}', name);
}

/** True when the element is visible and every switchable container around it is active (across shadow boundaries). */
function isActive(element: Element): boolean {
  if (isHiddenComposed(element)) return false;
  for (let node: Element | null = element; node; node = node.parentElement ?? shadowHost(node)) {
    if (node.matches(SALESFORCE_SELECTORS.switchable) && !node.classList.contains('active')) return false;
  }
  return true;
}

/**
 * The page host of the focused record: active, visible, and holding fields of the URL's object
 * (the deepest such host when hosts are nested). Null when none is rendered yet.
 */
function activePage(root: ParentNode, object: SObject): Element | null {
  const hosts = [...root.querySelectorAll(SALESFORCE_SELECTORS.pageHost)].filter(isActive);
  const objectFields = SALESFORCE_SELECTORS.objectFields.replace('{object}', object);
  const withFields = hosts.filter((host) => hasDeep(host, objectFields));
  const candidates = withFields.length > 0 ? withFields : hosts.filter((h) => hasDeep(h, SALESFORCE_SELECTORS.recordContent));
  // Nested hosts (a console subtab inside a primary tab): the innermost one is the record's own page.
  return candidates.find((host) => !candidates.some((other) => other !== host && host.contains(other))) ?? null;
}

/** The field wrapper of <Object>.<Field> in the page (its own DOM, else inside open shadow roots), e.g. field(page, 'Contact', 'Email'). */
function field(page: Element, object: SObject, name: string): Element | null {
  return firstVisibleDeep(page, fieldSelector(object, name));
}

/**
 * A field in inline edit (the agent clicked a pencil): its value part holds a lightning-input (or a
 * lookup's combobox) with the field's own <label> and an <input>. Its text is then the LABEL ("Account
 * Name", "取引先名"); the value being edited lives in the input's `value` property (not serialised as an
 * attribute; a lookup may carry it in `data-value`). Evidence: a real Account page in inline edit,
 * atskimura/SalesforceDummyFill test-samples/salesforce-account-inline.html (2025-06), described in
 * ../shared/fixtures/hosts/README.md. In native shadow the input sits in lightning-input's shadow
 * tree (UTAM lightning/input), found through it. Returns undefined when the field is not being edited.
 */
function editedValue(value: Element): { text: string | undefined } | undefined {
  const input = renderedQueryAll(value, SALESFORCE_SELECTORS.editInput)[0] as HTMLInputElement | HTMLTextAreaElement | undefined;
  if (!input) return undefined;
  const typed = (typeof input.value === 'string' ? input.value : '').trim() || input.getAttribute('data-value')?.trim() || '';
  return { text: typed ? typed.replace(/\s+/g, ' ').slice(0, 200) : undefined };
}

/** The value part of a field wrapper (the wrapper itself when it has none). */
function valuePart(wrapper: Element): Element {
  return renderedQueryAll(wrapper, SALESFORCE_SELECTORS.fieldValue)[0] ?? wrapper;
}

/** A field's displayed value as text (label and edit-button text excluded; in inline edit, the input's value). */
function fieldText(page: Element, object: SObject, name: string): string | undefined {
  const wrapper = field(page, object, name);
  if (!wrapper) return undefined;
  const value = valuePart(wrapper);
  const edited = editedValue(value);
  return edited ? edited.text : renderedText(value);
}

function fieldEmail(page: Element, object: SObject, name: string): string | undefined {
  const wrapper = field(page, object, name);
  if (!wrapper) return undefined;
  const value = valuePart(wrapper);
  const edited = editedValue(value);
  if (edited) return findEmail(edited.text);
  const link = renderedFirst(value, SALESFORCE_SELECTORS.email);
  return emailOf(link) ?? findEmail(renderedText(link)) ?? findEmail(renderedText(value));
}

function fieldDomain(page: Element, object: SObject, name: string): string | undefined {
  const wrapper = field(page, object, name);
  if (!wrapper) return undefined;
  const link = renderedFirst(valuePart(wrapper), SALESFORCE_SELECTORS.url);
  return domainOfWebsite(link?.getAttribute('href')) ?? domainOfWebsite(fieldText(page, object, name));
}

function highlightsName(page: Element): string | undefined {
  const highlights = firstVisibleDeep(page, SALESFORCE_SELECTORS.highlights);
  return highlights ? renderedText(renderedFirst(highlights, SALESFORCE_SELECTORS.highlightsName)) : undefined;
}

/** What each object contributes, and which parts are expected (for `missing`). */
type Read = Omit<Identity, 'host' | 'hostRecordId' | 'recordType'> & { expected: Record<string, boolean> };

function readRecord(page: Element, object: SObject): Read {
  switch (object) {
    case 'Contact':
    case 'Lead': {
      const email = fieldEmail(page, object, 'Email');
      const name = fieldText(page, object, 'Name') ?? highlightsName(page);
      const company = object === 'Lead' ? fieldText(page, 'Lead', 'Company') : fieldText(page, 'Contact', 'AccountId');
      const website = object === 'Lead' ? fieldDomain(page, 'Lead', 'Website') : undefined;
      return {
        email,
        name,
        company,
        domain: domainOfEmail(email) ?? website,
        expected: { [`${object.toLowerCase()} email`]: !!email, [`${object.toLowerCase()} name`]: !!name },
      };
    }
    case 'Case': {
      const email = fieldEmail(page, 'Case', 'ContactEmail') ?? fieldEmail(page, 'Case', 'SuppliedEmail');
      const name = fieldText(page, 'Case', 'ContactId') ?? fieldText(page, 'Case', 'SuppliedName');
      const company = fieldText(page, 'Case', 'AccountId') ?? fieldText(page, 'Case', 'SuppliedCompany');
      return {
        email,
        name,
        company,
        domain: domainOfEmail(email),
        expected: { 'case contact email': !!email, 'case contact name': !!name },
      };
    }
    case 'Account': {
      // Person accounts carry the person's email; business accounts only a website.
      const email = fieldEmail(page, 'Account', 'PersonEmail');
      const accountName = fieldText(page, 'Account', 'Name') ?? highlightsName(page);
      const domain = fieldDomain(page, 'Account', 'Website') ?? domainOfEmail(email);
      return {
        email,
        name: email ? accountName : undefined,
        company: email ? undefined : accountName,
        domain,
        expected: { 'account name': !!accountName, 'account website': !!domain || !!email },
      };
    }
    case 'Opportunity': {
      const company = fieldText(page, 'Opportunity', 'AccountId');
      const name = fieldText(page, 'Opportunity', 'ContactId');
      return { name, company, expected: { 'opportunity account name': !!company } };
    }
  }
}

export const salesforce: SiteAdapter = {
  id: 'salesforce',
  definition: { version: 1, selectors: SALESFORCE_SELECTORS },
  name: 'Salesforce',
  matches: ['https://*.lightning.force.com/lightning/*'],

  isRecordPage(url) {
    return parseRecordUrl(url) !== null;
  },

  recordOf(url) {
    const record = parseRecordUrl(url);
    return record && { hostRecordId: record.id, recordType: OBJECTS[record.object] };
  },

  extract(root, url): Extraction {
    try {
      const record = parseRecordUrl(url);
      if (!record) return { identity: null, missing: ['record id in the URL'] };
      const page = activePage(root, record.object);
      if (!page) return { identity: null, missing: ['active record page'] };

      const { expected, ...parts } = readRecord(page, record.object);
      const extraction = recordExtraction(
        { host: 'salesforce', hostRecordId: record.id, recordType: OBJECTS[record.object] },
        parts,
        expected,
      );
      // A field not found while a record component keeps its insides in a closed shadow root: say so.
      if (extraction.missing.length > 0 && closedShadowHosts(page, SALESFORCE_SELECTORS.recordComponents).length > 0) {
        return { ...extraction, missing: extraction.missing.map((part) => `${part} (${CLOSED_SHADOW})`) };
      }
      return extraction;
    } catch {
      return { identity: null, missing: ['readable record page'] };
    }
  },

  watchRoot(document) {
    return firstMatch(document, SALESFORCE_SELECTORS.stage);
  },
};
