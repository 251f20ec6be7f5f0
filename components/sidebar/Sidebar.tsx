import type { Signal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { SidebarState } from '~/lib/sidebar/state';
import type { ListedRow } from '../../lib/content/list-chips';
import { Worklist } from '../lists/Worklist';
import { CustomerCard, IdentifiedBy } from './CustomerCard';
import { Badge } from './Badge';
import { LayoutMenu } from './LayoutMenu';
import { LinkCustomer, type LinkActions } from './LinkCustomer';
import { NotRead, type ReportActions } from './NotRead';
import type { LayoutView } from '../../lib/content/page-layout';

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
  /** Where the sidebar sits and the menu to choose it (issue 17); absent: over the page, no menu. */
  layout?: LayoutView;
  /** `panel`: the browser's side panel shows the sidebar (entrypoints/sidepanel), with no badge and no "Hide". */
  home?: 'page' | 'panel';
}

const PANEL_ID = 'centric-panel';

/**
 * The sidebar shell: on a host page, beside the page (docked), over it, or hidden to a small badge
 * (lib/content/page-layout.ts decides); in the browser's side panel (`home="panel"`), the whole
 * panel. Keyboard reachable; page text is rendered as text only (JSX escapes it).
 */
export function Sidebar({ state, collapsed, onToggle, actions, historyUrl, worklist, onResolveAll, layout, home = 'page' }: SidebarProps) {
  const inPanel = home === 'panel';
  const isCollapsed = !inPanel && collapsed.value;
  const current = state.value;
  const value = current.kind === 'customer' ? current.customer.value : undefined;
  const mode = layout?.mode.value;
  const docked = layout?.docked.value === true;
  const note = layout?.note.value;
  // The badge opens the browser's side panel when that is the home (and nothing is open over the page).
  const opensPanel = mode === 'panel' && layout?.openPanel;
  // The toggle used from the keyboard or a click moves focus to the one that replaces it (the badge or "Hide").
  const focusWhen = useRef<boolean | null>(null);
  const root = useRef<HTMLElement>(null);
  useEffect(() => {
    if (focusWhen.current !== isCollapsed) return;
    focusWhen.current = null;
    root.current?.querySelector<HTMLElement>('[data-testid="centric-toggle"]')?.focus();
  }, [isCollapsed]);
  const toggle = () => {
    focusWhen.current = !isCollapsed;
    onToggle();
  };
  // In the side panel the sidebar is the page's main content, not a complementary landmark.
  const Root = inPanel ? 'section' : 'aside';
  return (
    <Root
      ref={root}
      class={`centric ${isCollapsed ? 'is-collapsed' : 'is-open'} home-${home}${docked ? ' is-docked' : ''}`}
      data-testid="centric-sidebar"
      data-state={current.kind}
      data-record-id={'identity' in current ? current.identity?.hostRecordId : undefined}
      data-mode={mode}
      data-layout={inPanel ? 'panel' : isCollapsed ? 'badge' : docked ? 'docked' : 'over'}
      aria-label="Centric customer value"
    >
      {isCollapsed && (
        <Badge
          value={value}
          corner={layout?.corner.value ?? 'mr'}
          controls={opensPanel ? undefined : PANEL_ID}
          onClick={opensPanel ? () => layout.openPanel!() : toggle}
        />
      )}
      <section id={PANEL_ID} class="panel" hidden={isCollapsed}>
        <header class="panel-header">
          <span class="brand">Centric</span>
          <span class="brand-sub">customer value</span>
          <span class="panel-tools">
            {layout && <LayoutMenu layout={layout} />}
            {!inPanel && !isCollapsed && (
              <button type="button" class="hide" aria-expanded="true" aria-controls={PANEL_ID} title="Hide Centric — Alt+Shift+C" onClick={toggle} data-testid="centric-toggle">
                Hide<span class="visually-hidden"> Centric</span>
              </button>
            )}
          </span>
        </header>
        {note && (
          <p class="layout-note" role="note" data-testid="layout-note">
            {note}
          </p>
        )}
        <div class="panel-body" role="status" aria-live="polite" aria-busy={current.kind === 'loading'}>
          {!isCollapsed && current.kind === 'no-customer' && worklist?.value ? (
            <Worklist rows={worklist.value} site={current.site} onResolveAll={onResolveAll} />
          ) : (
            <SidebarBody state={current} actions={actions} historyUrl={historyUrl} />
          )}
        </div>
      </section>
    </Root>
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
          // A new record or customer gets a fresh card (its history closed), as when "Looking up…" came between.
          key={`${state.identity.hostRecordId ?? ''} ${state.customer.id}`}
          customer={state.customer}
          identified={state.identified}
          historyUrl={historyUrl}
          onUnlink={actions && state.customer.matchedBy === 'host-record' ? () => void actions.link(null) : undefined}
        />
      );
  }
}
