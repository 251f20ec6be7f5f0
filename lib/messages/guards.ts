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
      return value.sourceProblems === undefined || (Array.isArray(value.sourceProblems) && value.sourceProblems.every(isText));
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

/** The background: what lookups answer may have changed (lib/lookup/page-caches.ts). */
export function isStoreChanged(value: unknown): boolean {
  return isObject(value) && value.type === 'store-changed';
}

export function isSearchResult(value: unknown): value is import('./schema').SearchResult {
  return (
    isObject(value) &&
    Array.isArray(value.results) &&
    value.results.every((r: unknown) => isObject(r) && typeof r.id === 'string' && typeof r.name === 'string')
  );
}

const HEX = /^#[0-9a-fA-F]{6}$/;
const isFiniteNumber = (value: unknown) => typeof value === 'number' && Number.isFinite(value);

/** One row's answer to a batch lookup (the chips style themselves with its colours: hex only). */
function isBatchAnswer(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (value.status === 'not-found') return value.sameName === undefined || isFiniteNumber(value.sameName);
  if (value.status !== 'found' || !isText(value.id) || !isText(value.name) || !isText(value.matchedBy)) return false;
  const v = value.value;
  if (v !== undefined) {
    if (!isObject(v) || !isText(v.tier) || !HEX.test(String(v.tierColor)) || !HEX.test(String(v.tierForeground))) return false;
    if (!isFiniteNumber(v.clv) || !isFiniteNumber(v.pAlive) || !Array.isArray(v.flags) || !v.flags.every(isText)) return false;
    if ((v.currency !== undefined && !/^[A-Z]{3}$/.test(String(v.currency))) || (v.locale !== undefined && !/^[A-Za-z0-9-]{2,35}$/.test(String(v.locale)))) return false;
  }
  const t = value.treatment;
  return t === undefined || (isObject(t) && isText(t.title) && HEX.test(String(t.color)) && (t.priority === undefined || isText(t.priority)));
}

export function isLookupBatchResult(value: unknown): value is import('./schema').LookupBatchResult {
  if (!isObject(value)) return false;
  if (value.status === 'error') return isText(value.message);
  return value.status === 'ok' && Array.isArray(value.answers) && value.answers.every(isBatchAnswer);
}

/** A request to link (or unlink) a host record: a write other tabs' kept answers must hear of. */
export function isLinkRequest(value: unknown): boolean {
  return isObject(value) && value.type === 'link';
}
