/**
 * The team service's API as the extension calls it (background and extension pages; never a content
 * script, which must not hold the token). `fetch` is passed in. Every failure becomes a TeamError with
 * the service's stable code and a sentence a person can act on; nothing throws a raw network error.
 * The routes are the service's (lib/server/app.ts, GET /v1/openapi.json).
 */
import type { TeamConnection } from './connection';
import type { AuditEntry, ConfigDocument, ConfigKind, Me } from './protocol';
import { readScoresSummary, type ScoresSummary } from './values-summary';

export class TeamError extends Error {
  constructor(
    /** The service's code (unauthenticated, forbidden, version-conflict, …), or `network` / `bad-answer`. */
    readonly code: string,
    message: string,
    readonly status?: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'TeamError';
  }
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface TeamClientOptions {
  fetch?: Fetch;
  /** Give up on a request after this long, ms (default 15 s). */
  timeoutMs?: number;
}

export function teamClient(connection: TeamConnection, options: TeamClientOptions = {}) {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function call(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; okStatuses?: number[] } = {}): Promise<Response> {
    const headers: Record<string, string> = { Authorization: `Bearer ${connection.token}`, Accept: 'application/json', ...init.headers };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(`${connection.url}${path}`, {
        method,
        headers,
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (error) {
      const timedOut = (error as Error)?.name === 'TimeoutError';
      throw new TeamError('network', timedOut ? `The team service at ${connection.url} did not answer within ${Math.round(timeoutMs / 1000)} s.` : `The team service at ${connection.url} cannot be reached (${(error as Error)?.message ?? 'network error'}).`);
    }
    if (response.ok || init.okStatuses?.includes(response.status)) return response;
    let code = `http-${response.status}`;
    let message = `The team service answered ${response.status} ${response.statusText}.`;
    let details: Record<string, unknown> | undefined;
    try {
      const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } & Record<string, unknown> };
      if (body?.error && typeof body.error.code === 'string' && typeof body.error.message === 'string') {
        const { code: c, message: m, ...rest } = body.error;
        code = c as string;
        message = m as string;
        details = rest;
      }
    } catch {
      // Not the service's JSON (a proxy's page): the status line says enough.
    }
    throw new TeamError(code, message, response.status, details);
  }

  async function json<T>(response: Response): Promise<T> {
    try {
      return (await response.json()) as T;
    } catch {
      throw new TeamError('bad-answer', `The team service at ${connection.url} did not answer JSON: is this the right address?`);
    }
  }

  return {
    connection,
    /** Who the token belongs to (also the connection test). */
    async me(): Promise<Me> {
      const me = await json<Partial<Me>>(await call('GET', '/v1/me'));
      if (typeof me.name !== 'string' || (me.role !== 'admin' && me.role !== 'manager' && me.role !== 'agent')) {
        throw new TeamError('bad-answer', `The address ${connection.url} answers, but not as a Centric team service.`);
      }
      return me as Me;
    },
    /** A configuration document; null when `etag` is still current (304). */
    async config(kind: ConfigKind, etag?: string): Promise<{ document: ConfigDocument; etag: string | null } | null> {
      const response = await call('GET', `/v1/config/${kind}`, { headers: etag ? { 'If-None-Match': etag } : {}, okStatuses: [304] });
      if (response.status === 304) return null;
      return { document: await json<ConfigDocument>(response), etag: response.headers.get('ETag') };
    },
    /** Changes a configuration (managers and admins); `etag` = the version it was based on (412 if another change came first). */
    async putConfig(kind: ConfigKind, value: unknown, etag?: string): Promise<{ document: ConfigDocument; etag: string | null }> {
      const response = await call('PUT', `/v1/config/${kind}`, { body: { value }, headers: etag ? { 'If-Match': etag } : {} });
      return { document: await json<ConfigDocument>(response), etag: response.headers.get('ETag') };
    },
    async audit(limit = 100): Promise<AuditEntry[]> {
      return (await json<{ entries: AuditEntry[] }>(await call('GET', `/v1/audit?limit=${limit}`))).entries;
    },
    /** The team's base: the current run's customers, equity and tiers (GET /v1/scores/summary). */
    async scoresSummary(): Promise<ScoresSummary> {
      const read = readScoresSummary(await json<unknown>(await call('GET', '/v1/scores/summary')));
      if (!read.ok) throw new TeamError('bad-answer', read.problem);
      return read.summary;
    },
    async batch(identities: readonly { email?: string; id?: string; domain?: string }[]): Promise<{ runAt: string | null; answers: (Record<string, unknown> | null)[] }> {
      return json(await call('POST', '/v1/lookup/batch', { body: { identities } }));
    },
    /** The raw change stream response (text/event-stream); read it with lib/team/stream.ts. */
    async changes(signal?: AbortSignal): Promise<Response> {
      try {
        const response = await doFetch(`${connection.url}/v1/changes`, { headers: { Authorization: `Bearer ${connection.token}`, Accept: 'text/event-stream' }, credentials: 'omit', cache: 'no-store', ...(signal ? { signal } : {}) });
        if (!response.ok) throw new TeamError(`http-${response.status}`, `The team service refused the change stream (${response.status}).`, response.status);
        return response;
      } catch (error) {
        if (error instanceof TeamError) throw error;
        throw new TeamError('network', `The team service's change stream at ${connection.url} cannot be reached (${(error as Error)?.message ?? 'network error'}).`);
      }
    },
  };
}

export type TeamClient = ReturnType<typeof teamClient>;
