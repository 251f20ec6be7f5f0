/**
 * The team service for the end-to-end tests and the bench (issue 19): `centric serve`'s app started
 * in-process on a real port (PGlite in memory), with a token per role, and the steps a person takes in
 * the extension: connect in Options → Team, open a ticket with the sidebar, open Treatments.
 */
import type { Page } from 'playwright-core';
import { buildApp } from '../../lib/server/app';
import { openDatabase } from '../../lib/server/database';
import { migrate } from '../../lib/server/migrations';
import { createToken } from '../../lib/server/tokens';
import type { Role } from '../../lib/team/protocol';
import { POLL, type ExtensionBrowser } from './chromium';

export interface TeamService {
  url: string;
  tokens: Record<Role, string>;
  names: Record<Role, string>;
  /** PUT /v1/config/{kind} as a role; the raw response. */
  put(role: Role, kind: string, value: unknown, etag?: string): Promise<Response>;
  get(role: Role, path: string): Promise<Response>;
  close(): Promise<void>;
}

export async function startTeamService(): Promise<TeamService> {
  const db = await openDatabase({});
  await migrate(db);
  const names: Record<Role, string> = { admin: 'Alex Admin', manager: 'Maria Manager', agent: 'Ana Agent' };
  const tokens = {} as Record<Role, string>;
  for (const role of ['admin', 'manager', 'agent'] as const) tokens[role] = (await createToken(db, { name: names[role], role })).token;
  // The change stream looks for changes every 200 ms (a single instance hears its own at once anyway).
  const app = await buildApp({ db, log: () => {}, ratePerMinute: 10_000, changePollMs: 200 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const auth = (role: Role) => ({ Authorization: `Bearer ${tokens[role]}` });
  return {
    url,
    tokens,
    names,
    put: (role, kind, value, etag) =>
      fetch(`${url}/v1/config/${kind}`, { method: 'PUT', headers: { ...auth(role), 'Content-Type': 'application/json', ...(etag ? { 'If-Match': etag } : {}) }, body: JSON.stringify({ value }) }),
    get: (role, path) => fetch(`${url}${path}`, { headers: auth(role) }),
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

/** Connects the extension in Options → Team with this role's token; waits until the background synced. Returns the options page. */
export async function connectTeam(browser: ExtensionBrowser, service: TeamService, role: Role): Promise<Page> {
  const options = await browser.context.newPage();
  await options.goto(browser.extensionUrl('options.html#team'));
  const section = options.getByTestId('team-section');
  await section.waitFor();
  await options.getByTestId('team-url').fill(service.url);
  await options.getByTestId('team-token').fill(service.tokens[role]);
  await options.getByTestId('team-connect').click();
  // The result, whichever it is (a failure says why, in words: shown in the test's error).
  const result = options.getByTestId('team-result').filter({ hasText: /\S/ });
  await result.waitFor(POLL);
  const said = (await result.textContent()) ?? '';
  if (!said.includes(`Connected as ${service.names[role]}`)) throw new Error(`Connecting as ${role} failed: ${said}`);
  await options.getByTestId('team-me').filter({ hasText: service.names[role] }).waitFor(POLL);
  await options.getByTestId('team-document-rules').and(options.locator('[data-version]:not([data-version=""])')).waitFor(POLL);
  return options;
}

/** A ticket of the demo helpdesk with the sidebar showing its customer. */
export async function openTicket(browser: ExtensionBrowser, ticketUrl: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(ticketUrl);
  await page.getByTestId('centric-sidebar').and(page.locator('[data-state="customer"]')).waitFor(POLL);
  return page;
}

export const treatmentTitle = (page: Page): Promise<string | null> => page.getByTestId('treatment-title').textContent({ timeout: POLL.timeout });

/** Options → Treatments with its rules listed. */
export async function openTreatments(browser: ExtensionBrowser): Promise<Page> {
  const options = await browser.context.newPage();
  await options.goto(browser.extensionUrl('options.html#treatments'));
  await options.getByTestId('rule-item').first().waitFor(POLL);
  return options;
}
