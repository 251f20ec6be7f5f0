/**
 * Placeholders in a treatment's links and reply snippets: {{email}}, {{name}}, {{firstName}},
 * {{company}}, {{domain}}, {{id}}, {{tier}}. A value the customer does not have renders as empty.
 *
 * - In a link, every value is percent-encoded (encodeURIComponent), so a value can never change the
 *   link's scheme, host or query structure (in a mailto: link "@" is left as is: the address stays
 *   readable by every mail app, and it cannot change the scheme); and the rendered link must be http:, https: or mailto:,
 *   else it is dropped (never a javascript: or data: URL). A mailto: link without an address is dropped too.
 * - In a snippet, values are inserted as plain text: no encoding, no markup (the UI shows it as text).
 * - Unknown placeholders are rejected when a rule is validated (lib/rules/schema); if one reaches the
 *   renderer anyway it renders as empty.
 */
import type { Treatment, Priority, ResponseTarget } from './schema';
import type { RuleSubject } from './subject';

/** The placeholders a link or snippet may use. */
export const PLACEHOLDERS = ['email', 'name', 'firstName', 'company', 'domain', 'id', 'tier'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const KNOWN = new Set<string>(PLACEHOLDERS);
const SAFE_URL = /^(?:https?:\/\/[^/?#\s]|mailto:)/i;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** Placeholder names used in `template`, in order of first use, e.g. ["firstName", "email"]. */
export function placeholdersIn(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = (match[1] ?? '').trim();
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** Placeholder names in `template` that are not in PLACEHOLDERS. */
export function unknownPlaceholders(template: string): string[] {
  return placeholdersIn(template).filter((name) => !KNOWN.has(name));
}

/** The first name in a display name: "Ann Lee" -> "Ann", "Lee, Ann" -> "Ann". */
export function firstNameOf(name: string | undefined): string {
  if (!name) return '';
  const comma = name.indexOf(',');
  const given = comma >= 0 ? name.slice(comma + 1) : name;
  return given.trim().split(/\s+/)[0] ?? '';
}

/** The value of every placeholder for this customer ('' when unknown). */
export function placeholderValues(subject: RuleSubject): Record<Placeholder, string> {
  return {
    email: subject.email ?? '',
    name: subject.name ?? '',
    firstName: firstNameOf(subject.name),
    company: subject.company ?? '',
    domain: subject.domain ?? '',
    id: subject.id ?? '',
    tier: subject.tier ?? '',
  };
}

function fill(template: string, values: Record<Placeholder, string>, encode: (value: string) => string): string {
  return template.replace(PLACEHOLDER, (_, raw: string) => {
    const name = raw.trim();
    return KNOWN.has(name) ? encode(values[name as Placeholder]) : '';
  });
}

/** True when `url` is an http(s) URL with a host, or a mailto: URL, without control characters. */
export function isSafeUrl(url: string): boolean {
  return SAFE_URL.test(url) && !CONTROL_CHARS.test(url);
}

/** A value for a URL: percent-encoded; in a mailto: link "@" stays readable for every mail app. */
function urlEncoder(template: string): (value: string) => string {
  if (/^mailto:/i.test(template.trim())) return (value) => encodeURIComponent(value).replace(/%40/g, '@');
  return encodeURIComponent;
}

/** A link template rendered for this customer, or undefined when the result is not a safe link. */
export function renderUrl(template: string, subject: RuleSubject): string | undefined {
  const url = fill(template, placeholderValues(subject), urlEncoder(template));
  if (!isSafeUrl(url)) return undefined;
  if (/^mailto:(?:$|\?)/i.test(url)) return undefined;
  return url;
}

/** A snippet template rendered for this customer, as plain text. */
export function renderText(template: string, subject: RuleSubject): string {
  return fill(template, placeholderValues(subject), (value) => value);
}

/** A rendered link: `href` is safe to put in an anchor. */
export interface RenderedLink {
  label: string;
  href: string;
}

/** A rendered reply snippet (plain text). */
export interface RenderedSnippet {
  label: string;
  text: string;
}

/** A treatment for one customer: links and snippets rendered, unsafe links dropped, tags de-duplicated. */
export interface RenderedTreatment {
  title: string;
  guidance: string;
  priority?: Priority;
  responseTarget?: ResponseTarget;
  color: string;
  actions: {
    links: RenderedLink[];
    snippets: RenderedSnippet[];
    tags: string[];
  };
}

/** The treatment rendered for this customer. */
export function renderTreatment(treatment: Treatment, subject: RuleSubject): RenderedTreatment {
  const links: RenderedLink[] = [];
  for (const link of treatment.actions.links) {
    const href = renderUrl(link.url, subject);
    if (href !== undefined) links.push({ label: link.label, href });
  }
  const rendered: RenderedTreatment = {
    title: treatment.title,
    guidance: treatment.guidance,
    color: treatment.color,
    actions: {
      links,
      snippets: treatment.actions.snippets.map((s) => ({ label: s.label, text: renderText(s.text, subject) })),
      tags: [...new Set(treatment.actions.tags)],
    },
  };
  if (treatment.priority !== undefined) rendered.priority = treatment.priority;
  if (treatment.responseTarget !== undefined) rendered.responseTarget = { ...treatment.responseTarget };
  return rendered;
}

/** A response target in words: {amount: 1, unit: 'hours'} -> "within 1 hour". */
export function responseTargetText(target: ResponseTarget): string {
  const unit = target.amount === 1 ? target.unit.slice(0, -1) : target.unit;
  return `within ${target.amount} ${unit}`;
}
