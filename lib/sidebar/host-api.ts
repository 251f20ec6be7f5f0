/**
 * The sidebar on a site whose own API is asked (issue 17): the page's reading is painted at once,
 * then corrected when the host's API answers. The API is asked as soon as the URL is known, beside
 * the wait for the page to render; when it answers first, the page is not waited for. When it fails
 * (signed out, not allowed, not found, a server error, a timeout, a sign-in page, bad JSON), the
 * page's reading stays and `identified.why` says why. Nothing here throws into the page.
 */
import type { HostApi, HostApiAnswer } from '../host-api/types';
import { compact } from '../sites/text';
import type { Identity } from '../sites/types';
import { resolveSidebarState, stateFor, waitForIdentity, warnMissing, type Resolver } from './resolve';
import type { Identified, SidebarState } from './state';

const FIELDS = ['host', 'hostRecordId', 'recordType', 'email', 'name', 'company', 'domain'] as const;

export function sameIdentity(a: Identity | null, b: Identity | null): boolean {
  return a === b || (!!a && !!b && FIELDS.every((field) => a[field] === b[field]));
}

/**
 * The identity to look up: the API's person, in the URL's record. The page's company (or company
 * domain) is kept only when the API gives none and the page showed the same person (the same
 * email, or the same name where the page showed no email).
 */
export function correctedIdentity(page: Identity | null, api: Identity): Identity {
  const samePerson = !!page && (page.email ? page.email === api.email : page.name?.toLowerCase() === api.name?.toLowerCase());
  return compact({
    ...api,
    company: api.company ?? (samePerson ? page.company : undefined),
    domain: api.domain ?? (samePerson ? page.domain : undefined),
  });
}

/** How the customer was identified, in words: by the API, or from the page (and why the API did not say). */
export function identifiedBy(api: HostApi, answer: HostApiAnswer | undefined, identity: Identity | null): Identified {
  if (answer?.ok) {
    return identity?.email
      ? { by: 'host-api', text: `Identified by ${api.name}’s API` }
      : { by: 'host-api', text: `Identified by ${api.name}’s API, which has no email address for this customer: name only` };
  }
  return { by: 'page', text: 'Read from the page', why: answer ? answer.problem : `Asking ${api.name}’s API…` };
}

/** The API's answer; a host API that throws or rejects (it should not) is a failure in words. */
function ask(api: HostApi, url: URL, signal?: AbortSignal): Promise<HostApiAnswer> | null {
  const failed: HostApiAnswer = { ok: false, problem: `${api.name}’s API could not be asked.` };
  try {
    return api.identify(url, signal)?.catch(() => failed) ?? null;
  } catch {
    return Promise.resolve(failed);
  }
}

/** A resolver that paints the page's reading, then corrects it from `api`. */
export function withHostApi(api: HostApi): Resolver {
  return async (adapter, document, url, options, paint) => {
    const { lookup, signal, timeoutMs = 8000 } = options;
    const asked = adapter.isRecordPage(url) ? ask(api, url, signal) : null;
    if (!asked) {
      paint(await resolveSidebarState(adapter, document, url, options));
      return;
    }

    // Wait for the page until it shows the record, or until the API has answered (then it is not needed).
    let answer: HostApiAnswer | undefined;
    const enough = new AbortController();
    const stop = () => enough.abort();
    signal?.addEventListener('abort', stop, { once: true });
    const answered = asked.then((a) => {
      answer = a;
      if (a.ok) stop();
      return a;
    });
    const extraction = await waitForIdentity(adapter, document, url, { timeoutMs, signal: enough.signal });
    signal?.removeEventListener('abort', stop);

    // Paint the page's reading at once (unless the API has already answered).
    let shown: { identity: Identity | null; state: SidebarState } | undefined;
    if (!answer) {
      const state = await stateFor(adapter, extraction, lookup, identifiedBy(api, undefined, extraction.identity));
      paint(state);
      shown = { identity: extraction.identity, state };
    }

    const final = await answered;
    const identity = final.ok ? correctedIdentity(extraction.identity, final.identity) : extraction.identity;
    const identified = identifiedBy(api, final, identity);
    if (!identity) warnMissing(adapter, extraction, url);
    if (shown && sameIdentity(shown.identity, identity)) {
      // The same customer: only the words of how they were identified change.
      const { state } = shown;
      paint(state.kind === 'customer' || state.kind === 'not-found' ? { ...state, identified } : state);
    } else {
      paint(await stateFor(adapter, identity ? { identity, missing: [] } : extraction, lookup, identified));
    }
  };
}
