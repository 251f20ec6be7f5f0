/**
 * The sidebar on a host page: reads the page with the host's site adapter, asks the background who
 * the customer is, and renders the sidebar in a shadow root. Each site has its own small content
 * script (generated from lib/sites/hosts/<id>/ by scripts/host-content-scripts.ts) that calls this with its adapter, so a page loads only the
 * code that reads it. No database, no Chart.js, no zod here (see docs/architecture.md).
 */
import sidebarCss from '~/components/sidebar/sidebar.css?inline';
import { effect, signal } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { isStoreChanged, isToggleSidebar } from '~/lib/messages/guards';
import { askLink, askLookup, askPageReport, askSearch, tellOutcome } from '~/lib/messages/lookup-client';
import { createLookupCache } from '~/lib/sidebar/lookup-cache';
import { resolveSidebarState, stateFor, type Resolver } from '~/lib/sidebar/resolve';
import type { SidebarState } from '~/lib/sidebar/state';
import { applySiteOverride, siteOverrideFor } from '~/lib/sites/overrides';
import { LAYOUT, RULES, SITE_OVERRIDES } from '~/lib/settings/items';
import { readSettings, watchSetting } from '~/lib/settings/storage';
import { watchPolicyInForce } from '~/lib/settings/policy-watch';
import { holdTeamPortWhileConnected } from '~/lib/extension/team-port';
import type { SiteAdapter } from '~/lib/sites/types';
import { startListFeature } from './lists';
import { pageLayout } from './page-layout';
import { servePanel } from './panel-bridge';
import { Sidebar } from '../../components/sidebar/Sidebar';

const historyUrl = (customerId: string) => `${browser.runtime.getURL('/purchases.html')}?customer=${encodeURIComponent(customerId)}`;

export interface SidebarScriptOptions {
  /** Only for the demo helpdesk, whose hosts are granted at install. */
  requiredMatches?: readonly string[];
  /**
   * How the page becomes sidebar states, where it is not just the adapter's reading: a site whose
   * own API is asked passes `withHostApi(<its API>)` (lib/sidebar/host-api.ts), so that code is in
   * that site's content script only.
   */
  resolve?: Resolver;
}

/**
 * The content script of one site. Registered at run time by the background for the hosts a person
 * enabled (and custom domains mapped to this site).
 */
export function defineSidebarScript(adapter: SiteAdapter, { requiredMatches, resolve }: SidebarScriptOptions = {}) {
  return defineContentScript({
    registration: 'runtime',
    ...(requiredMatches ? { matches: [...requiredMatches] } : {}),
    cssInjectionMode: 'manual',
    runAt: 'document_idle',
    // Where a manager's custom site rule covers a page, the background registers this script with that
    // pattern in excludeMatches (lib/sites/enablement.ts withCustomSites): one sidebar per page.
    main: (ctx) => mountSidebar(ctx, adapter, resolve),
  });
}

export async function mountSidebar(ctx: ContentScriptContext, adapter: SiteAdapter, resolve?: Resolver): Promise<void> {
  const state = signal<SidebarState>({ kind: 'loading' });
  // Where the sidebar sits on this site (issue 17): docked, over the page, a badge, or the browser's side panel.
  // One storage read at mount: the layout choice and the team's override of this site's selectors.
  const [choices, overrides] = await readSettings(LAYOUT, SITE_OVERRIDES);
  applySiteOverride(adapter, siteOverrideFor(overrides, adapter.id));
  const layout = pageLayout(adapter.id, choices);
  ctx.onInvalidated(layout.dispose);
  const { collapsed, toggle } = layout;

  // The answers shown on this page, kept for going back to a record (issue 17; lib/sidebar/lookup-cache.ts):
  // asked again each time, repainted when the background's answer changed, forgotten when it says so.
  const answers = createLookupCache(askLookup, { onStale: () => void refresh(true) });

  // "Link to customer": remember which customer this host record is, then show them. A record whose
  // page gave nothing stays one (its link is looked up as on arrival); a site API's words stay.
  const actions = {
    search: askSearch,
    link: async (customerId: string | null) => {
      const current = state.value;
      if (current.kind === 'loading' || current.kind === 'error' || !current.identity) return;
      const identity = current.identity;
      const result = await askLink(identity, customerId);
      answers.clear(); // a link changes what this record (and the customer's other records) answer
      if (current.kind !== 'no-customer' && current.identified?.by !== 'record') {
        const { identified } = current;
        const api = identified?.by === 'host-api' || identified?.by === 'page' ? identified : undefined;
        state.value = await stateFor(adapter, { identity, missing: [] }, async () => result, api);
        return;
      }
      if (result.status === 'error') throw new Error(result.message); // said beside the search
      const record = { hostRecordId: identity.hostRecordId ?? '', recordType: identity.recordType };
      state.value = await stateFor(adapter, { identity: null, missing: current.missing ?? [], record }, async () => result);
    },
    pageReport: () => askPageReport(adapter, state.value),
  };

  // Tier chips and the worklist on list pages, when the site's switch is on (issue 8).
  const lists = startListFeature(ctx, adapter, () => !collapsed.value);
  // The worklist's rows are kept up to date only while the sidebar is open.
  effect(() => {
    if (!collapsed.value) lists.refresh();
  });
  // With the sidebar open, a list of up to 200 rows is ranked whole (one message).
  effect(() => {
    const rows = lists.rows.value;
    if (rows && !collapsed.value && lists.wantsAll(200)) lists.resolveAll();
  });

  const ui = await createShadowRootUi(ctx, {
    name: 'centric-sidebar',
    css: sidebarCss,
    position: 'inline',
    // On <html>, outside <body>: docking narrows <body> and makes it the containing block of fixed elements.
    anchor: 'html',
    append: 'last',
    isolateEvents: true,
    onMount(container) {
      render(
        <Sidebar state={state} collapsed={collapsed} onToggle={toggle} actions={actions} historyUrl={historyUrl} worklist={lists.rows} onResolveAll={lists.resolveAll} layout={layout} />,
        container,
      );
    },
    onRemove() {
      render(null, ui.uiContainer);
    },
  });
  ui.mount();
  layout.attach(ui.shadowHost);
  // The browser's side panel shows the same state when it is open on this tab.
  ctx.onInvalidated(servePanel(adapter, state, actions));

  // New treatment rules or tiers (the manager's, the team policy's, the team service's): ask again, without a loading flash.
  const rulesChanged = () => {
    answers.clear();
    void refresh(true);
  };
  ctx.onInvalidated(watchSetting(RULES, rulesChanged));
  ctx.onInvalidated(watchPolicyInForce(rulesChanged));
  // Connected to a team: the background follows its changes live while this sidebar is here.
  ctx.onInvalidated(holdTeamPortWhileConnected());
  // New selectors for this site (a team's override, or its removal): apply them and read the page again.
  ctx.onInvalidated(
    watchSetting(SITE_OVERRIDES, (next, previous) => {
      const override = siteOverrideFor(next, adapter.id);
      if (JSON.stringify(override) === JSON.stringify(siteOverrideFor(previous, adapter.id))) return;
      applySiteOverride(adapter, override);
      void refresh(true);
    }),
  );
  browser.runtime.onMessage.addListener((message: unknown) => {
    if (isToggleSidebar(message)) toggle();
    // The store, rules or sources changed: forget the kept answers and ask again for the record in view
    // (what it shows may be one of them, served just before the change reached this tab).
    if (isStoreChanged(message)) {
      answers.clear();
      void refresh(true);
    }
  });

  let run = 0;
  let lastHref = '';
  let loadingFrame = 0;
  const refresh = async (again = false) => {
    if (location.href === lastHref && !again) return;
    lastHref = location.href;
    lists.refresh();
    const mine = ++run;
    // "Looking up…" only if the answer is not there by the next frame (a kept answer paints at once).
    cancelAnimationFrame(loadingFrame);
    if (!again) {
      loadingFrame = requestAnimationFrame(() => {
        if (mine === run && ctx.isValid) state.value = { kind: 'loading' };
      });
    }
    const paint = (next: SidebarState) => {
      if (mine !== run || !ctx.isValid) return;
      cancelAnimationFrame(loadingFrame);
      state.value = next;
    };
    const url = new URL(location.href);
    const options = { lookup: answers.lookup, signal: ctx.signal };
    if (resolve) await resolve(adapter, document, url, options, paint);
    else paint(await resolveSidebarState(adapter, document, url, options));
    // How this record page's reading went, for Options → Sites → site health (issue 17).
    if (!again && mine === run && ctx.isValid) tellOutcome(adapter.id, state.value);
    // The new page's controls may lie where the badge is.
    if (!again && mine === run && ctx.isValid) layout.recheck();
  };
  // Single-page navigation: the Navigation API reports pushState/replaceState at once (where the
  // browser has it); WXT's location polling is the fallback. Either only re-reads when the URL changed.
  const navigation = (window as { navigation?: EventTarget }).navigation;
  if (navigation) ctx.addEventListener(navigation as unknown as Window, 'currententrychange' as 'load', () => void refresh());
  ctx.addEventListener(window, 'wxt:locationchange', () => void refresh());
  ctx.addEventListener(window, 'hashchange', () => void refresh());
  await refresh();
}
