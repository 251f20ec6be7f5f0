/**
 * What a site adapter reads from a host page: the best identifiers of the customer the person is
 * looking at. Everything here is page text, always treated as text (never markup).
 */
export interface Identity {
  /** Lower-cased email address, if the page shows one. */
  email?: string;
  /** Display name as shown on the page. */
  name?: string;
  /** Company name as shown on the page. */
  company?: string;
  /** Company web domain (lower case, no "www."), for account-level matches. */
  domain?: string;
  /** The adapter that read the page, e.g. "zendesk". */
  host: string;
  /** The host's own id of the record (ticket, contact, account …), if the URL or page has one. */
  hostRecordId?: string;
  /** What kind of record the page shows, in the host's words: "ticket", "contact", "account" … */
  recordType?: string;
  /**
   * How the adapter chose among several candidates on the page, in words, when it had to choose
   * (e.g. "first of 3 associated contacts"); shown in the sidebar so the choice is never silent.
   */
  note?: string;
}

/** One adapter per host app, in lib/sites/<host>.ts. Pure: takes a DOM root and a URL, returns text. */
export interface SiteAdapter {
  /** Stable id, e.g. "zendesk". */
  readonly id: string;
  /** Product name shown to people, e.g. "Zendesk". */
  readonly name: string;
  /** Match patterns (WebExtension syntax) of the pages this adapter reads. */
  readonly matches: readonly string[];
  /**
   * The version of the site definition (selectors and URL patterns as data) the adapter reads with, when
   * it has one: a page report names it, so a manager knows which definition to fix. Absent: the
   * selectors built into this release.
   */
  readonly definitionVersion?: string;
  /** True when the URL is a record page this adapter can read (a ticket, a contact …). */
  isRecordPage(url: URL): boolean;
  /**
   * The record a record page's URL opens (its id and kind, as `extract` would report them), or null:
   * read from the URL alone, so that a record whose customer cannot be read from the page can still be
   * linked to a customer by hand (and found by that link next time). Absent: such a page cannot be linked.
   */
  recordOf?(url: URL): RecordRef | null;
  /**
   * Reads the identity of the customer on the page, scoped to the active record, or null when the
   * page does not (yet) show one. Never throws on unexpected markup: missing parts are reported
   * through `missing` so the caller can say what was not found.
   */
  extract(root: ParentNode, url: URL): Extraction;
  /**
   * The narrowest element that will hold the record once the single-page app has rendered it, for
   * a MutationObserver (never the whole document when avoidable: observing it slows the host).
   * Absent or null: the caller falls back to document.body.
   */
  watchRoot?(document: Document, url: URL): Element | null;
  /**
   * The adapter's selectors as data (issue 17, docs/architecture.md "Site definitions"): its
   * `<HOST>_SELECTORS` object (CSS selectors; URL path patterns as regular expressions' sources under
   * `paths`) and the version of that bundled copy. A team's override replaces values of this object in
   * place, key by key (lib/sites/overrides.ts), so the adapter reads its selectors from it at every call.
   */
  readonly definition?: BundledDefinition;
}

/** The bundled copy of a site's selectors (see SiteAdapter.definition). */
export interface BundledDefinition {
  /** A whole number, raised by a release whose selectors change; an override applies only if its version is at least this. */
  readonly version: number;
  /** The adapter's `<HOST>_SELECTORS` object itself (not a copy): strings, lists of strings, nested objects of those. */
  readonly selectors: { readonly [key: string]: unknown };
}

export interface Extraction {
  identity: Identity | null;
  /**
   * Which expected parts were not found, in words (e.g. ["requester email"]): the sidebar says them
   * ("requester email: not found on the page") and a page report lists them. Names of parts, never
   * values read from the page.
   */
  missing: string[];
  /** With no identity: the record the URL opens (set from `recordOf` by lib/sidebar/resolve.ts), to link it by hand. */
  record?: RecordRef;
}

/** A host's record, without its customer: what `Identity` says of it. */
export type RecordRef = Required<Pick<Identity, 'hostRecordId'>> & Pick<Identity, 'recordType'>;
