/** WebExtension match patterns, as used by the manifest, permissions and content-script registration. */

/** Converts a match pattern (scheme://host/path, '*' wildcards) into a RegExp. Ports are ignored, as browsers do. */
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

/** Whether a URL (origin + path) is matched by any of the patterns. */
export function matchesAny(url: URL, patterns: readonly string[]): boolean {
  const href = url.origin + url.pathname;
  return patterns.some((p) => matchPatternToRegExp(p).test(href));
}
