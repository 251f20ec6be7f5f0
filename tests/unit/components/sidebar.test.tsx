// @vitest-environment happy-dom
import { signal } from '@preact/signals';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Sidebar } from '~/components/sidebar/Sidebar';
import type { LayoutView } from '~/lib/content/page-layout';
import type { CustomerValueView } from '~/lib/messages/schema';
import type { SidebarState } from '~/lib/sidebar/state';
import type { Corner, LayoutMode } from '~/lib/sites/layout';

interface LayoutOptions {
  mode?: LayoutMode;
  modes?: LayoutMode[];
  chosen?: LayoutMode;
  corner?: Corner;
  note?: string;
  docked?: boolean;
  choose?: (mode: LayoutMode | undefined) => void;
  openPanel?: () => void;
}

function mount(initial: SidebarState, collapsedInitially = false, layout?: LayoutOptions) {
  const state = signal<SidebarState>(initial);
  const collapsed = signal(collapsedInitially);
  const onToggle = vi.fn(() => (collapsed.value = !collapsed.value));
  const root = document.createElement('div');
  document.body.append(root);
  const view: LayoutView | undefined = layout && {
    site: 'zendesk',
    modes: layout.modes ?? ['dock', 'overlay', 'panel', 'badge'],
    chosen: signal(layout.chosen),
    mode: signal(layout.mode ?? 'overlay'),
    docked: signal(layout.docked ?? false),
    corner: signal(layout.corner ?? 'mr'),
    note: signal(layout.note ?? null),
    choose: layout.choose ?? (() => {}),
    openPanel: layout.openPanel,
  };
  render(<Sidebar state={state} collapsed={collapsed} onToggle={onToggle} layout={view} />, root);
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

  it('hides to a badge that says what it does, and opens again; focus follows the toggle', async () => {
    const { root, onToggle } = mount({ kind: 'loading' });
    const toggle = () => root.querySelector<HTMLButtonElement>('[data-testid="centric-toggle"]')!;
    expect(toggle().getAttribute('aria-expanded')).toBe('true');
    expect(toggle().textContent).toBe('Hide Centric');
    await act(() => toggle().click());
    expect(onToggle).toHaveBeenCalledOnce();
    expect(toggle().getAttribute('aria-expanded')).toBe('false');
    expect(toggle().getAttribute('aria-controls')).toBe('centric-panel');
    expect(root.querySelector<HTMLElement>('#centric-panel')!.hidden).toBe(true);
    expect(toggle().textContent).toContain('Show Centric');
    expect(root.querySelectorAll('[data-testid="centric-toggle"]')).toHaveLength(1); // no hidden "Hide" left behind
    expect(document.activeElement).toBe(toggle());
    await act(() => toggle().click());
    expect(toggle().textContent).toBe('Hide Centric');
    expect(document.activeElement).toBe(toggle());
  });

  it('the badge shows the tier’s initial and name in its colours, in the host’s corner', () => {
    const value: CustomerValueView = {
      tier: 'Gold',
      tierColor: '#d4a017',
      tierForeground: '#1b1f24',
      rank: 3,
      clv: 420,
      next12Months: 120,
      pAlive: 0.8,
      expectedTransactions: 2,
      explanation: 'Top 20% by value.',
      flags: [],
      flagExplanations: [],
      model: 'bgnbd',
      scoredAt: '2026-01-02T00:00:00Z',
    };
    const { root } = mount({ kind: 'customer', customer: { ...customer, value }, identity: { host: 'demo' } }, true, { corner: 'br' });
    const badge = root.querySelector<HTMLButtonElement>('[data-testid="centric-toggle"]')!;
    expect(root.querySelector('[data-testid="tab-initial"]')?.textContent).toBe('G');
    expect(badge.querySelector('.badge-name')?.textContent).toBe('Gold');
    expect(badge.style.background).toMatch(/#d4a017|rgb\(212, 160, 23\)/);
    expect(badge.classList.contains('corner-br')).toBe(true);
    expect(badge.textContent).toContain('Show Centric, Gold customer');
    expect(root.querySelector('[data-testid="centric-sidebar"]')?.getAttribute('data-layout')).toBe('badge');
  });

  it('when the side panel is the home, the badge opens it instead of the page’s sidebar', async () => {
    const openPanel = vi.fn();
    const { root, onToggle } = mount({ kind: 'loading' }, true, { mode: 'panel', openPanel });
    const badge = root.querySelector<HTMLButtonElement>('[data-testid="centric-toggle"]')!;
    expect(badge.hasAttribute('aria-expanded')).toBe(false);
    expect(badge.textContent).toContain('Open Centric in the browser’s side panel');
    await act(() => badge.click());
    expect(openPanel).toHaveBeenCalledOnce();
    expect(onToggle).not.toHaveBeenCalled();
  });

  it('offers the site’s homes in a labelled menu and says what the layout could not do', async () => {
    const choose = vi.fn();
    const { root } = mount({ kind: 'loading' }, false, { modes: ['overlay', 'panel', 'badge'], chosen: 'panel', choose, note: 'This page did not make room: 2 of its controls would be under Centric.', docked: true });
    const menu = root.querySelector<HTMLSelectElement>('[data-testid="layout-menu"]')!;
    expect(menu.closest('label')?.textContent).toBe('Show Centric on this siteAutomaticOver the pageBrowser side panelSmall badge');
    expect([...menu.options].map((o) => o.value)).toEqual(['', 'overlay', 'panel', 'badge']);
    expect(menu.value).toBe('panel');
    menu.value = 'badge';
    await act(() => void menu.dispatchEvent(new Event("change")));
    expect(choose).toHaveBeenCalledWith('badge');
    menu.value = '';
    await act(() => void menu.dispatchEvent(new Event("change")));
    expect(choose).toHaveBeenLastCalledWith(undefined);
    expect(root.querySelector('[data-testid="layout-note"]')?.textContent).toBe('This page did not make room: 2 of its controls would be under Centric.');
    expect(root.querySelector('[data-testid="centric-sidebar"]')?.getAttribute('data-layout')).toBe('docked');
  });

  it('in the browser’s side panel: the whole panel, no badge and no "Hide", not a complementary landmark', () => {
    const state = signal<SidebarState>({ kind: 'loading' });
    const root = document.createElement('div');
    document.body.append(root);
    render(<Sidebar state={state} collapsed={signal(true)} onToggle={() => {}} home="panel" />, root);
    const sidebar = root.querySelector('[data-testid="centric-sidebar"]')!;
    expect(sidebar.tagName).toBe('SECTION');
    expect(sidebar.getAttribute('data-layout')).toBe('panel');
    expect(root.querySelector('[data-testid="centric-toggle"]')).toBeNull();
    expect(root.querySelector<HTMLElement>('#centric-panel')!.hidden).toBe(false);
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
