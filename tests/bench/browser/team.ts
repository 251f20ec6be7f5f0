/**
 * Issue 19: "team rule change → another browser's sidebar updated", in real Chromium with the e2e
 * build. The team service runs in-process (PGlite in memory, a real port); an agent's browser is
 * connected in Options → Team with a ticket of the demo helpdesk open; the manager's change is a PUT
 * of the rules (the top-tier rule turned off, then on again, in turns) and the time is from the PUT
 * leaving to the agent's sidebar showing the other recommendation (polled in the page every frame).
 * Reports min and median over ROUNDS changes. Target: 2 s ("within seconds"; the change stream
 * answers within a second, then a fetch of the document and the sidebar's own lookup).
 * Usage: npx tsx tests/bench/browser/team.ts [--emit]   (BENCH_RESULT lines for scripts/bench.mjs)
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoServer } from '../../../demo/server';
import { DEFAULT_RULES } from '../../../lib/rules/defaults';
import { ruleSetValue } from '../../../lib/rules/stored';
import { median } from '../harness';
import { connectTeam, openTicket, startTeamService } from '../../support/team';
import { launchE2eBuild } from './build';
import { BenchResults } from './results';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const ROUNDS = 10;
const TARGET_S = 2;

export async function main(argv: string[]): Promise<number> {
  process.chdir(ROOT);
  const results = new BenchResults(argv.includes('--emit'));
  const name = 'Team: a rule change (PUT) → another browser’s open sidebar updated';
  const [demo, service] = await Promise.all([startDemoServer(), startTeamService()]);
  const browser = await launchE2eBuild(ROOT);
  try {
    await (await connectTeam(browser, service, 'agent')).close();
    const ticket = await openTicket(browser, demo.firstTicketUrl);
    const title = () => ticket.evaluate(() => document.querySelector('centric-sidebar')?.shadowRoot?.querySelector('[data-testid="treatment-title"]')?.textContent ?? null);
    const on = ruleSetValue(DEFAULT_RULES);
    const off = ruleSetValue(DEFAULT_RULES.map((r) => (r.id === 'top-tier' ? { ...r, enabled: false } : r)));
    const times: number[] = [];
    let current = await title();
    for (let round = 0; round < ROUNDS; round++) {
      const value = round % 2 === 0 ? off : on;
      // In the page: resolves when the sidebar's recommendation is another one than `before` (checked every frame).
      const changed = ticket.evaluate(
        (before) =>
          new Promise<number>((done) => {
            const check = () => {
              const now = document.querySelector('centric-sidebar')?.shadowRoot?.querySelector('[data-testid="treatment-title"]')?.textContent ?? null;
              if (now !== null && now !== before) done(Date.now());
              else requestAnimationFrame(check);
            };
            check();
          }),
        current,
      );
      const started = Date.now();
      const response = await service.put('manager', 'rules', value);
      if (response.status !== 200) throw new Error(`The PUT of the rules answered ${response.status}.`);
      const seen = await Promise.race([changed, new Promise<null>((done) => setTimeout(() => done(null), 30_000))]);
      if (seen === null) throw new Error(`Round ${round + 1}: the sidebar did not change within 30 s.`);
      times.push((seen - started) / 1000);
      current = await title();
    }
    const sorted = [...times].sort((a, b) => a - b);
    results.emit(name, TARGET_S, {
      value: median(times),
      unit: 's',
      detail: `median of ${ROUNDS} changes; min ${sorted[0]!.toFixed(2)} s, max ${sorted[sorted.length - 1]!.toFixed(2)} s (PUT → change stream → TEAM_STATE → the sidebar asks again)`,
    });
  } catch (error) {
    results.emit(name, TARGET_S, error as Error);
  } finally {
    await browser.close();
    await Promise.all([demo.close(), service.close()]);
  }
  if (!argv.includes('--emit')) for (const line of results.table()) console.log(line);
  return results.failed ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
