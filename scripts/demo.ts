/**
 * `npm run demo`: builds the extension, starts the demo helpdesk on 127.0.0.1 and opens Chromium with
 * Centric loaded on a ticket. Without a display (or with --headless) it runs headless, saves
 * screenshots of a ticket view, the options page, the customer equity report and the ticket list with
 * tier chips and the worklist (the list chips switched on for the demo helpdesk), prints their paths
 * and exits. `npm run demo -- --team` runs the team demo instead (demo/team.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startDemoServer } from '../demo/server';
import { launchWithExtension, waitForFirstRun } from '../tests/support/chromium';

const headless = process.argv.includes('--headless') || !(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const port = Number(process.env.PORT ?? 5178);

console.log('Building the extension…');
execFileSync('npx', ['wxt', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });

const server = await startDemoServer(port);
console.log(`Demo helpdesk: ${server.url}/tickets`);
if (process.argv.includes('--team')) {
  // The team demo (issue 19): the service with the sample, a manager's and an agent's browser.
  const { runTeamDemo } = await import('../demo/team');
  await runTeamDemo({ headless, helpdesk: server });
  await server.close();
  process.exit(0);
}
const browser = await launchWithExtension({ headless, build: 'production' });
// The first run loads and scores the sample and registers the sidebar for the demo's hosts.
await waitForFirstRun(browser);
// The tier chips on list views are off by default, one switch per site (popup, Options → Sites); the
// demo turns them on for the demo helpdesk as a person would, so its Tickets and Customers lists show them.
const page = await browser.context.newPage();
await page.goto(browser.extensionUrl('popup.html'));
await page.evaluate(`chrome.storage.local.set({ listChips: { demo: true } })`);
await page.goto(server.firstTicketUrl);

if (!headless) {
  const options = await browser.context.newPage();
  await options.goto(browser.extensionUrl('options.html'));
  await page.bringToFront();
  console.log('Chromium is open with Centric loaded. The Tickets and Customers lists show tier chips (switched on for the demo). Close the browser window or press Ctrl+C to stop.');
  const stop = async () => {
    await browser.close().catch(() => {});
    await server.close();
    process.exit(0);
  };
  browser.context.on('close', () => void stop());
  process.on('SIGINT', () => void stop());
} else {
  const outDir = resolve('demo-output');
  mkdirSync(outDir, { recursive: true });
  const sidebar = page.getByTestId('centric-sidebar');
  await sidebar.getByTestId('centric-customer').waitFor({ timeout: 20_000 });
  const ticketShot = resolve(outDir, 'ticket.png');
  await page.screenshot({ path: ticketShot });
  const options = await browser.context.newPage();
  await options.goto(browser.extensionUrl('options.html'));
  await options.getByTestId('summary-customers').waitFor({ timeout: 20_000 });
  const optionsShot = resolve(outDir, 'options.png');
  await options.screenshot({ path: optionsShot, fullPage: true });
  const report = await browser.context.newPage();
  await report.goto(browser.extensionUrl('report.html'));
  await report.getByTestId('report-equity').waitFor({ timeout: 20_000 });
  const reportShot = resolve(outDir, 'report.png');
  await report.screenshot({ path: reportShot, fullPage: true });
  const list = await browser.context.newPage();
  await list.setViewportSize({ width: 1280, height: 800 });
  await list.goto(`${server.url}/tickets`);
  await list.locator('centric-chip').first().waitFor({ state: 'attached', timeout: 20_000 });
  await list.getByTestId('worklist-item').first().waitFor({ timeout: 20_000 });
  await list.waitForTimeout(300);
  const listShot = resolve(outDir, 'list.png');
  await list.screenshot({ path: listShot });
  const chips = await list.locator('centric-chip').count();
  const name = await sidebar.getByTestId('customer-name').textContent();
  console.log(`Sidebar on ${server.firstTicketUrl} shows: ${name}`);
  console.log(`Screenshot of a ticket view:   ${ticketShot}`);
  console.log(`Screenshot of the options page: ${optionsShot}`);
  console.log(`Screenshot of the equity report: ${reportShot}`);
  console.log(`Screenshot of the ticket list with tier chips (${chips}) and the worklist: ${listShot}`);
  await browser.close();
  await server.close();
}
