import { demoHelpdesk } from './demo';
import type { SiteAdapter } from './types';
import { zendesk } from './zendesk';

/** Every built-in adapter. Adding a host = one file in lib/sites/ and one line here. */
export const SITE_ADAPTERS: readonly SiteAdapter[] = [demoHelpdesk, zendesk];

/** Converts a WebExtension match pattern (scheme://host/path, '*' wildcards) into a RegExp. Ports are ignored, as browsers do. */
export function matchPatternToRegExp(pattern: string): RegExp {
  const parsed = /^(\*|https?):\/\/([^/]+)(\/.*)$/.exec(pattern);
  if (!parsed) throw new Error(`Invalid match pattern: ${pattern}`);
  const [, scheme = '', host = '', path = ''] = parsed;
  const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const schemePart = scheme === '*' ? 'https?' : scheme;
  const hostPart =
    host === '*' ? '[^/]+' : host.startsWith('*.') ? `(?:[^/]+\\.)?${escape(host.slice(2))}` : escape(host);
  const pathPart = escape(path).replace(/\*/g, '.*');
  return new RegExp(`^${schemePart}://${hostPart}(?::\\d+)?${pathPart}$`);
}

/** The adapter that reads this URL, or undefined on an unrelated site. */
export function adapterFor(url: URL, adapters: readonly SiteAdapter[] = SITE_ADAPTERS): SiteAdapter | undefined {
  const href = url.origin + url.pathname;
  return adapters.find((adapter) => adapter.matches.some((p) => matchPatternToRegExp(p).test(href)));
}
