/**
 * Small, pure helpers shared by the site adapters: reading page text safely, telling visible
 * elements from hidden ones, and shaping what an adapter reports.
 */
import type { Extraction, Identity } from './types';

const EMAIL_PATTERN = /[A-Z0-9._%+'-]+@[A-Z0-9.-]+\.[A-Z]{2,}/i;

/** The trimmed, whitespace-collapsed text of an element, or undefined when empty or absent. */
export function textOf(element: Element | null | undefined): string | undefined {
  const text = element?.textContent?.replace(/\s+/g, ' ').trim();
  return text ? text : undefined;
}

/** The first email address inside a string, lower-cased; undefined when there is none. */
export function findEmail(text: string | null | undefined): string | undefined {
  const match = text ? EMAIL_PATTERN.exec(text) : null;
  return match ? match[0].toLowerCase() : undefined;
}

/** Email from a mailto: link's href (query and fragments dropped), lower-cased. */
export function emailFromMailto(href: string | null | undefined): string | undefined {
  if (!href || !/^mailto:/i.test(href)) return undefined;
  let address = href.slice('mailto:'.length).split('?')[0] ?? '';
  try {
    address = decodeURIComponent(address);
  } catch {
    // keep the raw text: a malformed escape is not a reason to lose the address
  }
  return findEmail(address);
}

/** The email an element shows: its mailto: href when it is such a link, else the first address in its text. */
export function emailOf(element: Element | null | undefined): string | undefined {
  return emailFromMailto(element?.getAttribute('href')) ?? findEmail(textOf(element));
}

/**
 * The first email written in an element's own text, one element at a time (the element, then its
 * descendants in document order), skipping `except` and everything inside it. Unlike
 * `findEmail(textOf(element))` it never reads across element boundaries: textContent glues
 * neighbouring blocks together ("Coordinator" + "ana@x.example" -> "Coordinatorana@x.example").
 */
export function emailInOwnText(element: Element, except?: Element | null): string | undefined {
  for (const el of [element, ...element.querySelectorAll('*')]) {
    if (except?.contains(el)) continue;
    const own = [...el.childNodes]
      .filter((node) => node.nodeType === 3) // Node.TEXT_NODE
      .map((node) => node.textContent ?? '')
      .join(' ');
    const email = findEmail(own);
    if (email) return email;
  }
  return undefined;
}

/** The registrable-looking domain of an email address ("ana@mail.acme.com" -> "mail.acme.com"). */
export function domainOfEmail(email: string | undefined): string | undefined {
  const at = email?.lastIndexOf('@') ?? -1;
  return email && at > 0 ? email.slice(at + 1).toLowerCase() : undefined;
}

/**
 * The web domain of a website value, a URL or a bare host name, lower case and without "www."
 * ("https://www.Acme.example/about" -> "acme.example", "acme.example" -> "acme.example"). Only the
 * first word is read (a field's text may carry more after the address); undefined when it is not a
 * host name with a dot.
 */
export function domainOfWebsite(value: string | null | undefined): string | undefined {
  const text = value?.trim().split(/\s/)[0];
  if (!text) return undefined;
  try {
    const host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`).hostname;
    const domain = host.toLowerCase().replace(/^www\./, '');
    return domain.includes('.') ? domain : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the page hides an element: the `hidden` attribute, aria-hidden="true", or an inline
 * `display: none` / `visibility: hidden` (any spacing or case), on the element itself or on any
 * ancestor. Only attributes are read, never computed styles, so adapters stay pure and work on
 * parsed documents; single-page apps hide their inactive views in exactly these ways.
 */
export function isHidden(element: Element): boolean {
  for (let node: Element | null = element; node; node = node.parentElement) {
    if (node.hasAttribute('hidden') || node.getAttribute('aria-hidden') === 'true') return true;
    const style = (node.getAttribute('style') ?? '').replace(/\s+/g, '').toLowerCase();
    if (style.includes('display:none') || style.includes('visibility:hidden')) return true;
  }
  return false;
}

/** The elements under `root` that match `selector` and are not hidden (see isHidden), in document order. */
export function visibleAll(root: ParentNode, selector: string): Element[] {
  return [...root.querySelectorAll(selector)].filter((el) => !isHidden(el));
}

/** The first element under `root` that matches `selector` and is not hidden (see isHidden); null when none. */
export function firstVisible(root: ParentNode, selector: string): Element | null {
  return [...root.querySelectorAll(selector)].find((el) => !isHidden(el)) ?? null;
}

/** The first element that matches one of the selectors, trying them in order (narrowest first); null when none. */
export function firstMatch(root: ParentNode, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    const element = root.querySelector(selector);
    if (element) return element;
  }
  return null;
}

/** The names of the expected parts that were not found, in order: `{ 'contact email': false, … }` -> ['contact email']. */
export function missingParts(expected: Record<string, boolean>): string[] {
  return Object.entries(expected)
    .filter(([, found]) => !found)
    .map(([part]) => part);
}

/**
 * What an adapter reports for a record: its identity, or null when none of email, name, company
 * and domain was found; `missing` names the expected parts that were not found (see missingParts).
 */
export function recordExtraction(
  record: Pick<Identity, 'host' | 'hostRecordId' | 'recordType'>,
  parts: Pick<Identity, 'email' | 'name' | 'company' | 'domain'>,
  expected: Record<string, boolean>,
): Extraction {
  const missing = missingParts(expected);
  const { email, name, company, domain } = parts;
  if (!email && !name && !company && !domain) return { identity: null, missing };
  return { identity: compact({ ...record, email, name, company, domain }), missing };
}

/**
 * What an adapter reports for a person: their identity (the domain is their email's), or null when
 * the page shows neither an email nor a name; `missing` names which of "<role> email" and
 * "<role> name" was not found ("customer email" …).
 */
export function personExtraction(
  record: Pick<Identity, 'host' | 'hostRecordId' | 'recordType'>,
  parts: Pick<Identity, 'email' | 'name' | 'company'>,
  role: string,
): Extraction {
  const { email, name, company } = parts;
  const missing = missingParts({ [`${role} email`]: !!email, [`${role} name`]: !!name });
  if (!email && !name) return { identity: null, missing };
  return { identity: compact({ ...record, email, name, company, domain: domainOfEmail(email) }), missing };
}

/** Removes undefined fields so identities compare and serialise cleanly. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const compiledPaths = new Map<string, RegExp>();
/**
 * A URL path pattern of a site's selectors (a regular expression's source), compiled once per source.
 * Compiled on use, not at module load: a site's selectors are data that can be replaced at run time.
 */
export function pathPattern(source: string): RegExp {
  let pattern = compiledPaths.get(source);
  if (!pattern) compiledPaths.set(source, (pattern = new RegExp(source)));
  return pattern;
}

/**
 * Every element under `root` that matches `selector`, looking inside OPEN shadow roots too (hosts that
 * render parts of the page as web components: Freshdesk's micro-frontends, Lightning), in document
 * order with each shadow tree's matches after its host's light-DOM matches. Closed shadow roots cannot
 * be read by anyone outside them; a caller says so through `missing`.
 */
export function deepQuerySelectorAll(root: ParentNode, selector: string): Element[] {
  const found: Element[] = [...root.querySelectorAll(selector)];
  for (const element of root.querySelectorAll('*')) {
    const shadow = (element as Element & { shadowRoot: ShadowRoot | null }).shadowRoot;
    if (shadow) found.push(...deepQuerySelectorAll(shadow, selector));
  }
  return found;
}
