/**
 * Options → Team's "Test connection" and the words for what can go wrong with the team service: who
 * the token is (GET /v1/me), or one sentence a person can act on — the token unknown or revoked, the
 * service unreachable, an address that is not a Centric service, or a service that refuses this
 * extension's origin (CORS: told apart from "unreachable" by a second, no-cors request, which reaches a
 * running server whatever its CORS answer). Also the 412 sentence of a change made on an old copy.
 * Pure: `fetch` is passed in.
 */
import { teamClient, TeamError, type Fetch } from './client';
import type { TeamConnection } from './connection';
import type { ConfigDocument, ConfigKind, Me } from './protocol';

export type ConnectionCheck = { ok: true; me: Me } | { ok: false; code: string; message: string };

const KIND_WORDS: Record<ConfigKind, string> = { tiers: 'tiers', rules: 'treatment rules', sites: 'site definitions' };

/** The sentence for an error met talking to the service (not the network case, which `checkConnection` looks into). */
export function teamErrorText(error: unknown, url: string): string {
  if (!(error instanceof TeamError)) return `The team service at ${url} could not be asked: ${(error as Error)?.message ?? String(error)}.`;
  if (error.code === 'unauthenticated') return 'The service does not accept this token: it is unknown or was revoked. Ask your administrator for a new one.';
  if (error.code === 'forbidden') return `This token may not do that: ${error.message}`;
  if (error.code === 'bad-answer' || error.status === 404) return `The address ${url} answers, but not as a Centric team service: check the address (e.g. https://centric.example.com, without /v1).`;
  if (error.code === 'rate-limited') return 'The service says Centric asks too often; it tries again in a minute.';
  return error.message;
}

/** Asks the service who the token is; when the request does not get through, finds out why. */
export async function checkConnection(connection: TeamConnection, doFetch: Fetch, extensionOrigin: string, timeoutMs = 10_000): Promise<ConnectionCheck> {
  try {
    return { ok: true, me: await teamClient(connection, { fetch: doFetch, timeoutMs }).me() };
  } catch (error) {
    if (!(error instanceof TeamError) || error.code !== 'network') return { ok: false, code: error instanceof TeamError ? error.code : 'error', message: teamErrorText(error, connection.url) };
    if (error.message.includes('did not answer within')) return { ok: false, code: 'timeout', message: `${error.message} Is the service running, and is the address right?` };
    // The request failed before any answer: a server that is down, or one that refuses this origin.
    let answers = false;
    try {
      await doFetch(`${connection.url}/v1/health`, { mode: 'no-cors', credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) });
      answers = true;
    } catch {
      answers = false;
    }
    if (answers) {
      return {
        ok: false,
        code: 'cors',
        message: `The service at ${connection.url} answers, but refuses this extension (CORS): its administrator must allow ${extensionOrigin} (centric serve --extension-origin ${extensionOrigin}).`,
      };
    }
    return { ok: false, code: 'unreachable', message: `The team service at ${connection.url} cannot be reached: is the address right, the service running, and this computer on its network?` };
  }
}

/** The 412 sentence: who changed the document, when, and what to do. */
export function conflictText(kind: ConfigKind, current: Pick<ConfigDocument, 'updatedAt' | 'updatedBy'>, format: (iso: string) => string): string {
  const who = current.updatedBy ?? 'someone';
  const when = current.updatedAt ? ` at ${format(current.updatedAt)}` : '';
  return `The team’s ${KIND_WORDS[kind]} were changed by ${who}${when} since you opened them: reload to see their change, then make yours again. Nothing of yours was saved.`;
}

/** The last 4 characters of a saved token ("…a1B9"), the only part shown back. */
export const tokenTail = (token: string): string => `…${token.slice(-4)}`;
