/**
 * Light checks for the content script, which must stay small (no zod there). The background is the
 * trust boundary: it validates every request with the zod schemas in ./schema and builds its answers
 * from validated data. The content script only checks an answer's shape before rendering it.
 */
import type { LookupResult } from './schema';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isLookupResult(value: unknown): value is LookupResult {
  if (!isObject(value)) return false;
  switch (value.status) {
    case 'not-found':
      return true;
    case 'error':
      return typeof value.message === 'string';
    case 'found': {
      const customer = value.customer;
      return (
        isObject(customer) &&
        typeof customer.id === 'string' &&
        typeof customer.name === 'string' &&
        isObject(customer.facts) &&
        typeof customer.asOf === 'string' &&
        (customer.treatment === undefined || isTreatmentView(customer.treatment))
      );
    }
    default:
      return false;
  }
}

const isText = (value: unknown) => typeof value === 'string';
const listOf = (value: unknown, item: (v: Record<string, unknown>) => boolean) => Array.isArray(value) && value.every((v: unknown) => isObject(v) && item(v));

function isTreatmentView(value: unknown): boolean {
  return (
    isObject(value) &&
    isText(value.title) &&
    isText(value.guidance) &&
    isText(value.color) &&
    listOf(value.links, (l) => isText(l.label) && isText(l.href)) &&
    listOf(value.snippets, (s) => isText(s.label) && isText(s.text)) &&
    Array.isArray(value.tags) &&
    value.tags.every(isText) &&
    listOf(value.why, (w) => isText(w.text) && typeof w.matched === 'boolean' && typeof w.depth === 'number') &&
    listOf(value.otherMatches, (m) => isText(m.name) && isText(m.title))
  );
}

export function isToggleSidebar(value: unknown): boolean {
  return isObject(value) && value.type === 'toggle-sidebar';
}

export function isSearchResult(value: unknown): value is import('./schema').SearchResult {
  return (
    isObject(value) &&
    Array.isArray(value.results) &&
    value.results.every((r: unknown) => isObject(r) && typeof r.id === 'string' && typeof r.name === 'string')
  );
}
