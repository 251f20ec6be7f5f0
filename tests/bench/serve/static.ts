/**
 * The baseline of the team service benchmark (tests/bench/serve.bench.ts): Node's http module serving
 * one small JSON file, read from disk on every request (as a static file server would), with
 * keep-alive; in its own process like the service. Forked with IPC: "ready" with its address, then
 * "usage" answers until stopped.
 *
 *   node --import tsx tests/bench/serve/static.ts <file>
 */
import { readFile } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { usage, type FromChild } from './ipc';

const [file] = process.argv.slice(2);
if (!file || !process.send) throw new Error('Usage (forked with IPC): static.ts <file>');
const send = (message: FromChild) => process.send?.(message);

const server = createServer((_request, response) => {
  readFile(file, (error, data) => {
    if (error) {
      response.writeHead(500).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': data.length, 'Cache-Control': 'private, no-cache' });
    response.end(data);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  send({ type: 'ready', address: `http://127.0.0.1:${port}` });
});
const stop = () => server.close(() => process.exit(0));
process.on('message', (message: { type: string }) => {
  if (message.type === 'usage') send({ type: 'usage', ...usage() });
  if (message.type === 'stop') stop();
});
process.on('disconnect', stop);
