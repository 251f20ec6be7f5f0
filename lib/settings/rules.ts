/**
 * The storage calls behind lib/rules/stored.ts, for extension pages and the background: the manager's
 * rule set in storage.local, the team policy in storage.managed (absent or failing in a browser
 * without a policy: treated as no policy).
 */
import { browser } from 'wxt/browser';
import { RULES_KEY, rulesInEffect, ruleSetValue, type RulesInEffect } from '~/lib/rules/stored';
import type { Rule } from '~/lib/rules/schema';

/** How long to wait for the browser's answer about the policy before going on without one. */
const MANAGED_TIMEOUT_MS = 3000;

/**
 * The team policy as the browser reports it ({} when there is none or the API is unavailable),
 * bounded by a timeout: in Chromium a storage.managed.get() issued at page start-up beside another one
 * was seen never to settle, and no section may wait forever for it.
 */
export async function readManagedPolicy(): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<unknown>((resolve) => {
    timer = setTimeout(() => {
      console.warn('[Centric] The browser did not report the team policy in time; going on without it.');
      resolve({});
    }, MANAGED_TIMEOUT_MS);
  });
  try {
    return await Promise.race([Promise.resolve(browser.storage.managed?.get()).then((value) => value ?? {}, () => ({})), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The rules in effect now. */
export async function loadRules(tierNames: readonly string[]): Promise<RulesInEffect> {
  const [stored, managed] = await Promise.all([browser.storage.local.get(RULES_KEY), readManagedPolicy()]);
  return rulesInEffect(stored[RULES_KEY], managed, tierNames);
}

/** Saves the manager's rules (open sidebars pick the change up through storage.onChanged). */
export async function saveRules(rules: readonly Rule[]): Promise<void> {
  await browser.storage.local.set({ [RULES_KEY]: ruleSetValue(rules) });
}

/** Forgets the saved rules: the defaults for the current tiers apply again. */
export async function restoreDefaultRules(): Promise<void> {
  await browser.storage.local.remove(RULES_KEY);
}

/** Calls `listener` whenever the saved rules or the team policy change; returns the unsubscribe. */
export function onRulesChanged(listener: () => void): () => void {
  const handler = (changes: Record<string, unknown>, area: string) => {
    if (area === 'managed' || (area === 'local' && RULES_KEY in changes)) listener();
  };
  browser.storage.onChanged.addListener(handler);
  return () => browser.storage.onChanged.removeListener(handler);
}
