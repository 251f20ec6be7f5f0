/**
 * A team's override of a site's selectors, applied in the page (issue 17; docs/architecture.md "Site
 * definitions"). The background validates definitions files with zod (lib/sites/definitions.ts) and
 * writes the overrides in effect to storage.local under SITE_OVERRIDES_KEY; the content script reads
 * its site's entry and applies it here, to the adapter's own selectors object, in place and key by key.
 *
 * The page is where a CSS selector can be checked (the background's service worker has no DOM): a
 * value that does not compile here, or a path pattern that does not compile as a regular expression,
 * is not used; that key keeps its bundled value and one console.warn names the site and key. The
 * bundled values are copied on the first application, so removing an override restores them.
 *
 * Content-script code, in every site's script: no zod, and as small as it can be (measured in
 * docs/architecture.md). Kept apart from lib/sites/definitions.ts for that reason.
 */
import type { SiteAdapter } from './types';


/** One site's override: the version it was written for, and the values it replaces (a subset of the keys). */
export interface SiteOverride {
  version: number;
  selectors: Record<string, unknown>;
}

/** The top-level key whose values are URL path patterns (regular expressions' sources), not CSS selectors. */
export const PATHS_KEY = 'paths';

type Tree = Record<string, unknown>;

export const isTree = (value: unknown): value is Tree => typeof value === 'object' && value !== null && !Array.isArray(value);

/** This site's entry of the stored overrides (anything: applySiteOverride checks it), or undefined. */
export const siteOverrideFor = (stored: unknown, siteId: string): unknown => (isTree(stored) ? stored[siteId] : undefined);

const compiles = (make: (text: string) => unknown) => (text: string) => {
  try {
    make(text);
    return true;
  } catch {
    return false;
  }
};
/** Whether `text` compiles as a regular expression. */
export const compilesAsRegExp = compiles((text) => new RegExp(text));
/** Whether this page's engine accepts `text` as a CSS selector (querySelector throws a SyntaxError otherwise). */
export const compilesAsSelector = compiles((text) => document.createDocumentFragment().querySelector(text));

/**
 * Why an override value cannot replace a bundled one, in words; undefined when it can. It must have
 * the bundled value's shape (text for text, a non-empty list of text for a list); under `paths` every
 * text must compile as a regular expression; elsewhere, where the bundled value is a CSS selector here
 * (every bundled text compiles), every text must compile as one too; a bundled value that is not a
 * selector (e.g. Zoho's salutation pattern) is held to what it is: if it compiles as a regular
 * expression, so must the override. Code is never replaced.
 */
export function overrideValueProblem(bundled: unknown, value: unknown, inPaths: boolean, isSelector: (text: string) => boolean): string | undefined {
  if (typeof bundled === 'function') return 'code, not data';
  const list = Array.isArray(bundled);
  const texts: unknown[] = Array.isArray(value) ? value : [value];
  if (list !== Array.isArray(value) || texts.length === 0 || texts.some((t) => typeof t !== 'string' || t.trim() === '')) return `not ${list ? 'a list of texts' : 'a text'}`;
  const originals = list ? (bundled as string[]) : [bundled as string];
  const css = !inPaths && originals.every(isSelector);
  const check = css ? isSelector : inPaths || originals.every(compilesAsRegExp) ? compilesAsRegExp : undefined;
  const bad = check && (texts as string[]).find((t) => !check(t));
  return bad === undefined ? undefined : `${JSON.stringify(bad)} does not compile here as a ${css ? 'CSS selector' : 'regular expression'}`;
}

/** The bundled values of each selectors object (data only), copied before its first override. */
const bundledCopies = new WeakMap<object, Tree>();

/**
 * Sets the adapter's selectors to its bundled values, then to the override's where usable: in place
 * (the adapter reads the same object at every call), key by key. `override` is the stored entry for
 * this site (anything; undefined = none); one written for an older definition than the bundled one is
 * not used. A key whose value is unusable keeps its bundled value and is named through `warn`; keys
 * the bundled definition does not have (and values that are code) are left alone (the background
 * has refused such a file already). Returns the keys (dotted: "paths.ticket") not used, and why.
 */
export function applySiteOverride(
  adapter: Pick<SiteAdapter, 'name' | 'definition'>,
  override: unknown,
  isSelector: (text: string) => boolean = compilesAsSelector,
  warn: (message: string) => void = console.warn,
): { key: string; problem: string }[] {
  const rejected: { key: string; problem: string }[] = [];
  const definition = adapter.definition;
  if (!definition) return rejected;
  const target = definition.selectors as Tree;
  let bundled = bundledCopies.get(target);
  if (!bundled) bundledCopies.set(target, (bundled = JSON.parse(JSON.stringify(target)) as Tree));
  const usable = isTree(override) && isTree(override.selectors) && (override.version as number) >= definition.version;

  const walk = (into: Tree, from: Tree, over: unknown, prefix: string, inPaths: boolean) => {
    for (const [key, original] of Object.entries(from)) {
      const value = isTree(over) ? over[key] : undefined;
      const name = prefix + key;
      if (isTree(original)) walk(into[key] as Tree, original, value, `${name}.`, inPaths || name === PATHS_KEY);
      else {
        const problem = value === undefined ? undefined : overrideValueProblem(original, value, inPaths, isSelector);
        if (problem) rejected.push({ key: name, problem });
        into[key] = value === undefined || problem ? original : value;
      }
    }
  };
  walk(target, bundled, usable ? override.selectors : undefined, '', false);
  for (const { key, problem } of rejected) warn(`[Centric] ${adapter.name}: override of "${key}" not used (${problem}); the bundled value stays.`);
  return rejected;
}
