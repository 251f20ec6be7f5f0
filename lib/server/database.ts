/**
 * The team service's database (issue 19): PostgreSQL, either embedded (PGlite, PostgreSQL compiled to
 * WebAssembly, in a data directory: `centric serve --data ./centric-data`, no setup) or a real server
 * (`--database postgres://…`, node-postgres). One SQL dialect, so one schema and one set of migrations
 * serve both (lib/server/migrations.ts); docs/team.md says why PGlite rather than SQLite.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
export interface Rows<T> {
  rows: T[];
}

/** What the service asks of a database: a query, a transaction, closing. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Rows<T>>;
  /** Runs statements without parameters (a migration's several statements). */
  exec(text: string): Promise<void>;
  /** Runs `work` in one transaction: all of it, or (when it throws) none of it. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** 'embedded' (PGlite) or 'postgres'. */
  readonly kind: 'embedded' | 'postgres';
}

export interface DatabaseOptions {
  /** A data directory for the embedded database (created when missing); absent with `url`: in memory. */
  data?: string;
  /** A PostgreSQL connection string (postgres://user:password@host:port/db, or ?host=/socket/dir). */
  url?: string;
}

/** Opens the database the options name: PostgreSQL at `url`, else the embedded one (in `data`, or in memory). */
export async function openDatabase(options: DatabaseOptions): Promise<Sql> {
  if (options.url) return openPostgres(options.url);
  return openEmbedded(options.data);
}

/** The lock file in an embedded data directory (see lockDataDirectory). */
export const DATA_LOCK_FILE = 'centric-serve.lock';
/** Data directories this process holds (a lock file naming this process but not in here is stale). */
const held = new Set<string>();

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes the data directory for this process: PGlite takes no lock of its own, and two processes (the
 * service and a `centric serve token …` beside it, or two services) writing one directory corrupt it.
 * A file holding our process id, created only if absent; a file left by a process that is gone is
 * taken over. Returns the release. Throws, naming the holder, when another live process holds it.
 */
function lockDataDirectory(data: string): () => void {
  mkdirSync(data, { recursive: true });
  const path = join(data, DATA_LOCK_FILE);
  for (;;) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      held.add(path);
      return () => {
        held.delete(path);
        rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    const ours = pid === process.pid && held.has(path);
    if (ours || (pid !== process.pid && Number.isInteger(pid) && pid > 0 && alive(pid))) {
      throw new Error(
        `The data directory ${data} is in use by ${ours ? 'this process already' : `another process (pid ${pid})`}: the embedded database takes one process at a time. ` +
          'Stop the service before running `centric serve token …` on it (or use the API: POST /v1/tokens), or give each service its own --data. ' +
          `If no such process runs, delete ${path}.`,
      );
    }
    rmSync(path, { force: true }); // left by a process that has ended
  }
}

async function openEmbedded(data: string | undefined): Promise<Sql> {
  const { PGlite } = await import('@electric-sql/pglite').catch((error: unknown) => {
    throw new Error(`The embedded database needs the package @electric-sql/pglite (npm install): ${(error as Error).message}`);
  });
  const release = data ? lockDataDirectory(data) : () => {};
  let db: InstanceType<typeof PGlite>;
  try {
    db = data ? new PGlite(data) : new PGlite();
    await db.waitReady;
  } catch (error) {
    release();
    throw error;
  }
  // PGlite runs one query at a time: a transaction holds it, so the others wait for it in order.
  type Queryable = { query: PGliteQuery; exec(text: string): Promise<unknown> };
  type PGliteQuery = (text: string, params?: unknown[]) => Promise<{ rows: unknown[] }>;
  const make = (q: Queryable, inTransaction: boolean): Sql => {
    const self: Sql = {
      kind: 'embedded',
      query: async <T>(text: string, params?: readonly unknown[]) => ({ rows: (await q.query(text, params as unknown[] | undefined)).rows as T[] }),
      exec: async (text) => void (await q.exec(text)),
      transaction: (work) => (inTransaction ? work(self) : db.transaction((tx) => work(make(tx as unknown as Queryable, true)))),
      close: () => (inTransaction ? Promise.resolve() : db.close().finally(release)),
    };
    return self;
  };
  return make(db as unknown as Queryable, false);
}

async function openPostgres(url: string): Promise<Sql> {
  const { default: pg } = await import('pg').catch((error: unknown) => {
    throw new Error(`--database needs the package pg (npm install): ${(error as Error).message}`);
  });
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server closes (a restart, a failover) is dropped from the pool; without a
  // listener the pool's 'error' event would stop the service. The next query opens a new connection.
  pool.on('error', () => {});
  // A failing connection says so now, not at the first request.
  (await pool.connect()).release();
  const sql: Sql = {
    kind: 'postgres',
    query: async <T>(text: string, params?: readonly unknown[]) => ({ rows: (await pool.query(text, params as unknown[] | undefined)).rows as T[] }),
    exec: async (text) => void (await pool.query(text)),
    transaction: async (work) => {
      const client = await pool.connect();
      let failure: unknown;
      // The connection may drop while no query of ours is running (between two statements): the
      // client then reports it as an 'error' event, which must not stop the process; the next query fails.
      const onError = (error: Error) => (failure ??= error);
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const inner: Sql = {
          kind: 'postgres',
          query: async <T>(text: string, params?: readonly unknown[]) => ({ rows: (await client.query(text, params as unknown[] | undefined)).rows as T[] }),
          exec: async (text) => void (await client.query(text)),
          transaction: (nested) => nested(inner),
          close: async () => {},
        };
        const result = await work(inner);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        failure = error;
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        // A connection that failed is closed rather than reused (it may be the one the server dropped).
        client.off('error', onError);
        client.release(failure !== undefined && isDatabaseUnavailable(failure) ? (failure as Error) : undefined);
      }
    },
    close: () => pool.end(),
  };
  return sql;
}

/**
 * Whether an error means the database could not be reached or went away (not that the request was
 * wrong): a connection refused or reset, the server shutting down or starting up (SQLSTATE class 08,
 * 57P01–57P03), node-postgres's "Connection terminated". The service answers 503 for these: the
 * request did not complete, and (a transaction being all or nothing) may be sent again.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown; syscall?: unknown } | undefined, depth = 0; e && typeof e === 'object' && depth < 4; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (/^08/.test(code) || ['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND'].includes(code)) return true;
    // A Unix socket that is not there: the server is stopped.
    if (code === 'ENOENT' && e.syscall === 'connect') return true;
    const message = typeof e.message === 'string' ? e.message : '';
    if (/Connection terminated|terminating connection due to administrator command|the database system is (starting up|shutting down)|Client has encountered a connection error|Connection ended unexpectedly/i.test(message)) return true;
  }
  return false;
}
