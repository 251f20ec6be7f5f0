import { compact, domainOfEmail, domainOfWebsite, emailFromMailto, findEmail, isHidden, textOf, visibleAll } from './text';
import type { Extraction, SiteAdapter } from './types';

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
  /** The record detail view (CRUX component source: crm-detailview renders crux-detailpage-wrapper). */
  detailWrapper: 'crux-detailpage-wrapper',
  detailView: 'crm-detailview',
  /** Header name: crux-detailpage-header `span#recHeader1.cxDvRecordHeader1` (first business-card field). */
  headerName: '#recHeader1, .cxDvRecordHeader1',
  /** Header email: crux-detailpage-header `div.cxDvRecordEmail` ({{cxPropRecord['Email']}}). */
  headerEmail: '.cxDvRecordEmail',
  /** Related lists: crux-related-list-wrapper inside the wrapper, crm-relatedlist — other records. */
  relatedList: 'crux-related-list-wrapper, crm-relatedlist',
  /** Field label test ids (crux-detailpage-sections): `data-zcqa="dtVw_lbl_<COLUMN>"`, business card `bc_dtVw_lbl_<COLUMN>`. */
  fieldLabelPrefixes: ['dtVw_lbl_', 'bc_dtVw_lbl_'],
  /** The value next to a label (crux-detailpage-sections: `div#field_<id>.dvValueContainer.cxDvInfoValue`). */
  fieldValue: '.dvValueContainer, .cxDvInfoValue',
} as const;

/**
 * Zoho's column names for the fields read (FULLNAME and CONTACTID appear in the CRUX source; the
 * others follow the same naming and are not confirmed by a capture).
 */
const COLUMNS = {
  fullName: 'FULLNAME',
  email: 'EMAIL',
  leadCompany: 'COMPANY',
  accountLookup: 'ACCOUNTID',
  accountName: 'ACCOUNTNAME',
  website: 'WEBSITE',
  contactLookup: 'CONTACTID',
} as const;

const RECORD_PATH = /^\/crm\/(?:(?!tab\/)[^/]+\/)?tab\/(Contacts|Leads|Accounts|Deals|Potentials)\/(\d+)\/?$/;
const RECORD_TYPES: Record<string, string> = {
  Contacts: 'contact',
  Leads: 'lead',
  Accounts: 'account',
  Deals: 'deal',
  Potentials: 'deal',
};
/** Zoho's standard salutation picklist, which the header puts before a person's name. */
const SALUTATION = /^(?:mr|mrs|ms|dr|prof)\.?\s+/i;

/** The visible detail view (the one bound to this record id, when the element says so). */
function detailView(root: ParentNode, id: string): Element | null {
  // crm-detailview contains crux-detailpage-wrapper: the wrapper is the narrower scope.
  const wrappers = visibleAll(root, ZOHO_SELECTORS.detailWrapper);
  const views = wrappers.length ? wrappers : visibleAll(root, ZOHO_SELECTORS.detailView);
  const bound = views.find((el) => el.getAttribute('cx-prop-entity-id') === id || el.getAttribute('cx-prop-record-id') === id);
  return bound ?? views[0] ?? null;
}

/** Inside the record itself, not in one of its related lists. */
function ownField(view: Element, element: Element): boolean {
  const related = element.closest(ZOHO_SELECTORS.relatedList);
  return !related || !view.contains(related);
}

/** The value element of a field, found by its label's test id. */
function fieldValue(view: Element, column: string): Element | undefined {
  for (const prefix of ZOHO_SELECTORS.fieldLabelPrefixes) {
    for (const label of view.querySelectorAll(`[data-zcqa="${prefix}${column}"]`)) {
      if (!ownField(view, label) || isHidden(label)) continue;
      let value = label.nextElementSibling;
      while (value && !value.matches(ZOHO_SELECTORS.fieldValue)) value = value.nextElementSibling;
      if (value && textOf(value)) return value;
    }
  }
  return undefined;
}

function fieldText(view: Element, column: string): string | undefined {
  return textOf(fieldValue(view, column));
}

function ownText(view: Element, selector: string): string | undefined {
  return textOf(visibleAll(view, selector).find((el) => ownField(view, el)));
}

function personName(text: string | undefined): string | undefined {
  return text?.replace(SALUTATION, '').trim() || undefined;
}

function recordEmail(view: Element): string | undefined {
  const value = fieldValue(view, COLUMNS.email);
  return (
    findEmail(ownText(view, ZOHO_SELECTORS.headerEmail)) ??
    emailFromMailto(value?.querySelector('a[href^="mailto:"]')?.getAttribute('href')) ??
    findEmail(textOf(value))
  );
}

function read(view: Element, type: string, id: string): Extraction {
  const base = { host: 'zoho', hostRecordId: id, recordType: type };
  if (type === 'account') {
    const company = ownText(view, ZOHO_SELECTORS.headerName) ?? fieldText(view, COLUMNS.accountName);
    const domain = domainOfWebsite(fieldText(view, COLUMNS.website));
    if (!company && !domain) return { identity: null, missing: ['account name', 'account website'] };
    return { identity: compact({ ...base, company, domain }), missing: domain ? [] : ['account website'] };
  }
  if (type === 'deal') {
    const name = personName(fieldText(view, COLUMNS.contactLookup));
    const company = fieldText(view, COLUMNS.accountLookup);
    if (!name && !company) return { identity: null, missing: ['deal contact', 'deal account'] };
    return { identity: compact({ ...base, name, company }), missing: name ? [] : ['deal contact'] };
  }
  // contact or lead
  const name = personName(ownText(view, ZOHO_SELECTORS.headerName) ?? fieldText(view, COLUMNS.fullName));
  const email = recordEmail(view);
  const company = fieldText(view, type === 'lead' ? COLUMNS.leadCompany : COLUMNS.accountLookup);
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
    return RECORD_PATH.test(url.pathname);
  },

  extract(root, url): Extraction {
    const [, module, id] = RECORD_PATH.exec(url.pathname) ?? [];
    const type = module && RECORD_TYPES[module];
    if (!type || !id) return { identity: null, missing: ['record id in the URL'] };
    const view = detailView(root, id);
    if (!view) return { identity: null, missing: ['record detail view'] };
    return read(view, type, id);
  },

  watchRoot(document, url) {
    const id = RECORD_PATH.exec(url.pathname)?.[2];
    const view = id ? detailView(document, id) : null;
    return view?.closest(ZOHO_SELECTORS.detailView) ?? view;
  },
};
