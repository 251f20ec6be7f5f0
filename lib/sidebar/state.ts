import type { CustomerView, IdentityMessage, Suggestion } from '../messages/schema';

/** Everything the sidebar can show. One state at a time; the UI is a function of it. */
export type SidebarState =
  | { kind: 'loading' }
  | { kind: 'no-customer'; site: string; missing: string[] }
  | { kind: 'not-found'; identity: IdentityMessage; suggestions: Suggestion[]; sourceProblems?: string[] }
  | { kind: 'error'; message: string }
  | { kind: 'customer'; customer: CustomerView; identity: IdentityMessage };
