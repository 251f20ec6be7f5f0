// @vitest-environment happy-dom
/** Options → Sites → site health (issue 17): a table per enabled site, counts only, flagged when a site stops reading. */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { SiteHealth } from '~/components/options/SiteHealth';
import { recordReading, type Reading, type SiteHealth as Health } from '~/lib/health/site-health';
import { SITE_HEALTH } from '~/lib/settings/items';

const NOW = new Date(2026, 11, 7, 12, 0).getTime();
const HOUR = 3600_000;
const ZENDESK_GRANT = ['https://*.zendesk.com/*'];
const rule = { id: 'acme-crm', name: 'Acme CRM', matches: ['https://crm.acme.example/*'], fields: {} };

function health(readings: [Reading, number][]): Health {
  return readings.reduce((h, [r, at]) => recordReading(h, r, at), { version: 1, hosts: {} } as Health);
}

let root: HTMLElement;
beforeEach(() => {
  fakeBrowser.reset();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  vi.useRealTimers();
  document.body.innerHTML = '';
});

async function show(granted: string[], rules = [rule]) {
  await act(async () => {
    render(<SiteHealth granted={granted} rules={rules} />, root);
  });
  await vi.waitFor(() => expect(root.querySelector('[data-testid="site-health"]')).not.toBeNull());
}
const cells = (id: string) => [...root.querySelectorAll(`[data-testid="site-health-${id}"] > *`)].map((c) => c.textContent);

describe('the site health view', () => {
  it('has a row per enabled site (custom sites too), with when it last read and did not read, and the counts', async () => {
    const zd = (outcome: Reading['outcome'], missing: string[] = []): Reading => ({ host: 'zendesk', outcome, missing, recordType: 'ticket' });
    await fakeBrowser.storage.local.set({
      [SITE_HEALTH.key]: health([
        [zd('identified'), NOW - 9 * 24 * HOUR],
        [zd('identified'), NOW - 2 * HOUR],
        [zd('partial', ['requester email']), NOW - HOUR],
        [zd('failed', ['requester email', 'requester name']), NOW - HOUR / 2],
        // A site that is not on: not shown.
        [{ host: 'hubspot', outcome: 'failed', missing: [] }, NOW - HOUR],
      ]),
    });
    await show(ZENDESK_GRANT);
    await vi.waitFor(() => expect(cells('zendesk')[3]).toBe('1 identified, 1 name or company only, 1 no customer'));
    const [name, identified, failed, week, total] = cells('zendesk');
    expect(name).toBe('Zendesk');
    expect(identified).toBe(new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(NOW - 2 * HOUR));
    expect(failed).toBe(new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(NOW - HOUR / 2));
    expect(root.querySelector('[data-testid="site-health-zendesk"] [data-testid="last-failed"]')?.getAttribute('title')).toBe('Not found: requester email, requester name');
    expect(week).toBe('1 identified, 1 name or company only, 1 no customer');
    expect(total).toMatch(/^2 identified, 1 name or company only, 1 no customer \(since Nov 28, 2026\)$/);
    expect(cells('custom:acme-crm')).toEqual(['Acme CRM', 'never', 'never', 'none', 'none']);
    expect(root.querySelector('[data-testid="site-health-hubspot"]')).toBeNull();
    // Accessible: a caption, column and row headers.
    const table = root.querySelector('table')!;
    expect(table.querySelector('caption')?.textContent).toBe('Record pages Centric read on this browser, per site');
    expect([...table.querySelectorAll('thead th')].every((th) => th.getAttribute('scope') === 'col')).toBe(true);
    expect([...table.querySelectorAll('tbody th')].every((th) => th.getAttribute('scope') === 'row')).toBe(true);
    expect(root.querySelector('[role="alert"]')).toBeNull();
  });

  it('flags a site whose last record pages all failed, says what was not found, and follows new readings', async () => {
    const fail: Reading = { host: 'zendesk', outcome: 'failed', missing: ['ticket workspace'], recordType: 'ticket' };
    await fakeBrowser.storage.local.set({ [SITE_HEALTH.key]: health([[{ ...fail, outcome: 'identified' }, NOW - 5 * HOUR], ...[4, 3, 2].map((h): [Reading, number] => [fail, NOW - h * HOUR])]) });
    await show(ZENDESK_GRANT, []);
    const flag = () => root.querySelector('[data-testid="site-health-flag-zendesk"]')?.textContent;
    await vi.waitFor(() =>
      expect(flag()).toBe(
        'Centric could not read Zendesk’s last 3 record pages: the page may have changed — copy a page report from a ticket. Not found the last time: ticket workspace.',
      ),
    );
    expect(root.querySelector('[data-testid="site-health-zendesk"]')?.getAttribute('data-flagged')).toBe('true');
    // The sidebar reads a ticket again: the flag goes.
    const stored = (await fakeBrowser.storage.local.get(SITE_HEALTH.key))[SITE_HEALTH.key] as Health;
    await act(async () => {
      await fakeBrowser.storage.local.set({ [SITE_HEALTH.key]: recordReading(stored, { ...fail, outcome: 'identified' }, NOW - HOUR) });
    });
    await vi.waitFor(() => expect(flag()).toBeUndefined());
  });

  it('resets the counts on request, and says what to do when no site is on', async () => {
    await fakeBrowser.storage.local.set({ [SITE_HEALTH.key]: health([[{ host: 'zendesk', outcome: 'identified', missing: [] }, NOW]]) });
    await show(ZENDESK_GRANT, []);
    await vi.waitFor(() => expect(root.querySelector('[data-testid="site-health-reset"]')).not.toBeNull());
    await act(async () => (root.querySelector('[data-testid="site-health-reset"]') as HTMLButtonElement).click());
    await vi.waitFor(async () => expect(await fakeBrowser.storage.local.get(SITE_HEALTH.key)).toEqual({}));
    await vi.waitFor(() => expect(cells('zendesk')).toEqual(['Zendesk', 'never', 'never', 'none', 'none']));
    expect(root.querySelector('[data-testid="site-health-reset"]')).toBeNull();

    render(null, root);
    await show([], []);
    expect(root.querySelector('[data-testid="site-health-empty"]')?.textContent).toContain('Turn on a site above');
  });
});
