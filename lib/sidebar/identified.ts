/**
 * "How was this customer identified?" in words, on sites whose API is not asked (issue 17): from the
 * identity the page gave and the background's answer (how the data matched it). Always one line, so
 * that a name-only reading or a hand-made link is never silent; the adapter's note says how it chose
 * among several candidates ("first of 3 associated contacts").
 */
import type { IdentityMessage, LookupResult } from '../messages/schema';
import type { Identified } from './state';

const WORDS: Record<Exclude<Identified['by'], 'host-api' | 'page'>, string> = {
  email: 'Identified by the email on the page',
  link: 'Linked to this record by hand',
  domain: 'Identified by the company domain',
  source: 'Identified by your team’s source',
  name: 'Name only: the page shows no email to tell customers apart',
  company: 'Company only: the page shows no person',
  /** Nothing but the record: found by a link, or not at all. */
  record: 'Nothing read from the page',
};

export function pageIdentified(identity: IdentityMessage, result?: LookupResult): Identified {
  const customer = result?.status === 'found' ? result.customer : undefined;
  const nothingRead = !identity.email && !identity.name && !identity.company && !identity.domain;
  const by: Identified['by'] = nothingRead
    ? 'record'
    : customer?.matchedBy === 'host-record'
      ? 'link'
      : customer?.account
        ? 'domain'
        : customer?.source === 'remote' && !identity.email
          ? 'source'
          : identity.email
            ? 'email'
            : identity.name
              ? 'name'
              : 'company';
  let text = by === 'record' && customer?.matchedBy === 'host-record' ? `${WORDS.link}: nothing could be read from the page` : WORDS[by];
  if (by === 'domain') text += ` ${customer!.account!.domain}`;
  return { by, text: identity.note ? `${text} (${identity.note})` : text };
}
