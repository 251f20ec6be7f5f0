/**
 * One host API for the sidebar, from a host's description (issue 17): one request per record for the
 * page's life, shared by everyone who asks meanwhile; failures that may pass (timeout, network, 429,
 * 5xx) are asked again next time, the others are kept like answers. The host modules
 * (lib/host-api/<host>.ts) say only which record a URL is, which path answers it and how to read it.
 */
import { getSameOriginJson, type FetchFn } from './request';
import type { HostApi, HostApiAnswer } from './types';

export interface HostApiOptions {
  fetchFn?: FetchFn;
  timeoutMs?: number;
  /** How many records' answers are kept for the page's life (the oldest goes first). */
  maxEntries?: number;
}

export interface HostApiSpec<Kind extends string> {
  /** The app's name in words ("Zendesk"). */
  name: string;
  /** The record of a URL (its kind and the numeric id in it), or null where the API is not asked. */
  record(url: URL): { kind: Kind; id: string } | null;
  /** The path asked for each kind of record, from the id in the URL only. */
  paths: Readonly<Record<Kind, (id: string) => string>>;
  /** How each kind's answer becomes an identity (checked by hand: lib/host-api/fields.ts). */
  read: Readonly<Record<Kind, (json: unknown, id: string) => HostApiAnswer>>;
}

/** The answer for a JSON shape a host module does not know, in words. */
export const unknownShape = (app: string, what: string): HostApiAnswer => ({ ok: false, problem: `${app}’s API answered in a shape Centric does not know (${what}).` });

export function createCachedHostApi<Kind extends string>(spec: HostApiSpec<Kind>, { fetchFn, timeoutMs, maxEntries = 50 }: HostApiOptions = {}): HostApi {
  const answers = new Map<string, Promise<HostApiAnswer>>();
  return {
    name: spec.name,
    identify(url, signal) {
      const record = spec.record(url);
      if (!record || record.id.length > 15) return null;
      const key = `${url.origin} ${record.kind} ${record.id}`;
      const known = answers.get(key);
      if (known) return known;
      const read = spec.read[record.kind];
      const asked: Promise<HostApiAnswer> = getSameOriginJson(url.origin, spec.paths[record.kind](record.id), { app: spec.name, signal, timeoutMs, fetchFn })
        .then((answer) => (answer.ok ? read(answer.json, record.id) : answer))
        .catch(() => unknownShape(spec.name, 'unreadable'))
        .then((answer) => {
          if (!answer.ok && answer.transient && answers.get(key) === asked) answers.delete(key);
          return answer;
        });
      answers.set(key, asked);
      for (const oldest of answers.keys()) {
        if (answers.size <= maxEntries) break;
        answers.delete(oldest);
      }
      return asked;
    },
  };
}
