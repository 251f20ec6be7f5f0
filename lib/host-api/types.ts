/**
 * Host APIs (issue 17): a host app's own REST API, asked from the content script with the agent's
 * session on the page's own origin, says who the customer of the open record is more surely than
 * the page's text. One module per host (lib/host-api/<host>.ts), given to that site's content script
 * beside its adapter (lib/sites/hosts/<id>/api.ts, given to the sidebar by the host's generated content script); adapters stay pure (DOM + URL -> identity).
 */
import type { Identity } from '../sites/types';

/** What a host's API said about the customer of the URL's record. */
export type HostApiAnswer =
  | {
      ok: true;
      /** The customer as the API knows them: the same fields an adapter reads from the page. */
      identity: Identity;
    }
  | {
      ok: false;
      /** Why the API did not identify the customer, in words (the page's reading is kept). */
      problem: string;
      /** A failure worth asking again later (timeout, network, 429, 5xx); others are kept for the page's life. */
      transient?: boolean;
    };

export interface HostApi {
  /** The app's name in words, for "Identified by Zendesk’s API". */
  readonly name: string;
  /**
   * Asks the host's API who the customer of the record in `url` is: only on `url.origin`, with the
   * page's session, for the id in the URL. Never throws; a failure is an answer with a problem.
   * `null` when the URL is not a record the API can answer for (nothing is asked).
   */
  identify(url: URL, signal?: AbortSignal): Promise<HostApiAnswer> | null;
}
