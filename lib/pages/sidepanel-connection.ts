/**
 * The side panel's link to the sidebar of one tab (lib/sidebar/panel-protocol.ts): the tab named in
 * the page's address (`?tab=<id>`), else the active tab of the panel's window, followed as the person
 * switches tabs. A tab without Centric's sidebar (another site, a page still loading, a reload) is
 * asked again a few times, then reported "away". Every message is checked with zod before use.
 * The tabs API is passed in, so unit tests drive it with fakes.
 */
import { panelReportAnswerSchema, panelStateMessageSchema } from '~/lib/messages/panel';
import { PANEL_PORT, type PanelLinkMessage, type PanelReportRequest } from '~/lib/sidebar/panel-protocol';
import type { SidebarState } from '~/lib/sidebar/state';

export type PanelStatus =
  | { kind: 'connecting' }
  /** No sidebar on the tab (not a site Centric is on, or not a record page it reads). */
  | { kind: 'away' }
  | { kind: 'connected'; site: string; siteName: string; state: SidebarState };

export interface PanelPort {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

export interface PanelTabs {
  connect(tabId: number, info: { name: string; frameId: number }): PanelPort;
  query(info: { active: true; windowId: number }): Promise<{ id?: number }[]>;
  onActivated: { addListener(listener: (info: { tabId: number; windowId: number }) => void): void; removeListener(listener: (info: { tabId: number; windowId: number }) => void): void };
  onUpdated: { addListener(listener: (tabId: number, change: { status?: string }) => void): void; removeListener(listener: (tabId: number, change: { status?: string }) => void): void };
  onRemoved: { addListener(listener: (tabId: number) => void): void; removeListener(listener: (tabId: number) => void): void };
}

/** Waits before asking a tab again (ms): a content script starts when the page is idle. */
export const RETRY_DELAYS = [250, 500, 1000, 2000, 4000];

export interface PanelConnection {
  /** Links the tab's record to a customer (null: forgets the link); false when no tab is connected. */
  link(customerId: string | null): boolean;
  /** The tab's page report ("Copy a page report"); fails when the tab goes or cannot outline its page. */
  pageReport(): Promise<string>;
  stop(): void;
}

export function connectPanel(
  tabs: PanelTabs,
  where: { pinnedTab?: number; windowId?: number },
  onStatus: (status: PanelStatus) => void,
  timers: { set: (f: () => void, ms: number) => unknown; clear: (id: unknown) => void } = { set: (f, ms) => setTimeout(f, ms), clear: (id) => clearTimeout(id as number) },
): PanelConnection {
  let target: number | undefined;
  let port: PanelPort | null = null;
  let attempt = 0;
  let retry: unknown;
  let stopped = false;
  // Page reports asked of the current tab, by request id: settled by its answer, failed when the port goes.
  const reports = new Map<number, { resolve(text: string): void; reject(error: Error): void }>();
  let nextReport = 1;
  const failReports = () => {
    for (const { reject } of reports.values()) reject(new Error('The tab stopped showing Centric before its page report was ready.'));
    reports.clear();
  };

  const connect = () => {
    timers.clear(retry);
    port?.disconnect();
    port = null;
    failReports();
    if (stopped || target === undefined) return;
    let mine: PanelPort;
    try {
      mine = tabs.connect(target, { name: PANEL_PORT, frameId: 0 });
    } catch {
      // The tab is gone (closed): nothing to show until another tab is.
      onStatus({ kind: 'away' });
      return;
    }
    port = mine;
    mine.onMessage.addListener((message) => {
      if (port !== mine) return;
      const report = panelReportAnswerSchema.safeParse(message);
      if (report.success) {
        const waiting = reports.get(report.data.id);
        reports.delete(report.data.id);
        if (report.data.text !== undefined) waiting?.resolve(report.data.text);
        else waiting?.reject(new Error(report.data.message ?? 'The tab could not outline its page.'));
        return;
      }
      const parsed = panelStateMessageSchema.safeParse(message);
      if (!parsed.success) {
        console.warn('[Centric] The side panel refused a malformed message from the tab.');
        return;
      }
      attempt = 0;
      onStatus({ kind: 'connected', site: parsed.data.site, siteName: parsed.data.siteName, state: parsed.data.state });
    });
    mine.onDisconnect.addListener(() => {
      if (port !== mine || stopped) return;
      port = null;
      failReports();
      const delay = RETRY_DELAYS[attempt++];
      if (delay === undefined) {
        onStatus({ kind: 'away' });
        return;
      }
      onStatus({ kind: 'connecting' });
      retry = timers.set(connect, delay);
    });
  };
  const show = (tabId: number | undefined) => {
    target = tabId;
    attempt = 0;
    onStatus(tabId === undefined ? { kind: 'away' } : { kind: 'connecting' });
    connect();
  };

  const onActivated = (info: { tabId: number; windowId: number }) => {
    if (where.pinnedTab === undefined && info.windowId === where.windowId) show(info.tabId);
  };
  // A page loaded (again) in the tab: its new content script answers now.
  const onUpdated = (tabId: number, change: { status?: string }) => {
    if (tabId === target && change.status === 'complete' && !port) {
      attempt = 0;
      connect();
    }
  };
  // The tab closed: nothing to show (until the window's next active tab, when the panel follows).
  const onRemoved = (tabId: number) => {
    if (tabId !== target) return;
    target = undefined;
    timers.clear(retry);
    port = null;
    failReports();
    onStatus({ kind: 'away' });
  };
  tabs.onActivated.addListener(onActivated);
  tabs.onUpdated.addListener(onUpdated);
  tabs.onRemoved.addListener(onRemoved);
  if (where.pinnedTab !== undefined) show(where.pinnedTab);
  else if (where.windowId !== undefined) void tabs.query({ active: true, windowId: where.windowId }).then(([tab]) => !stopped && show(tab?.id));
  else show(undefined);

  return {
    link(customerId) {
      if (!port) return false;
      const message: PanelLinkMessage = { type: 'link', customerId };
      port.postMessage(message);
      return true;
    },
    pageReport() {
      if (!port) return Promise.reject(new Error('The tab is not showing Centric any more.'));
      const id = nextReport++;
      const request: PanelReportRequest = { type: 'page-report', id };
      const answered = new Promise<string>((resolve, reject) => reports.set(id, { resolve, reject }));
      port.postMessage(request);
      return answered;
    },
    stop() {
      stopped = true;
      timers.clear(retry);
      port?.disconnect();
      port = null;
      failReports();
      tabs.onActivated.removeListener(onActivated);
      tabs.onUpdated.removeListener(onUpdated);
      tabs.onRemoved.removeListener(onRemoved);
    },
  };
}
