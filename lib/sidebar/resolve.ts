/**
 * From a page to a sidebar state: read the identity with the site adapter (waiting briefly for a
 * single-page app to render it), then ask the background. Pure of browser-extension APIs: the
 * messaging function is passed in, so this runs in unit tests on a plain DOM.
 */
import type { IdentityMessage, LookupResult } from '../messages/schema';
import type { Extraction, SiteAdapter } from '../sites/types';
import { pageIdentified } from './identified';
import type { Identified, SidebarState } from './state';

export type LookupFn = (identity: IdentityMessage) => Promise<LookupResult>;

export interface WaitOptions {
  /** Give up after this long (ms). */
  timeoutMs: number;
  /** Called on every retry-worthy change; a host page re-renders often, so retries are debounced. */
  debounceMs?: number;
  signal?: AbortSignal;
}

/**
 * Extracts the identity now, or waits for the page to render it, watching only `watch` (the
 * narrowest element that will hold the record) for changes. Resolves with the last extraction.
 */
export function waitForIdentity(
  adapter: SiteAdapter,
  document: Document,
  url: URL,
  { timeoutMs, debounceMs = 50, signal }: WaitOptions,
): Promise<Extraction> {
  const first = adapter.extract(document, url);
  if (first.identity || timeoutMs <= 0) return Promise.resolve(withRecord(adapter, url, first));
  return new Promise((resolve) => {
    let last = first;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      observer.disconnect();
      clearTimeout(deadline);
      clearTimeout(timer);
      resolve(withRecord(adapter, url, last));
    };
    const observer = new MutationObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        last = adapter.extract(document, url);
        if (last.identity) finish();
      }, debounceMs);
    });
    const deadline = setTimeout(finish, timeoutMs);
    signal?.addEventListener('abort', finish, { once: true });
    const root = adapter.watchRoot?.(document, url) ?? document.body ?? document.documentElement;
    observer.observe(root, { childList: true, subtree: true, characterData: true });
  });
}

/** With no identity read: the record the URL opens (adapter.recordOf), so that it can be linked by hand. */
function withRecord(adapter: SiteAdapter, url: URL, extraction: Extraction): Extraction {
  if (extraction.identity || extraction.record || !adapter.recordOf) return extraction;
  try {
    const record = adapter.recordOf(url);
    return record ? { ...extraction, record } : extraction;
  } catch {
    return extraction;
  }
}

/**
 * The sidebar state for a record page's extraction: the background's answer, with how the customer
 * was identified (`identified` where the site's API is asked; otherwise from the page, see
 * ./identified.ts). When nothing was read, the record alone is looked up (someone may have linked it
 * to a customer by hand); otherwise it is "no customer", saying what was not found.
 */
export async function stateFor(adapter: SiteAdapter, extraction: Extraction, lookupFn: LookupFn, identified?: Identified): Promise<SidebarState> {
  const { identity, missing } = extraction;
  if (!identity) {
    const record = { host: adapter.id, ...extraction.record };
    if (record.hostRecordId) {
      try {
        const result = await lookupFn(record);
        if (result.status === 'found' && result.customer.matchedBy === 'host-record') {
          return { kind: 'customer', customer: result.customer, identity: record, identified: pageIdentified(record, result), missing };
        }
      } catch {
        // the page still says what it could not read
      }
    }
    return { kind: 'no-customer', site: adapter.name, missing, identity: record };
  }
  const extra = missing.length > 0 ? { missing } : {};
  try {
    const result = await lookupFn(identity);
    const how = identified ?? pageIdentified(identity, result);
    switch (result.status) {
      case 'found':
        return { kind: 'customer', customer: result.customer, identity, identified: how, ...extra };
      case 'not-found':
        return { kind: 'not-found', identity, suggestions: result.suggestions ?? [], sourceProblems: result.sourceProblems, identified: how, ...extra };
      case 'error':
        return { kind: 'error', message: result.message };
    }
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}

export interface ResolveOptions {
  lookup: LookupFn;
  signal?: AbortSignal;
  /** How long to wait for a single-page app to render the record (ms). */
  timeoutMs?: number;
}

/**
 * Turns a page into sidebar states, painting each as soon as it is known. The default paints once
 * (resolveSidebarState); a site whose own API is asked paints the page's reading, then the API's
 * correction (lib/sidebar/host-api.ts, given to that site's content script).
 */
export type Resolver = (adapter: SiteAdapter, document: Document, url: URL, options: ResolveOptions, paint: (state: SidebarState) => void) => Promise<void>;

/** Says loudly which expected parts of a record page could not be read. */
export function warnMissing(adapter: SiteAdapter, extraction: Extraction, url: URL): void {
  if (!extraction.identity && extraction.missing.length > 0) {
    console.warn(`[Centric] ${adapter.name}: could not read ${extraction.missing.join(', ')} on ${url.pathname}.`);
  }
}

/** Reads the page (waiting up to `timeoutMs` for it to render the record) and returns the sidebar state. */
export async function resolveSidebarState(adapter: SiteAdapter, document: Document, url: URL, { lookup, signal, timeoutMs = 8000 }: ResolveOptions): Promise<SidebarState> {
  if (!adapter.isRecordPage(url)) return { kind: 'no-customer', site: adapter.name, missing: [] };
  const extraction = await waitForIdentity(adapter, document, url, { timeoutMs, signal });
  warnMissing(adapter, extraction, url);
  return stateFor(adapter, extraction, lookup);
}
