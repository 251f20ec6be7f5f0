/**
 * `centric serve`: the team service (issue 19, docs/team.md).
 *
 *   centric serve [--data DIR | --database URL] [--port 8787] [--host 127.0.0.1] [--extension-origin ORIGIN]…
 *                 [--score-every 24h] [--score-workers N]
 *   centric serve token create --role admin|manager|agent --name "Ana Lopez" [--data DIR | --database URL]
 *   centric serve token list | token revoke <id>
 *
 * The embedded database lives in DIR (./centric-data by default); --database names a PostgreSQL server.
 * Exit codes: 0 done (or stopped by a signal), 1 a failure said in words, 2 wrong usage.
 */
import { buildApp } from './app';
import { openDatabase, type Sql } from './database';
import { migrate } from './migrations';
import { parseDuration, ScoringService } from './scoring';
import { createToken, isRole, listTokens, revokeToken, ROLES } from './tokens';

export const SERVE_HELP = `Usage:
  centric serve [--data DIR | --database URL] [--port 8787] [--host 127.0.0.1] [--extension-origin ORIGIN]...
                [--score-every DURATION] [--score-workers N]
  centric serve token create --role admin|manager|agent --name NAME [--data DIR | --database URL]
  centric serve token list [--data DIR | --database URL]
  centric serve token revoke ID [--data DIR | --database URL]

Runs the team service: one source of truth for the team's tiers, treatment rules and site definitions,
read by every agent's Centric. The embedded database lives in DIR (default ./centric-data); --database
postgres://user:password@host:5432/db uses a PostgreSQL server instead. Tokens are shown once, when made.

Scoring: managers ask for a run (POST /v1/scores/runs); --score-every 24h (or 30m, 6h, 1d) also scores
on a schedule when the data changed since the last run. --score-workers N: worker threads per run
(default: 2, or 1 on a one-CPU machine). Several instances on one PostgreSQL share the jobs: one runs each.
`;

export interface ServeIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Resolves when the process is asked to stop (SIGINT, SIGTERM). */
  stopped(): Promise<void>;
}

class Usage extends Error {}

function parse(argv: readonly string[]): { positional: string[]; options: Map<string, string[]> } {
  const positional: string[] = [];
  const options = new Map<string, string[]>();
  const valued = new Set(['--data', '--database', '--port', '--host', '--extension-origin', '--role', '--name', '--score-every', '--score-workers']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') options.set('--help', ['']);
    else if (arg.startsWith('--')) {
      const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
      if (!valued.has(name)) throw new Usage(`Unknown option ${name}.`);
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Usage(`${name} needs a value.`);
      options.set(name, [...(options.get(name) ?? []), value]);
    } else positional.push(arg);
  }
  return { positional, options };
}

const one = (options: Map<string, string[]>, name: string): string | undefined => {
  const values = options.get(name);
  if (values && values.length > 1) throw new Usage(`${name} is given ${values.length} times.`);
  return values?.[0];
};

async function database(options: Map<string, string[]>): Promise<Sql> {
  const url = one(options, '--database');
  const data = one(options, '--data');
  if (url && data) throw new Usage('Give --data or --database, not both.');
  const db = await openDatabase(url ? { url } : { data: data ?? './centric-data' });
  await migrate(db);
  return db;
}

export async function runServe(argv: readonly string[], io: ServeIo): Promise<number> {
  let db: Sql | undefined;
  try {
    const { positional, options } = parse(argv);
    if (options.has('--help')) {
      io.stdout(SERVE_HELP);
      return 0;
    }
    if (positional[0] === 'token') {
      const action = positional[1];
      if (action === 'create') {
        const role = one(options, '--role');
        const name = one(options, '--name');
        if (!isRole(role)) throw new Usage(`--role must be one of ${ROLES.join(', ')}.`);
        if (!name) throw new Usage('--name says whose token it is, e.g. --name "Ana Lopez, support".');
        db = await database(options);
        const { id, token } = await createToken(db, { name, role, createdBy: 'command line' });
        io.stdout(`${token}\n`);
        io.stderr(`Token ${id} for ${name.trim()} (${role}). It is shown this once: give it to its person now; it is stored only as a hash.\n`);
        return 0;
      }
      if (action === 'list') {
        db = await database(options);
        for (const t of await listTokens(db)) io.stdout(`${t.id}\t${t.role}\t${t.name}\t${t.createdAt}\t${t.revokedAt ? `revoked ${t.revokedAt}` : 'in use'}\n`);
        return 0;
      }
      if (action === 'revoke') {
        const id = positional[2];
        if (!id) throw new Usage('Say which token: centric serve token revoke <id> (centric serve token list shows them).');
        db = await database(options);
        if (!(await revokeToken(db, id))) {
          io.stderr(`There is no token ${id} in use.\n`);
          return 1;
        }
        io.stderr(`Token ${id} is revoked: refused from now on.\n`);
        return 0;
      }
      throw new Usage('centric serve token create | list | revoke.');
    }
    if (positional.length > 0) throw new Usage(`Unknown: ${positional.join(' ')}.`);
    const port = Number(one(options, '--port') ?? 8787);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Usage('--port is a whole number from 0 to 65535.');
    const host = one(options, '--host') ?? '127.0.0.1';
    const everyText = one(options, '--score-every');
    const everyMs = everyText === undefined ? undefined : parseDuration(everyText);
    if (everyMs === null) throw new Usage(`--score-every is a duration such as 30m, 6h or 1d (got "${everyText}").`);
    if (everyMs !== undefined && everyMs < 60_000) throw new Usage('--score-every is at least 1m.');
    const workersText = one(options, '--score-workers');
    const workers = workersText === undefined ? undefined : Number(workersText);
    if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > 64)) throw new Usage('--score-workers is a whole number from 1 to 64.');
    db = await database(options);
    const log = (line: string) => io.stderr(`${line}\n`);
    const url = one(options, '--database');
    const scoring = new ScoringService(db, { ...(everyMs ? { everyMs } : {}), ...(workers ? { workers } : {}), ...(url ? { url } : {}), log });
    const origins = options.get('--extension-origin');
    const app = await buildApp({ db, scoring, ...(origins ? { extensionOrigins: origins } : {}), log });
    const address = await app.listen({ port, host });
    await scoring.start();
    io.stderr(
      `Centric team service on ${address} (${db.kind === 'embedded' ? 'embedded database' : 'PostgreSQL'}${everyText ? `; scoring every ${everyText} when the data changed` : ''}). Stop it with Ctrl+C.\n`,
    );
    await io.stopped();
    await scoring.close();
    await app.close();
    return 0;
  } catch (error) {
    if (error instanceof Usage) {
      io.stderr(`centric serve: ${error.message}\n\n${SERVE_HELP}`);
      return 2;
    }
    io.stderr(`centric serve: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await db?.close().catch(() => {});
  }
}
