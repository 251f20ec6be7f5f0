/**
 * The background's part of the browser's side panel (issue 17): opening it for the tab whose badge was
 * clicked. Pure apart from the APIs it is given, so it is unit tested without a browser.
 */
export interface SidePanelApis {
  /** Chrome's `sidePanel` (absent in Firefox). */
  sidePanel?: { open(options: { tabId: number }): Promise<void> };
  /** Firefox's `sidebarAction` (absent in Chrome). */
  sidebarAction?: { open(): Promise<void> };
}

export interface PanelSender {
  id?: string;
  tab?: { id?: number };
}

export interface OpenAnswer {
  ok: boolean;
  message: string;
}

export function isOpenSidePanel(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'open-side-panel';
}

const FIREFOX_HOW = 'Firefox opens Centric’s sidebar only from its own menu: View → Sidebar → Centric, or the sidebar button.';

/**
 * Opens the side panel on the sender's tab. Must be called in the message listener itself, before any
 * await: the browsers open it only within the user's click, which the badge's message carries (Chrome).
 */
export function openSidePanel(apis: SidePanelApis, sender: PanelSender, ownId: string): Promise<OpenAnswer> {
  const tabId = sender.tab?.id;
  if (sender.id !== ownId || tabId === undefined) return Promise.resolve({ ok: false, message: 'Refused: not from Centric’s sidebar in a tab.' });
  let opening: Promise<void>;
  try {
    if (apis.sidePanel) opening = apis.sidePanel.open({ tabId });
    else if (apis.sidebarAction) opening = apis.sidebarAction.open();
    else return Promise.resolve({ ok: false, message: 'This browser has no side panel for extensions.' });
  } catch (error) {
    opening = Promise.reject(error);
  }
  return opening.then(
    () => ({ ok: true, message: 'opened' }),
    (error: unknown) => ({
      ok: false,
      message: apis.sidebarAction ? FIREFOX_HOW : `The side panel did not open: ${String((error as Error)?.message ?? error).slice(0, 200)}`,
    }),
  );
}
