import { browser } from 'wxt/browser';
import { isLookupBatchResult, isLookupResult, isSearchResult } from './guards';
import { outcomeOf } from '../sidebar/outcome';
import type { SidebarState } from '../sidebar/state';
import type { SiteAdapter } from '../sites/types';
import type { BatchAnswer, IdentityMessage, LookupResult, Suggestion } from './schema';

/** The content script's requests: who is this customer, search, link. (No zod here: see ./guards.ts.) */
export async function askLookup(identity: IdentityMessage): Promise<LookupResult> {
  return expectLookup(await browser.runtime.sendMessage({ type: 'lookup', identity }));
}

/** One screenful of list rows in one message (at most 200 identities); answers in the same order. */
export async function askLookupBatch(identities: IdentityMessage[]): Promise<BatchAnswer[]> {
  const answer: unknown = await browser.runtime.sendMessage({ type: 'lookup-batch', identities });
  if (!isLookupBatchResult(answer) || (answer.status === 'ok' && answer.answers.length !== identities.length)) {
    throw new Error('Centric’s background gave an unexpected answer.');
  }
  if (answer.status === 'error') throw new Error(answer.message);
  return answer.answers;
}

export async function askSearch(query: string): Promise<Suggestion[]> {
  const answer: unknown = await browser.runtime.sendMessage({ type: 'search', query: query.slice(0, 200) });
  if (!isSearchResult(answer)) throw new Error('Centric’s background gave an unexpected answer.');
  return answer.results;
}

export async function askLink(identity: IdentityMessage, customerId: string | null): Promise<LookupResult> {
  return expectLookup(await browser.runtime.sendMessage({ type: 'link', identity, customerId }));
}

function expectLookup(answer: unknown): LookupResult {
  if (!isLookupResult(answer)) throw new Error('Centric’s background gave an unexpected answer.');
  return answer;
}

/** "Copy a page report" (issue 17): the background outlines this page, censored, and answers the text. */
export async function askPageReport(adapter: SiteAdapter, state: SidebarState): Promise<string> {
  const answer = (await browser.runtime.sendMessage({
    type: 'page-report',
    host: adapter.id,
    missing: state.kind === 'no-customer' ? state.missing.slice(0, 20) : [],
    recordType: 'identity' in state ? state.identity?.recordType : undefined,
    definitionVersion: adapter.definitionVersion,
  })) as { ok?: unknown; text?: unknown; message?: unknown } | undefined;
  if (answer?.ok === true && typeof answer.text === 'string') return answer.text;
  throw new Error(typeof answer?.message === 'string' ? answer.message : 'Centric’s background gave an unexpected answer.');
}

/** Tells the background how this record page's reading went (site health); fire and forget. */
export function tellOutcome(host: string, state: SidebarState): void {
  const outcome = outcomeOf(state);
  if (outcome) browser.runtime.sendMessage({ type: 'site-outcome', host, ...outcome, missing: outcome.missing.slice(0, 20) }).catch(() => {});
}
