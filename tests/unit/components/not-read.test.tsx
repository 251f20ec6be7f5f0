// @vitest-environment happy-dom
/** Issue 17 in the sidebar: a record page not read says what was not found, stays linkable, and copies a page report; every site says how. */
import { signal } from '@preact/signals';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Sidebar, type SidebarProps } from '~/components/sidebar/Sidebar';
import type { SidebarState } from '~/lib/sidebar/state';

const REPORT = 'Centric page report\nSite: freshdesk (Freshdesk)\n\nhtml\n  body\n';
const notRead: SidebarState = {
  kind: 'no-customer',
  site: 'Freshdesk',
  missing: ['contact details panel', 'contact email'],
  identity: { host: 'freshdesk', hostRecordId: '4242', recordType: 'ticket' },
};

function mount(initial: SidebarState, actions?: SidebarProps['actions']) {
  const state = signal<SidebarState>(initial);
  const root = document.createElement('div');
  document.body.append(root);
  render(<Sidebar state={state} collapsed={signal(false)} onToggle={() => {}} actions={actions} />, root);
  return { root, state };
}
const actions = (pageReport: () => Promise<string> = async () => REPORT) => ({ search: vi.fn(async () => []), link: vi.fn(async () => {}), pageReport: vi.fn(pageReport) });
const byTest = (root: Element, id: string) => root.querySelector(`[data-testid="${id}"]`);
function clipboard(writeText: (text: string) => Promise<void>) {
  Object.defineProperty(navigator, 'clipboard', { value: { writeText: vi.fn(writeText) }, configurable: true });
  return navigator.clipboard.writeText as ReturnType<typeof vi.fn>;
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('a record page whose customer could not be read', () => {
  it('says per part what it looked for and did not find, on which site and record, and offers to link the record', () => {
    const { root } = mount(notRead, actions());
    const panel = byTest(root, 'centric-not-read')!;
    expect(byTest(root, 'centric-sidebar')!.getAttribute('data-state')).toBe('no-customer');
    expect(byTest(root, 'centric-sidebar')!.getAttribute('data-record-id')).toBe('4242');
    expect(panel.querySelector('.notice-title')?.textContent).toBe('No customer read on this ticket');
    expect(panel.textContent).toContain('On this Freshdesk page, Centric looked for:');
    expect([...panel.querySelectorAll('[data-testid="missing-parts"] li')].map((li) => li.textContent)).toEqual([
      'contact details panel: not found on the page',
      'contact email: not found on the page',
    ]);
    expect(byTest(panel, 'link-customer')).not.toBeNull();
    expect(byTest(panel, 'copy-page-report')?.textContent?.trim()).toBe('Copy a page report');
    // "No customer on this page" is for pages that are not records.
    expect(root.textContent).not.toContain('No customer on this page');
  });

  it('says so when the page named nothing, and when the URL names no record to link', () => {
    const { root } = mount({ ...notRead, missing: [], identity: { host: 'custom:acme-crm' } }, actions());
    expect(byTest(root, 'missing-parts')?.textContent).toBe('the customer: not found on the page');
    expect(byTest(root, 'link-customer')).toBeNull();
    expect(root.textContent).toContain('This page’s address names no record, so it cannot be linked to a customer.');
  });

  it('copies the page report to the clipboard and says so', async () => {
    const writeText = clipboard(async () => {});
    const acts = actions();
    const { root } = mount(notRead, acts);
    await act(() => (byTest(root, 'copy-page-report') as HTMLButtonElement).click());
    await vi.waitFor(() => expect(byTest(root, 'page-report-status')?.textContent).toMatch(/^Page report copied/));
    expect(acts.pageReport).toHaveBeenCalledOnce();
    expect(writeText).toHaveBeenCalledWith(REPORT);
    expect(byTest(root, 'page-report-text')).toBeNull();
  });

  it('shows the report selected, to copy by hand, when the browser refuses the clipboard', async () => {
    clipboard(async () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')));
    const { root } = mount(notRead, actions());
    await act(() => (byTest(root, 'copy-page-report') as HTMLButtonElement).click());
    await vi.waitFor(() => expect(byTest(root, 'page-report-status')?.textContent).toMatch(/did not let Centric copy it/));
    const area = byTest(root, 'page-report-text') as HTMLTextAreaElement;
    expect(area.readOnly).toBe(true);
    expect(area.value).toBe(REPORT);
    await vi.waitFor(() => expect(area.selectionEnd - area.selectionStart).toBe(REPORT.length));
  });

  it('says why when the report cannot be made', async () => {
    const writeText = clipboard(async () => {});
    const { root } = mount(notRead, actions(async () => Promise.reject(new Error('The page report could not be made: Cannot access contents of the page.'))));
    await act(() => (byTest(root, 'copy-page-report') as HTMLButtonElement).click());
    await vi.waitFor(() => expect(byTest(root, 'page-report-status')?.textContent).toBe('The page report could not be made: Cannot access contents of the page.'));
    expect(writeText).not.toHaveBeenCalled();
    expect(byTest(root, 'page-report-text')).toBeNull();
  });
});

describe('how the customer was identified, on every site', () => {
  const customer = {
    id: '7', name: 'Ana Li', currency: 'USD', asOf: '2026-01-02T00:00:00Z', source: 'local' as const,
    facts: { orders: 1, totalSpent: 10, firstPurchase: '2020-01-01', lastPurchase: '2020-01-01' },
  };
  it('says the page’s words instead of "Matched by …" (they say more), and an API’s beside them', async () => {
    const identity = { host: 'hubspot', hostRecordId: '51', email: 'ana@li.example' };
    const { root, state } = mount({ kind: 'customer', customer: { ...customer, matchedBy: 'host-record' }, identity, identified: { by: 'link', text: 'Linked to this record by hand' } });
    const source = () => byTest(root, 'centric-source')!.textContent;
    expect(source()).toMatch(/ · Linked to this record by hand$/);
    expect(source()!.match(/Linked to this record/g)).toHaveLength(1);
    await act(() => {
      state.value = { kind: 'customer', customer: { ...customer, matchedBy: 'host-record' }, identity, identified: { by: 'host-api', text: 'Identified by Zendesk’s API' } };
    });
    expect(source()).toMatch(/ · Linked to this record · Identified by Zendesk’s API$/);
    await act(() => {
      state.value = { kind: 'not-found', identity: { ...identity, email: undefined, name: 'Ana Li' }, suggestions: [], identified: { by: 'name', text: 'Name only: the page shows no email to tell customers apart (first of 3 associated contacts)' } };
    });
    expect(byTest(root, 'identified-by')?.textContent).toBe('Name only: the page shows no email to tell customers apart (first of 3 associated contacts)');
  });
});
