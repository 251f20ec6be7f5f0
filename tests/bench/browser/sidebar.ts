/**
 * The sidebar on a host page, measured in real Chromium with the e2e build (the built-in sites granted):
 *   - issue 17: from a single-page navigation (URL change) to the customer's tier painted, customer in the
 *     local store, target one frame (16 ms) at p95, on routed Zendesk ticket pages:
 *       · back and forth between two open tickets (40 tab switches; Zendesk's API answers with a
 *         sign-in page there, so the page's reading is what is shown — the measurement of issue 5);
 *       · the first visit of each of 40 tickets, each a stored customer not yet shown on the page (the
 *         answer cannot be kept yet: one message round trip to the background);
 *       · the host-API path: 40 tickets whose page shows only the requester's name and whose
 *         `/api/v2/tickets/<id>.json` is answered by the benchmark (a routed answer: milliseconds, where
 *         a real Zendesk takes longer), first visits (the API is asked: "uncached") and revisits
 *         (its answer is kept for the page's life: "cached"); for each, the moment the page's
 *         reading is painted and the moment the API's correction (the tier, "Identified by
 *         Zendesk’s API") is painted;
 *     plus the floor any of these can reach: the frame that paints the host page's own change;
 *   - long tasks (> 50 ms) on the host page while the sidebar mounts and follows navigation (target 0);
 *   - the largest site content script, gzipped (target 25 KB).
 * "Painted" is the first animation frame that starts after the state is in the sidebar's DOM (its
 * requestAnimationFrame callback, just before that frame's style, layout and paint), timed in the page;
 * "first frame" counts the switches painted in the frame that also paints the host's own change.
 * Usage: npx tsx tests/bench/browser/sidebar.ts [--emit]   (BENCH_RESULT lines for scripts/bench.mjs)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { launchE2eBuild } from './build';
import { BenchResults } from './results';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SWITCHES = 40;
/** One frame at 60 Hz: issue 17's target for a URL change to the tier painted. */
const ONE_FRAME_S = 0.016;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** What the sidebar must show for a moment to count: its state for the URL's record, and optionally how it was identified. */
interface Wanted {
  state: 'customer' | 'not-found';
  /** The start of the "identified by" words. */
  identified?: string;
}

/** One tab switch: when each wanted moment reached the DOM and was painted (ms after the URL change; null: never seen). */
interface Switch {
  hostFrame: number;
  moments: ({ dom: number; painted: number; frame: number } | null)[];
}

/**
 * In the page: shows ticket `id`'s workspace, hides the others and pushes its URL (as Zendesk does on
 * a tab switch), then times each wanted state of the sidebar: in the DOM (a MutationObserver), and
 * painted (the first animation frame after that). Resolves once the last wanted state is painted.
 */
async function switchTo(page: Page, id: string, wanted: Wanted[]): Promise<Switch> {
  return page.evaluate(
    async ({ id, wanted }) => {
      const root = document.querySelector('centric-sidebar')!.shadowRoot!;
      const aside = root.querySelector('[data-testid="centric-sidebar"]')!;
      // Agent Workspace's tab panes: one grid per ticket, the active one flagged (docs/hosts/zendesk.md).
      const workspaces = [...document.querySelectorAll('.ticket-panes-grid-layout')];
      const seen: (number | null)[] = wanted.map(() => null);
      /** The frame that painted each state; -1: replaced before any frame painted it. */
      const painted: (number | null)[] = wanted.map(() => null);
      const frames: number[] = [];
      const shows = (w: (typeof wanted)[number]) =>
        aside.getAttribute('data-record-id') === id &&
        aside.getAttribute('data-state') === w.state &&
        (w.state !== 'customer' || root.querySelector('[data-testid="tier"]') !== null) &&
        (w.identified === undefined || (root.querySelector('[data-testid="identified-by"]')?.textContent ?? '').startsWith(w.identified));
      const started = performance.now();
      let done!: () => void;
      let fail!: (error: Error) => void;
      const finished = new Promise<void>((resolve, reject) => ((done = resolve), (fail = reject)));
      const check = () => {
        const now = performance.now() - started;
        wanted.forEach((w, i) => {
          if (seen[i] === null && shows(w)) seen[i] = now;
        });
      };
      const observer = new MutationObserver(check);
      observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
      const frame = () => {
        frames.push(performance.now() - started);
        // A state counts as painted by this frame only if the sidebar still shows it now (a state
        // replaced within the same task never reached the screen).
        wanted.forEach((w, i) => {
          if (seen[i] !== null && painted[i] === null) painted[i] = shows(w) ? frames.length : -1;
        });
        const last = wanted.length - 1;
        if (painted[last] === -1) seen[last] = painted[last] = null; // the final state went away again: wait for it
        if (painted[last]! > 0) done();
        else if (frames[frames.length - 1]! > 10_000) fail(new Error(`ticket ${id}: the sidebar did not show ${JSON.stringify(wanted[last])} within 10 s`));
        else requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
      // The host's own change: the ticket's workspace shows, and its URL is pushed.
      for (const w of workspaces) {
        const active = w.getAttribute('data-test-id') === `ticket-${id}-custom-layout`;
        w.setAttribute('data-is-active', String(active));
        w.classList.toggle('active', active);
      }
      history.pushState({}, '', `/agent/tickets/${id}`);
      check(); // a state already there synchronously
      await finished;
      observer.disconnect();
      return {
        hostFrame: frames[0]!,
        moments: seen.map((dom, i) => {
          const frame = painted[i];
          if (dom === null || frame === null || frame === undefined || frame < 0) return null;
          return { dom, painted: frames[frame - 1]!, frame };
        }),
      };
    },
    { id, wanted },
  );
}

/** p50/p95 of the painted times, with the share painted in the host's own frame; null entries (never shown) are counted apart. */
function summary(moments: (Switch['moments'][number])[], what: string): { p95: number; detail: string } {
  const shown = moments.filter((m): m is NonNullable<typeof m> => m !== null);
  if (shown.length === 0) return { p95: Number.NaN, detail: `${what}: never painted in ${moments.length} switches (the next state came first)` };
  const painted = shown.map((m) => m.painted).sort((a, b) => a - b);
  const inDom = shown.map((m) => m.dom).sort((a, b) => a - b);
  const first = shown.filter((m) => m.frame === 1).length;
  const notShown = moments.length - shown.length;
  return {
    p95: quantile(painted, 0.95),
    detail:
      `${what}: painted p50 ${quantile(painted, 0.5).toFixed(1)} ms, p95 ${quantile(painted, 0.95).toFixed(1)} ms, max ${painted[painted.length - 1]!.toFixed(1)} ms; ` +
      `in the DOM p50 ${quantile(inDom, 0.5).toFixed(1)} ms, p95 ${quantile(inDom, 0.95).toFixed(1)} ms; ` +
      `${first} of ${shown.length} in the host's own frame` +
      (notShown ? `; not painted in ${notShown} (the next state came first)` : ''),
  };
}

/** Up to `count` customers of the bundled sample (name and email), from the `skip`-th. */
function sampleCustomers(skip: number, count: number): { name: string; email: string }[] {
  const lines = readFileSync(resolve(ROOT, 'assets/public/sample/customers.csv'), 'utf8').split('\n').slice(1);
  return lines
    .map((line) => line.split(','))
    .filter((f) => f.length === 4 && /^[A-Za-z .'-]+$/.test(f[1] ?? '') && /^[^@\s"]+@[^@\s"]+$/.test(f[2] ?? ''))
    .slice(skip, skip + count)
    .map((f) => ({ name: f[1]!, email: f[2]! }));
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * An Agent Workspace page with one tab pane grid per ticket (the first active, the others flagged
 * inactive, as tests/fixtures/hosts/zendesk/agent-ticket.html): the requester's name, and email unless `nameOnly`.
 */
function ticketsPage(tickets: { id: string; name: string; email: string }[], nameOnly: boolean): string {
  const workspaces = tickets.map(
    (t, i) => `<div class="ticket-panes-grid-layout${i === 0 ? ' active' : ''}" data-test-id="ticket-${t.id}-custom-layout" data-is-active="${i === 0}">
  <div data-test-id="column-1"><div data-test-id="requester-field"><div data-test-id="ticket-system-field-requester-select"><span>${escapeHtml(t.name)}</span></div></div></div>
  <div data-test-id="column-3"><div data-test-id="customer-context-pane"><h2 data-test-id="customer-context-name">${escapeHtml(t.name)}</h2>${
    nameOnly ? '' : `<div data-test-id="attribute-email-display"><div>${escapeHtml(t.email)}</div></div>`
  }</div></div></div>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Zendesk</title></head><body><div id="root" data-test-id="main-layout"><main>${workspaces.join('\n')}</main></div></body></html>`;
}

/** Zendesk's answer to /api/v2/tickets/<id>.json?include=users,organizations: the requester and an agent submitter. */
function ticketAnswer(id: string, requester: { name: string; email: string }, userId: number): string {
  return JSON.stringify({
    ticket: { id: Number(id), requester_id: userId, submitter_id: 361000000017, assignee_id: 361000000017, collaborator_ids: [], follower_ids: [], email_cc_ids: [] },
    users: [
      { id: userId, name: requester.name, email: requester.email, role: 'end-user' },
      { id: 361000000017, name: 'Priya Nair', email: 'priya.nair@acme.example', role: 'agent' },
    ],
    organizations: [],
  });
}

/** A tab whose Zendesk navigations get `html` and whose API requests `api` answers (null: a sign-in page). */
async function openZendesk(context: BrowserContext, html: string, api: (id: string) => string | null, firstId: string): Promise<Page> {
  const page = await context.newPage();
  await page.route('https://acme.zendesk.com/**', (route: Route) => {
    const url = new URL(route.request().url());
    const ticket = /^\/api\/v2\/tickets\/(\d+)\.json$/.exec(url.pathname)?.[1];
    const answer = ticket ? api(ticket) : null;
    if (answer !== null) return route.fulfill({ status: 200, contentType: 'application/json; charset=utf-8', body: answer });
    return route.fulfill({ body: html, contentType: 'text/html' });
  });
  await page.goto(`https://acme.zendesk.com/agent/tickets/${firstId}`);
  await page.waitForFunction(() => document.querySelector('centric-sidebar')?.shadowRoot?.querySelector('[data-testid="centric-sidebar"][data-state]:not([data-state="loading"])'), null, {
    timeout: 30_000,
  });
  return page;
}

export async function main(argv: string[]): Promise<number> {
  process.chdir(ROOT);
  const results = new BenchResults(argv.includes('--emit'));
  const emit = results.emit.bind(results);
  let browser: Awaited<ReturnType<typeof launchE2eBuild>> | undefined;
  try {
    browser = await launchE2eBuild(ROOT);
    const { EXTENSION_DIRS } = await import('../../support/chromium'); // paths from the working directory: ROOT
    // Content script sizes (production build when present, else the e2e build: the same scripts).
    const dir = join(existsSync(EXTENSION_DIRS.production) ? EXTENSION_DIRS.production : EXTENSION_DIRS.e2e, 'content-scripts');
    const sizes = readdirSync(dir)
      .filter((f) => f.endsWith('.js'))
      .map((f) => ({ f, kb: gzipSync(readFileSync(join(dir, f))).length / 1024 }))
      .sort((a, b) => b.kb - a.kb);
    emit('Sidebar: largest site content script, gzipped', 25, {
      value: sizes[0]!.kb,
      unit: 'KB',
      detail: `${sizes.map((s) => `${s.f.replace('.js', '')} ${s.kb.toFixed(1)}`).join(', ')}`,
    });
    for (const row of await measureSpeed(browser.context)) emit(row.name, Number.isFinite(row.m.value) ? row.target : Number.NaN, row.m);
  } catch (error) {
    emit('Sidebar benchmarks', Number.NaN, error as Error);
  } finally {
    await browser?.close();
  }
  if (!results.emitLines) console.log(results.table().join('\n'));
  return results.failed ? 1 : 0;
}

/** The speed rows (also run by a comparison of two builds in the same browser session). */
export async function measureSpeed(context: BrowserContext): Promise<{ name: string; target: number; m: { value: number; unit: 's'; detail: string } }[]> {
  const rows: Awaited<ReturnType<typeof measureSpeed>> = [];
  const seconds = (ms: number) => ms / 1000;

  // 1. Back and forth between two open tickets (issue 5's measurement, kept as it was).
  const page = await context.newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
  });
  await page.route('https://acme.zendesk.com/**', (route) =>
    route.fulfill({ path: resolve(ROOT, 'tests/fixtures/hosts/zendesk/agent-ticket.html'), contentType: 'text/html' }),
  );
  await page.goto('https://acme.zendesk.com/agent/tickets/1');
  await page.waitForFunction(() => document.querySelector('centric-sidebar')?.shadowRoot?.querySelector('[data-testid="tier"]'), null, { timeout: 30_000 });
  const backAndForth: Switch[] = [];
  for (let i = 0; i < SWITCHES; i++) backAndForth.push(await switchTo(page, i % 2 === 0 ? '2' : '1', [{ state: 'customer' }]));
  const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
  await page.close();
  const tabs = summary(backAndForth.map((s) => s.moments[0]!), 'tier');
  rows.push({
    name: 'Sidebar: URL change → tier painted, customer stored, back and forth between two tickets (p95)',
    target: ONE_FRAME_S,
    m: { value: seconds(tabs.p95), unit: 's', detail: `${SWITCHES} tab switches; ${tabs.detail}` },
  });
  const hostFrames = backAndForth.map((s) => s.hostFrame).sort((a, b) => a - b);
  rows.push({
    name: 'Sidebar: floor — the frame that paints the host page’s own change (p95)',
    target: ONE_FRAME_S,
    m: {
      value: seconds(quantile(hostFrames, 0.95)),
      unit: 's',
      detail: `p50 ${quantile(hostFrames, 0.5).toFixed(1)} ms, p95 ${quantile(hostFrames, 0.95).toFixed(1)} ms over the same switches: a tier painted with the host's change cannot come sooner`,
    },
  });

  // 2. The first visit of each ticket, each a stored customer the page has not shown yet.
  const fresh = sampleCustomers(100, SWITCHES + 1).map((c, i) => ({ ...c, id: String(1000 + i) }));
  const firstVisits = await openZendesk(context, ticketsPage(fresh, false), () => null, fresh[0]!.id);
  const visits: Switch[] = [];
  for (const t of fresh.slice(1)) visits.push(await switchTo(firstVisits, t.id, [{ state: 'customer' }]));
  await firstVisits.close();
  const first = summary(visits.map((s) => s.moments[0]!), 'tier');
  rows.push({
    name: 'Sidebar: URL change → tier painted, customer stored, first visit of each ticket (p95)',
    target: ONE_FRAME_S,
    m: { value: seconds(first.p95), unit: 's', detail: `${SWITCHES} tickets; ${first.detail}` },
  });

  // 3. The host-API path: pages that show only a name, Zendesk's API gives the requester.
  const named = sampleCustomers(200, SWITCHES + 1).map((c, i) => ({ ...c, id: String(2000 + i) }));
  const byId = new Map(named.map((t, i) => [t.id, ticketAnswer(t.id, t, 90000000 + i)]));
  const apiPage = await openZendesk(context, ticketsPage(named, true), (id) => byId.get(id) ?? null, named[0]!.id);
  const moments: Wanted[] = [
    { state: 'not-found', identified: 'Read from the page' },
    { state: 'customer', identified: 'Identified by Zendesk’s API' },
  ];
  const uncached: Switch[] = [];
  for (const t of named.slice(1)) uncached.push(await switchTo(apiPage, t.id, moments));
  const cached: Switch[] = [];
  for (const t of named.slice(1)) cached.push(await switchTo(apiPage, t.id, moments));
  await apiPage.close();
  for (const [label, switches] of [
    ['uncached (first visit: the API is asked)', uncached],
    ['cached (revisit: the API’s answer is kept)', cached],
  ] as const) {
    const reading = summary(switches.map((s) => s.moments[0]!), 'page’s reading');
    const correction = summary(switches.map((s) => s.moments[1]!), 'API’s correction');
    rows.push({
      name: `Sidebar: host API (Zendesk), ${label}: URL change → page’s reading painted (p95)`,
      target: ONE_FRAME_S,
      m: { value: seconds(reading.p95), unit: 's', detail: `${SWITCHES} tickets, name only on the page; ${reading.detail}` },
    });
    rows.push({
      name: `Sidebar: host API (Zendesk), ${label}: URL change → API’s correction (tier) painted (p95)`,
      target: ONE_FRAME_S,
      m: { value: seconds(correction.p95), unit: 's', detail: `${SWITCHES} tickets; ${correction.detail}` },
    });
  }

  rows.push({
    name: 'Sidebar: long tasks (> 50 ms) on the host page, mount + navigations',
    target: 0.05,
    m: {
      value: (longTasks.length ? Math.max(...longTasks) : 0) / 1000,
      unit: 's',
      detail: `${longTasks.length} long task(s)${longTasks.length ? `: ${longTasks.map((d) => d.toFixed(0)).join(', ')} ms` : ''} (back and forth between two tickets)`,
    },
  });
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
