/**
 * Which pages the sidebar runs on. Centric ships with no broad host access: each site is an
 * optional host permission, asked when a person enables it; the sidebar's content script is then
 * registered for the granted sites only. Custom domains (a self-hosted or white-labelled Zendesk,
 * say) map a domain to a built-in adapter and are granted the same way.
 */
import { matchPatternToRegExp } from './patterns';
import type { SiteAdapter } from './types';

export interface CustomDomain {
  /** Host name, lower case, e.g. "support.acme.com". */
  domain: string;
  /** The built-in adapter that reads it, e.g. "zendesk". */
  adapterId: string;
}

export const CUSTOM_DOMAINS_KEY = 'customDomains';

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
function covers(granted: string, wanted: string): boolean {
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
