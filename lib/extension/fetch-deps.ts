/**
 * The real network and clock for lib/sources (read when called, so tests can stub fetch), shared by
 * the background (lookups, score file syncs) and the options page's Test button.
 */
import { browser } from 'wxt/browser';
import type { FetchDeps } from '~/lib/sources/fetch-policy';
import { permissionPatternFor } from '~/lib/sources/url';

/** Whether Centric holds the host permission of this origin. */
export async function hasOriginPermission(origin: string): Promise<boolean> {
  const pattern = permissionPatternFor(origin);
  return pattern !== undefined && browser.permissions.contains({ origins: [pattern] });
}

/** fetch, the clock, sleep and randomness of this page or worker, plus `extra` (a rate limiter, a permission check). */
export function liveFetchDeps(extra: Pick<FetchDeps, 'limiter' | 'hasPermission'> = {}): FetchDeps {
  return {
    fetch: globalThis.fetch.bind(globalThis),
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    ...extra,
  };
}
