import type { SidebarState } from './state';

/**
 * How a record page's reading went, for the site health counts (issue 17; lib/health/site-health.ts):
 * the customer identified (an email, or every part the adapter expects); only part of it (a name
 * without an email …); or none (nothing read: "no customer", or a customer found only through a link
 * made by hand). Null for states that say nothing of the page (not a record page, loading, an error).
 * Names of the parts not found, never values.
 */
export function outcomeOf(state: SidebarState): { outcome: 'identified' | 'partial' | 'failed'; missing: string[]; recordType?: string } | null {
  if (state.kind === 'loading' || state.kind === 'error' || !state.identity) return null;
  const { identity } = state;
  const recordType = identity.recordType;
  if (state.kind === 'no-customer' || state.identified?.by === 'record') return { outcome: 'failed', missing: state.missing ?? [], recordType };
  return { outcome: identity.email || !state.missing?.length ? 'identified' : 'partial', missing: state.missing ?? [], recordType };
}
