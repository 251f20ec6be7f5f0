/**
 * URLs of remote sources: the lookup service's URL template with {email}, {domain}, {id} and {name},
 * the checks on a source address (https:, or plain http: only on this computer), and the host
 * permission pattern Centric asks for (the source's origin only).
 *
 * Rendering: every value is percent-encoded (encodeURIComponent), so a customer's email can never
 * change the scheme, host, path structure or query of the request. Placeholders may only appear after
 * the site address (in the path or the query), so the origin Centric was allowed to contact is the
 * only one it ever contacts.
 */

/** The placeholders a lookup URL may use. */
export const URL_PLACEHOLDERS = ['email', 'domain', 'id', 'name'] as const;
export type UrlPlaceholder = (typeof URL_PLACEHOLDERS)[number];

/** Who to look up: what the page shows of the customer (any of it may be missing). */
export interface LookupIdentity {
  email?: string | undefined;
  /** Company web domain, e.g. "acme.com"; taken from the email when the page shows none. */
  domain?: string | undefined;
  /** The customer's id, as the service knows it. */
  id?: string | undefined;
  name?: string | undefined;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;
const KNOWN = new Set<string>(URL_PLACEHOLDERS);
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** "{email}, {domain}, {id}, {name}". */
export const PLACEHOLDER_LIST = URL_PLACEHOLDERS.map((p) => `{${p}}`).join(', ');

/** Placeholder names used in `template`, in order of first use (unknown ones included). */
export function urlPlaceholdersIn(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = (match[1] ?? '').trim();
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** The known placeholders `template` uses, in order of first use. */
export function knownPlaceholdersIn(template: string): UrlPlaceholder[] {
  return urlPlaceholdersIn(template).filter((name): name is UrlPlaceholder => KNOWN.has(name));
}

/** The identity's values, trimmed; the domain comes from the email when missing; empty = missing. */
export function identityValues(identity: LookupIdentity): Partial<Record<UrlPlaceholder, string>> {
  const out: Partial<Record<UrlPlaceholder, string>> = {};
  const email = identity.email?.trim();
  if (email) out.email = email;
  const domain = identity.domain?.trim() || (email && email.includes('@') ? email.slice(email.lastIndexOf('@') + 1) : '');
  if (domain) out.domain = domain.toLowerCase();
  const id = identity.id?.trim();
  if (id) out.id = id;
  const name = identity.name?.replace(/\s+/g, ' ').trim();
  if (name) out.name = name;
  return out;
}

/** A rendered lookup URL, or why this customer cannot be looked up with this template. */
export type RenderedUrl =
  | { ok: true; url: string }
  | { ok: false; reason: string; missing: UrlPlaceholder[] };

/**
 * The lookup URL for this customer. Values are percent-encoded. A placeholder in the path must have a
 * value (an empty path segment would ask for something else); a placeholder in the query may be empty
 * (e.g. `?email={email}&id={id}` with only the email known). When every placeholder is missing, there
 * is nothing to ask and the URL is not rendered.
 */
export function renderLookupUrl(template: string, identity: LookupIdentity): RenderedUrl {
  const values = identityValues(identity);
  const used = knownPlaceholdersIn(template);
  const queryStart = queryOffset(template);
  const missingInPath: UrlPlaceholder[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = (match[1] ?? '').trim();
    if (KNOWN.has(name) && values[name as UrlPlaceholder] === undefined && (match.index ?? 0) < queryStart) {
      if (!missingInPath.includes(name as UrlPlaceholder)) missingInPath.push(name as UrlPlaceholder);
    }
  }
  const missingAll = used.filter((name) => values[name] === undefined);
  if (used.length > 0 && missingAll.length === used.length) return { ok: false, reason: `missing ${andList(missingAll)}`, missing: missingAll };
  if (missingInPath.length > 0) return { ok: false, reason: `missing ${andList(missingInPath)}`, missing: missingInPath };
  const url = template.trim().replace(PLACEHOLDER, (_, raw: string) => {
    const name = raw.trim();
    return KNOWN.has(name) ? encodeURIComponent(values[name as UrlPlaceholder] ?? '') : '';
  });
  return { ok: true, url };
}

/** The origin of a URL ("https://api.example.com:8443"), or undefined when it is not an http(s) URL. */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    return parsed.origin;
  } catch {
    return undefined;
  }
}

/**
 * The host permission to request for a source (chrome.permissions.request({origins: [pattern]})):
 * scheme and host only, e.g. "https://api.example.com/*". Firefox match patterns cannot hold a port,
 * so the pattern covers every port of that host. Works on a URL template too (placeholders sit after
 * the host). Undefined when the address is not an http(s) URL.
 */
export function permissionPatternFor(url: string): string | undefined {
  const sample = url.replace(PLACEHOLDER, 'x');
  try {
    const parsed = new URL(sample);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    return `${parsed.protocol}//${parsed.hostname}/*`;
  } catch {
    return undefined;
  }
}

/** True when `host` (URL.hostname) is this computer: localhost, 127.0.0.1 or [::1]. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase());
}

/**
 * Problems with a source address, in words (empty when it is fine): https:, or http: only on this
 * computer; no user name or password in it. With `template`, checks the placeholders too: only the
 * known ones, at least one, and none in the site address.
 */
export function addressProblems(address: string, template: boolean): string[] {
  const text = address.trim();
  const example = template ? 'https://api.example.com/customers/{email}' : 'https://files.example.com/scores.csv';
  if (text === '') return [`Enter the address, e.g. ${example}.`];
  if (CONTROL_CHARS.test(text) || /\s/.test(text)) return ['The address cannot contain spaces or line breaks (encode a space as %20).'];
  const problems: string[] = [];
  const placeholders = urlPlaceholdersIn(text);
  if (template) {
    const unknown = placeholders.filter((name) => !KNOWN.has(name));
    if (unknown.length > 0) {
      problems.push(`Unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map((p) => `{${p}}`).join(', ')}; use ${PLACEHOLDER_LIST}.`);
    }
    if (placeholders.length === 0) {
      problems.push(`Put at least one of ${PLACEHOLDER_LIST} in the address, so the service knows which customer is meant.`);
    }
    const first = text.indexOf('{');
    if (first >= 0 && !/^[a-z][a-z0-9+.-]*:\/\/[^/?#{}]+[/?#]/i.test(text.slice(0, first + 1))) {
      problems.push('Placeholders can only be used after the site address (in the path or the query), not in the scheme or host.');
    }
  } else if (placeholders.length > 0) {
    problems.push('A file address cannot contain placeholders.');
  }
  let parsed: URL;
  try {
    parsed = new URL(text.replace(PLACEHOLDER, 'x'));
  } catch {
    problems.push(`This is not a web address; write it like ${example}.`);
    return problems;
  }
  if (parsed.protocol === 'http:') {
    if (!isLoopbackHost(parsed.hostname)) problems.push('Use https:// (plain http:// is only allowed for 127.0.0.1 and localhost, on this computer).');
  } else if (parsed.protocol !== 'https:') {
    problems.push(`Use an https:// address (not ${parsed.protocol}).`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    problems.push('Do not put a user name or password in the address; put the API key in a header.');
  }
  return problems;
}

/** Where the query starts in a template (its length when there is none). */
function queryOffset(template: string): number {
  const q = template.indexOf('?');
  const h = template.indexOf('#');
  if (q < 0) return h < 0 ? template.length : h;
  return h < 0 ? q : Math.min(q, h);
}

/** "email", "email and id", "email, domain and id". */
function andList(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
