/**
 * The browser's side panel as another home of the sidebar (issue 17): the side panel page
 * (entrypoints/sidepanel) connects to the content script of its tab with `tabs.connect` (a port named
 * PANEL_PORT, top frame only). The content script answers with its sidebar state, then every change
 * of it; the panel sends "link" and "page-report" back (search goes straight to the background, which
 * answers any extension page; a page report is the tab's own, so the tab asks for it and answers). Both ends check what they receive: the panel with zod (lib/messages/panel.ts), the
 * content script with the small guard below (no zod in content scripts).
 */
import type { SidebarState } from './state';

export const PANEL_PORT = 'centric-sidepanel';

/** Content script -> side panel: the sidebar's state on this tab, and which site it is. */
export interface PanelStateMessage {
  type: 'state';
  /** The adapter id (the key of the site's layout choice). */
  site: string;
  /** The site's name, shown by the panel. */
  siteName: string;
  state: SidebarState;
}

/** Side panel -> content script: link this host record to a customer (null: forget the link). */
export interface PanelLinkMessage {
  type: 'link';
  customerId: string | null;
}

/** The content script's check of what the side panel sends. */
export function isPanelLink(value: unknown): value is PanelLinkMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { type, customerId } = value as Record<string, unknown>;
  return type === 'link' && (customerId === null || (typeof customerId === 'string' && customerId.length > 0 && customerId.length <= 128));
}

/** Side panel -> content script: outline this page for "Copy a page report"; `id` pairs the answer. */
export interface PanelReportRequest {
  type: 'page-report';
  id: number;
}

/** Content script -> side panel: the page report's text, or why there is none. */
export interface PanelReportAnswer {
  type: 'page-report';
  id: number;
  text?: string;
  message?: string;
}

/** The content script's check of a page report request from the side panel. */
export function isPanelReportRequest(value: unknown): value is PanelReportRequest {
  if (typeof value !== 'object' || value === null) return false;
  const { type, id } = value as Record<string, unknown>;
  return type === 'page-report' && Number.isSafeInteger(id);
}
