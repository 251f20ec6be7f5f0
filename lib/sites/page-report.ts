/**
 * "Copy a page report" (issue 17): the text an agent copies from the sidebar when Centric could not
 * read a record page, for whoever maintains the site definitions. The background composes it from the
 * censored outline of the page (./page-outline.ts, run in the tab) and facts that are not page data:
 * the site, the parts the adapter looked for and did not find (their names, censored again here), the
 * extension's version, the site definition's version, the browser's name and major version, the day.
 */
import type { PageOutline } from './page-outline';

export interface PageReportFacts {
  /** The adapter's id ("freshdesk", "custom:acme-crm"). */
  host: string;
  /** The site's name, when the background knows it. */
  siteName?: string;
  /** What kind of record the URL opens ("ticket"), when the adapter says. */
  recordType?: string;
  /** The parts the adapter looked for and did not find (censored with censorMissing first). */
  missing: readonly string[];
  extensionVersion: string;
  /** The site definition's version, when the adapter reads with one. */
  definitionVersion?: string;
  /** "Chrome 131", "Firefox 128". */
  browser?: string;
  made: Date;
}

const MAX_MISSING = 12;

/**
 * The names of the parts not found, fit for a report and for the site health counts: adapters write
 * names of parts ("requester email"), but a custom site's rule may quote what it read ("invalid email:
 * "Ana" is not an email address"); quoted text, email addresses and digits never leave.
 */
export function censorMissing(missing: readonly string[]): string[] {
  const out: string[] = [];
  for (const entry of missing.slice(0, MAX_MISSING)) {
    const censored = entry
      .replace(/"[^"]*"|“[^”]*”|‘[^’]*’|'[^']*'/g, '…')
      .replace(/\S+@\S+/g, '…')
      .replace(/\d+/g, '#')
      .replace(/\s+/g, ' ')
      .slice(0, 100)
      .trim();
    if (censored && !out.includes(censored)) out.push(censored);
  }
  return out;
}

/** "Chrome 131" / "Firefox 128" / "Edge 131" from a user agent string; undefined when unknown. */
export function browserName(userAgent: string): string | undefined {
  const match = /(Edg|Firefox|Chrome|Chromium)\/(\d+)/.exec(userAgent);
  if (!match) return undefined;
  return `${match[1] === 'Edg' ? 'Edge' : match[1]} ${match[2]}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The report, as copied: a header of facts, a legend, then the outline. */
export function pageReportText(facts: PageReportFacts, outline: PageOutline): string {
  const missing = censorMissing(facts.missing);
  const shadow = outline.shadowRoots;
  const lines = [
    'Centric page report',
    'The outline of a page Centric could not read, for whoever maintains Centric’s site definitions. It holds tag names,',
    'ids, test ids and class names that look like code, and shadow roots: no text of the page and no attribute value',
    'that could be personal data.',
    '',
    `Site: ${facts.siteName ? `${facts.host} (${facts.siteName})` : facts.host}`,
    `Page: ${outline.path}`,
    ...(facts.recordType ? [`Record: ${facts.recordType}`] : []),
    `Not found on the page: ${missing.length > 0 ? missing.join('; ') : 'nothing was named'}`,
    `Centric: ${facts.extensionVersion}`,
    `Site definition: ${facts.definitionVersion ? `version ${facts.definitionVersion}` : 'the one built into this release'}`,
    ...(facts.browser ? [`Browser: ${facts.browser}`] : []),
    `Made: ${facts.made.toISOString().slice(0, 10)}`,
    `Outline: ${plural(outline.elements, 'element')}; shadow roots: ${shadow.open} open, ${shadow.closed} closed; ${plural(outline.frames, 'frame')} not read${outline.cut ? `; ${outline.cut}` : ''}`,
    'Legend: tag#id.class[attribute=value] · [name] a value left out · [+N class] class names left out · (text) has text,',
    'not shown · {id} an id in a path · * a path segment left out · ×N N identical neighbours',
    '',
  ];
  return `${lines.join('\n')}\n${outline.text}`;
}
