/**
 * Issue 9, hostile pages, in real Chromium. Every injection payload of
 * tests/fixtures/security/payloads.json is put where Centric reads text: a host page's requester name,
 * imported customer names and companies (through the import wizard), the treatment rule's text, and
 * the team's lookup service's answers. Everywhere it must show as the same text, run nothing (no
 * window.__pwned, no dialog) and add no element. A page's scripts cannot reach the background
 * (no runtime API to message Centric; window messages answered by nobody), and a second extension's
 * messages are refused. Meanwhile every request the extension makes is recorded: only the configured
 * lookup service.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuleSchema } from '../../lib/rules/schema';
import { ruleSetValue } from '../../lib/rules/stored';
import { CHROMIUM_PATH, EXTENSION_DIRS, POLL, SLOW, TIMEOUTS, waitForSample } from '../support/chromium';
import { startScoreService, type ScoreService } from '../support/score-service';
import { teamApi, teamSources } from '../helpers/team-sources';
import { RULES } from '../../lib/settings/items';

const PAYLOADS = (JSON.parse(readFileSync(join(process.cwd(), 'tests/fixtures/security/payloads.json'), 'utf8')) as { payloads: string[] }).payloads;

/** Elements no payload may ever produce inside the sidebar (it has none of its own). */
const FORBIDDEN_TAGS = ['script', 'iframe', 'object', 'embed', 'img', 'video', 'audio', 'source', 'details', 'math', 'template', 'form', 'base', 'input[autofocus]', 'b', 'mglyph', 'mtext'];
/** What the payloads would make if parsed as markup anywhere in a page (the page's and Centric's own elements excluded). */
const PAYLOAD_ELEMENTS = ['script:not([src])', 'img[src="x"]', 'iframe[srcdoc]', 'svg[onload]', 'details[ontoggle]', 'object[data]', 'input[onfocus]', 'source[onerror]', 'base[href]', 'form[action]', 'mglyph', 'template img', 'video source', 'body[onload]', 'b'];

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const csvCell = (s: string) => `"${s.replace(/"/g, '""')}"`;

let context: BrowserContext;
let extensionId: string;
let service: ScoreService;
let userDataDir: string;
let probeDir: string;
const dialogs: string[] = [];
/** Content Security Policy complaints in the extension's pages (e.g. zod trying new Function). */
const cspViolations: string[] = [];
/** Every request made by the extension (its pages, workers and service worker), by URL. */
const extensionRequests: string[] = [];

/** A Zendesk ticket page whose requester is `name` <email>, with a hostile script of its own. */
function ticketPage(name: string, email: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Ticket – Zendesk</title>
<script>
  // The host page is hostile: it tries to reach Centric's background and its data.
  window.__centricProbe = { runtime: typeof chrome !== 'undefined' && !!(chrome.runtime && chrome.runtime.sendMessage), answers: [] };
  addEventListener('message', (e) => { if (e.source !== window || !(e.data && e.data.fromPage)) window.__centricProbe.answers.push(JSON.stringify(e.data).slice(0, 200)); });
  for (const type of ['lookup', 'search', 'status', 'history', 'sync-sources']) {
    window.postMessage({ fromPage: true, type, query: 'a', identity: { email: 'anyone@example.com' }, customerId: '1' }, '*');
  }
</script></head>
<body><div id="root" data-test-id="main-layout">
  <div class="ticket-panes-grid-layout active" data-test-id="ticket-1-custom-layout" data-is-active="true">
    <div data-test-id="column-1"><div data-test-id="requester-field"><div data-test-id="ticket-system-field-requester-select" data-garden-id="dropdowns.combobox"><span>${escapeHtml(name)}</span></div></div></div>
    <div data-test-id="column-3"><div data-test-id="customer-context-pane">
      <h2 data-test-id="customer-context-name">${escapeHtml(name)}</h2>
      <div data-test-id="attribute-email-display"><div color="blue">${escapeHtml(email)}</div></div>
    </div></div>
  </div>
</div></body></html>`;
}

/** A second, unrelated extension that tries to message Centric by its id (from its service worker). */
function writeProbeExtension(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ manifest_version: 3, name: 'Probe', version: '1.0', background: { service_worker: 'sw.js' }, permissions: ['storage'] }));
  writeFileSync(
    join(dir, 'sw.js'),
    `self.probe = async (targetId) => {
  const results = [];
  for (const message of [{ type: 'status' }, { type: 'search', query: 'a' }, { type: 'lookup', identity: { email: 'anyone@example.com' } }]) {
    try { results.push({ answer: await chrome.runtime.sendMessage(targetId, message) }); }
    catch (e) { results.push({ error: String(e && e.message || e) }); }
  }
  try { const port = chrome.runtime.connect(targetId); results.push({ connected: !!port }); } catch (e) { results.push({ error: String(e && e.message || e) }); }
  return results;
};`,
  );
}

beforeAll(async () => {
  service = await startScoreService();
  userDataDir = mkdtempSync(join(tmpdir(), 'centric-hostile-'));
  probeDir = mkdtempSync(join(tmpdir(), 'centric-probe-'));
  writeProbeExtension(probeDir);
  process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';
  const dirs = `${EXTENSION_DIRS.e2e},${probeDir}`;
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: false,
    viewport: { width: 1280, height: 800 },
    args: ['--headless=new', `--disable-extensions-except=${dirs}`, `--load-extension=${dirs}`, '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  context.setDefaultTimeout(TIMEOUTS.state);
  context.on('request', (request) => {
    const frameUrl = (() => {
      try {
        return request.frame().url();
      } catch {
        return ''; // a service worker's request has no frame
      }
    })();
    const fromExtension = request.serviceWorker()?.url().startsWith(`chrome-extension://`) || frameUrl.startsWith('chrome-extension://');
    if (fromExtension && !request.url().startsWith('chrome-extension://')) extensionRequests.push(request.url());
  });
  context.on('page', (page) => page.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss())));
  context.on('console', (message) => {
    const where = message.page()?.url() ?? '';
    if (where.startsWith('chrome-extension://') && /Content Security Policy|Refused to|unsafe-eval/i.test(message.text())) cspViolations.push(`${where}: ${message.text()}`);
  });
  const workers = async () => context.serviceWorkers().filter((w) => w.url().startsWith('chrome-extension://'));
  // The two extensions' service workers: those already running, then each that starts.
  while ((await workers()).length < 2) await context.waitForEvent('serviceworker', POLL);
  const centric = (await workers()).find((w) => w.url().endsWith('/background.js'))!;
  extensionId = new URL(centric.url()).host;

  // Host pages at their real URLs: ticket N is payload N's customer (known), ticket 100+N an unknown one.
  await context.route('https://acme.zendesk.com/agent/tickets/**', (route) => {
    const n = Number(new URL(route.request().url()).pathname.split('/').pop());
    const i = n % 100;
    // Anything else under the path (e.g. the control's <img src=x>) is not a ticket.
    if (!Number.isInteger(n) || PAYLOADS[i] === undefined) return route.fulfill({ status: 404, body: '' });
    // Strangers each have a domain of their own (a shared one would match the imported company by domain).
    const email = n >= 100 ? `stranger${i}@elsewhere${i}.example` : `p${i}@payload.example`;
    return route.fulfill({ contentType: 'text/html', body: ticketPage(PAYLOADS[i]!, email) });
  });

  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  await waitForSample(options);

  // Imported: a transactions file whose customers' names and companies are the payloads (two
  // purchases each, so they are scored and listed on the dashboard too).
  const rows = PAYLOADS.flatMap((p, i) =>
    ['2024-01-10', '2024-06-20'].map((date, k) => [csvCell(`P${i}`), date, String(10 + i + k), csvCell(`p${i}@payload.example`), csvCell(p), csvCell(p)].join(',')),
  );
  const csv = ['customer_id,date,amount,email,name,company', ...rows].join('\n') + '\n';
  const file = join(userDataDir, 'hostile-transactions.csv');
  writeFileSync(file, csv);
  await options.locator('input[name="import-kind"][value="transactions"]').check();
  await options.getByTestId('import-file').setInputFiles(file);
  await options.getByTestId('import-mapping').waitFor();
  await options.getByLabel(/Keep\s+the bundled sample/).check();
  await options.getByTestId('import-start').click();
  await options.getByTestId('import-done').waitFor(SLOW);

  // Rule text: one rule for everyone whose title, guidance, snippets and link labels are payloads;
  // and the team's lookup service (tier and segment from payloads), asked first.
  const rule = RuleSchema.parse({
    id: 'hostile',
    name: PAYLOADS[1],
    enabled: true,
    order: 0,
    reason: PAYLOADS[2],
    conditions: { kind: 'all', conditions: [] },
    treatment: {
      title: PAYLOADS[0],
      guidance: PAYLOADS.slice(3, 8).join(' '),
      color: '#334155',
      actions: {
        links: PAYLOADS.slice(8, 12).map((label, k) => ({ label: label.slice(0, 60), url: `https://crm.example.com/search?q={{email}}&k=${k}` })),
        snippets: PAYLOADS.slice(12, 16).map((text) => ({ label: text.slice(0, 60), text })),
        tags: [],
      },
    },
  });
  const sources = teamSources(teamApi(`${service.url}/lookup?email={email}`, undefined, { timeoutMs: 10_000, retries: 0, ratePerMinute: 600, ttlSeconds: 60, staleSeconds: 600 }));
  await options.evaluate(
    ([rulesKey, rules, value]) =>
      (globalThis as unknown as { chrome: { storage: { local: { set(v: unknown): Promise<void> } } } }).chrome.storage.local.set({
        [rulesKey as string]: rules,
        sources: value,
      }),
    [RULES.key, ruleSetValue([rule]), sources] as const,
  );
  service.score = (email: string) => {
    const i = Number(/(\d+)@/.exec(email)?.[1] ?? 0);
    return { tier: PAYLOADS[i]!.slice(0, 40).trim(), segment: PAYLOADS[(i + 1) % PAYLOADS.length]!.slice(0, 80).trim(), clv: 100 + i, updatedAt: '2026-11-01T09:30:00Z' };
  };
  await options.close();
});

afterAll(async () => {
  await context?.close();
  await service?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  if (probeDir) rmSync(probeDir, { recursive: true, force: true });
});

/** What ran or was injected: __pwned set in the page, forbidden elements, handlers or script URLs. */
function inertProblems(page: Page, root: 'sidebar' | 'document'): Promise<string[]> {
  return page.evaluate(
    ([tags, where]) => {
      const w = window as unknown as { __pwned?: unknown };
      const shadow = document.querySelector('centric-sidebar')?.shadowRoot;
      const bad: string[] = [];
      if (where === 'sidebar' && !shadow) bad.push('no sidebar shadow root');
      const scope: ParentNode = where === 'sidebar' && shadow ? shadow : document;
      if (w.__pwned !== undefined) bad.push(`window.__pwned = ${String(w.__pwned)}`);
      for (const tag of tags as string[]) {
        // The host page's own inline script (the hostile probe) is in the head, before any payload.
        const hits = [...scope.querySelectorAll(tag)].filter((el) => !(el.tagName === 'SCRIPT' && el.parentElement === document.head && el.textContent?.includes('__centricProbe')));
        if (hits.length > 0) bad.push(`<${tag}> in ${where}`);
      }
      for (const el of scope.querySelectorAll('*')) {
        for (const attr of el.getAttributeNames()) if (/^on/i.test(attr)) bad.push(`${el.tagName} ${attr}`);
        const href = el.getAttribute('href') ?? el.getAttribute('src') ?? '';
        if (/^\s*(javascript|data|vbscript):/i.test(href)) bad.push(`${el.tagName} ${href}`);
      }
      return bad;
    },
    [root === 'sidebar' ? FORBIDDEN_TAGS : PAYLOAD_ELEMENTS, root] as const,
  );
}

async function expectInert(page: Page, root: 'sidebar' | 'document'): Promise<void> {
  expect(await inertProblems(page, root)).toEqual([]);
}

async function openTicket(n: number): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`https://acme.zendesk.com/agent/tickets/${n}`);
  await expect.poll(() => page.getByTestId('centric-sidebar').getAttribute('data-state'), POLL).toBe('customer');
  return page;
}

describe(`${PAYLOADS.length} injection payloads in real Chromium`, () => {
  it('holds at least 20 payloads, which the check catches when they are parsed as markup', async () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(20);
    // The control: the same payloads written as HTML into a page do run and do add elements.
    const page = await openTicket(0);
    await page.evaluate((payloads) => {
      const box = document.createElement('div');
      box.innerHTML = payloads.join('');
      document.body.append(box);
    }, PAYLOADS);
    // Their event handlers run as the elements load: wait until the payloads have done their harm.
    await expect.poll(() => inertProblems(page, 'document'), POLL).toEqual(expect.arrayContaining([expect.stringMatching(/^window\.__pwned = /)]));
    expect((await inertProblems(page, 'document')).length).toBeGreaterThan(5);
    await page.close();
  });

  it('imported names and companies, rule text and remote answers show as text in the sidebar, running nothing', async () => {
    for (let i = 0; i < PAYLOADS.length; i++) {
      const page = await openTicket(i);
      const sidebar = page.getByTestId('centric-sidebar');
      await expect.poll(() => sidebar.getByTestId('remote-segment').count(), POLL).toBe(1);
      expect(await sidebar.getByTestId('customer-name').textContent(), `payload ${i}`).toBe(PAYLOADS[i]);
      expect(await sidebar.getByTestId('tier').textContent()).toBe(PAYLOADS[i]!.slice(0, 40).trim());
      expect(await sidebar.getByTestId('remote-segment').textContent()).toBe(PAYLOADS[(i + 1) % PAYLOADS.length]!.slice(0, 80).trim());
      expect(await sidebar.getByTestId('treatment-title').textContent()).toBe(PAYLOADS[0]);
      if (i === 0) {
        const text = await sidebar.getByTestId('treatment').textContent();
        expect(text).toContain(PAYLOADS.slice(3, 8).join(' '));
        for (const label of PAYLOADS.slice(8, 12)) expect(text).toContain(label.slice(0, 60).trim());
        const hrefs = await sidebar.getByTestId('treatment-link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
        expect(hrefs).toEqual([0, 1, 2, 3].map((k) => `https://crm.example.com/search?q=p0%40payload.example&k=${k}`));
        await sidebar.getByTestId('treatment-why-toggle').click();
        expect(await sidebar.getByTestId('treatment-rule').textContent()).toBe(PAYLOADS[1]);
      }
      await expectInert(page, 'sidebar');
      await expectInert(page, 'document');
      await page.close();
    }
    expect(dialogs).toEqual([]);
  }, 240_000);

  it('a requester name read from the page shows as text for a customer only the service knows', async () => {
    for (let i = 0; i < PAYLOADS.length; i++) {
      const page = await openTicket(100 + i);
      const sidebar = page.getByTestId('centric-sidebar');
      expect(await sidebar.getByTestId('customer-name').textContent(), `payload ${i}`).toBe(PAYLOADS[i]!.replace(/\s+/g, ' ').trim());
      await expectInert(page, 'sidebar');
      await page.close();
    }
    expect(dialogs).toEqual([]);
  }, 240_000);

  it('the options page’s customer table and the popup’s search show the payloads as text', async () => {
    // The import is scored in the background of the options page: reopen until the dashboard lists them.
    const options = await context.newPage();
    const listed = async () => {
      await options.goto(`chrome-extension://${extensionId}/options.html`);
      await options.getByTestId('customer-search').fill('payload.example');
      // The table has applied the search when its status names it.
      await options.getByTestId('customer-status').filter({ hasText: 'payload.example' }).waitFor(POLL);
      return options.getByTestId('customer-table').locator('tbody tr').count();
    };
    await expect.poll(listed, { ...SLOW, interval: 2000 }).toBeGreaterThanOrEqual(Math.min(PAYLOADS.length, 10));
    const tableText = (await options.getByTestId('customer-table').textContent()) ?? '';
    const shown = PAYLOADS.filter((p) => tableText.includes(p));
    expect(shown.length).toBeGreaterThanOrEqual(Math.min(PAYLOADS.length, 10));
    await expectInert(options, 'document');

    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    // The popup searches names and emails by their start: a name that is markup, and an email.
    await popup.getByTestId('popup-search-input').fill('<img src=x');
    await expect.poll(() => popup.getByTestId('popup-search-result').count(), POLL).toBeGreaterThan(0);
    expect((await popup.getByTestId('popup-search-result').allTextContents()).join('\n')).toContain(PAYLOADS[1]);
    await popup.getByTestId('popup-search-input').fill('p2@payload');
    await expect.poll(() => popup.getByTestId('popup-search-result').allTextContents(), POLL).toEqual([expect.stringContaining(PAYLOADS[2]!)]);
    // The recommended treatment shown with each result is the rule's text, as text.
    expect(await popup.getByTestId('popup-search-treatment').first().textContent()).toContain(PAYLOADS[0]);
    await expectInert(popup, 'document');
    await options.close();
    await popup.close();
    expect(dialogs).toEqual([]);
  });

  it('a host page cannot message Centric: no runtime API for it, its window messages answered by nobody', async () => {
    const page = await openTicket(0);
    type Probe = { runtime: boolean; answers: string[] };
    // WXT's content script announces its own start with a window message (to retire an older copy of
    // itself); that is not an answer, but seeing it proves the page hears the content script.
    const started = /^\{"type":"[a-p]{32}:zendesk:wxt:content-script-started"/;
    await expect.poll(() => page.evaluate(() => (window as unknown as { __centricProbe: Probe }).__centricProbe.answers), POLL).toEqual([expect.stringMatching(started)]);
    // The page's requests at load came before the content script; it asks again now that the script
    // listens, then sends itself a message that is passed on once more: window messages arrive in
    // order, so an answer given to a request arrives before that relayed message does.
    const probe = await page.evaluate(
      () =>
        new Promise<Probe>((resolve) => {
          for (const type of ['lookup', 'search', 'status', 'history', 'sync-sources']) {
            window.postMessage({ fromPage: true, type, query: 'a', identity: { email: 'anyone@example.com' }, customerId: '1' }, '*');
          }
          const relay = (e: MessageEvent) => {
            if (e.data?.barrier === 1) window.postMessage({ fromPage: true, barrier: 2 }, '*');
            if (e.data?.barrier !== 2) return;
            removeEventListener('message', relay);
            resolve((window as unknown as { __centricProbe: Probe }).__centricProbe);
          };
          addEventListener('message', relay);
          window.postMessage({ fromPage: true, barrier: 1 }, '*');
        }),
    );
    // Nothing answers the page's requests.
    const answers = probe.answers.filter((a) => !started.test(a));
    expect({ runtime: probe.runtime, answers }).toEqual({ runtime: false, answers: [] });
    // Even naming Centric's id from the page's own world: there is no way in.
    const direct = await page.evaluate(async (id) => {
      const c = (globalThis as { chrome?: { runtime?: { sendMessage?: (...a: unknown[]) => Promise<unknown> } } }).chrome;
      if (!c?.runtime?.sendMessage) return 'no runtime API';
      try {
        return JSON.stringify(await c.runtime.sendMessage(id, { type: 'status' }));
      } catch (e) {
        return `refused: ${(e as Error).message}`;
      }
    }, extensionId);
    expect(direct).toMatch(/^no runtime API$|^refused/);
    await page.close();
  });

  it('another extension’s messages are refused', async () => {
    const probe = context.serviceWorkers().find((w) => w.url().endsWith('/sw.js'))!;
    const results = (await probe.evaluate((id) => (self as unknown as { probe(id: string): Promise<unknown[]> }).probe(id), extensionId)) as { answer?: unknown; error?: string }[];
    for (const r of results.slice(0, 3)) {
      expect(r.answer, JSON.stringify(r)).toBeUndefined();
      expect(r.error).toMatch(/Could not establish connection|Receiving end does not exist/);
    }
  });

  it('the extension’s pages ran under their strict policy without a single violation', async () => {
    expect(cspViolations).toEqual([]);
    // The control: the policy is in force and its refusals are seen (an inline script, as an injected
    // payload would be, is refused; DevTools' own evaluation is exempt, so this is what can be probed).
    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/popup.html`);
    const ran = await options.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = 1';
      document.body.append(script);
      // An inline script runs (or is refused) as it is inserted: nothing to wait for.
      return (window as unknown as { __inlineRan?: number }).__inlineRan ?? null;
    });
    expect(ran).toBeNull();
    await expect.poll(() => cspViolations.length, POLL).toBeGreaterThan(0);
    cspViolations.length = 0;
    await options.close();
  });

  it('the extension asked only the configured lookup service over the network', () => {
    expect(extensionRequests.length).toBeGreaterThan(0);
    const origins = [...new Set(extensionRequests.map((u) => new URL(u).origin))];
    expect(origins).toEqual([service.url]);
  });
});
