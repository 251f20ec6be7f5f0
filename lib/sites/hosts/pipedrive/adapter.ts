import {
  domainOfEmail,
  domainOfWebsite,
  emailFromMailto,
  emailOf,
  findEmail,
  firstMatch,
  pathPattern,
  recordExtraction,
  textOf,
  visibleAll,
} from '../../text';
import type { Extraction, SiteAdapter } from '../../types';

/**
 * Pipedrive detail pages: person (/person/<id>), organization (/organization/<id>) and deal
 * (/deal/<id>), on <company>.pipedrive.com or app.pipedrive.com.
 *
 * Pipedrive opens other items on top of a detail page (the contextual side view of a deal or an
 * activity, dialogs), and the detail page's own history lists emails to and from other people. Only
 * the page's own detail view is read, and only its field blocks: a person's email from its
 * details, a deal's customer from its Person block, an organization's domain from its website.
 * People and organizations are recognised by their links (/person/<id>, /organization/<id>), which
 * do not depend on the user's language. Tested against tests/fixtures/hosts/pipedrive/*.html.
 */
export const PIPEDRIVE_SELECTORS = {
  /** URL path patterns (regular expressions' source, compiled on use). */
  paths: {
    /** /person/<id>, /organization/<id>, /deal/<id> (Pipedrive's own item URLs; public integrations link to /deal/<id>). */
    record: '^/(person|organization|deal)/(\\d+)(?:/[^?#]*)?$',
    /** "<name> - contact details", the tab title of person and organization pages (Clockify pipedrive.js 2023-2026); English only. */
    contactTitle: '^(.*\\S)\\s+-\\s+contact details$',
    /** Pipedrive's own hosts, never an organization's website. */
    ownHost: '(^|\\.)pipedrive\\.com$',
  },
  /** Layers that show another item over the page (the contextual view, in Clockify's Pipedrive
   * selectors 2023-2026; dialogs by role). */
  otherItemLayers: '[data-test="contextual-view"], [role="dialog"]',
  /** The person / organization page. Only a class name marks it publicly (Clockify's integration,
   * 2020-2026: `.detailView .content .spacer`); the deal page is found by its header. */
  detailView: '.detailView',
  /** The item's title in the page header (Clockify 2026: [data-testid="header-title"] with .cui5-editable-text__input). */
  headerTitle: '[data-testid="header-title"]',
  /** The header title's editable text (a textarea or input while it can be edited). */
  editableTitle: 'textarea, input',
  /** The person / organization page's heading (ASSUMED: an h1 inside .detailView). */
  pageHeading: 'h1',
  /** Sidebar blocks of a detail page (the "Pipedrive Fields" browser extension, 2026: detail-block,
   * person-block, organization-block, deal-block, lead-block, and any [data-testid$="-block"]). */
  detailBlock: '[data-testid="detail-block"]',
  personBlock: '[data-testid="person-block"]',
  organizationBlock: '[data-testid="organization-block"]',
  /** A field's value in a block (fields-list-row > field-name + fields-list-row-field-components). */
  fieldValue: '[data-testid="fields-list-row-field-components"]',
  personLink: 'a[href*="/person/"]',
  organizationLink: 'a[href*="/organization/"]',
  mailto: 'a[href^="mailto:"]',
  /** A web link in a field (an organization's website). */
  webLink: 'a[href^="http"]',
  /** The tab's title element. */
  tabTitle: 'title',
  /** What a MutationObserver should watch, narrowest first. */
  page: ['.detailView', 'main', '[role="main"]'],
};

type RecordType = 'person' | 'organization' | 'deal';

function parseRecordUrl(url: URL): { type: RecordType; id: string } | null {
  const match = pathPattern(PIPEDRIVE_SELECTORS.paths.record).exec(url.pathname);
  return match ? { type: match[1] as RecordType, id: match[2] ?? '' } : null;
}

/** Elements of the page's own item: visible and outside layers that show another item. */
function onPage(root: ParentNode, selector: string): Element[] {
  return visibleAll(root, selector).filter((el) => el.closest(PIPEDRIVE_SELECTORS.otherItemLayers) === null);
}

/** The first email of a block: a mailto link, else the text of one of its field values. */
function emailIn(block: Element | undefined): string | undefined {
  if (!block) return undefined;
  const link = onPage(block, PIPEDRIVE_SELECTORS.mailto)[0];
  const fromLink = emailOf(link);
  if (fromLink) return fromLink;
  for (const value of onPage(block, PIPEDRIVE_SELECTORS.fieldValue)) {
    const email = findEmail(textOf(value));
    if (email) return email;
  }
  return undefined;
}

/** The header title: the editable title's text, or the header's own text. */
function headerTitle(scope: ParentNode): string | undefined {
  const header = onPage(scope, PIPEDRIVE_SELECTORS.headerTitle)[0];
  const editable = header?.querySelector(PIPEDRIVE_SELECTORS.editableTitle);
  return (editable && (editable.getAttribute('value') ?? textOf(editable))) || textOf(header);
}

/** A field value's email anywhere in the page's own field lists (never the history's mail links). */
function emailInFields(scope: ParentNode): string | undefined {
  for (const value of onPage(scope, PIPEDRIVE_SELECTORS.fieldValue)) {
    if (value.closest(`${PIPEDRIVE_SELECTORS.personBlock}, ${PIPEDRIVE_SELECTORS.organizationBlock}`)) continue;
    const link = value.querySelector(PIPEDRIVE_SELECTORS.mailto);
    const email = emailFromMailto(link?.getAttribute('href')) ?? findEmail(textOf(value));
    if (email) return email;
  }
  return undefined;
}

/** The heading of a person / organization page (the detail view's h1). */
function pageHeading(scope: ParentNode): string | undefined {
  return 'matches' in scope && (scope as Element).matches(PIPEDRIVE_SELECTORS.detailView)
    ? textOf(onPage(scope, PIPEDRIVE_SELECTORS.pageHeading)[0])
    : undefined;
}

/** "<name> - contact details", the tab title of person and organization pages. */
function nameFromTitle(root: ParentNode): string | undefined {
  const title = textOf(root.querySelector(PIPEDRIVE_SELECTORS.tabTitle));
  const match = title ? pathPattern(PIPEDRIVE_SELECTORS.paths.contactTitle).exec(title) : null;
  return match?.[1];
}

/** The web domain of the first external link among a block's field values (an organization's website). */
function websiteIn(block: Element | undefined): string | undefined {
  if (!block) return undefined;
  for (const value of onPage(block, PIPEDRIVE_SELECTORS.fieldValue)) {
    for (const link of value.querySelectorAll(PIPEDRIVE_SELECTORS.webLink)) {
      const domain = domainOfWebsite(link.getAttribute('href'));
      if (domain && !pathPattern(PIPEDRIVE_SELECTORS.paths.ownHost).test(domain)) return domain;
    }
  }
  return undefined;
}

export const pipedrive: SiteAdapter = {
  id: 'pipedrive',
  definition: { version: 1, selectors: PIPEDRIVE_SELECTORS },
  name: 'Pipedrive',
  matches: ['https://*.pipedrive.com/*'],

  isRecordPage(url) {
    return parseRecordUrl(url) !== null;
  },

  recordOf(url) {
    const record = parseRecordUrl(url);
    return record && { hostRecordId: record.id, recordType: record.type };
  },

  extract(root, url): Extraction {
    try {
      const record = parseRecordUrl(url);
      if (!record) return { identity: null, missing: ['record id in the URL'] };
      const scope: ParentNode = onPage(root, PIPEDRIVE_SELECTORS.detailView)[0] ?? root;
      const details = onPage(scope, PIPEDRIVE_SELECTORS.detailBlock)[0];
      let email: string | undefined;
      let name: string | undefined;
      let company: string | undefined;
      let domain: string | undefined;
      let expected: Record<string, boolean>;
      let note: string | undefined;

      switch (record.type) {
        case 'person': {
          email = emailIn(details) ?? emailInFields(scope);
          name = headerTitle(scope) ?? pageHeading(scope) ?? nameFromTitle(root);
          const organization = onPage(scope, PIPEDRIVE_SELECTORS.organizationBlock)[0] ?? details;
          company = textOf(organization ? onPage(organization, PIPEDRIVE_SELECTORS.organizationLink)[0] : undefined);
          domain = domainOfEmail(email);
          expected = { 'person email': !!email, 'person name': !!name };
          break;
        }
        case 'organization': {
          company = headerTitle(scope) ?? pageHeading(scope) ?? nameFromTitle(root);
          domain = websiteIn(details);
          expected = { 'organization name': !!company, 'organization website': !!domain };
          break;
        }
        case 'deal': {
          const person = onPage(scope, PIPEDRIVE_SELECTORS.personBlock)[0];
          const organization = onPage(scope, PIPEDRIVE_SELECTORS.organizationBlock)[0];
          email = emailIn(person);
          name = textOf(person ? onPage(person, PIPEDRIVE_SELECTORS.personLink)[0] : undefined);
          company = textOf(organization ? onPage(organization, PIPEDRIVE_SELECTORS.organizationLink)[0] : undefined);
          domain = domainOfEmail(email) ?? websiteIn(organization);
          expected = { 'deal person email': !!email, 'deal person name': !!name };
          // A deal's contact is its one Person (participants and followers are other people); a deal
          // with an organization but no person is that organization's.
          if (!person && (company || domain)) {
            note = 'the deal has no contact person: its organization';
            expected = { 'deal organization name': !!company };
          }
          break;
        }
      }
      const extraction = recordExtraction(
        { host: 'pipedrive', hostRecordId: record.id, recordType: record.type },
        { email, name, company, domain },
        expected,
      );
      return extraction.identity && note ? { ...extraction, identity: { ...extraction.identity, note } } : extraction;
    } catch {
      return { identity: null, missing: ['readable detail page'] };
    }
  },

  watchRoot(document) {
    return firstMatch(document, PIPEDRIVE_SELECTORS.page);
  },
};
