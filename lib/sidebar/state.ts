import type { CustomerView, IdentityMessage, Suggestion } from '../messages/schema';

/**
 * How the customer on the page was identified, in words, on every site (issue 17). On sites whose own
 * API is asked: by that API ("host-api"), or from the page's text ("page": the API has not answered
 * yet, or could not say, and `why` says why) — lib/sidebar/host-api.ts. Elsewhere, what on the page
 * identified them (lib/sidebar/identified.ts): their email, a link someone made to this record, the
 * company domain, the team's source; or only a name or a company, or nothing at all.
 */
export interface Identified {
  by: 'host-api' | 'page' | 'email' | 'link' | 'domain' | 'source' | 'name' | 'company' | 'record';
  text: string;
  why?: string;
}

/** Everything the sidebar can show. One state at a time; the UI is a function of it. */
export type SidebarState =
  | { kind: 'loading' }
  /**
   * No customer: on a page that is not a record, or (with `identity`) on a record page whose customer
   * could not be read — `identity` is then the record alone (its host, and its id and kind where the
   * URL has them), to link it by hand and to report the page; `missing` says what was not found.
   */
  | { kind: 'no-customer'; site: string; missing: string[]; identity?: IdentityMessage }
  /** `missing`: the parts of the page not found (absent when none), for the site health counts. */
  | { kind: 'not-found'; identity: IdentityMessage; suggestions: Suggestion[]; sourceProblems?: string[]; identified?: Identified; missing?: string[] }
  | { kind: 'error'; message: string }
  | { kind: 'customer'; customer: CustomerView; identity: IdentityMessage; identified?: Identified; missing?: string[] };
