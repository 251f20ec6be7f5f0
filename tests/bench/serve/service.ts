/**
 * The team service for `npm run bench` (tests/bench/serve.bench.ts), in its own process: what
 * `centric serve` does (lib/server/cli.ts: open the database, migrate, build the app, listen), on a
 * free port of 127.0.0.1, with two differences said in the benchmark's output: the per-token rate
 * limit is lifted (the load generator sends thousands of requests a second with one token; the
 * service's 600 a minute would refuse them) and the request log goes to a file (as it would to the
 * journal), not to a terminal. Talks to the benchmark over IPC: "ready" with the address and a
 * manager's and an agent's token, then answers "usage" (RSS, peak RSS, CPU time) until stopped.
 *
 *   node --import tsx tests/bench/serve/service.ts <postgres URL | "embedded"> <log file>
 */
import { createWriteStream } from 'node:fs';
import { buildApp } from '../../../lib/server/app';
import { openDatabase } from '../../../lib/server/database';
import { migrate } from '../../../lib/server/migrations';
import { createToken } from '../../../lib/server/tokens';
import { usage, type FromChild } from './ipc';

const [where, logFile] = process.argv.slice(2);
if (!where || !logFile || !process.send) throw new Error('Usage (forked with IPC): service.ts <postgres URL | embedded> <log file>');
const send = (message: FromChild) => process.send?.(message);

const db = await openDatabase(where === 'embedded' ? {} : { url: where });
await migrate(db);
const manager = (await createToken(db, { name: 'bench manager', role: 'manager' })).token;
const agent = (await createToken(db, { name: 'bench agent', role: 'agent' })).token;
const log = createWriteStream(logFile);
const app = await buildApp({ db, log: (line) => void log.write(`${line}\n`), ratePerMinute: Number.MAX_SAFE_INTEGER });
const address = await app.listen({ port: 0, host: '127.0.0.1' });

const stop = async () => {
  await app.close();
  await db.close();
  log.end();
  process.exit(0);
};
process.on('message', (message: { type: string }) => {
  if (message.type === 'usage') send({ type: 'usage', ...usage() });
  if (message.type === 'stop') void stop();
});
process.on('disconnect', () => void stop());
send({ type: 'ready', address, tokens: { manager, agent } });
