/**
 * The change stream: a listener on one service instance hears, as server-sent events, a change made
 * through another instance on the same database (embedded database; the polling reads PostgreSQL the same way).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '~/lib/server/app';
import { openDatabase, type Sql } from '~/lib/server/database';
import { migrate } from '~/lib/server/migrations';
import { createToken } from '~/lib/server/tokens';
import { DEFAULT_RULES } from '~/lib/rules/defaults';
import { ruleSetValue } from '~/lib/rules/stored';

let db: Sql;
let one: FastifyInstance;
let other: FastifyInstance;
let token = '';

beforeAll(async () => {
  db = await openDatabase({});
  await migrate(db);
  token = (await createToken(db, { name: 'Mia', role: 'manager' })).token;
  [one, other] = await Promise.all([buildApp({ db, log: () => {}, changePollMs: 100 }), buildApp({ db, log: () => {}, changePollMs: 100 })]);
});
afterAll(async () => {
  await one?.close();
  await other?.close();
  await db?.close();
});

/** Reads server-sent events from `url` until `until` accepts one; returns every event read. */
async function events(url: string, headers: Record<string, string>, onOpen: () => Promise<void>, until: (e: { event: string; data: unknown }) => boolean) {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const seen: { event: string; data: unknown }[] = [];
  let buffer = '';
  let opened = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended after ${JSON.stringify(seen)}`);
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (!event || data === undefined) continue;
        const parsed = { event, data: JSON.parse(data) as unknown };
        seen.push(parsed);
        if (until(parsed)) return seen;
        if (!opened) {
          opened = true;
          await onOpen();
        }
      }
    }
  } finally {
    controller.abort();
  }
}

describe('the change stream', () => {
  it('tells a listener on one instance of a rule change made through another', async () => {
    const address = await other.listen({ port: 0, host: '127.0.0.1' });
    const auth = { authorization: `Bearer ${token}` };
    const seen = await events(
      `${address}/v1/changes`,
      auth,
      async () => {
        const changed = await one.inject({ method: 'PUT', url: '/v1/config/rules', headers: auth, payload: { value: ruleSetValue(DEFAULT_RULES.slice(0, 1)) } });
        expect(changed.statusCode).toBe(200);
      },
      (e) => e.event === 'change',
    );
    expect(seen[0]).toEqual({ event: 'hello', data: { tiers: 0, rules: 0, sites: 0, scores: 0 } });
    expect(seen.at(-1)).toEqual({ event: 'change', data: { kind: 'rules', version: 1 } });
  });

  it('ends open streams when the service stops, instead of waiting for their listeners', async () => {
    const app = await buildApp({ db, log: () => {}, changePollMs: 100 });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const response = await fetch(`${address}/v1/changes`, { headers: { authorization: `Bearer ${token}` } });
    const reader = response.body!.getReader();
    await reader.read(); // the hello
    await app.close();
    let done = false;
    while (!done) ({ done } = await reader.read());
    expect(done).toBe(true);
  });

  it('refuses a listener without a token', async () => {
    const refused = await one.inject({ method: 'GET', url: '/v1/changes' });
    expect(refused.statusCode).toBe(401);
  });
});
