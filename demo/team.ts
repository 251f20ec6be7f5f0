/**
 * `npm run demo -- --team` (issue 19): the team service on the embedded database with the bundled
 * sample, a manager's browser and an agent's browser connected to it. The manager turns a treatment
 * rule off in Options → Treatments; the agent's open sidebar follows within seconds, without a
 * reload. Headless (or with --headless) it saves screenshots of the agent's sidebar before and after
 * and of the manager's options page, prints their paths and exits; with a display it leaves both
 * browsers open.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildApp } from '../lib/server/app';
import { openDatabase } from '../lib/server/database';
import { migrate } from '../lib/server/migrations';
import { ScoringService } from '../lib/server/scoring';
import { createToken } from '../lib/server/tokens';
import { launchWithExtension, waitForFirstRun, type ExtensionBrowser } from '../tests/support/chromium';
import { connectTeam, openTicket, openTreatments, treatmentTitle, type TeamService } from '../tests/support/team';
import type { DemoServer } from './server';

export interface TeamDemoOptions {
  headless: boolean;
  helpdesk: DemoServer;
  root?: string;
}

async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined as T);
    if (value !== undefined && ok(value)) return value;
    if (Date.now() > end) throw new Error(`The team demo gave up waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function runTeamDemo({ headless, helpdesk, root = process.cwd() }: TeamDemoOptions): Promise<void> {
  // The service: an embedded database in a fresh folder, a manager's and an agent's token.
  const data = mkdtempSync(join(tmpdir(), 'centric-team-demo-'));
  const db = await openDatabase({ data });
  await migrate(db);
  const manager = await createToken(db, { name: 'Maya (support manager)', role: 'manager', createdBy: 'demo' });
  const agent = await createToken(db, { name: 'Alex (support agent)', role: 'agent', createdBy: 'demo' });
  const scoring = new ScoringService(db, { pollMs: 500 });
  const app = await buildApp({ db, scoring, log: () => {} });
  await scoring.start();
  const serviceUrl = await app.listen({ port: Number(process.env.TEAM_PORT ?? 8787), host: '127.0.0.1' });
  console.log(`Team service: ${serviceUrl} (embedded database in ${data})`);

  // The sample goes in as a manager would send it: customers, transactions, then a scoring run.
  const call = async (method: string, path: string, body?: string, type = 'text/csv') => {
    const response = await fetch(`${serviceUrl}${path}`, { method, headers: { Authorization: `Bearer ${manager.token}`, ...(body ? { 'Content-Type': type } : {}) }, ...(body ? { body } : {}) });
    const answer = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(answer)}`);
    return answer;
  };
  const sample = (file: string) => readFileSync(resolve(root, 'assets/public/sample', file), 'utf8');
  await call('PUT', '/v1/data/customers?file=customers.csv', sample('customers.csv'));
  await call('PUT', '/v1/data/transactions?file=transactions.csv', sample('transactions.csv'));
  const job = (await call('POST', '/v1/scores/runs')) as { job?: { id: number }; id?: number };
  const jobId = job.job?.id ?? job.id;
  await until('the sample to be scored', () => call('GET', `/v1/scores/jobs/${jobId}`), (j) => {
    const state = (j as { job?: { state?: string; message?: string } }).job;
    if (state?.state === 'failed') throw new Error(`Scoring the sample failed: ${state.message ?? ''}`);
    return state?.state === 'done';
  }, 120_000);
  console.log('The sample is uploaded and scored by the service.');

  const service: TeamService = {
    url: serviceUrl,
    tokens: { admin: manager.token, manager: manager.token, agent: agent.token },
    names: { admin: 'Maya (support manager)', manager: 'Maya (support manager)', agent: 'Alex (support agent)' },
    put: () => Promise.reject(new Error('not used by the demo')),
    get: () => Promise.reject(new Error('not used by the demo')),
    close: async () => {},
  };
  // Two browsers, one after the other (two first runs at once only make both slow), each connected in
  // Options → Team as its person would: the address and their own token.
  const browsers: ExtensionBrowser[] = [];
  const open = async (role: 'manager' | 'agent') => {
    const browser = await launchWithExtension({ headless, build: 'production' });
    browsers.push(browser);
    await waitForFirstRun(browser);
    return { browser, options: await connectTeam(browser, service, role) };
  };
  const mgr = await open('manager');
  const agt = await open('agent');
  const ticket = await openTicket(agt.browser, helpdesk.firstTicketUrl);
  const before = await treatmentTitle(ticket);
  const outDir = resolve(root, 'demo-output');
  mkdirSync(outDir, { recursive: true });
  const shots = { before: resolve(outDir, 'team-agent-before.png'), manager: resolve(outDir, 'team-manager.png'), after: resolve(outDir, 'team-agent-after.png') };
  if (headless) await ticket.screenshot({ path: shots.before });

  // The manager turns off the rule behind the agent's recommendation (the top tier's, for the demo's first ticket).
  const treatments = await openTreatments(mgr.browser);
  const toggle = treatments.locator('[data-testid="rule-item"][data-rule-id="top-tier"]').getByTestId('rule-toggle');
  await treatments.getByTestId('rules-team-edit').waitFor();
  const started = Date.now();
  await toggle.click();
  const after = await until('the agent’s sidebar to follow the manager’s change', () => treatmentTitle(ticket), (t) => !!t && t !== before);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`The manager turned "Platinum: white-glove service" off; the agent's open sidebar went from "${before}" to "${after}" in ${seconds} s, without a reload.`);

  if (!headless) {
    console.log('Both browsers are open (the manager’s and the agent’s). Press Ctrl+C to stop.');
    await new Promise<void>((resolveStop) => process.once('SIGINT', () => resolveStop()));
  } else {
    await treatments.screenshot({ path: shots.manager, fullPage: true });
    await ticket.screenshot({ path: shots.after });
    console.log(`Screenshot of the agent's sidebar before: ${shots.before}`);
    console.log(`Screenshot of the manager's options page:  ${shots.manager}`);
    console.log(`Screenshot of the agent's sidebar after:  ${shots.after}`);
  }
  for (const b of browsers) await b.close().catch(() => {});
  await app.close();
  await scoring.close();
  await db.close();
  rmSync(data, { recursive: true, force: true });
}
