// @vitest-environment happy-dom
import { signal } from '@preact/signals';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Sidebar } from '~/components/sidebar/Sidebar';
import type { SidebarState } from '~/lib/sidebar/state';

function mount(initial: SidebarState, collapsedInitially = false) {
  const state = signal<SidebarState>(initial);
  const collapsed = signal(collapsedInitially);
  const onToggle = vi.fn(() => (collapsed.value = !collapsed.value));
  const root = document.createElement('div');
  document.body.append(root);
  render(<Sidebar state={state} collapsed={collapsed} onToggle={onToggle} />, root);
  return { root, state, collapsed, onToggle };
}

const customer = {
  id: '7',
  name: '<img src=x onerror="window.hacked=1">Ana',
  email: 'ana@li.example',
  company: 'Li & Co',
  currency: 'USD',
  asOf: '2026-01-02T00:00:00Z',
  source: 'sample' as const,
  facts: { orders: 12, totalSpent: 1234.5, firstPurchase: '1997-01-01', lastPurchase: '1997-12-12' },
};

afterEach(() => {
  document.body.innerHTML = '';
});

describe('Sidebar', () => {
  it('shows each state', async () => {
    const { root, state } = mount({ kind: 'loading' });
    const sidebar = () => root.querySelector('[data-testid="centric-sidebar"]')!;
    expect(sidebar().getAttribute('data-state')).toBe('loading');
    await act(() => {
      state.value = { kind: 'no-customer', site: 'Zendesk', missing: [] };
    });
    expect(root.textContent).toContain('No customer on this page');
    await act(() => {
      state.value = { kind: 'not-found', identity: { host: 'zendesk', name: 'Ana', email: 'ana@li.example' }, suggestions: [] };
    });
    expect(root.textContent).toContain('Ana (ana@li.example) is not in your customer data yet.');
    expect(root.querySelector('[data-testid="source-problem"]')).toBeNull();
    await act(() => {
      state.value = { kind: 'error', message: 'The local store could not be read.' };
    });
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('could not be read');
  });

  it('says which source failed, and how, when the customer is not stored here (issue 16)', () => {
    const { root } = mount({
      kind: 'not-found',
      identity: { host: 'zendesk', name: 'Ana', email: 'ana@li.example' },
      suggestions: [],
      sourceProblems: ['Team API: The service had a problem of its own (503). Try again later.'],
    });
    expect(root.textContent).toContain('Ana (ana@li.example) is not in your customer data yet.');
    expect(root.querySelector('[data-testid="source-problems-intro"]')?.textContent).toContain('may know this customer');
    const problems = [...root.querySelectorAll('[data-testid="source-problem"]')].map((p) => p.textContent);
    expect(problems).toEqual(['Team API: The service had a problem of its own (503). Try again later.']);
  });

  it('shows the purchase facts, with page text as text', () => {
    const { root } = mount({ kind: 'customer', customer, identity: { host: 'demo' } });
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('[data-testid="customer-name"]')?.textContent).toBe(customer.name);
    expect(root.querySelector('[data-testid="fact-orders"]')?.textContent).toBe('12');
    expect(root.querySelector('[data-testid="fact-total"]')?.textContent).toBe('$1,234.50');
    expect(root.querySelector('[data-testid="fact-first"]')?.textContent).toBe('Jan 1, 1997');
    expect(root.querySelector('[data-testid="centric-source"]')?.textContent).toContain('Sample data');
  });

  it('collapses to a tab that says what it does', async () => {
    const { root, onToggle } = mount({ kind: 'loading' });
    const toggle = root.querySelector<HTMLButtonElement>('[data-testid="centric-toggle"]')!;
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    await act(() => toggle.click());
    expect(onToggle).toHaveBeenCalledOnce();
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(root.querySelector<HTMLElement>('#centric-panel')!.hidden).toBe(true);
    expect(toggle.textContent).toContain('Show Centric');
  });

  it('says how the customer was identified, beside how they were matched (issue 17)', async () => {
    const identity = { host: 'zendesk', hostRecordId: '4101', email: 'ana@li.example' };
    const { root, state } = mount({ kind: 'customer', customer: { ...customer, matchedBy: 'email' }, identity, identified: { by: 'host-api', text: 'Identified by Zendesk’s API' } });
    const source = () => root.querySelector('[data-testid="centric-source"]')!;
    expect(source().textContent).toMatch(/ · Matched by email · Identified by Zendesk’s API$/);
    expect(source().querySelector('[data-testid="identified-by"]')?.getAttribute('title')).toBeNull();
    // The page's reading kept: the reason is on the words (their title), as text.
    const why = 'Zendesk’s API refused: you are signed out (HTTP 401). <b>x</b>';
    await act(() => {
      state.value = { kind: 'customer', customer: { ...customer, matchedBy: 'email' }, identity, identified: { by: 'page', text: 'Read from the page', why } };
    });
    expect(source().textContent).toMatch(/ · Matched by email · Read from the page$/);
    expect(source().querySelector('[data-testid="identified-by"]')?.getAttribute('title')).toBe(why);
    expect(root.querySelector('b')).toBeNull();
    // Not found, name only: the words are said under the name.
    await act(() => {
      state.value = {
        kind: 'not-found',
        identity: { host: 'zendesk', hostRecordId: '4101', name: 'Goran Abbott' },
        suggestions: [],
        identified: { by: 'host-api', text: 'Identified by Zendesk’s API, which has no email address for this customer: name only' },
      };
    });
    expect(root.querySelector('[data-testid="centric-not-found"] [data-testid="identified-by"]')?.textContent).toBe(
      'Identified by Zendesk’s API, which has no email address for this customer: name only',
    );
    // Without words (every state the sidebar builds has them: tests/unit/sidebar/identified.test.ts), the match alone.
    await act(() => {
      state.value = { kind: 'customer', customer: { ...customer, matchedBy: 'email' }, identity };
    });
    expect(source().textContent).toMatch(/ · Matched by email$/);
    expect(root.querySelector('[data-testid="identified-by"]')).toBeNull();
  });
});
