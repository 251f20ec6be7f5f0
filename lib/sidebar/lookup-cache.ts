/**
 * The sidebar's answers on this page, kept for the page's life (issue 17): when the agent goes back
 * to a record already shown (another ticket tab, back and forth), its answer is painted at once, in
 * the frame of the URL change, instead of after a message round trip to the background (which, just
 * after a navigation, often takes longer than a frame: the browser is busy with the navigation).
 *
 * Never wrong for long, never wrong silently:
 * - every answer served from here is asked again at once (stale-while-revalidate); when the
 *   background's answer differs, it replaces the kept one and `onStale` is called (the sidebar then
 *   paints it). That ask is the same message as without the cache, so the background's view of the
 *   tab (the toolbar badge) is unchanged;
 * - `clear()` forgets everything: the background says when the store, the rules or the sources
 *   changed ('store-changed', lib/lookup/page-caches.ts), and the sidebar clears it when the person
 *   links a record; answers asked before a clear are not kept (they may be from before the change);
 * - errors are never kept.
 * Keyed by the whole identity the adapter read (every field), so another reading is another entry.
 * Pure: the asking function is given, so this runs in unit tests.
 */
import type { IdentityMessage, LookupResult } from '../messages/schema';
import type { LookupFn } from './resolve';

export interface LookupCacheOptions {
  /** Called when asking again gave another answer than the one served (the new one is kept by then). */
  onStale?: () => void;
  /**
   * How many identities' answers are kept (the least recently used goes first): 100, a working day's
   * open tabs (a record whose host API corrects the page's reading takes two).
   */
  maxEntries?: number;
}

export interface LookupCache {
  /** The kept answer at once (and asks again), or the background's answer. */
  lookup: LookupFn;
  /** Forgets every answer, and every answer still on its way. */
  clear(): void;
  readonly size: number;
}

/** The same key for the same identity whatever the order of its fields; absent and undefined fields are the same. */
export function identityKey(identity: IdentityMessage): string {
  const fields = identity as Record<string, unknown>;
  return JSON.stringify(
    Object.keys(fields)
      .filter((field) => fields[field] !== undefined)
      .sort()
      .map((field) => [field, fields[field]]),
  );
}

interface Entry {
  result: LookupResult;
  /**
   * Arrived by asking again, to be painted by `onStale`'s repaint: served once without asking again
   * (no ask → repaint → ask loop when an answer changes on every ask), in that task only.
   */
  unseen: boolean;
}

export function createLookupCache(ask: LookupFn, { onStale, maxEntries = 100 }: LookupCacheOptions = {}): LookupCache {
  const entries = new Map<string, Entry>();
  /** Asks on their way, shared by whoever wants the same identity meanwhile. */
  const asking = new Map<string, Promise<LookupResult>>();
  let generation = 0;

  const keep = (key: string, result: LookupResult, unseen: boolean): Entry | undefined => {
    entries.delete(key);
    if (result.status === 'error') return undefined;
    const entry = { result, unseen };
    entries.set(key, entry);
    if (unseen) setTimeout(() => (entry.unseen = false), 0);
    for (const oldest of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(oldest);
    }
    return entry;
  };

  /** Asks the background (once at a time per identity); the answer is kept unless the cache was cleared meanwhile. */
  const askFor = (key: string, identity: IdentityMessage, then: (result: LookupResult | undefined, current: boolean) => void): Promise<LookupResult> => {
    let asked = asking.get(key);
    if (!asked) {
      const started = generation;
      const request = ask(identity).finally(() => {
        if (asking.get(key) === request) asking.delete(key);
      });
      asking.set(key, request);
      asked = request;
      void request.then(
        (result) => then(result, started === generation),
        () => then(undefined, started === generation),
      );
    }
    return asked;
  };

  return {
    lookup(identity) {
      const key = identityKey(identity);
      const known = entries.get(key);
      if (!known) {
        return askFor(key, identity, (result, current) => {
          if (current && result) keep(key, result, false);
        });
      }
      entries.delete(key); // most recently used last
      entries.set(key, known);
      if (known.unseen) {
        known.unseen = false;
        return Promise.resolve(known.result);
      }
      void askFor(key, identity, (result, current) => {
        if (!current || entries.get(key) !== known) return; // cleared, or replaced meanwhile
        if (result && JSON.stringify(result) === JSON.stringify(known.result)) return;
        // Another answer (or none: the background failed): keep the new one (errors are not kept) and say so.
        if (result) keep(key, result, true);
        else entries.delete(key);
        onStale?.();
      }).catch(() => {});
      return Promise.resolve(known.result);
    },
    clear() {
      generation++;
      entries.clear();
      asking.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
