import { computed, signal, useSignal } from '@preact/signals';
import { useEffect, useMemo } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { Sidebar } from '~/components/sidebar/Sidebar';
import type { LayoutView } from '~/lib/content/page-layout';
import { ask } from '~/lib/messages/client';
import type { SidebarState } from '~/lib/sidebar/state';
import { choiceFrom, layoutFor, withChoice, type LayoutMode } from '~/lib/sites/layout';
import { LAYOUT } from '~/lib/settings/items';
import { updateSetting } from '~/lib/settings/storage';
import { useSetting } from '~/lib/pages/use-setting';
import { connectPanel, type PanelConnection, type PanelStatus, type PanelTabs } from '../../lib/pages/sidepanel-connection';

const historyUrl = (customerId: string) => `${browser.runtime.getURL('/purchases.html')}?customer=${encodeURIComponent(customerId)}`;

/** The tab named in the page's address (`sidepanel.html?tab=<id>`), if any. */
function pinnedTab(): number | undefined {
  const param = new URLSearchParams(location.search).get('tab');
  const tab = param ? Number(param) : NaN;
  return Number.isInteger(tab) && tab >= 0 ? tab : undefined;
}

/** The layout menu in the panel: the same per-site choice as in the page, read and written here. */
function useLayoutView(site: string | null): LayoutView | undefined {
  const chosen = useSignal<LayoutMode | undefined>(undefined);
  const choices = useSetting(LAYOUT);
  useEffect(() => {
    if (site && choices) chosen.value = choiceFrom(choices, site).mode;
  }, [site, choices]);
  return useMemo(() => {
    if (!site) return undefined;
    const layout = layoutFor(site);
    return {
      site,
      modes: layout.modes,
      chosen,
      mode: computed(() => chosen.value ?? 'panel'),
      docked: signal(false),
      corner: signal(layout.corner),
      note: signal(null),
      choose(mode) {
        void updateSetting(LAYOUT, (stored) => withChoice(stored, site, mode ? { ...choiceFrom(stored, site), mode } : {}));
      },
    };
  }, [site]);
}

/**
 * The browser's side panel (issue 17): the same sidebar as on the page, for the tab it follows, with
 * its state published by that tab's content script. "Link to customer" goes back to the tab; search
 * asks the background directly.
 */
export function SidePanelApp({ tabs = browser.tabs as unknown as PanelTabs }: { tabs?: PanelTabs }) {
  const status = useSignal<PanelStatus>({ kind: 'connecting' });
  const state = useSignal<SidebarState>({ kind: 'loading' });
  const collapsed = useSignal(false);
  const connection = useSignal<PanelConnection | null>(null);

  useEffect(() => {
    let stopped = false;
    let current: PanelConnection | null = null;
    const start = (windowId?: number) => {
      if (stopped) return;
      current = connectPanel(tabs, { pinnedTab: pinnedTab(), windowId }, (next) => {
        status.value = next;
        if (next.kind === 'connected') state.value = next.state;
      });
      connection.value = current;
    };
    if (pinnedTab() !== undefined) start();
    else void browser.windows.getCurrent().then((w) => start(w.id), () => start());
    return () => {
      stopped = true;
      current?.stop();
    };
  }, []);

  const now = status.value;
  const site = now.kind === 'connected' ? now.site : null;
  const layout = useLayoutView(site);
  const actions = {
    search: async (query: string) => (await ask({ type: 'search', query: query.slice(0, 200) })).results,
    link: async (customerId: string | null) => {
      if (!connection.value?.link(customerId)) throw new Error('The tab is not showing Centric any more.');
    },
    pageReport: async () => {
      if (!connection.value) throw new Error('The tab is not showing Centric any more.');
      return connection.value.pageReport();
    },
  };

  return (
    <main class="centric-page" data-testid="sidepanel" data-status={now.kind} data-site={site ?? undefined}>
      <h1 class="visually-hidden">Centric{now.kind === 'connected' ? ` on ${now.siteName}` : ''}</h1>
      {now.kind === 'connected' ? (
        <Sidebar state={state} collapsed={collapsed} onToggle={() => {}} actions={actions} historyUrl={historyUrl} layout={layout} home="panel" />
      ) : (
        <div class="centric away">
          <p class="notice-title" role="status" data-testid="sidepanel-away">
            {now.kind === 'connecting' ? 'Looking for Centric on this tab…' : 'Centric is not showing on this tab.'}
          </p>
          {now.kind === 'away' && (
            <p class="hint">Open a ticket or a customer record on a site where Centric is on (Options → Sites), and its sidebar shows here.</p>
          )}
        </div>
      )}
    </main>
  );
}
