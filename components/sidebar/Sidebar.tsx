import type { Signal } from '@preact/signals';
import type { SidebarState } from '~/lib/sidebar/state';
import type { ListedRow } from '../lists/chips';
import { Worklist } from '../lists/Worklist';
import { CustomerCard, IdentifiedBy } from './CustomerCard';
import { LinkCustomer, type LinkActions } from './LinkCustomer';
import { NotRead, type ReportActions } from './NotRead';

export interface SidebarProps {
  state: Signal<SidebarState>;
  collapsed: Signal<boolean>;
  onToggle: () => void;
  /** Search and link, for "customer not found"; the page report, for a page not read (absent in tests that do not need them). */
  actions?: LinkActions & Partial<ReportActions>;
  /** URL of the purchase-history page for a customer (absent in tests). */
  historyUrl?: (customerId: string) => string;
  /** On a list page with the list chips on: its rows and answers, for the worklist (issue 8). */
  worklist?: Signal<ListedRow[] | null>;
  /** Looks up the list's rows not yet looked up (the worklist's "rank all" button). */
  onResolveAll?: () => void;
}

const PANEL_ID = 'centric-panel';

/**
 * The sidebar shell: docked to the right edge, collapsible to a slim tab (which stays out of the
 * host page's way), keyboard reachable. Page text is rendered as text only (JSX escapes it).
 */
export function Sidebar({ state, collapsed, onToggle, actions, historyUrl, worklist, onResolveAll }: SidebarProps) {
  const isCollapsed = collapsed.value;
  const current = state.value;
  // The collapsed tab shows the tier: its colour and initial.
  const value = current.kind === 'customer' ? current.customer.value : undefined;
  const tabStyle = value ? { background: value.tierColor, color: value.tierForeground } : undefined;
  return (
    <aside
      class={`centric ${isCollapsed ? 'is-collapsed' : 'is-open'}`}
      data-testid="centric-sidebar"
      data-state={current.kind}
      data-record-id={'identity' in current ? current.identity?.hostRecordId : undefined}
      aria-label="Centric customer value"
    >
      <button
        type="button"
        class="tab"
        aria-expanded={!isCollapsed}
        aria-controls={PANEL_ID}
        title={`${isCollapsed ? 'Show' : 'Hide'} Centric${value ? ` (${value.tier})` : ''} — Alt+Shift+C`}
        onClick={onToggle}
        style={tabStyle}
        data-testid="centric-toggle"
      >
        <span class="tab-mark" aria-hidden="true" data-testid="tab-initial">
          {value ? value.tier.slice(0, 1).toUpperCase() : 'C'}
        </span>
        <span class="visually-hidden">
          {isCollapsed ? 'Show Centric' : 'Hide Centric'}
          {value ? `, ${value.tier} customer` : ''}
        </span>
      </button>
      <section id={PANEL_ID} class="panel" hidden={isCollapsed}>
        <header class="panel-header">
          <span class="brand">Centric</span>
          <span class="brand-sub">customer value</span>
        </header>
        <div class="panel-body" role="status" aria-live="polite" aria-busy={current.kind === 'loading'}>
          {!isCollapsed && current.kind === 'no-customer' && worklist?.value ? (
            <Worklist rows={worklist.value} site={current.site} onResolveAll={onResolveAll} />
          ) : (
            <SidebarBody state={current} actions={actions} historyUrl={historyUrl} />
          )}
        </div>
      </section>
    </aside>
  );
}

function SidebarBody({ state, actions, historyUrl }: { state: SidebarState; actions?: SidebarProps['actions']; historyUrl?: (id: string) => string }) {
  switch (state.kind) {
    case 'loading':
      return (
        <p class="notice" data-testid="centric-loading">
          <span class="spinner" aria-hidden="true" /> Looking up this customer…
        </p>
      );
    case 'no-customer':
      if (state.identity) return <NotRead site={state.site} missing={state.missing} record={state.identity} actions={actions} />;
      return (
        <div class="notice" data-testid="centric-no-customer">
          <p class="notice-title">No customer on this page</p>
          <p>Open a ticket or a customer record in {state.site} and Centric shows who they are worth.</p>
        </div>
      );
    case 'not-found':
      return (
        <div class="notice" data-testid="centric-not-found">
          <p class="notice-title">Customer not found</p>
          <p>
            {state.identity.name ?? 'This customer'}
            {state.identity.email ? ` (${state.identity.email})` : ''} is not in your customer data yet.
          </p>
          {state.identified && (
            <p class="source">
              <IdentifiedBy identified={state.identified} />
            </p>
          )}
          {state.sourceProblems && state.sourceProblems.length > 0 && (
            <>
              <p data-testid="source-problems-intro">Your team's source could not be asked, so it may know this customer:</p>
              {state.sourceProblems.map((problem) => (
                <p key={problem} class="source source-problem" data-testid="source-problem" role="note">
                  {problem}
                </p>
              ))}
            </>
          )}
          {actions && state.identity.hostRecordId ? (
            <LinkCustomer key={state.identity.hostRecordId} actions={actions} initial={state.suggestions} />
          ) : (
            <p class="hint">Import your customers in Centric's options to see their value.</p>
          )}
        </div>
      );
    case 'error':
      return (
        <div class="notice notice-error" role="alert" data-testid="centric-error">
          <p class="notice-title">Something went wrong</p>
          <p>{state.message}</p>
        </div>
      );
    case 'customer':
      return (
        <CustomerCard
          customer={state.customer}
          identified={state.identified}
          historyUrl={historyUrl}
          onUnlink={actions && state.customer.matchedBy === 'host-record' ? () => void actions.link(null) : undefined}
        />
      );
  }
}
