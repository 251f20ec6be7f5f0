/**
 * The content script's end of the side panel (lib/sidebar/panel-protocol.ts): answers a port from this
 * extension's side panel page with the sidebar's state and every change of it, and links the record
 * or outlines the page ("Copy a page report") when the panel asks. A port from anywhere else is left alone.
 */
import { effect, type Signal } from '@preact/signals';
import { browser } from 'wxt/browser';
import { isPanelLink, isPanelReportRequest, PANEL_PORT, type PanelReportAnswer, type PanelStateMessage } from '~/lib/sidebar/panel-protocol';
import type { SidebarState } from '~/lib/sidebar/state';
import type { SiteAdapter } from '~/lib/sites/types';

export interface PanelActions {
  link(customerId: string | null): Promise<void>;
  pageReport(): Promise<string>;
}

export function servePanel(adapter: SiteAdapter, state: Signal<SidebarState>, actions: PanelActions): () => void {
  const pages = browser.runtime.getURL('/');
  const onConnect = (port: Browser.runtime.Port) => {
    const sender = port.sender;
    if (port.name !== PANEL_PORT || sender?.id !== browser.runtime.id || !sender.url?.startsWith(pages)) return;
    const stop = effect(() => {
      const message: PanelStateMessage = { type: 'state', site: adapter.id, siteName: adapter.name, state: state.value };
      port.postMessage(message);
    });
    port.onMessage.addListener((message: unknown) => {
      if (isPanelLink(message)) void actions.link(message.customerId);
      if (isPanelReportRequest(message)) {
        const { id } = message;
        const answer = (reply: Omit<PanelReportAnswer, 'type' | 'id'>) => {
          try {
            port.postMessage({ type: 'page-report', id, ...reply } satisfies PanelReportAnswer);
          } catch {
            // The panel closed meanwhile.
          }
        };
        actions.pageReport().then(
          (text) => answer({ text }),
          (error: unknown) => answer({ message: error instanceof Error ? error.message : String(error) }),
        );
      }
    });
    port.onDisconnect.addListener(stop);
  };
  browser.runtime.onConnect.addListener(onConnect);
  return () => browser.runtime.onConnect.removeListener(onConnect);
}
