/**
 * How the sidebar fits each host app's layout (issue 17, item 5), as data: which homes the sidebar may
 * take on that host, the default on a wide window, and where its badge goes. The findings behind each
 * entry (what was evidenced, what was tried in Chromium, what is assumed) are in docs/architecture.md,
 * "Layout: overlay, dock, side panel, badge (issue 17)"; tests/e2e/layout.e2e.ts checks every entry on
 * the host's fixtures and layout shell. Pure: no browser API, so the content script, the side panel
 * and the options page share it, and unit tests run it on plain data.
 *
 * The homes:
 * - `dock`: the page narrows and the sidebar sits beside it (lib/content/dock.ts). Where the
 *   page does not make room after all, the sidebar says so and falls back to its badge.
 * - `overlay`: the sidebar lies over the right-hand part of the page (the only home before issue 17).
 * - `panel`: the browser's own side panel (Chrome `sidePanel`, Firefox `sidebar_action`) shows the
 *   sidebar; the page keeps only the badge, which opens the panel.
 * - `badge`: a small badge with the tier; a click (or Enter) opens the sidebar over the page.
 */

export const LAYOUT_MODES = ['dock', 'overlay', 'panel', 'badge'] as const;
export type LayoutMode = (typeof LAYOUT_MODES)[number];

/** Where the badge sits: bottom right, bottom left, or middle right (an edge tab). */
export type Corner = 'br' | 'bl' | 'mr';

export interface SiteLayout {
  /** The homes offered on this host (the side panel and the badge always are). */
  modes: readonly LayoutMode[];
  /** The home on a wide window (at least NARROW_BELOW px) when the person chose none. */
  wide: LayoutMode;
  /** The badge's corner: clear of the host's own controls there (see each entry). */
  corner: Corner;
}

/** Below this viewport width the sidebar starts as a badge unless the person chose a home for the site. */
export const NARROW_BELOW = 1200;
/** The sidebar's width (px): the room a docked page gives up. */
export const SIDEBAR_WIDTH = 320;

const ALL: readonly LayoutMode[] = LAYOUT_MODES;
const NO_DOCK: readonly LayoutMode[] = ['overlay', 'panel', 'badge'];

/**
 * Per host (adapter id). A host not listed (a custom site, the demo) gets DEFAULT_LAYOUT: docking is
 * offered and tried, and refuses itself where the page does not make room.
 */
export const SITE_LAYOUTS: Readonly<Record<string, SiteLayout>> = {
  // Agent Workspace: a full-window app (nothing scrolls the document). Footer buttons ("Submit as …")
  // sit bottom right, so the badge goes middle right first.
  zendesk: { modes: ALL, wide: 'dock', corner: 'mr' },
  // Lightning: a full-window app with a fixed global header and a fixed tab bar; the console's utility
  // bar runs along the bottom from the left.
  salesforce: { modes: ALL, wide: 'dock', corner: 'mr' },
  // Records: three columns in a full-window app; HubSpot's own help widget sits bottom right.
  hubspot: { modes: ALL, wide: 'dock', corner: 'mr' },
  // 2026 layout: a full-window app; the contact panel (a micro-frontend) is the right-hand column.
  freshdesk: { modes: ALL, wide: 'dock', corner: 'mr' },
  intercom: { modes: ALL, wide: 'dock', corner: 'mr' },
  pipedrive: { modes: ALL, wide: 'dock', corner: 'mr' },
  gorgias: { modes: ALL, wide: 'dock', corner: 'mr' },
  // Shopify admin (Polaris frame): the document scrolls under a fixed top bar whose account menu is at
  // the right edge; narrowing the document leaves that menu under the sidebar, so no docking. The left
  // navigation ends in "Settings" (bottom left) and cards' actions sit near the right edge: bottom right.
  shopify: { modes: NO_DOCK, wide: 'badge', corner: 'br' },
  helpscout: { modes: ALL, wide: 'dock', corner: 'mr' },
  zoho: { modes: ALL, wide: 'dock', corner: 'mr' },
  front: { modes: ALL, wide: 'dock', corner: 'mr' },
  // Gmail sizes its panes from the window's width in script and keeps its own side panel (Calendar,
  // Keep, Tasks) along the right edge, its icons at the top; compose windows open bottom right. No docking.
  gmail: { modes: NO_DOCK, wide: 'badge', corner: 'mr' },
};

export const DEFAULT_LAYOUT: SiteLayout = { modes: ALL, wide: 'dock', corner: 'mr' };

/** The layout entry of a host (custom sites, `custom:<id>`, and the demo get the default). */
export function layoutFor(siteId: string): SiteLayout {
  return SITE_LAYOUTS[siteId] ?? DEFAULT_LAYOUT;
}

/** What a person chose for one site (storage.local, LAYOUT_KEY, keyed by adapter id). */
export interface SiteLayoutChoice {
  /** The home they chose; absent: automatic (the host's default, or the badge on a narrow window). */
  mode?: LayoutMode;
  /** They hid the sidebar (docked or over the page) and it stays hidden until they open it. */
  collapsed?: boolean;
}

/** The stored choices, `{ [adapterId]: SiteLayoutChoice }` (lib/settings/items.ts LAYOUT). */
export type LayoutChoices = Readonly<Record<string, SiteLayoutChoice>>;

const isMode = (value: unknown): value is LayoutMode => typeof value === 'string' && (LAYOUT_MODES as readonly string[]).includes(value);

/** One site's choice from the stored value, whatever it holds (a hand-edited or older value reads as "nothing chosen"). */
export function choiceFrom(stored: unknown, siteId: string): SiteLayoutChoice {
  const entry = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>)[siteId] : undefined;
  if (typeof entry !== 'object' || entry === null) return {};
  const { mode, collapsed } = entry as Record<string, unknown>;
  return { ...(isMode(mode) ? { mode } : {}), ...(collapsed === true ? { collapsed } : {}) };
}

/** Every site's choice from the stored value, whatever it holds (entries that do not read are left out). */
export function layoutChoices(stored: unknown): LayoutChoices {
  const out: Record<string, SiteLayoutChoice> = {};
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return out;
  for (const id of Object.keys(stored)) {
    const choice = choiceFrom(stored, id);
    if (choice.mode || choice.collapsed) out[id] = choice;
  }
  return out;
}

/** The stored value with one site's choice replaced (an empty choice removes the site's entry). */
export function withChoice(stored: unknown, siteId: string, choice: SiteLayoutChoice): Record<string, SiteLayoutChoice> {
  const next = { ...(typeof stored === 'object' && stored !== null ? (stored as Record<string, SiteLayoutChoice>) : {}) };
  const clean = choiceFrom({ [siteId]: choice }, siteId);
  if (clean.mode || clean.collapsed) next[siteId] = clean;
  else delete next[siteId];
  return next;
}

/** The home in effect: the person's choice where allowed, else the host's default, the badge on a narrow window. */
export function effectiveMode(siteId: string, choice: SiteLayoutChoice, viewportWidth: number): LayoutMode {
  const layout = layoutFor(siteId);
  if (choice.mode && layout.modes.includes(choice.mode)) return choice.mode;
  return viewportWidth < NARROW_BELOW ? 'badge' : layout.wide;
}

/**
 * The migration of the single pre-issue-17 switch: where the sidebar was collapsed everywhere, every
 * site listed that has no choice of its own starts collapsed. Returns the new LAYOUT_KEY value, or null
 * when there is nothing to migrate.
 */
export function migrateLegacyCollapsed(legacy: unknown, stored: unknown, siteIds: readonly string[]): Record<string, SiteLayoutChoice> | null {
  if (legacy === undefined) return null;
  let next = withChoice(stored, '', {});
  for (const id of Object.keys(next)) next = withChoice(next, id, choiceFrom(next, id));
  if (legacy === true) {
    for (const id of siteIds) {
      const current = choiceFrom(next, id);
      if (current.collapsed === undefined) next = withChoice(next, id, { ...current, collapsed: true });
    }
  }
  return next;
}

/** Words for the homes (the sidebar's menu, the options page, the side panel). */
export const MODE_LABELS: Readonly<Record<LayoutMode, string>> = {
  dock: 'Beside the page',
  overlay: 'Over the page',
  panel: 'Browser side panel',
  badge: 'Small badge',
};
