/**
 * The team service's API on the embedded database (PGlite, in memory): tokens and roles, the team
 * configuration with versions and ETags, the audit log, and every refusal in JSON with its code,
 * changing nothing. The same code runs on PostgreSQL (tests/unit/server/postgres.test.ts).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '~/lib/server/app';
import { openDatabase, type Sql } from '~/lib/server/database';
import { migrate } from '~/lib/server/migrations';
import { createToken, hashToken } from '~/lib/server/tokens';
import { DEFAULT_RULES } from '~/lib/rules/defaults';
import { ruleSetValue } from '~/lib/rules/stored';

let db: Sql;
let app: FastifyInstance;
const logs: string[] = [];
const tokens: Record<'admin' | 'manager' | 'agent', string> = { admin: '', manager: '', agent: '' };

beforeAll(async () => {
  db = await openDatabase({});
  await migrate(db);
  for (const role of ['admin', 'manager', 'agent'] as const) tokens[role] = (await createToken(db, { name: `${role} person`, role })).token;
  app = await buildApp({ db, log: (line) => logs.push(line), ratePerMinute: 1000 });
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

const as = (role: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[role]}` });
const rules = (n: number) => ruleSetValue(DEFAULT_RULES.slice(0, n));

describe('who may do what', () => {
  it('answers the health check without a token, and nothing else', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/health' })).json()).toEqual({ ok: true, database: 'embedded' });
    const refused = await app.inject({ method: 'GET', url: '/v1/me' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('unauthenticated');
    expect((await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: 'Bearer ctk_made-up' } })).statusCode).toBe(401);
  });

  it('stores tokens hashed, never in the clear', async () => {
    const { rows } = await db.query<{ hash: string }>('SELECT hash FROM tokens');
    expect(rows.map((r) => r.hash)).toContain(hashToken(tokens.agent));
    expect(JSON.stringify(rows)).not.toContain(tokens.agent);
  });

  it('says who the caller is', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/me', headers: as('agent') })).json()).toMatchObject({ name: 'agent person', role: 'agent' });
  });

  it('an agent cannot change the rules (403), the attempt is audited, nothing changes', async () => {
    const before = (await app.inject({ method: 'GET', url: '/v1/config/rules', headers: as('agent') })).json();
    const refused = await app.inject({ method: 'PUT', url: '/v1/config/rules', headers: as('agent'), payload: { value: rules(1) } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('forbidden');
    expect((await app.inject({ method: 'GET', url: '/v1/config/rules', headers: as('agent') })).json()).toEqual(before);
    const audit = (await app.inject({ method: 'GET', url: '/v1/audit', headers: as('manager') })).json().entries;
    expect(audit[0]).toMatchObject({ tokenName: 'agent person', role: 'agent', action: 'change-config', target: 'rules', outcome: 'refused' });
  });

  it('a revoked token is refused at once', async () => {
    const { id, token } = await createToken(db, { name: 'leaver', role: 'manager' });
    expect((await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'DELETE', url: `/v1/tokens/${id}`, headers: as('admin') })).statusCode).toBe(200);
    const refused = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(refused.statusCode).toBe(401);
  });

  it('only an administrator manages tokens; a new token is shown once', async () => {
    expect((await app.inject({ method: 'POST', url: '/v1/tokens', headers: as('manager'), payload: { name: 'x', role: 'agent' } })).statusCode).toBe(403);
    const created = await app.inject({ method: 'POST', url: '/v1/tokens', headers: as('admin'), payload: { name: 'Ana Lopez, support', role: 'agent' } });
    expect(created.statusCode).toBe(201);
    expect(created.json().token).toMatch(/^ctk_[A-Za-z0-9_-]{43}$/);
    const listed = (await app.inject({ method: 'GET', url: '/v1/tokens', headers: as('admin') })).json().tokens;
    expect(JSON.stringify(listed)).not.toContain(created.json().token);
    expect(listed.find((t: { id: string }) => t.id === created.json().id)).toMatchObject({ name: 'Ana Lopez, support', role: 'agent', createdBy: 'admin person', revokedAt: null });
  });
});

describe('the team configuration', () => {
  it('starts at the defaults (version 0) and changes with a manager’s token, audited with before and after', async () => {
    const first = await app.inject({ method: 'GET', url: '/v1/config/tiers', headers: as('agent') });
    expect(first.json()).toMatchObject({ kind: 'tiers', version: 0, updatedBy: null });
    expect(first.headers.etag).toBe('"tiers-0"');
    const value = { ...first.json().value, tiers: first.json().value.tiers.map((t: { name: string }, i: number) => (i === 0 ? { ...t, name: 'VIP' } : t)) };
    const changed = await app.inject({ method: 'PUT', url: '/v1/config/tiers', headers: { ...as('manager'), 'if-match': '"tiers-0"' }, payload: { value } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ version: 1, updatedBy: 'manager person' });
    expect(changed.headers.etag).toBe('"tiers-1"');
    const audit = (await app.inject({ method: 'GET', url: '/v1/audit?limit=1', headers: as('admin') })).json().entries[0];
    expect(audit).toMatchObject({ action: 'change-tiers', outcome: 'done', tokenName: 'manager person' });
    expect(audit.before.tiers[0].name).not.toBe('VIP');
    expect(audit.after.tiers[0].name).toBe('VIP');
  });

  it('answers 304 to a reader whose copy is current, and 412 to a change made on an old copy', async () => {
    const current = await app.inject({ method: 'GET', url: '/v1/config/rules', headers: as('agent') });
    expect((await app.inject({ method: 'GET', url: '/v1/config/rules', headers: { ...as('agent'), 'if-none-match': current.headers.etag as string } })).statusCode).toBe(304);
    const ok = await app.inject({ method: 'PUT', url: '/v1/config/rules', headers: { ...as('manager'), 'if-match': current.headers.etag as string }, payload: { value: rules(2) } });
    expect(ok.statusCode).toBe(200);
    const stale = await app.inject({ method: 'PUT', url: '/v1/config/rules', headers: { ...as('manager'), 'if-match': current.headers.etag as string }, payload: { value: rules(3) } });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error.code).toBe('version-conflict');
    expect((await app.inject({ method: 'GET', url: '/v1/config/rules', headers: as('agent') })).json().value.rules).toHaveLength(2);
  });

  it('refuses a bad value, an unknown field, malformed JSON and an oversized body with a reason, changing nothing', async () => {
    const read = async () => (await app.inject({ method: 'GET', url: '/v1/config/rules', headers: as('agent') })).json();
    const before = await read();
    const bad = await app.inject({ method: 'PUT', url: '/v1/config/rules', headers: as('manager'), payload: { value: { format: 'centric-rules', version: 1, rules: [{ id: '' }] } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid-value');
    expect(bad.json().error.problems.length).toBeGreaterThan(0);
    const extra = await app.inject({ method: 'PUT', url: '/v1/config/rules', headers: as('manager'), payload: { value: rules(1), sneaky: true } });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error).toMatchObject({ code: 'unknown-field', message: expect.stringContaining('sneaky') });
    const malformed = await app.inject({ method: 'PUT', url: '/v1/config/rules', headers: { ...as('manager'), 'content-type': 'application/json' }, payload: '{"value": [' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('malformed-json');
    const huge = await app.inject({ method: 'PUT', url: '/v1/config/rules', headers: { ...as('manager'), 'content-type': 'application/json' }, payload: JSON.stringify({ value: 'x'.repeat(1_100_000) }) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('body-too-large');
    expect((await app.inject({ method: 'PUT', url: '/v1/config/nothing', headers: as('manager'), payload: { value: 1 } })).json().error.code).toBe('not-found');
    expect(await read()).toEqual(before);
  });

  it('two service instances on one database give the same configuration after a change', async () => {
    const other = await buildApp({ db, log: () => {} });
    try {
      const current = (await app.inject({ method: 'GET', url: '/v1/config/rules', headers: as('agent') })).json();
      await other.inject({ method: 'PUT', url: '/v1/config/rules', headers: { ...as('manager'), 'if-match': `"rules-${current.version}"` }, payload: { value: rules(4) } });
      expect((await app.inject({ method: 'GET', url: '/v1/config/rules', headers: as('agent') })).json()).toEqual((await other.inject({ method: 'GET', url: '/v1/config/rules', headers: as('agent') })).json());
    } finally {
      await other.close();
    }
  });
});

describe('around the requests', () => {
  it('serves its OpenAPI description, listing exactly the routes it has', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/v1/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    const described = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
    for (const route of described) {
      const [method, url] = route.split(' ') as [string, string];
      expect(app.hasRoute({ method: method as 'GET', url }), route).toBe(true);
    }
    // As many (method, route) pairs as the service has (HEAD and OPTIONS, added by fastify and CORS, aside).
    const count = [...app.printRoutes({ commonPrefix: false }).matchAll(/\(([A-Z, ]+)\)/g)].flatMap((m) => m[1]!.split(', ')).filter((x) => x !== 'HEAD' && x !== 'OPTIONS').length;
    expect(described).toHaveLength(count);
  });

  it('allows CORS for extension origins only', async () => {
    const ext = await app.inject({ method: 'OPTIONS', url: '/v1/config/rules', headers: { origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop', 'access-control-request-method': 'GET' } });
    expect(ext.headers['access-control-allow-origin']).toBe('chrome-extension://abcdefghijklmnopabcdefghijklmnop');
    const web = await app.inject({ method: 'OPTIONS', url: '/v1/config/rules', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(web.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('limits each token’s requests per minute, with Retry-After', async () => {
    let t = 0;
    const limited = await buildApp({ db, log: () => {}, ratePerMinute: 3, now: () => t });
    try {
      for (let i = 0; i < 3; i++) expect((await limited.inject({ method: 'GET', url: '/v1/me', headers: as('agent') })).statusCode).toBe(200);
      const refused = await limited.inject({ method: 'GET', url: '/v1/me', headers: as('agent') });
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe('rate-limited');
      expect(refused.headers['retry-after']).toBe('60');
      expect((await limited.inject({ method: 'GET', url: '/v1/me', headers: as('manager') })).statusCode).toBe(200); // per token
      t += 60_000;
      expect((await limited.inject({ method: 'GET', url: '/v1/me', headers: as('agent') })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('logs method, route, status and time: no address, no token, no body', async () => {
    logs.length = 0;
    await app.inject({ method: 'GET', url: '/v1/audit?limit=5&email=ana@acme.example', headers: as('admin') });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/ GET \/v1\/audit 200 \d+\.\d ms$/);
    expect(logs.join('\n')).not.toMatch(/ana@acme|ctk_/);
  });
});
