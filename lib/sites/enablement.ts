/**
 * Which pages the sidebar runs on. Centric ships with no broad host access: each site is an
 * optional host permission, asked when a person enables it; the sidebar's content script is then
 * registered for the granted sites only. Custom domains (a self-hosted or white-labelled Zendesk,
 * say) map a domain to a built-in adapter and are granted the same way.
 */
import type { CustomSiteRule } from './custom';
import { matchPatternToRegExp } from './patterns';
import type { SiteAdapter } from './types';

export interface CustomDomain {
  /** Host name, lower case, e.g. "support.acme.com". */
  domain: string;
  /** The built-in adapter that reads it, e.g. "zendesk". */
  adapterId: string;
}

/** The custom domains kept in extension storage, whatever is found there (entries of the wrong shape dropped). */
export function customDomainsFrom(stored: unknown): CustomDomain[] {
  if (!Array.isArray(stored)) return [];
  return stored.filter(
    (entry): entry is CustomDomain =>
      typeof entry === 'object' && entry !== null && typeof entry.domain === 'string' && typeof entry.adapterId === 'string',
  );
}

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Validates and normalises a domain typed by a person ("https://Support.Acme.com/x" -> "support.acme.com"). */
export function normalizeDomain(input: string): string {
  let host = input.trim().toLowerCase();
  host = host.replace(/^[a-z]+:\/\//, '').replace(/[/?#].*$/, '').replace(/:\d+$/, '');
  if (!DOMAIN.test(host)) throw new Error(`"${input}" is not a domain name such as support.example.com.`);
  return host;
}

/** The match pattern that grants one custom domain. */
export function originOfDomain(domain: string): string {
  return `https://${domain}/*`;
}

/** Whether a granted pattern covers a wanted one (exact, or a broader "https://*\/*"-style grant). */
export function covers(granted: string, wanted: string): boolean {
  if (granted === wanted || granted === '<all_urls>') return true;
  if (!granted.includes('*')) return false;
  const sample = wanted.replace('://*.', '://x.').replace(/\*$/, 'x');
  try {
    return matchPatternToRegExp(granted).test(sample);
  } catch {
    return false;
  }
}

/** The adapter's patterns that are granted. */
export function grantedPatterns(adapter: SiteAdapter, grantedOrigins: readonly string[]): string[] {
  return adapter.matches.filter((pattern) => grantedOrigins.some((g) => covers(g, pattern)));
}

export function isSiteEnabled(adapter: SiteAdapter, grantedOrigins: readonly string[]): boolean {
  return adapter.matches.length > 0 && grantedPatterns(adapter, grantedOrigins).length === adapter.matches.length;
}

/** Every pattern the sidebar content script should be registered for. */
export function registrationMatches(
  adapters: readonly SiteAdapter[],
  grantedOrigins: readonly string[],
  customDomains: readonly CustomDomain[],
): string[] {
  return [...new Set(siteRegistrations(adapters, grantedOrigins, customDomains).flatMap((r) => r.matches))].sort();
}

/** One content script per enabled site: its id, script file and the granted patterns (its own and its custom domains'). */
export interface SiteRegistration {
  id: string;
  js: string[];
  matches: string[];
  /** Pages left to another script (see withCustomSites); always given, so an update clears old ones. */
  excludeMatches?: string[];
}

export function siteRegistrations(
  adapters: readonly SiteAdapter[],
  grantedOrigins: readonly string[],
  customDomains: readonly CustomDomain[],
): SiteRegistration[] {
  return adapters
    .map((adapter) => {
      const patterns = new Set(grantedPatterns(adapter, grantedOrigins));
      for (const { domain, adapterId } of customDomains) {
        const origin = originOfDomain(domain);
        if (adapterId === adapter.id && grantedOrigins.some((g) => covers(g, origin))) patterns.add(origin);
      }
      return { id: `centric-${adapter.id}`, js: [`content-scripts/${adapter.id}.js`], matches: [...patterns].sort() };
    })
    .filter((r) => r.matches.length > 0);
}

/** Every host pattern any built-in adapter may ask for (the manifest's optional_host_permissions). */
export function allSitePatterns(adapters: readonly SiteAdapter[]): string[] {
  return [...new Set(adapters.flatMap((a) => a.matches))].sort();
}

/** The content script of the custom sites (lib/sites/custom.ts): one script for every rule. */
export const CUSTOM_SCRIPT_ID = 'centric-custom';

/** A pattern that names a host (never "<all_urls>", "*://*\/*" or "https://*\/*"), whatever was stored. */
const NAMED_HOST_PATTERN = /^https?:\/\/(?:\*\.)?[^/*:]+\/.*$/;

/**
 * The registration of the custom sites' content script: its patterns are the union of the granted
 * patterns of all stored rules; null when no rule has a granted pattern.
 */
export function customSiteRegistration(
  rules: readonly Pick<CustomSiteRule, 'matches'>[],
  grantedOrigins: readonly string[],
): SiteRegistration | null {
  const patterns = new Set<string>();
  for (const rule of rules) {
    for (const pattern of rule.matches) {
      if (NAMED_HOST_PATTERN.test(pattern) && grantedOrigins.some((g) => covers(g, pattern))) patterns.add(pattern);
    }
  }
  return patterns.size > 0 ? { id: CUSTOM_SCRIPT_ID, js: ['content-scripts/custom.js'], matches: [...patterns].sort() } : null;
}

/** "https://crm.acme.com/app/*" -> "https://crm.acme.com/*" (browsers grant hosts, not paths). */
function hostPattern(pattern: string): string {
  return `${/^[^:]+:\/\/[^/]*/.exec(pattern)?.[0] ?? pattern}/*`;
}

/**
 * The host permissions to give back when a custom rule is removed: its patterns, except those whose
 * host another rule or a custom domain still uses and those the manifest requires (which cannot be
 * removed, e.g. the demo's 127.0.0.1).
 */
export function originsToRelease(
  removed: Pick<CustomSiteRule, 'matches'>,
  remaining: readonly Pick<CustomSiteRule, 'matches'>[],
  customDomains: readonly CustomDomain[],
  required: readonly string[],
): string[] {
  const inUse = [...remaining.flatMap((r) => r.matches), ...customDomains.map((c) => originOfDomain(c.domain))];
  const shareHost = (a: string, b: string) => covers(hostPattern(a), hostPattern(b)) || covers(hostPattern(b), hostPattern(a));
  return removed.matches.filter(
    (pattern) => !inUse.some((other) => shareHost(pattern, other)) && !required.some((r) => covers(r, pattern)),
  );
}

/**
 * All registrations, one sidebar per page: where a manager's custom rule covers a page, the custom
 * script reads it and every built-in script is registered to stay away (`excludeMatches`). The rule
 * is the more specific, explicit choice, e.g. an app of one's own on 127.0.0.1, where the demo
 * helpdesk's script runs too. Built-in registrations always carry `excludeMatches` (possibly
 * empty): updateContentScripts keeps fields that are left out.
 */
export function withCustomSites(builtIn: readonly SiteRegistration[], custom: SiteRegistration | null): SiteRegistration[] {
  const excluded = custom ? [...custom.matches] : [];
  return [...builtIn.map((r) => ({ ...r, excludeMatches: excluded })), ...(custom ? [{ ...custom, excludeMatches: [] }] : [])];
}
