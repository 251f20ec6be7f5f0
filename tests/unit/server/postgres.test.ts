/**
 * The team service on a real PostgreSQL (the throw-away server of tests/support/postgres.ts): the
 * same migrations as on the embedded database, two service instances starting and changing the
 * configuration together, and a database from a newer Centric refused untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '~/lib/server/app';
import { openDatabase, type Sql } from '~/lib/server/database';
import { MIGRATIONS, migrate } from '~/lib/server/migrations';
import { createToken } from '~/lib/server/tokens';
import { DEFAULT_RULES } from '~/lib/rules/defaults';
import { ruleSetValue } from '~/lib/rules/stored';
import { startPostgres, type PostgresServer } from '../../support/postgres';

let pg: PostgresServer;
let url: string;
const open: Sql[] = [];
const connect = async () => {
  const db = await openDatabase({ url });
  open.push(db);
  return db;
};

beforeAll(() => {
  pg = startPostgres();
  url = `postgres://${pg.user}@localhost/${pg.database}?host=${encodeURIComponent(pg.socketDir)}&port=${pg.port}`;
});
afterAll(async () => {
  for (const db of open) await db.close().catch(() => {});
  pg?.stop();
});

describe('the team service on PostgreSQL', () => {
  it('two instances starting at once migrate the schema once', async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    const applied = await Promise.all([migrate(a), migrate(b)]);
    expect(applied.flat().sort()).toEqual(MIGRATIONS.map((m) => m.version));
    expect((await a.query<{ n: string }>('SELECT count(*) AS n FROM schema_migrations')).rows[0]!.n).toBe(String(MIGRATIONS.length));
    expect(a.kind).toBe('postgres');
  });

  it('a change made through one instance is what the other serves; a token revoked on one is refused by the other', async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    const [appA, appB] = await Promise.all([buildApp({ db: a, log: () => {} }), buildApp({ db: b, log: () => {} })]);
    try {
      const manager = (await createToken(a, { name: 'manager', role: 'manager' })).token;
      const auth = { authorization: `Bearer ${manager}` };
      const changed = await appA.inject({ method: 'PUT', url: '/v1/config/rules', headers: auth, payload: { value: ruleSetValue(DEFAULT_RULES.slice(0, 2)) } });
      expect(changed.statusCode).toBe(200);
      const seen = await appB.inject({ method: 'GET', url: '/v1/config/rules', headers: auth });
      expect(seen.json()).toEqual(changed.json());
      expect(seen.headers.etag).toBe(changed.headers.etag);
      // Two changes at once on two instances: one after the other, both versions counted, none lost.
      const value = ruleSetValue(DEFAULT_RULES.slice(0, 1));
      const both = await Promise.all([appA, appB].map((app) => app.inject({ method: 'PUT', url: '/v1/config/rules', headers: auth, payload: { value } })));
      expect(both.map((r) => r.statusCode)).toEqual([200, 200]);
      expect(both.map((r) => r.json().version).sort()).toEqual([changed.json().version + 1, changed.json().version + 2]);
      const { id, token } = await createToken(a, { name: 'leaver', role: 'agent' });
      await appA.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });
      await a.query('UPDATE tokens SET revoked_at = now() WHERE id = $1', [id]);
      expect((await appB.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    } finally {
      await appA.close();
      await appB.close();
    }
  });

  it('scores uploaded through one instance are looked up through the other', async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    const [appA, appB] = await Promise.all([buildApp({ db: a, log: () => {} }), buildApp({ db: b, log: () => {} })]);
    try {
      const manager = (await createToken(a, { name: 'uploader', role: 'manager' })).token;
      const auth = { authorization: `Bearer ${manager}` };
      const rows = Array.from({ length: 1200 }, (_, i) => `C-${i},${i < 60 ? 'Platinum' : 'Gold'},2,20,40,30,0.7,1.5,28,${2000 - i},${3000 - i},p${i}@acme${i % 3}.example`);
      const csv = `id,tier,x,t_x,T,monetary,pAlive,expectedTransactions,expectedSpend,clv,lifetimeValue,email\n${rows.join('\n')}\n`;
      const up = await appA.inject({ method: 'PUT', url: '/v1/scores', headers: { ...auth, 'content-type': 'text/csv' }, payload: csv });
      expect(up.json()).toMatchObject({ run: { customers: 1200 } });
      expect((await appB.inject({ method: 'GET', url: '/v1/lookup?email=p1199%40acme2.example', headers: auth })).json()).toMatchObject({ customerId: 'C-1199', tier: 'Gold', clv: 801 });
      expect((await appB.inject({ method: 'GET', url: '/v1/lookup?domain=acme1.example', headers: auth })).json()).toMatchObject({ customerId: 'C-1' });
    } finally {
      await appA.close();
      await appB.close();
    }
  });

  it('refuses a database written by a newer Centric, and changes nothing', async () => {
    const db = await connect();
    await db.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')");
    await expect(migrate(db)).rejects.toThrow(new RegExp(`newer Centric \\(schema version 999; this one knows up to ${MIGRATIONS.length}\\)`));
    await db.query('DELETE FROM schema_migrations WHERE version = 999');
  });
});
