/**
 * A team's score service for end-to-end tests: a real HTTP server on 127.0.0.1 answering
 * GET /lookup?email=… in the mode the test chooses per email (healthy, slow, 500, invalid JSON, wrong
 * shape, an HTML login page, a redirect to another origin), and recording what it was sent.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ServiceMode = 'healthy' | 'slow' | 'error' | 'invalid-json' | 'wrong-shape' | 'html' | 'redirect' | 'unknown';

export interface ScoreService {
  url: string;
  /** The mode per email (lower case); `fallback` for the others. */
  modes: Map<string, ServiceMode>;
  fallback: ServiceMode;
  /** The healthy answer's body for an email. */
  score(email: string): Record<string, unknown>;
  requests: { path: string; headers: IncomingHttpHeaders }[];
  /** The scores file served at /scores.csv, and its ETag (a request with If-None-Match equal to it gets 304). */
  file: { body: string; etag: string };
  /** While true, /scores.csv is never answered (a download that hangs); the held requests are counted. */
  holdFile: boolean;
  heldFileRequests: number;
  close(): Promise<void>;
}

export async function startScoreService(): Promise<ScoreService> {
  const service: ScoreService = {
    url: '',
    modes: new Map(),
    fallback: 'healthy',
    score: () => ({ tier: 'Gold', clv: 4321, pAlive: 0.42, segment: 'Enterprise', updatedAt: '2026-11-01T09:30:00Z' }),
    requests: [],
    file: { body: '', etag: '"0"' },
    holdFile: false,
    heldFileRequests: 0,
    close: async () => {},
  };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    service.requests.push({ path: url.pathname + url.search, headers: request.headers });
    if (url.pathname === '/scores.csv') {
      if (service.holdFile) return void service.heldFileRequests++;
      if (request.headers['if-none-match'] === service.file.etag) {
        response.writeHead(304, { etag: service.file.etag });
        return void response.end();
      }
      response.writeHead(200, { 'content-type': 'text/csv', etag: service.file.etag });
      return void response.end(service.file.body);
    }
    const email = (url.searchParams.get('email') ?? '').toLowerCase();
    const mode = service.modes.get(email) ?? service.fallback;
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    switch (mode) {
      case 'healthy':
        return json(200, service.score(email));
      case 'slow':
        return; // never answers (the connection stays open until close()): the client's time limit must end it
      case 'error':
        return json(500, { error: 'internal' });
      case 'invalid-json':
        response.writeHead(200, { 'content-type': 'application/json' });
        return void response.end('{"tier": "Gold", ');
      case 'wrong-shape':
        return json(200, { clv: 12 });
      case 'html':
        response.writeHead(200, { 'content-type': 'text/html' });
        return void response.end('<!doctype html><html><head><title>Sign in</title></head><body><form action="/login"><input name="password" type="password"></form></body></html>');
      case 'redirect': {
        const port = (server.address() as AddressInfo).port;
        response.writeHead(302, { location: `http://localhost:${port}/elsewhere` });
        return void response.end();
      }
      case 'unknown':
        return json(404, { error: 'no such customer' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  service.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  service.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return service;
}
