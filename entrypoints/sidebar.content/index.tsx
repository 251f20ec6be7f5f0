/**
 * The sidebar content script: reads the page with the host's site adapter, asks the background who
 * the customer is, and renders the sidebar in a shadow root. Wiring only: no database, no Chart.js,
 * no zod here (see docs/architecture.md).
 */
import sidebarCss from '~/components/sidebar/sidebar.css?inline';
import { signal } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { Sidebar } from '~/components/sidebar/Sidebar';
import { isToggleSidebar } from '~/lib/messages/guards';
import { askLookup } from '~/lib/messages/lookup-client';
import { resolveSidebarState } from '~/lib/sidebar/resolve';
import type { SidebarState } from '~/lib/sidebar/state';
import { CUSTOM_DOMAINS_KEY, type CustomDomain } from '~/lib/sites/enablement';
import { adapterFor, DEMO_PATTERNS } from '~/lib/sites/registry';

/** Whether the sidebar is collapsed, remembered across pages and sessions (extension storage, not the page's). */
const COLLAPSED_KEY = 'sidebar.collapsed';
async function readCollapsed(): Promise<boolean> {
  const stored = await browser.storage.local.get(COLLAPSED_KEY);
  return stored[COLLAPSED_KEY] === true;
}

export default defineContentScript({
  // Registered at run time by the background for the sites a person enabled (lib/sites/enablement.ts);
  // the demo's hosts are the only ones granted at install.
  registration: 'runtime',
  matches: [...DEMO_PATTERNS],
  cssInjectionMode: 'manual',
  runAt: 'document_idle',

  async main(ctx) {
    const stored = await browser.storage.local.get(CUSTOM_DOMAINS_KEY);
    const customDomains = (Array.isArray(stored[CUSTOM_DOMAINS_KEY]) ? stored[CUSTOM_DOMAINS_KEY] : []) as CustomDomain[];
    const adapter = adapterFor(new URL(location.href), customDomains);
    if (!adapter) return;

    const state = signal<SidebarState>({ kind: 'loading' });
    const collapsed = signal(await readCollapsed());
    const toggle = () => {
      collapsed.value = !collapsed.value;
      void browser.storage.local.set({ [COLLAPSED_KEY]: collapsed.value });
    };

    const ui = await createShadowRootUi(ctx, {
      name: 'centric-sidebar',
      css: sidebarCss,
      position: 'inline',
      anchor: 'body',
      append: 'last',
      isolateEvents: true,
      onMount(container) {
        render(<Sidebar state={state} collapsed={collapsed} onToggle={toggle} />, container);
      },
      onRemove() {
        render(null, ui.uiContainer);
      },
    });
    ui.mount();

    browser.storage.onChanged.addListener((changes, area) => {
      const change = changes[COLLAPSED_KEY];
      if (area === 'local' && change) collapsed.value = change.newValue === true;
    });
    browser.runtime.onMessage.addListener((message: unknown) => {
      if (isToggleSidebar(message)) toggle();
    });

    let run = 0;
    const refresh = async () => {
      const mine = ++run;
      state.value = { kind: 'loading' };
      const next = await resolveSidebarState(adapter, document, new URL(location.href), {
        lookup: askLookup,
        signal: ctx.signal,
      });
      if (mine === run && ctx.isValid) state.value = next;
    };
    ctx.addEventListener(window, 'wxt:locationchange', () => void refresh());
    await refresh();
  },
});
