import { compact, domainOfEmail, domainOfWebsite, emailFromMailto, findEmail, isHidden, pathPattern, textOf, visibleAll } from '../../text';
import type { Extraction, SiteAdapter } from '../../types';

/**
 * Zoho CRM record pages: /crm/<org>/tab/<Module>/<id> for Contacts, Leads, Accounts and Deals
 * (whose legacy API name, Potentials, still appears in URLs); the org segment is absent for
 * single-org accounts.
 *
 * Zoho CRM renders the record with its Lyte/CRUX components (crm-detailview >
 * crux-detailpage-wrapper > crux-detailpage-header + crux-detailpage-sections), whose stable test
 * hooks are `data-zcqa` attributes ("Zoho CRM QA"): field labels `dtVw_lbl_<COLUMN>` (business card
 * `bc_dtVw_lbl_<COLUMN>`) with the value in the label's sibling `.dvValueContainer`. The record's
 * related lists (an account's contacts, a contact's e-mails) show OTHER people and are never read;
 * a detail view kept hidden is skipped. Selectors are kept here, in one place; they are tested
 * against tests/fixtures/hosts/zoho/*.html.
 */
export const ZOHO_SELECTORS = {
  /** URL path patterns (regular-expression sources, compiled on use by pathPattern). */
  paths: {
    /**
     * A record: /crm/<org>/tab/<Module>/<id> (the org segment is absent for single-org accounts);
     * Deals keep their legacy API name, Potentials, in many URLs. Zoho's own links in the record page
     * (`/crm/<org>/tab/Accounts/<id>` lookups) and public scripts (gaurharsh/zoho_crm_extractor_assignment
     * content/extractor.js, 2026-01: the module read from the URL) use this form.
     */
    record: '^/crm/(?:(?!tab/)[^/]+/)?tab/(Contacts|Leads|Accounts|Deals|Potentials)/(\\d+)/?$',
  },
  /** The record detail view (CRUX component source: crm-detailview renders crux-detailpage-wrapper). */
  detailWrapper: 'crux-detailpage-wrapper',
  detailView: 'crm-detailview',
  /** The attributes that bind a detail view to its record id (crm-detailview's template: `cx-prop-entity-id="{{cxPropRecordId}}"`). */
  recordIdAttributes: ['cx-prop-entity-id', 'cx-prop-record-id'],
  /** Header name: crux-detailpage-header `span#recHeader1.cxDvRecordHeader1` (first business-card field). */
  headerName: '#recHeader1, .cxDvRecordHeader1',
  /** Header email: crux-detailpage-header `div.cxDvRecordEmail` ({{cxPropRecord['Email']}}: the SAVED email, also during an edit). */
  headerEmail: '.cxDvRecordEmail',
  /** Related lists: crux-related-list-wrapper inside the wrapper, crm-relatedlist — other records. */
  relatedList: 'crux-related-list-wrapper, crm-relatedlist',
  /**
   * A field's label by its column name (crux-detailpage-sections): `data-zcqa="dtVw_lbl_<COLUMN>"`,
   * business card `bc_dtVw_lbl_<COLUMN>`. `data-zcqa` ("Zoho CRM QA") hooks are live in 2026:
   * gaurharsh/zoho_crm_extractor_assignment (2026-01) reads `data-zcqa="recordOwner"`,
   * `kanbanHeader_<stage>`, `lyte-exptable-tr[data-zcqa="detailView"]` on the live app.
   */
  fieldLabel: ['[data-zcqa="dtVw_lbl_{column}"]', '[data-zcqa="bc_dtVw_lbl_{column}"]'],
  /** The value next to a label (crux-detailpage-sections: `div#field_<id>.dvValueContainer.cxDvInfoValue`). */
  fieldValue: '.dvValueContainer, .cxDvInfoValue',
  /**
   * A field in inline ("ajax") edit: the value holds an input (crux-detailpage-sections toggles
   * `recordIsInAjaxEdit` and renders the field's edit component; the input inside it is ASSUMED to be
   * a plain input, as Lyte's lyte-input renders). Not hidden inputs, checkboxes or radios.
   */
  editInput: 'input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]), textarea',
  /** A mailto link in a value. */
  mailto: 'a[href^="mailto:" i]',
  /**
   * Zoho's column names for the fields read (FULLNAME and CONTACTID appear in the CRUX source; the
   * others follow the same naming and are not confirmed by a capture).
   */
  columns: {
    fullName: 'FULLNAME',
    email: 'EMAIL',
    leadCompany: 'COMPANY',
    accountLookup: 'ACCOUNTID',
    accountName: 'ACCOUNTNAME',
    website: 'WEBSITE',
    contactLookup: 'CONTACTID',
  },
  /**
   * Salutations the header puts before a person's name (a regular expression's source, case-insensitive):
   * Zoho's standard picklist (Mr., Mrs., Ms., Dr., Prof.) and, ASSUMED for localised orgs whose admins
   * renamed the picklist values, German, French and Spanish forms.
   */
  salutation: '^(?:mr|mrs|ms|miss|dr|prof|herr|frau|mme|mlle|sr|sra|srta)\\.?\\s+',
};

const RECORD_TYPES: Record<string, string> = {
  Contacts: 'contact',
  Leads: 'lead',
  Accounts: 'account',
  Deals: 'deal',
  Potentials: 'deal',
};

const salutations = new Map<string, RegExp>();
function salutationPattern(): RegExp {
  const source = ZOHO_SELECTORS.salutation;
  let pattern = salutations.get(source);
  if (!pattern) salutations.set(source, (pattern = new RegExp(source, 'i')));
  return pattern;
}

function recordOf(url: URL): { type: string; id: string } | null {
  const [, module, id] = pathPattern(ZOHO_SELECTORS.paths.record).exec(url.pathname) ?? [];
  const type = module ? RECORD_TYPES[module] : undefined;
  return type && id ? { type, id } : null;
}

/** The visible detail view (the one bound to this record id, when the element says so). */
function detailView(root: ParentNode, id: string): Element | null {
  // crm-detailview contains crux-detailpage-wrapper: the wrapper is the narrower scope.
  const wrappers = visibleAll(root, ZOHO_SELECTORS.detailWrapper);
  const views = wrappers.length ? wrappers : visibleAll(root, ZOHO_SELECTORS.detailView);
  const bound = views.find((el) => ZOHO_SELECTORS.recordIdAttributes.some((attribute) => el.getAttribute(attribute) === id));
  return bound ?? views[0] ?? null;
}

/** Inside the record itself, not in one of its related lists. */
function ownField(view: Element, element: Element): boolean {
  const related = element.closest(ZOHO_SELECTORS.relatedList);
  return !related || !view.contains(related);
}

/** The value element of a field, found by its label's test id (section first, then business card). */
function fieldValue(view: Element, column: string): Element | undefined {
  for (const labelSelector of ZOHO_SELECTORS.fieldLabel) {
    for (const label of view.querySelectorAll(labelSelector.replace('{column}', column))) {
      if (!ownField(view, label) || isHidden(label)) continue;
      let value = label.nextElementSibling;
      while (value && !value.matches(ZOHO_SELECTORS.fieldValue)) value = value.nextElementSibling;
      if (value && (textOf(value) || editInput(value))) return value;
    }
  }
  return undefined;
}

/** The input of a value in inline edit; undefined when the field is not being edited. */
function editInput(value: Element): HTMLInputElement | HTMLTextAreaElement | undefined {
  return value.querySelector<HTMLInputElement | HTMLTextAreaElement>(ZOHO_SELECTORS.editInput) ?? undefined;
}

/**
 * A value's text. In inline edit, the value being typed (the input's `value` property), never the
 * text around the input: a lookup's edit component lists OTHER records to choose from.
 */
function valueText(value: Element | undefined): string | undefined {
  if (!value) return undefined;
  const input = editInput(value);
  if (!input) return textOf(value);
  const typed = typeof input.value === 'string' ? input.value.replace(/\s+/g, ' ').trim() : '';
  return typed ? typed.slice(0, 200) : undefined;
}

function fieldText(view: Element, column: string): string | undefined {
  return valueText(fieldValue(view, column));
}

function ownText(view: Element, selector: string): string | undefined {
  return textOf(visibleAll(view, selector).find((el) => ownField(view, el)));
}

function personName(text: string | undefined): string | undefined {
  return text?.replace(salutationPattern(), '').trim() || undefined;
}

function recordEmail(view: Element): string | undefined {
  const value = fieldValue(view, ZOHO_SELECTORS.columns.email);
  return (
    findEmail(ownText(view, ZOHO_SELECTORS.headerEmail)) ??
    (value && !editInput(value) ? emailFromMailto(value.querySelector(ZOHO_SELECTORS.mailto)?.getAttribute('href')) : undefined) ??
    findEmail(valueText(value))
  );
}

function read(view: Element, type: string, id: string): Extraction {
  const { columns } = ZOHO_SELECTORS;
  const base = { host: 'zoho', hostRecordId: id, recordType: type };
  if (type === 'account') {
    const company = ownText(view, ZOHO_SELECTORS.headerName) ?? fieldText(view, columns.accountName);
    const domain = domainOfWebsite(fieldText(view, columns.website));
    if (!company && !domain) return { identity: null, missing: ['account name', 'account website'] };
    return { identity: compact({ ...base, company, domain }), missing: domain ? [] : ['account website'] };
  }
  if (type === 'deal') {
    const name = personName(fieldText(view, columns.contactLookup));
    const company = fieldText(view, columns.accountLookup);
    if (!name && !company) return { identity: null, missing: ['deal contact', 'deal account'] };
    return { identity: compact({ ...base, name, company }), missing: name ? [] : ['deal contact'] };
  }
  // contact or lead
  const name = personName(ownText(view, ZOHO_SELECTORS.headerName) ?? fieldText(view, columns.fullName));
  const email = recordEmail(view);
  const company = fieldText(view, type === 'lead' ? columns.leadCompany : columns.accountLookup);
  if (!name && !email) return { identity: null, missing: [`${type} name`, `${type} email`] };
  return {
    identity: compact({ ...base, email, name, company, domain: domainOfEmail(email) }),
    missing: email ? [] : [`${type} email`],
  };
}

export const zoho: SiteAdapter = {
  id: 'zoho',
  definition: { version: 1, selectors: ZOHO_SELECTORS },
  name: 'Zoho CRM',
  matches: [
    'https://crm.zoho.com/crm/*',
    'https://crm.zoho.eu/crm/*',
    'https://crm.zoho.in/crm/*',
    'https://crm.zoho.com.au/crm/*',
    'https://crm.zoho.jp/crm/*',
  ],

  isRecordPage(url) {
    return recordOf(url) !== null;
  },

  recordOf(url) {
    const record = recordOf(url);
    return record && { hostRecordId: record.id, recordType: record.type };
  },

  extract(root, url): Extraction {
    const record = recordOf(url);
    if (!record) return { identity: null, missing: ['record id in the URL'] };
    const view = detailView(root, record.id);
    if (!view) return { identity: null, missing: ['record detail view'] };
    return read(view, record.type, record.id);
  },

  watchRoot(document, url) {
    const record = recordOf(url);
    const view = record ? detailView(document, record.id) : null;
    return view?.closest(ZOHO_SELECTORS.detailView) ?? view;
  },
};
