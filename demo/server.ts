/**
 * A small local helpdesk for trying Centric: a ticket list, ticket views with the requester's name
 * and email, and a customer list, on 127.0.0.1 only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadDemoData } from './data';
import { customerListPage, notFoundPage, ticketListPage, ticketPage } from './pages';

export interface DemoServer {
  url: string;
  firstTicketUrl: string;
  close(): Promise<void>;
}

export async function startDemoServer(port = 0, root = process.cwd()): Promise<DemoServer> {
  const { customers, tickets } = loadDemoData(root);
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const send = (status: number, html: string) => {
      response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(html);
    };
    if (path === '/') {
      response.writeHead(302, { location: '/tickets' });
      response.end();
      return;
    }
    if (path === '/tickets') return send(200, ticketListPage(tickets));
    if (path === '/customers') return send(200, customerListPage(customers));
    const ticketId = /^\/tickets\/(\d+)$/.exec(path)?.[1];
    const ticket = tickets.find((t) => String(t.id) === ticketId);
    if (ticket) return send(200, ticketPage(ticket));
    send(404, notFoundPage());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: actual } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${actual}`;
  return {
    url,
    firstTicketUrl: `${url}/tickets/${tickets[0]!.id}`,
    // A browser keeps its connections open: close them, or close() waits for them.
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
