/**
 * From a page to a sidebar state: read the identity with the site adapter (waiting briefly for a
 * single-page app to render it), then ask the background. Pure of browser-extension APIs: the
 * messaging function is passed in, so this runs in unit tests on a plain DOM.
 */
import type { IdentityMessage, LookupResult } from '../messages/schema';
import type { Extraction, SiteAdapter } from '../sites/types';
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
  if (first.identity || timeoutMs <= 0) return Promise.resolve(first);
  return new Promise((resolve) => {
    let last = first;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      observer.disconnect();
      clearTimeout(deadline);
      clearTimeout(timer);
      resolve(last);
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

/**
 * The sidebar state for an extraction: no customer on the page, or the background's answer (with
 * how the customer was identified, where the site's API is asked).
 */
export async function stateFor(adapter: SiteAdapter, extraction: Extraction, lookupFn: LookupFn, identified?: Identified): Promise<SidebarState> {
  const identity = extraction.identity;
  if (!identity) return { kind: 'no-customer', site: adapter.name, missing: extraction.missing };
  try {
    const result = await lookupFn(identity);
    switch (result.status) {
      case 'found':
        return { kind: 'customer', customer: result.customer, identity, identified };
      case 'not-found':
        return { kind: 'not-found', identity, suggestions: result.suggestions ?? [], sourceProblems: result.sourceProblems, identified };
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
