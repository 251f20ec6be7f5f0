/**
 * A throw-away PostgreSQL server for a test: `initdb` in a temporary directory, started with
 * `pg_ctl`, listening only on a Unix socket in that directory (no TCP port, so no conflicts with
 * anything else on the machine), queried with the `psql` command-line client, stopped and deleted
 * by `stop()`. No system-wide server and no npm dependency: only the binaries of the Debian
 * package `postgresql` (/usr/lib/postgresql/<version>/bin, the newest version found).
 *
 * PostgreSQL refuses to run as root: when the tests run as root (CI containers), initdb and pg_ctl
 * run as the `postgres` system user (created by the Debian package) through `runuser`, in a
 * temporary directory given to that user. psql connects as the cluster's superuser `centric`
 * (trust authentication on the socket, which only the owner of the directory — and root — can reach).
 *
 *   const pg = startPostgres();
 *   pg.exec('CREATE TABLE t (id int)');
 *   pg.copyIn('t', 'id\n1\n');
 *   pg.query('SELECT * FROM t');   // CSV text with a header row
 *   pg.stopServer(); pg.startServer();   // a restart: connections dropped, the data kept
 *   pg.stop();
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Debian package that provides the server binaries. */
export const POSTGRES_PACKAGE = 'postgresql';

const POSTGRES_ROOT = '/usr/lib/postgresql';
const SUPERUSER = 'centric';
const PORT = 5432;

/**
 * The bin directory of the newest PostgreSQL installed by Debian's packages
 * (<root>/<version>/bin with initdb, pg_ctl, postgres and psql; root /usr/lib/postgresql).
 * Throws an error naming the Debian package when there is none.
 */
export function findPostgresBin(root = POSTGRES_ROOT): string {
  const wanted = ['initdb', 'pg_ctl', 'postgres', 'psql'];
  const complete = (dir: string) => wanted.every((b) => existsSync(join(dir, b)));
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+(\.\d+)?$/.test(v) && complete(join(root, v, 'bin')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) {
    throw new Error(
      `PostgreSQL server binaries not found (looked for ${wanted.join(', ')} in ${root}/<version>/bin). ` +
        `Install the Debian package "${POSTGRES_PACKAGE}": sudo apt-get install -y ${POSTGRES_PACKAGE} (bash scripts/setup.sh does it). ` +
        'The tests start their own server; no running system server is needed.',
    );
  }
  return join(root, newest, 'bin');
}

export interface PostgresServer {
  /** The temporary directory: data/, the socket and server.log. */
  dir: string;
  /** The directory of the Unix socket (psql -h). */
  socketDir: string;
  port: number;
  user: string;
  database: string;
  /** The PostgreSQL bin directory used. */
  bin: string;
  /** The server's version string (SHOW server_version). */
  version: string;
  /** Runs SQL statements (psql, stop at the first error). Returns psql's standard output. */
  exec(sql: string): string;
  /** Runs a query and returns its result as CSV with a header row (psql --csv; NULL as empty). */
  query(sql: string): string;
  /** Loads CSV text (with a header row) into a table: COPY … FROM STDIN (FORMAT csv, HEADER). */
  copyIn(table: string, csv: string, columns?: readonly string[]): void;
  /**
   * Stops the server, keeping its data (a restart is stopServer then startServer): 'fast' ends every
   * session (their transactions rolled back), as a service restart does; 'immediate' is a crash.
   */
  stopServer(mode?: 'fast' | 'immediate'): void;
  /** Starts the stopped server again on the same data and socket; returns once it accepts connections. */
  startServer(): void;
  /** Stops the server and deletes the directory. Safe to call twice. */
  stop(): void;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const result = spawnSync(command, args, {
    input: options.input,
    cwd: options.cwd,
    env: options.env,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (result.error) throw new Error(`Could not run ${command}: ${result.error.message}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The environment without the PG* variables of the caller (a PGHOST or PGDATABASE must not leak in). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PG')) env[k] = v;
  env.LC_ALL = 'C';
  env.LANG = 'C';
  env.PGTZ = 'UTC';
  env.PGCLIENTENCODING = 'UTF8';
  return env;
}

/** uid and gid of a system user, or null. */
function userIds(name: string): { uid: number; gid: number } | null {
  const uid = run('id', ['-u', name]);
  const gid = run('id', ['-g', name]);
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Starts a new cluster. Synchronous (initdb takes a few seconds): call it in beforeAll with a
 * generous timeout, and stop() in afterAll.
 */
export function startPostgres(): PostgresServer {
  const bin = findPostgresBin();
  const env = cleanEnv();
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  let owner: { uid: number; gid: number } | null = null;
  let runuser = 'runuser';
  if (asRoot) {
    owner = userIds('postgres');
    if (!owner) {
      throw new Error(
        `PostgreSQL refuses to run as root and there is no "postgres" system user to run it as. Install the Debian package "${POSTGRES_PACKAGE}" (it creates the user).`,
      );
    }
    runuser = ['/usr/sbin/runuser', '/sbin/runuser'].find((p) => existsSync(p)) ?? 'runuser';
  }
  const dir = mkdtempSync(join(tmpdir(), 'centric-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  if (/['\\\s]/.test(dir)) throw new Error(`The temporary directory ${dir} has a quote, backslash or blank: set TMPDIR to a plain path.`);

  /** Runs a server binary, as the postgres user when we are root. */
  const server = (program: string, args: readonly string[]): Run => {
    const path = join(bin, program);
    return asRoot ? run(runuser, ['-u', 'postgres', '--', path, ...args], { cwd: dir, env }) : run(path, args, { cwd: dir, env });
  };

  function startServer(): void {
    const start = server('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', 'start']);
    if (start.status !== 0) {
      const serverLog = existsSync(log) ? readFileSync(log, 'utf8') : '';
      throw new Error(`pg_ctl start failed (exit ${start.status}):\n${start.stderr || start.stdout}\n${serverLog}`);
    }
  }
  const stopServer = (mode: 'fast' | 'immediate' = 'fast') => {
    const stopped = server('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
    if (stopped.status !== 0) throw new Error(`pg_ctl stop failed (exit ${stopped.status}):\n${stopped.stderr || stopped.stdout}`);
  };

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stop);
    if (existsSync(join(data, 'postmaster.pid'))) server('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    rmSync(dir, { recursive: true, force: true });
  };
  // A crashed test run must not leave a server behind.
  process.once('exit', stop);

  try {
    const init = server('initdb', ['-D', data, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
    if (init.status !== 0) {
      const hint = asRoot ? `\n(As root, initdb runs as the postgres user, which must be able to reach ${dir}: set TMPDIR to a directory such as /tmp.)` : '';
      throw new Error(`initdb failed (exit ${init.status}):\n${init.stderr || init.stdout}${hint}`);
    }
    // Socket only, in our directory; durability off (the data is thrown away).
    appendFileSync(
      join(data, 'postgresql.conf'),
      [
        '',
        '# tests/support/postgres.ts',
        "listen_addresses = ''",
        `unix_socket_directories = '${dir}'`,
        `port = ${PORT}`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 20',
        'shared_buffers = 32MB',
        "timezone = 'UTC'",
        "datestyle = 'iso, ymd'",
        "lc_messages = 'C'",
        '',
      ].join('\n'),
    );
    startServer();
  } catch (error) {
    stop();
    throw error;
  }

  const psqlArgs = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', dir, '-p', String(PORT), '-U', SUPERUSER, '-d', 'postgres'];
  const psql = (args: readonly string[], input?: string): string => {
    const r = run(join(bin, 'psql'), [...psqlArgs, ...args], { input, env });
    if (r.status !== 0) throw new Error(`psql failed (exit ${r.status}): ${r.stderr.trim()}`);
    return r.stdout;
  };
  const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

  const pg: PostgresServer = {
    dir,
    socketDir: dir,
    port: PORT,
    user: SUPERUSER,
    database: 'postgres',
    bin,
    version: '',
    exec: (sql) => psql(['-f', '-'], sql),
    query: (sql) => psql(['--csv', '-f', '-'], sql),
    stopServer,
    startServer,
    copyIn(table, csv, columns) {
      const target = table.split('.').map(quoteIdent).join('.') + (columns ? ` (${columns.map(quoteIdent).join(', ')})` : '');
      psql(['-c', `COPY ${target} FROM STDIN WITH (FORMAT csv, HEADER true)`], csv);
    },
    stop,
  };
  try {
    pg.version = psql(['-A', '-t', '-c', 'SHOW server_version']).trim();
  } catch (error) {
    stop();
    throw error;
  }
  return pg;
}

/** Parses psql's CSV output (header row first; fields quoted only when needed). */
export function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [header = [], ...rows] = records;
  return { header, rows };
}
