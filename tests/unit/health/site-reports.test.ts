// @vitest-environment happy-dom
/** The background's page reports and site health counts (issue 17), through validated messages. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { siteReports, type SiteReportApis } from '~/lib/background/site-reports';
import { CentricDb } from '~/lib/db/db';
import { parseSiteHealth } from '~/lib/health/site-health';
import { SITE_HEALTH } from '~/lib/settings/items';
import { handleRequest, RefusedMessage } from '~/lib/messages/handler';
import { OUTLINE_LIMITS } from '~/lib/sites/page-outline';
import { censorMissing } from '~/lib/sites/page-report';

const OWN_ID = 'centric-test-id';
const TAB = { id: OWN_ID, url: 'https://acme.freshdesk.com/a/tickets/4242', tab: { id: 7 }, frameId: 0 };
const MADE = Date.UTC(2026, 11, 7, 9, 30);

afterEach(() => {
  document.body.innerHTML = '';
});

/** The background's APIs, with the tab's page being this test's document (the outline runs on it, as executeScript would). */
function fakes(overrides: Partial<SiteReportApis> = {}) {
  const local = new Map<string, unknown>();
  const executeScript = vi.fn(async (injection: Parameters<SiteReportApis['executeScript']>[0]) => {
    // Run the function as the browser does: from its source, with nothing of this module in scope.
    const serialised = new Function(`return (${injection.func.toString()})`)() as typeof injection.func;
    return [{ result: serialised(...injection.args) }];
  });
  const apis: SiteReportApis = {
    executeScript,
    storage: {
      get: async (key) => (local.has(key) ? { [key]: structuredClone(local.get(key)) } : {}),
      set: async (items) => void Object.entries(structuredClone(items)).forEach(([k, v]) => local.set(k, v)),
    },
    extensionVersion: '0.1.0',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    siteName: (host) => (host === 'freshdesk' ? 'Freshdesk' : undefined),
    now: () => MADE,
    ...overrides,
  };
  return { apis, local, executeScript };
}

describe('page reports', () => {
  it('outlines the sender’s page in its frame, from a self-contained function, under a header of facts', async () => {
    document.body.innerHTML = '<main data-test-id="ticket-workspace"><p class="requester">Ana Li &lt;ana@li.example&gt;</p></main>';
    const { apis, executeScript } = fakes();
    const { pageReport } = siteReports(apis);
    const db = new CentricDb('centric-reports-1');
    const request = { type: 'page-report', host: 'freshdesk', missing: ['contact details panel', 'email (invalid email: "Ana Li 0612345678" is not an email address)'], recordType: 'ticket' };
    const answer = await handleRequest(db, request, TAB, OWN_ID, { pageReport });
    expect(executeScript).toHaveBeenCalledWith(expect.objectContaining({ target: { tabId: 7, frameIds: [0] }, args: [OUTLINE_LIMITS] }));
    expect(answer).toMatchObject({ ok: true });
    const text = (answer as { text: string }).text;
    expect(text.split('\n').slice(0, 18)).toEqual([
      'Centric page report',
      expect.stringContaining('for whoever maintains Centric’s site definitions'),
      expect.any(String),
      'that could be personal data.',
      '',
      'Site: freshdesk (Freshdesk)',
      `Page: ${location.pathname.split('/').map((s) => (/\d/.test(s) ? '{id}' : s)).join('/')}`,
      'Record: ticket',
      'Not found on the page: contact details panel; email (invalid email: … is not an email address)',
      'Centric: 0.1.0',
      'Site definition: the one built into this release',
      'Browser: Chrome 131',
      'Made: 2026-12-07',
      'Outline: 4 elements; shadow roots: 0 open, 0 closed; 0 frames not read',
      expect.stringMatching(/^Legend: /),
      expect.any(String),
      '',
      'html',
    ]);
    expect(text).toContain('    main[data-test-id=ticket-workspace]\n      p.requester (text)\n');
    expect(text).not.toMatch(/Ana|ana@|0612345678/);
    await db.delete();
  });

  it('names the site definition’s version when the adapter has one', async () => {
    const { pageReport } = siteReports(fakes().apis);
    const text = await pageReport({ tabId: 7, frameId: 0 }, { type: 'page-report', host: 'zendesk', missing: [], definitionVersion: '2026.12.1' });
    expect(text).toContain('Site: zendesk\n');
    expect(text).toContain('Not found on the page: nothing was named\n');
    expect(text).toContain('Site definition: version 2026.12.1\n');
  });

  it('answers in words when the page cannot be outlined, and refuses a request from outside a tab or a malformed one', async () => {
    const db = new CentricDb('centric-reports-2');
    const request = { type: 'page-report', host: 'freshdesk', missing: [] };
    const closedTab = siteReports(fakes({ executeScript: async () => Promise.reject(new Error('Cannot access contents of the page.')) }).apis);
    expect(await handleRequest(db, request, TAB, OWN_ID, { pageReport: closedTab.pageReport })).toEqual({
      ok: false,
      message: 'The page report could not be made: Cannot access contents of the page.',
    });
    const noOutline = siteReports(fakes({ executeScript: async () => [{ result: { path: 1 } }] }).apis);
    expect(await handleRequest(db, request, TAB, OWN_ID, { pageReport: noOutline.pageReport })).toMatchObject({ ok: false, message: expect.stringContaining('no outline') });
    expect(await handleRequest(db, request, TAB, OWN_ID, {})).toEqual({ ok: false, message: 'Page reports are not available here.' });
    const { pageReport } = siteReports(fakes().apis);
    await expect(handleRequest(db, request, { id: OWN_ID, url: `chrome-extension://${OWN_ID}/options.html` }, OWN_ID, { pageReport })).rejects.toThrow(RefusedMessage);
    await expect(handleRequest(db, { ...request, host: 'Zendesk Inc.' }, TAB, OWN_ID, { pageReport })).rejects.toThrow('malformed');
    await expect(handleRequest(db, { ...request, missing: Array(21).fill('x') }, TAB, OWN_ID, { pageReport })).rejects.toThrow('malformed');
    await db.delete();
  });
});

describe('censorMissing', () => {
  it('keeps the names of parts, and never a quoted value, an email or a digit', () => {
    expect(censorMissing(['requester email', 'requester email', 'name (the element has no "data-user" attribute)', 'x '.repeat(80), 'from ana@li.example', 'ticket 4242'])).toEqual([
      'requester email',
      'name (the element has no … attribute)',
      'x '.repeat(50).trim(),
      'from …',
      'ticket #',
    ]);
  });
});

describe('site health counts', () => {
  it('counts each record page’s outcome from a content script, one reading at a time', async () => {
    const { apis, local } = fakes();
    const { recordOutcome } = siteReports(apis);
    const db = new CentricDb('centric-reports-3');
    const send = (outcome: string, missing: string[] = []) => handleRequest(db, { type: 'site-outcome', host: 'freshdesk', outcome, missing, recordType: 'ticket' }, TAB, OWN_ID, { recordOutcome });
    // Sent together, as two tabs would: every one is counted.
    const answers = await Promise.all([send('failed', ['contact details panel', 'email "Ana" 42']), send('failed', ['contact details panel']), send('identified'), send('failed', ['contact details panel'])]);
    expect(answers).toEqual([{ ok: true }, { ok: true }, { ok: true }, { ok: true }]);
    const health = parseSiteHealth(local.get(SITE_HEALTH.key));
    expect(health.hosts.freshdesk).toMatchObject({ total: { identified: 1, partial: 0, failed: 3 }, failedInARow: 1, lastMissing: ['contact details panel'], lastFailedRecord: 'ticket' });
    expect(JSON.stringify(local.get(SITE_HEALTH.key))).not.toMatch(/Ana|42/);

    await expect(handleRequest(db, { type: 'site-outcome', host: 'freshdesk', outcome: 'great', missing: [] }, TAB, OWN_ID, { recordOutcome })).rejects.toThrow('malformed');
    await expect(handleRequest(db, { type: 'site-outcome', host: 'freshdesk', outcome: 'failed', missing: [] }, { id: OWN_ID }, OWN_ID, { recordOutcome })).rejects.toThrow(RefusedMessage);
    await db.delete();
  });
});
