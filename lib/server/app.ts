/**
 * The team service's HTTP API (issue 19), on fastify: chosen for its request schema validation and
 * body limits built in, its hooks (the token check runs before every route), `inject` for tests
 * without a socket, and its speed (it is among the fastest Node frameworks); it is well kept (v5).
 *
 * Every request but the health check carries `Authorization: Bearer <token>` (lib/server/tokens.ts).
 * Errors are JSON with a stable code: `{ "error": { "code": "forbidden", "message": "…" } }`.
 * Requests are rate-limited per token, bodies bounded, CORS allowed for extension origins only, and
 * the log line of a request holds its method, route pattern, status and time — never its address
 * (which may carry an email) nor any body.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readAudit, recordAudit } from './audit';
import { changeConfig, etagOf, isConfigKind, readConfig } from './config';
import { OPENAPI } from './openapi';
import { Readable } from 'node:stream';
import { uploadData, uploadSummaries } from './imports';
import { currentRun, lookup, readRun, scoreChanges, scoreFileChunks, uploadScores, type Identity } from './scores';
import { readJob, requestScoring, type ScoringService } from './scoring';
import { scoresSummary } from './summary';
import { ChangeFeed } from './changes';
import { isDatabaseUnavailable, type Sql } from './database';
import { ApiError } from './errors';
import { authenticate, createToken, isRole, listTokens, may, revokeToken, type Caller } from './tokens';

export interface AppOptions {
  db: Sql;
  /** Largest request body, bytes (default 1 MB; uploads have their own limit). */
  bodyLimit?: number;
  /** Largest file upload (scores, transactions, customers, summaries), bytes (default 200 MB). */
  uploadLimit?: number;
  /** How often the change stream looks for changes made through other instances, ms (default 1000). */
  changePollMs?: number;
  /** Requests per minute per token (default 600). */
  ratePerMinute?: number;
  /**
   * Origins allowed by CORS: exact `chrome-extension://<id>` / `moz-extension://<uuid>` origins. Default:
   * any extension origin (never a web page's).
   */
  extensionOrigins?: readonly string[];
  /** Where a request's log line goes (default: standard error). */
  log?: (line: string) => void;
  now?: () => number;
  /** Scoring in this instance (lib/server/scoring.ts): told at once of a job asked for here. Without it, jobs wait for an instance that scores. */
  scoring?: ScoringService;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

export { ApiError };

const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension):\/\/[a-z0-9-]{1,64}$/;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { db } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? Date.now;
  // Loaded here, not at the top: the CLI bundle keeps these packages out (only `centric serve` needs them).
  const [{ default: Fastify }, { default: cors }] = await Promise.all([import('fastify'), import('@fastify/cors')]).catch((error: unknown) => {
    throw new Error(`centric serve needs the packages fastify and @fastify/cors (npm install): ${(error as Error).message}`);
  });
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 1_048_576, return503OnClosing: true });

  await app.register(cors, {
    origin: (origin, done) => {
      if (!origin) return done(null, false);
      const allowed = options.extensionOrigins ? options.extensionOrigins.includes(origin) : EXTENSION_ORIGIN.test(origin);
      done(null, allowed);
    },
    methods: ['GET', 'PUT', 'POST', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'If-Modified-Since'],
    exposedHeaders: ['ETag', 'Last-Modified'],
    maxAge: 600,
  });

  // One log line per request: method, route pattern (not the address), status, time.
  app.addHook('onResponse', async (request, reply) => {
    log(`${new Date(now()).toISOString()} ${request.method} ${request.routeOptions.url ?? '(no route)'} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)} ms`);
  });

  // The token check, then the rate limit of that token (a fixed one-minute window).
  const windows = new Map<string, { start: number; count: number }>();
  const limit = options.ratePerMinute ?? 600;
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'OPTIONS' || request.routeOptions.url === '/v1/health' || request.routeOptions.url === '/v1/openapi.json') return;
    const header = request.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw new ApiError(401, 'unauthenticated', 'Send your personal token: Authorization: Bearer <token> (an administrator creates it with `centric serve token create`).');
    const caller = await authenticate(db, token);
    if (!caller) throw new ApiError(401, 'unauthenticated', 'This token is unknown or was revoked: ask an administrator for a new one.');
    request.caller = caller;
    const t = now();
    const window = windows.get(caller.tokenId);
    if (!window || t - window.start >= 60_000) windows.set(caller.tokenId, { start: t, count: 1 });
    else if (++window.count > limit) {
      const retry = Math.ceil((window.start + 60_000 - t) / 1000);
      void reply.header('Retry-After', String(retry));
      throw new ApiError(429, 'rate-limited', `More than ${limit} requests in a minute with this token: wait ${retry} s.`);
    }
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string; validation?: unknown }, request, reply) => {
    if (error instanceof ApiError) return reply.status(error.status).send({ error: { code: error.code, message: error.message, ...error.details } });
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 0;
      return reply.status(413).send({ error: { code: 'body-too-large', message: `The request body is larger than ${limit.toLocaleString('en-US')} bytes, this service's limit here; nothing was changed.`, limit } });
    }
    if (isDatabaseUnavailable(error)) {
      log(`${new Date(now()).toISOString()} database unavailable: ${error.message.slice(0, 200)}`);
      void reply.header('Retry-After', '5');
      return reply.status(503).send({
        error: { code: 'database-unavailable', message: 'The database could not be reached or went away during this request, so it did not complete (a change is all or nothing: none of it was kept). Send it again in a moment.' },
      });
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      const csv = request.routeOptions.url?.startsWith('/v1/data/');
      return reply.status(415).send({ error: { code: 'unsupported-media-type', message: csv ? 'Send the file as CSV text (Content-Type: text/csv).' : 'Send JSON (Content-Type: application/json).' } });
    }
    if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (error.statusCode === 400 && error instanceof SyntaxError) || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return reply.status(400).send({ error: { code: 'malformed-json', message: `The body is not JSON: ${error.message}` } });
    }
    if (error.validation) return reply.status(400).send({ error: { code: 'invalid-request', message: error.message } });
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) return reply.status(error.statusCode).send({ error: { code: 'bad-request', message: error.message } });
    log(`${new Date(now()).toISOString()} internal error: ${error.name}: ${error.message.slice(0, 200)}`);
    return reply.status(500).send({ error: { code: 'internal', message: 'The service failed on this request; the error is in its log.' } });
  });
  app.setNotFoundHandler((_request, reply) => reply.status(404).send({ error: { code: 'not-found', message: 'There is no such address in this service (GET /v1/openapi.json lists them).' } }));

  const callerOf = (request: FastifyRequest): Caller => request.caller as Caller;
  const require = async (request: FastifyRequest, action: Parameters<typeof may>[1], target: string) => {
    const caller = callerOf(request);
    if (may(caller.role, action)) return caller;
    await recordAudit(db, caller, { action, target, outcome: 'refused' });
    throw new ApiError(403, 'forbidden', `A${caller.role === 'admin' ? 'n' : ''} ${caller.role}'s token may not do this (${action}); the attempt was recorded.`);
  };

  const uploadLimit = options.uploadLimit ?? 200 * 1024 * 1024;
  const feed = new ChangeFeed(db, options.changePollMs ?? 1000);
  // Open change streams end when the service stops (else closing would wait for every listener to leave).
  const streams = new Set<{ end(): void }>();
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
    feed.close();
  });
  // After a change made here, the listeners hear of it at once (others within changePollMs).
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'GET' && reply.statusCode < 300) void feed.check();
  });

  // Score files arrive as text (CSV) besides JSON.
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.get('/v1/health', async () => ({ ok: true, database: db.kind }));
  app.get('/v1/openapi.json', async () => OPENAPI);

  app.get('/v1/me', async (request) => {
    const { tokenId, name, role } = callerOf(request);
    return { tokenId, name, role };
  });

  const kindOf = (params: unknown): 'tiers' | 'rules' | 'sites' => {
    const kind = (params as { kind?: string }).kind ?? '';
    if (!isConfigKind(kind)) throw new ApiError(404, 'not-found', `There is no team configuration "${kind}": tiers, rules or sites.`);
    return kind;
  };

  app.get('/v1/config/:kind', async (request, reply: FastifyReply) => {
    const doc = await readConfig(db, kindOf(request.params));
    const etag = etagOf(doc);
    void reply.header('ETag', etag).header('Cache-Control', 'no-cache');
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    return doc;
  });

  app.put('/v1/config/:kind', async (request, reply) => {
    const kind = kindOf(request.params);
    const caller = await require(request, 'change-config', kind);
    const body = request.body as { value?: unknown } | undefined;
    if (typeof body !== 'object' || body === null || Array.isArray(body) || !('value' in body)) throw new ApiError(400, 'invalid-request', 'Send {"value": …}: the new value of the whole document.');
    const extra = Object.keys(body).filter((k) => k !== 'value');
    if (extra.length > 0) throw new ApiError(400, 'unknown-field', `Unknown field${extra.length === 1 ? '' : 's'}: ${extra.join(', ')} (send only "value").`);
    const ifMatch = request.headers['if-match'];
    const result = await changeConfig(db, caller, kind, body.value, typeof ifMatch === 'string' ? ifMatch : undefined);
    if (!result.ok && result.code === 'invalid') throw new ApiError(400, 'invalid-value', `The ${kind} were not changed: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}.`, { problems: result.problems });
    if (!result.ok) throw new ApiError(412, 'version-conflict', `The ${kind} changed since you read them (now ${etagOf(result.current)}): read them again and redo your change.`);
    void reply.header('ETag', etagOf(result.document));
    return result.document;
  });

  app.put('/v1/scores', { bodyLimit: uploadLimit }, async (request) => {
    const caller = await require(request, 'change-config', 'scores');
    const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const json = type === 'application/json';
    const text = json ? JSON.stringify(request.body) : request.body;
    if (typeof text !== 'string') throw new ApiError(415, 'unsupported-media-type', 'Send the score file as text/csv or application/json.');
    const named = (request.query as { name?: string }).name;
    const fileName = named && named.length <= 200 ? named : json ? 'upload.json' : 'upload.csv';
    const result = await uploadScores(db, caller, text, fileName);
    if (!result.ok) {
      throw new ApiError(400, 'invalid-file', `The score file was not stored (the previous scores stay): ${result.problemCount} problem${result.problemCount === 1 ? '' : 's'}.`, { problems: result.problems });
    }
    return { run: result.run, unscored: result.unscored };
  });

  app.get('/v1/scores/run', async () => ({ run: await currentRun(db) }));
  app.get('/v1/scores/summary', async () => scoresSummary(db));

  // The team's data: transactions and customers as CSV (the import wizard's reader), warehouse summaries.
  const csvBody = (request: FastifyRequest): string => {
    if (typeof request.body !== 'string') throw new ApiError(415, 'unsupported-media-type', 'Send the file as CSV text (Content-Type: text/csv).');
    return request.body;
  };
  for (const kind of ['transactions', 'customers'] as const) {
    app.put(`/v1/data/${kind}`, { bodyLimit: uploadLimit }, async (request) => {
      const caller = await require(request, 'change-config', kind);
      return uploadData(db, caller, kind, csvBody(request), request.query, { now: () => new Date(now()) });
    });
  }
  app.put('/v1/data/summaries', { bodyLimit: uploadLimit }, async (request) => {
    const caller = await require(request, 'change-config', 'summaries');
    return uploadSummaries(db, caller, csvBody(request), request.query);
  });

  app.post('/v1/scores/runs', async (request, reply) => {
    const caller = await require(request, 'change-config', 'scores');
    const queued = await requestScoring(db, caller);
    options.scoring?.nudge();
    return reply.status(202).send({ job: queued!.job, queued: queued!.created, ...(queued!.created ? {} : { note: 'A scoring job was already waiting: this is the one.' }) });
  });

  app.get('/v1/scores/jobs/:id', async (request) => {
    const text = (request.params as { id: string }).id;
    const id = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
    const job = Number.isSafeInteger(id) ? await readJob(db, id) : null;
    if (!job) throw new ApiError(404, 'not-found', `There is no scoring job ${text}.`);
    return { job };
  });

  /** A run id from the query: a kept run, or a 404 saying which runs are kept. */
  const keptRun = async (value: unknown, name: string) => {
    const text = typeof value === 'string' ? value : '';
    if (!/^\d{1,15}$/.test(text)) throw new ApiError(400, 'invalid-request', `${name} should be a run id (GET /v1/scores/run gives the current one).`);
    const run = await readRun(db, Number(text));
    if (!run) throw new ApiError(404, 'not-found', `Run ${text} is not kept (the last 3 runs are).`);
    return run;
  };

  app.get('/v1/scores/changes', async (request) => {
    const query = request.query as { since?: string; to?: string; after?: string; limit?: string };
    const from = await keptRun(query.since, 'since');
    const to = query.to === undefined ? await currentRun(db) : await keptRun(query.to, 'to');
    if (!to) throw new ApiError(404, 'not-found', 'There are no scores yet.');
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ApiError(400, 'invalid-request', 'limit should be a whole number from 1 to 1000.');
    return scoreChanges(db, from, to, { limit, ...(query.after ? { after: query.after.toLowerCase() } : {}) });
  });

  // The current run as a score file (what the extension's "shared score file" source syncs), streamed.
  app.get('/v1/scores/file', async (request, reply) => {
    const format = (request.query as { format?: string }).format ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw new ApiError(400, 'invalid-request', 'format should be csv (the default) or json.');
    const run = await currentRun(db);
    if (!run) throw new ApiError(404, 'not-found', 'There are no scores yet: upload a score file or ask for a scoring run (POST /v1/scores/runs).');
    const etag = `"run-${run.id}"`;
    void reply.header('ETag', etag).header('Last-Modified', new Date(run.at).toUTCString()).header('Cache-Control', 'private, no-cache');
    const since = Date.parse(String(request.headers['if-modified-since'] ?? ''));
    const unchanged = request.headers['if-none-match'] !== undefined ? request.headers['if-none-match'] === etag : Math.floor(Date.parse(run.at) / 1000) <= Math.floor(since / 1000);
    if (unchanged) return reply.status(304).send();
    void reply
      .header('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="centric-scores-run-${run.id}.${format}"`);
    return reply.send(Readable.from(scoreFileChunks(db, run, format)));
  });

  /** An identity from a query or a batch entry: email, id, domain (strings of sane length); anything else ignored. */
  const identityOf = (value: unknown, where: string): Identity => {
    const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const out: Identity = {};
    for (const key of ['email', 'id', 'domain'] as const) {
      const field = v[key];
      if (field === undefined || field === '') continue;
      if (typeof field !== 'string' || field.length > 320) throw new ApiError(400, 'invalid-request', `${where}${key} should be text of at most 320 characters.`);
      out[key] = field;
    }
    if (!out.email && !out.id && !out.domain) throw new ApiError(400, 'invalid-request', `${where}say who: email, id or domain.`);
    return out;
  };

  app.get('/v1/lookup', async (request, reply) => {
    const found = await lookup(db, identityOf(request.query, ''));
    if (!found) return reply.status(404).send({ error: { code: 'not-found', message: 'No customer with this email, id or domain in the team’s current scores.' } });
    void reply.header('Cache-Control', 'private, no-cache');
    return found;
  });

  app.post('/v1/lookup/batch', async (request) => {
    const body = request.body as { identities?: unknown } | undefined;
    const list = body?.identities;
    if (!Array.isArray(list)) throw new ApiError(400, 'invalid-request', 'Send {"identities": [{"email": …} | {"id": …} | {"domain": …}, …]}.');
    if (list.length > 200) throw new ApiError(400, 'too-many', `At most 200 identities in one batch (this one has ${list.length}).`);
    const identities = list.map((entry, i) => identityOf(entry, `identities[${i}]: `));
    const run = await currentRun(db);
    return { runAt: run?.at ?? null, answers: await Promise.all(identities.map((identity) => lookup(db, identity, run))) };
  });

  // Server-sent events: "hello" with the current versions, then "change" for each change, and a comment every 25 s.
  app.get('/v1/changes', async (request, reply) => {
    const raw = reply.raw;
    reply.hijack();
    raw.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      ...(reply.getHeader('access-control-allow-origin') ? { 'Access-Control-Allow-Origin': String(reply.getHeader('access-control-allow-origin')), Vary: 'Origin' } : {}),
    });
    const send = (event: string, data: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const { versions, stop } = await feed.subscribe((change) => send('change', change));
    send('hello', versions);
    const alive = setInterval(() => raw.write(': keep-alive\n\n'), 25_000);
    streams.add(raw);
    request.raw.on('close', () => {
      clearInterval(alive);
      streams.delete(raw);
      stop();
    });
  });

  app.get('/v1/audit', async (request) => {
    await require(request, 'read-audit', 'audit');
    const limit = Number((request.query as { limit?: string }).limit ?? 100);
    return { entries: await readAudit(db, Number.isFinite(limit) ? limit : 100) };
  });

  app.get('/v1/tokens', async (request) => {
    await require(request, 'manage-tokens', 'tokens');
    return { tokens: await listTokens(db) };
  });

  app.post('/v1/tokens', async (request, reply) => {
    const caller = await require(request, 'manage-tokens', 'tokens');
    const body = request.body as { name?: unknown; role?: unknown } | undefined;
    if (typeof body !== 'object' || body === null || typeof body.name !== 'string' || !isRole(body.role)) {
      throw new ApiError(400, 'invalid-request', 'Send {"name": "<whose token>", "role": "admin" | "manager" | "agent"}.');
    }
    const extra = Object.keys(body).filter((k) => k !== 'name' && k !== 'role');
    if (extra.length > 0) throw new ApiError(400, 'unknown-field', `Unknown field${extra.length === 1 ? '' : 's'}: ${extra.join(', ')}.`);
    let created: { id: string; token: string };
    try {
      created = await createToken(db, { name: body.name, role: body.role, createdBy: caller.name });
    } catch (error) {
      throw new ApiError(400, 'invalid-request', (error as Error).message);
    }
    await recordAudit(db, caller, { action: 'create-token', target: created.id, outcome: 'done', after: { id: created.id, name: body.name.trim(), role: body.role } });
    return reply.status(201).send({ ...created, note: 'This is the only time the token is shown: give it to its person now.' });
  });

  app.delete('/v1/tokens/:id', async (request) => {
    const caller = await require(request, 'manage-tokens', 'tokens');
    const id = (request.params as { id: string }).id;
    if (!(await revokeToken(db, id))) throw new ApiError(404, 'not-found', `There is no token ${id} in use.`);
    await recordAudit(db, caller, { action: 'revoke-token', target: id, outcome: 'done' });
    return { revoked: id };
  });

  return app;
}
