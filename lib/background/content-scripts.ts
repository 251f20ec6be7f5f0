/**
 * Registers each site's sidebar content script for exactly the hosts whose permission is granted
 * (plus the demo's hosts, granted at install) and the custom domains mapped to it, and the custom
 * sites' script for the granted patterns of the managers' rules (which the built-in scripts then
 * leave alone: one sidebar per page). The background runs it at start-up and whenever permissions,
 * custom domains or custom site rules change. The browser's APIs are passed in (unit-tested with fakes).
 */
import { CUSTOM_DOMAINS, CUSTOM_SITES } from '../settings/items';
import { customSiteRegistration, siteRegistrations, withCustomSites, type SiteRegistration } from '../sites/enablement';
import type { SiteAdapter } from '../sites/types';

export interface RegisteredScript extends SiteRegistration {
  runAt: 'document_idle';
  persistAcrossSessions: boolean;
}

export interface ContentScriptApis {
  grantedOrigins(): Promise<string[]>;
  stored(keys: string[]): Promise<Record<string, unknown>>;
  registered(): Promise<{ id: string }[]>;
  unregister(ids: string[]): Promise<void>;
  update(scripts: RegisteredScript[]): Promise<void>;
  register(scripts: RegisteredScript[]): Promise<void>;
}

/** What to change: the scripts registered but no longer wanted, those to update, those to add. */
export function registrationPlan(wanted: readonly SiteRegistration[], existing: readonly { id: string }[]): { stale: string[]; update: RegisteredScript[]; register: RegisteredScript[] } {
  const have = new Set(existing.map((e) => e.id));
  const want = new Set(wanted.map((w) => w.id));
  const scripts = wanted.map((w) => ({ ...w, runAt: 'document_idle' as const, persistAcrossSessions: true }));
  return {
    stale: [...have].filter((id) => !want.has(id)),
    update: scripts.filter((s) => have.has(s.id)),
    register: scripts.filter((s) => !have.has(s.id)),
  };
}

export async function syncContentScripts(adapters: readonly SiteAdapter[], apis: ContentScriptApis): Promise<void> {
  const [origins, stored] = await Promise.all([apis.grantedOrigins(), apis.stored([CUSTOM_DOMAINS.key, CUSTOM_SITES.key])]);
  const customDomains = CUSTOM_DOMAINS.parse(stored[CUSTOM_DOMAINS.key]);
  const custom = customSiteRegistration(CUSTOM_SITES.parse(stored[CUSTOM_SITES.key]), origins);
  const wanted = withCustomSites(siteRegistrations(adapters, origins, customDomains), custom);
  const plan = registrationPlan(wanted, await apis.registered());
  if (plan.stale.length > 0) await apis.unregister(plan.stale);
  if (plan.update.length > 0) await apis.update(plan.update);
  if (plan.register.length > 0) await apis.register(plan.register);
}
