/**
 * The team service's schema, as numbered migrations run in order, each once, in its own transaction
 * (issue 19). The same SQL on the embedded database and on PostgreSQL. Two service instances starting
 * on one PostgreSQL take a transaction-scoped advisory lock, so only one migrates and the other then
 * finds the work done. A database written by a newer Centric (a migration this one does not know) is
 * refused with words, never touched.
 */
import type { Sql } from './database';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'tokens, audit, team configuration',
    sql: `
      CREATE TABLE tokens (
        id text PRIMARY KEY,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'manager', 'agent')),
        hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text,
        revoked_at timestamptz
      );
      CREATE TABLE audit (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        token_id text,
        token_name text,
        role text,
        action text NOT NULL,
        target text NOT NULL,
        outcome text NOT NULL,
        before jsonb,
        after jsonb
      );
      CREATE INDEX audit_at ON audit (at DESC);
      CREATE TABLE team_config (
        kind text PRIMARY KEY,
        version integer NOT NULL,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text
      );
    `,
  },
  {
    version: 2,
    name: 'score runs and scores',
    sql: `
      CREATE TABLE score_runs (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        source text NOT NULL,
        uploaded_by text,
        customers integer NOT NULL,
        rows integer NOT NULL
      );
      CREATE TABLE scores (
        run_id bigint NOT NULL REFERENCES score_runs (id) ON DELETE CASCADE,
        customer_id text NOT NULL,
        email text,
        domain text,
        clv double precision,
        score jsonb NOT NULL,
        PRIMARY KEY (run_id, customer_id)
      );
      CREATE INDEX scores_email ON scores (run_id, email);
      CREATE INDEX scores_domain ON scores (run_id, domain, clv DESC);
    `,
  },
  {
    version: 3,
    name: 'customers, transactions, warehouse summaries, scoring jobs',
    sql: `
      -- The team's data as uploaded (the import wizard's reader; lib/server/imports.ts): one row per
      -- customer and per transaction, keyed like the browser's store (lib/db/keys.ts). shard = a stable
      -- hash of the customer id modulo 1024, so scoring can take a slice of the customers at a time.
      CREATE TABLE customers (
        customer_id text PRIMARY KEY,
        shard smallint NOT NULL,
        name text,
        email text,
        company text,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX customers_email ON customers (email);
      CREATE TABLE transactions (
        key text PRIMARY KEY,
        customer_id text NOT NULL,
        shard smallint NOT NULL,
        day date NOT NULL,
        amount double precision NOT NULL,
        order_id text
      );
      CREATE INDEX transactions_shard ON transactions (shard, customer_id);
      -- Per-customer summaries exported from a warehouse (the output of centric sql --output summary).
      CREATE TABLE summaries (
        customer_id text PRIMARY KEY,
        shard smallint NOT NULL,
        x double precision NOT NULL,
        t_x double precision NOT NULL,
        t double precision NOT NULL,
        m double precision,
        unit text NOT NULL
      );
      CREATE INDEX summaries_shard ON summaries (shard, customer_id);
      -- Scoring runs asked for or scheduled; a job left 'running' by a stopped service is redone.
      CREATE TABLE scoring_jobs (
        id bigserial PRIMARY KEY,
        requested_at timestamptz NOT NULL DEFAULT now(),
        requested_by text,
        state text NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
        started_at timestamptz,
        finished_at timestamptz,
        run_id bigint,
        message text,
        owner text
      );
    `,
  },
  {
    version: 4,
    name: 'scoring in the service: job leases, staged scores, data version',
    sql: `
      -- A job is held by one instance (owner) while its heartbeat is fresh; a stale one is taken again.
      ALTER TABLE scoring_jobs ADD COLUMN heartbeat_at timestamptz;
      ALTER TABLE scoring_jobs ADD COLUMN attempts integer NOT NULL DEFAULT 0;
      ALTER TABLE scoring_jobs ADD COLUMN data_version bigint;
      ALTER TABLE scoring_jobs ADD COLUMN progress jsonb;
      CREATE INDEX scoring_jobs_state ON scoring_jobs (state, id);
      ALTER TABLE score_runs ADD COLUMN job_id bigint;
      ALTER TABLE score_runs ADD COLUMN data_version bigint;
      ALTER TABLE score_runs ADD COLUMN model jsonb;
      -- The score file's columns that are not in a lookup's answer: x, t_x, T, monetary, expectedSpend.
      ALTER TABLE scores ADD COLUMN facts double precision[];
      -- A job's scores while it runs (workers write their shards here); moved into scores with the tiers
      -- in the job's last transaction. Unlogged: after a crash it is empty, and the job is redone anyway.
      CREATE UNLOGGED TABLE scoring_staging (
        job_id bigint NOT NULL,
        customer_id text NOT NULL,
        email text,
        domain text,
        clv double precision,
        -- What tiers rank by: clv, or expected transactions when there are no amounts; null: no value.
        rank_value double precision,
        facts double precision[],
        score jsonb NOT NULL,
        PRIMARY KEY (job_id, customer_id)
      );
      -- The data's version: one more for every statement that changes customers, transactions or
      -- summaries, visible when that change commits; the schedule scores only when it moved.
      CREATE TABLE data_state (id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL);
      INSERT INTO data_state VALUES (1, 0);
      CREATE FUNCTION centric_data_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        UPDATE data_state SET version = version + 1 WHERE id = 1;
        RETURN NULL;
      END
      $fn$;
      CREATE TRIGGER customers_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON customers FOR EACH STATEMENT EXECUTE FUNCTION centric_data_changed();
      CREATE TRIGGER transactions_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON transactions FOR EACH STATEMENT EXECUTE FUNCTION centric_data_changed();
      CREATE TRIGGER summaries_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON summaries FOR EACH STATEMENT EXECUTE FUNCTION centric_data_changed();
    `,
  },
];

/** An arbitrary, fixed key for the migration lock (pg_advisory_xact_lock). */
const LOCK_KEY = 1_918_273_645;

export class SchemaError extends Error {}

/** Brings the schema to the newest version. Returns the versions applied now. */
export async function migrate(db: Sql, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)));
    const known = new Set(migrations.map((m) => m.version));
    const unknown = [...done].filter((v) => !known.has(v));
    if (unknown.length > 0) {
      throw new SchemaError(`This database was written by a newer Centric (schema version ${Math.max(...unknown)}; this one knows up to ${Math.max(0, ...known)}). Upgrade Centric; nothing was changed.`);
    }
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}
