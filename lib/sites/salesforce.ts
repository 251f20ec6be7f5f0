import {
  domainOfEmail,
  domainOfWebsite,
  emailOf,
  findEmail,
  firstMatch,
  firstVisible,
  isHidden,
  recordExtraction,
  textOf,
} from './text';
import type { Extraction, Identity, SiteAdapter } from './types';

/**
 * Salesforce Lightning Experience record pages (/lightning/r/<Object>/<id>/view) for Account,
 * Contact, Lead, Case and Opportunity, in standard navigation and in console apps.
 *
 * Lightning keeps more than one page in the DOM: standard navigation caches recently visited
 * pages as inactive "page hosts", a console app keeps one workspace per primary tab and one tab
 * section per subtab. Only the page host whose every container is marked active (and not hidden)
 * is read; the URL names the focused record. Fields are found by their API names
 * (`data-target-selection-name="sfdc:RecordField.<Object>.<Field>"`), which do not depend on the
 * user's language or the page layout's labels. Tested against tests/fixtures/hosts/salesforce/*.html.
 */
export const SALESFORCE_SELECTORS = {
  /**
   * Containers that are "active" or not, outermost first. Only Aura's component class names mark
   * them (there is no data attribute): `.oneWorkspace` (one per console primary tab),
   * `.oneConsoleTab` (section.tabContent, one per console subtab), `.oneContent` / `.lafPageHost`
   * (one per page in standard navigation: div.windowViewMode-normal.oneContent.active.lafPageHost;
   * in a console: div.windowViewMode-maximized.active.lafPageHost). These are the classes that
   * Salesforce's own UTAM page objects and public Selenium suites select on.
   */
  switchable: '.oneWorkspace, .oneConsoleTab, .oneContent, .lafPageHost',
  /** One page (record, list, home). */
  pageHost: '.lafPageHost, .oneContent',
  /** Record-page content that proves a page host shows a record. */
  recordContent: '[data-target-selection-name^="sfdc:RecordField."], records-highlights2, records-record-layout-item',
  /** The field wrapper of the detail panel and the highlights panel, by API name. */
  fieldPrefix: 'sfdc:RecordField.',
  /** The value part of a field wrapper (the rest is the label and the inline-edit button). */
  fieldValue: '.test-id__field-value',
  /** The input of a field in inline edit (text inputs and a lookup's combobox; not hidden inputs or checkboxes). */
  editInput: 'input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]), textarea',
  /** Email fields render lightning-formatted-email with a mailto link. */
  email: 'lightning-formatted-email a[href^="mailto:"], a[href^="mailto:"], lightning-formatted-email',
  /** URL fields (Website) render lightning-formatted-url. */
  url: 'lightning-formatted-url a[href], a[href]',
  /** The record name in the highlights panel header. */
  highlightsName: 'records-highlights2 slot[name="primaryField"], records-highlights2 h1',
  /** What a MutationObserver should watch, narrowest first: the center stage, the console's workspaces. */
  stage: ['.oneCenterStage', '.oneWorkspaceCollection', '.workspaceManager', '.viewport'],
} as const;

/** The objects this adapter reads, with the record type it reports. */
const OBJECTS = {
  Account: 'account',
  Contact: 'contact',
  Lead: 'lead',
  Case: 'case',
  Opportunity: 'opportunity',
} as const;
type SObject = keyof typeof OBJECTS;

const RECORD_PATH = /^\/lightning\/r\/(Account|Contact|Lead|Case|Opportunity)\/([a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?)\/view\/?$/;

function parseRecordUrl(url: URL): { object: SObject; id: string } | null {
  const match = RECORD_PATH.exec(url.pathname);
  return match ? { object: match[1] as SObject, id: match[2] ?? '' } : null;
}

/** True when the element is visible and every switchable container around it is active. */
function isActive(element: Element): boolean {
  if (isHidden(element)) return false;
  for (let node: Element | null = element; node; node = node.parentElement) {
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
  const objectFields = `[data-target-selection-name^="${SALESFORCE_SELECTORS.fieldPrefix}${object}."]`;
  const withFields = hosts.filter((host) => host.querySelector(objectFields) !== null);
  const candidates = withFields.length > 0 ? withFields : hosts.filter((h) => h.querySelector(SALESFORCE_SELECTORS.recordContent));
  // Nested hosts (a console subtab inside a primary tab): the innermost one is the record's own page.
  return candidates.find((host) => !candidates.some((other) => other !== host && host.contains(other))) ?? null;
}

/** The field wrapper of <Object>.<Field> in the page, e.g. field(page, 'Contact', 'Email'). */
function field(page: Element, object: SObject, name: string): Element | null {
  const selector = `[data-target-selection-name="${SALESFORCE_SELECTORS.fieldPrefix}${object}.${name}"]`;
  return firstVisible(page, selector);
}

/**
 * A field in inline edit (the agent clicked a pencil): its value part holds a lightning-input (or a
 * lookup's combobox) with the field's own <label> and an <input>. Its text is then the LABEL ("Account
 * Name", "取引先名"); the value being edited lives in the input's `value` property (not serialised as an
 * attribute; a lookup may carry it in `data-value`). Evidence: a real Account page in inline edit,
 * atskimura/SalesforceDummyFill test-samples/salesforce-account-inline.html (2025-06), described in
 * ../shared/fixtures/hosts/README.md. Returns undefined when the field is not being edited.
 */
function editedValue(value: Element): { text: string | undefined } | undefined {
  const input = value.querySelector<HTMLInputElement | HTMLTextAreaElement>(SALESFORCE_SELECTORS.editInput);
  if (!input) return undefined;
  const typed = (typeof input.value === 'string' ? input.value : '').trim() || input.getAttribute('data-value')?.trim() || '';
  return { text: typed ? typed.replace(/\s+/g, ' ').slice(0, 200) : undefined };
}

/** A field's displayed value as text (label and edit-button text excluded; in inline edit, the input's value). */
function fieldText(page: Element, object: SObject, name: string): string | undefined {
  const wrapper = field(page, object, name);
  if (!wrapper) return undefined;
  const value = wrapper.querySelector(SALESFORCE_SELECTORS.fieldValue) ?? wrapper;
  const edited = editedValue(value);
  return edited ? edited.text : textOf(value);
}

function fieldEmail(page: Element, object: SObject, name: string): string | undefined {
  const wrapper = field(page, object, name);
  if (!wrapper) return undefined;
  const value = wrapper.querySelector(SALESFORCE_SELECTORS.fieldValue) ?? wrapper;
  const edited = editedValue(value);
  if (edited) return findEmail(edited.text);
  const link = wrapper.querySelector(SALESFORCE_SELECTORS.email);
  return emailOf(link) ?? findEmail(textOf(value));
}

function fieldDomain(page: Element, object: SObject, name: string): string | undefined {
  const wrapper = field(page, object, name);
  if (!wrapper) return undefined;
  const link = wrapper.querySelector(SALESFORCE_SELECTORS.url);
  return domainOfWebsite(link?.getAttribute('href')) ?? domainOfWebsite(fieldText(page, object, name));
}

function highlightsName(page: Element): string | undefined {
  return textOf(page.querySelector(SALESFORCE_SELECTORS.highlightsName));
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

  extract(root, url): Extraction {
    try {
      const record = parseRecordUrl(url);
      if (!record) return { identity: null, missing: ['record id in the URL'] };
      const page = activePage(root, record.object);
      if (!page) return { identity: null, missing: ['active record page'] };

      const { expected, ...parts } = readRecord(page, record.object);
      return recordExtraction(
        { host: 'salesforce', hostRecordId: record.id, recordType: OBJECTS[record.object] },
        parts,
        expected,
      );
    } catch {
      return { identity: null, missing: ['readable record page'] };
    }
  },

  watchRoot(document) {
    return firstMatch(document, SALESFORCE_SELECTORS.stage);
  },
};
