/**
 * The background's team sync (lib/background/team-sync.ts) against the real service in-process (PGlite
 * in memory, a real socket): the documents and who the token is into TEAM_STATE, 304s keeping the
 * copies, a change followed live through the stream while someone holds it (and only then), the
 * stream reconnecting after the service went away, a revoked token said in words, and a removed
 * connection removing the state.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '~/lib/server/app';
import { openDatabase, type Sql } from '~/lib/server/database';
import { migrate } from '~/lib/server/migrations';
import { createToken } from '~/lib/server/tokens';
import { DEFAULT_RULES } from '~/lib/rules/defaults';
import { ruleSetValue } from '~/lib/rules/stored';
import { createTeamSync, type TeamSync } from '~/lib/background/team-sync';
import type { TeamConnection } from '~/lib/team/connection';
import type { TeamState } from '~/lib/team/state';

let db: Sql;
let app: FastifyInstance;
let url: string;
let manager: string;
let agent: string;

beforeAll(async () => {
  db = await openDatabase({});
  await migrate(db);
  manager = (await createToken(db, { name: 'Maria (manager)', role: 'manager' })).token;
  agent = (await createToken(db, { name: 'Ana (agent)', role: 'agent' })).token;
  app = await buildApp({ db, log: () => {}, ratePerMinute: 10_000, changePollMs: 100 });
  url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

/** Requests made, by path and status, and the fetch that records them. */
function recordingFetch() {
  const seen: { path: string; status: number; ifNoneMatch: string | null }[] = [];
  const doFetch = async (input: string, init?: RequestInit) => {
    const response = await fetch(input, init);
    const headers = new Headers(init?.headers);
    seen.push({ path: new URL(input).pathname, status: response.status, ifNoneMatch: headers.get('If-None-Match') });
    return response;
  };
  return { seen, fetch: doFetch };
}

/** A sync with TEAM_STATE in memory. */
function harness(connection: () => TeamConnection | null) {
  let stored: unknown;
  const writes: TeamState[] = [];
  const recording = recordingFetch();
  const sync = createTeamSync({
    connection: async () => connection(),
    readState: async () => stored,
    writeState: async (state) => {
      stored = state === undefined ? undefined : JSON.parse(JSON.stringify(state));
      if (state) writes.push(state);
    },
    fetch: recording.fetch,
    stream: { initialDelayMs: 50, maxDelayMs: 200 },
    lingerMs: 20,
    warn: () => {},
  });
  return { sync, state: () => stored as TeamState | undefined, writes, seen: recording.seen };
}

/** Waits (polling, bounded) until `check` holds; fails with the last value otherwise. */
async function until<T>(read: () => T, check: (value: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = read();
    if (check(value)) return value;
    if (Date.now() > end) throw new Error(`Timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const put = (token: string, kind: string, value: unknown) =>
  fetch(`${url}/v1/config/${kind}`, { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ value }) });

let running: TeamSync[] = [];
afterEach(async () => {
  await Promise.all(running.map((s) => s.stop()));
  running = [];
});

describe('team sync', () => {
  it('stores who the token is and the three documents; a second sync sends the ETags and keeps the copies on 304', async () => {
    const h = harness(() => ({ url, token: agent, from: 'options' }));
    running.push(h.sync);
    const state = await h.sync.sync();
    expect(state).toMatchObject({ connection: { url, from: 'options' }, me: { name: 'Ana (agent)', role: 'agent' }, stream: 'off' });
    expect(Object.keys(state!.documents).sort()).toEqual(['rules', 'sites', 'tiers']);
    expect(state!.documents.rules).toMatchObject({ kind: 'rules', etag: expect.stringMatching(/^"rules-\d+"$/) });
    expect(JSON.stringify(state)).not.toContain(agent); // no secret in TEAM_STATE
    const writesBefore = h.writes.length;
    h.seen.length = 0;
    await h.sync.sync();
    expect(h.seen.filter((s) => s.path.startsWith('/v1/config/')).map((s) => [s.status, s.ifNoneMatch !== null])).toEqual([
      [304, true],
      [304, true],
      [304, true],
    ]);
    // Only the "as of" time changed.
    expect(h.writes.length).toBe(writesBefore + 1);
    expect(h.state()!.documents).toEqual(state!.documents);
  });

  it('while held, follows the stream: a manager’s change reaches TEAM_STATE within seconds; let go, the stream closes', async () => {
    const h = harness(() => ({ url, token: agent, from: 'options' }));
    running.push(h.sync);
    await h.sync.sync();
    const release = h.sync.hold();
    await until(h.state, (s) => s?.stream === 'open');
    const before = h.state()!.documents.rules!.version;
    const started = Date.now();
    expect((await put(manager, 'rules', ruleSetValue(DEFAULT_RULES.slice(0, 2)))).status).toBe(200);
    const after = await until(h.state, (s) => (s?.documents.rules?.version ?? 0) > before);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((after!.documents.rules!.value as { rules: unknown[] }).rules).toHaveLength(2);
    expect(after!.documents.rules!.updatedBy).toBe('Maria (manager)');
    release();
    await until(h.state, (s) => s?.stream === 'off');
  });

  it('a revoked token is said in words, forgets who it was, keeps the documents, and ends the stream', async () => {
    const { id, token } = await createToken(db, { name: 'leaver', role: 'agent' });
    const h = harness(() => ({ url, token, from: 'options' }));
    running.push(h.sync);
    await h.sync.sync();
    expect(h.state()!.me?.name).toBe('leaver');
    await db.query('UPDATE tokens SET revoked_at = now() WHERE id = $1', [id]);
    await h.sync.sync();
    expect(h.state()).toMatchObject({ me: null, error: expect.stringMatching(/token/i) });
    expect(Object.keys(h.state()!.documents)).toHaveLength(3);
    h.sync.hold();
    await until(h.state, (s) => s?.stream === 'off' && s.error !== undefined);
  });

  it('says the service cannot be reached, keeping what it knew', async () => {
    const second = await buildApp({ db, log: () => {}, ratePerMinute: 10_000 });
    const address = await second.listen({ port: 0, host: '127.0.0.1' });
    const h = harness(() => ({ url: address, token: agent, from: 'options' }));
    running.push(h.sync);
    await h.sync.sync();
    const { documents, me, syncedAt } = h.state()!;
    await second.close();
    await h.sync.sync();
    expect(h.state()).toMatchObject({ me, documents, syncedAt, error: expect.stringContaining('cannot be reached') });
  });

  it('removes TEAM_STATE when the connection is removed', async () => {
    let connected = true;
    const h = harness(() => (connected ? { url, token: agent, from: 'options' } : null));
    running.push(h.sync);
    await h.sync.sync();
    expect(h.state()).toBeDefined();
    connected = false;
    await h.sync.reconnect();
    expect(h.state()).toBeUndefined();
  });

  it('reconnects the stream after the service restarts, and catches up on a change made meanwhile', async () => {
    const second = await buildApp({ db, log: () => {}, ratePerMinute: 10_000, changePollMs: 100 });
    const address = await second.listen({ port: 0, host: '127.0.0.1' });
    const port = new URL(address).port;
    const h = harness(() => ({ url: address, token: agent, from: 'options' }));
    running.push(h.sync);
    await h.sync.sync();
    h.sync.hold();
    await until(h.state, (s) => s?.stream === 'open');
    await second.close();
    await until(h.state, (s) => s?.stream === 'reconnecting');
    const before = h.state()!.documents.tiers!.version;
    expect((await put(manager, 'tiers', h.state()!.documents.tiers!.value)).status).toBe(200); // through the first instance
    const again = await buildApp({ db, log: () => {}, ratePerMinute: 10_000, changePollMs: 100 });
    try {
      await again.listen({ port: Number(port), host: '127.0.0.1' });
      const after = await until(h.state, (s) => s?.stream === 'open' && (s.documents.tiers?.version ?? 0) > before);
      expect(after!.documents.tiers!.updatedBy).toBe('Maria (manager)');
    } finally {
      await h.sync.stop();
      await again.close();
    }
  });
});
