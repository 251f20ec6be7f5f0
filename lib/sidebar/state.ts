import type { CustomerView, IdentityMessage, Suggestion } from '../messages/schema';

/**
 * How the customer on the page was identified, in words, on sites whose own API is asked (issue 17):
 * by that API ("host-api"), or from the page's text ("page": the API has not answered yet, or could
 * not say, and `why` says why). Shown beside how the customer was matched in the data.
 */
export interface Identified {
  by: 'host-api' | 'page';
  text: string;
  why?: string;
}

/** Everything the sidebar can show. One state at a time; the UI is a function of it. */
export type SidebarState =
  | { kind: 'loading' }
  | { kind: 'no-customer'; site: string; missing: string[] }
  | { kind: 'not-found'; identity: IdentityMessage; suggestions: Suggestion[]; sourceProblems?: string[]; identified?: Identified }
  | { kind: 'error'; message: string }
  | { kind: 'customer'; customer: CustomerView; identity: IdentityMessage; identified?: Identified };
