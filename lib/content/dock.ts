/**
 * Docking (issue 17): the host page narrows so that the sidebar sits beside it instead of over it.
 * One <style> element in the host page's <head>, removed whole to undock; nothing else of the page is
 * touched. The sidebar itself hangs on <html>, outside <body>, so the rules below do not move it.
 *
 * Two shapes of page (tried in real Chromium, docs/architecture.md "Layout …"):
 * - an app shell (the document itself does not scroll; panes are fixed or absolute, as in Zendesk,
 *   Salesforce, Freshdesk): <html> narrows and <body> gets a transform, which makes <body> the
 *   containing block of its fixed and absolute descendants, so they lay out in the narrowed box;
 * - a scrolling document: <html> narrows and nothing else (a transform would make a fixed header scroll
 *   away with the page); fixed elements stay where they were, and the sidebar keeps clear of the
 *   page's scroll bar.
 * Then the page is checked: a control of the page still inside the sidebar's strip (a pane sized from
 * `100vw` or from the window's width in script, a fixed header's menu) means the page did not make
 * room, and the caller undocks and says so.
 */

export const DOCK_STYLE_ID = 'centric-dock';

/**
 * What the brief calls an interactive host element (tests/e2e/layout.e2e.ts checks with this same
 * selector). Broad on purpose: an `<a>` without href that a script handles, and an element with
 * tabindex="-1" that takes clicks (Gmail's sender name opens its hover card) are controls to an agent.
 */
export const INTERACTIVE = 'a,button,input:not([type="hidden"]),select,textarea,[role="button"],[role="link"],[tabindex]';

export interface Docked {
  /** The page's scroll bar width (px), measured before narrowing: the sidebar's strip ends left of it. */
  gutter: number;
  undo(): void;
}

/** Narrows the page by `width` px; returns how to undo it. A second call replaces the first. */
export function dock(doc: Document, width: number): Docked {
  undock(doc);
  const html = doc.documentElement;
  const view = doc.defaultView!;
  // The page's scroll bar, measured before narrowing (the root's clientWidth follows its own width after).
  const gutter = Math.max(0, view.innerWidth - html.clientWidth);
  const body = doc.body as HTMLElement | null;
  const scroller = doc.scrollingElement ?? html;
  const overflow = (el: Element | null) => (el ? view.getComputedStyle(el).overflowY : 'visible');
  const viewportOverflow = overflow(html) === 'visible' ? overflow(body) : overflow(html);
  const scrolls = scroller.scrollHeight > scroller.clientHeight + 1 && viewportOverflow !== 'hidden' && viewportOverflow !== 'clip';
  let css = `html{width:calc(100% - ${width}px)!important;min-width:0!important}`;
  if (!scrolls && body) {
    const style = view.getComputedStyle(body);
    const margins = (parseFloat(style.marginTop) || 0) + (parseFloat(style.marginBottom) || 0);
    css += `body{transform:translate(0)!important;min-height:calc(100vh - ${margins}px)!important}`;
  }
  const element = doc.createElement('style');
  element.id = DOCK_STYLE_ID;
  element.textContent = css;
  (doc.head ?? html).append(element);
  return { gutter, undo: () => element.remove() };
}

/** Removes the dock's style element, if any. */
export function undock(doc: Document): void {
  doc.getElementById(DOCK_STYLE_ID)?.remove();
}

/** The element a click at (x, y) would reach, looking into open shadow roots. */
function hitAt(doc: Document, x: number, y: number): Element | null {
  let el = doc.elementFromPoint(x, y);
  for (let inner = el?.shadowRoot?.elementFromPoint(x, y); inner && inner !== el; inner = el.shadowRoot?.elementFromPoint(x, y)) el = inner;
  return el;
}

/** Whether `node` is `el` or inside it, across shadow roots. */
function within(el: Element, node: Node | null): boolean {
  for (let n = node; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) if (n === el) return true;
  return false;
}

/**
 * The page's controls that a click inside `rect` would reach: every control (also in open shadow roots)
 * whose box overlaps the rectangle and that is the topmost thing at the middle of that overlap, with
 * the sidebar's own element (`own`, hidden meanwhile by sidebar.css's `:host([data-probing])`) left out.
 * Exact where a sampling grid misses small controls, and one pass over the page (a few ms on a large app).
 */
export function controlsIn(doc: Document, rect: { left: number; top: number; right: number; bottom: number }, own: Element): Element[] {
  const found: Element[] = [];
  own.setAttribute('data-probing', '');
  const visit = (root: Document | ShadowRoot) => {
    for (const el of root.querySelectorAll('*')) {
      if (el === own) continue;
      if (el.shadowRoot) visit(el.shadowRoot);
      if (!el.matches(INTERACTIVE)) continue;
      const box = el.getBoundingClientRect();
      const left = Math.max(box.left, rect.left);
      const right = Math.min(box.right, rect.right);
      const top = Math.max(box.top, rect.top);
      const bottom = Math.min(box.bottom, rect.bottom);
      if (right - left >= 1 && bottom - top >= 1 && within(el, hitAt(doc, (left + right) / 2, (top + bottom) / 2))) found.push(el);
    }
  };
  try {
    visit(doc);
  } finally {
    own.removeAttribute('data-probing');
  }
  return found;
}

/** The badge's box in each corner (px, its largest: sidebar.css `.badge` and `.corner-*`), in a viewport of `view` (scroll bar excluded). */
export function badgeBox(corner: 'br' | 'bl' | 'mr', view: { width: number; height: number }): { left: number; top: number; right: number; bottom: number } {
  if (corner === 'mr') return { left: view.width - 32, right: view.width, top: view.height / 2 - 64, bottom: view.height / 2 + 64 };
  const bottom = view.height - 12;
  if (corner === 'bl') return { left: 12, right: 12 + 160, top: bottom - 36, bottom };
  return { left: view.width - 12 - 160, right: view.width - 12, top: bottom - 36, bottom };
}

/**
 * Where the badge goes on this page: the host's corner (lib/sites/layout.ts) when no control of the
 * page is there, else the first other corner that is clear, else the host's corner after all (the
 * fewest controls under it). A page laid out unlike the evidence (a pane without its app's side strip,
 * a host's own panel hidden) then still keeps its controls in reach.
 */
export function clearCorner<C extends 'br' | 'bl' | 'mr'>(doc: Document, preferred: C, own: Element): C | 'br' | 'bl' | 'mr' {
  // The root's client box is the viewport without its scroll bars (the page is not docked meanwhile).
  const view = { width: doc.documentElement.clientWidth || doc.defaultView!.innerWidth, height: doc.documentElement.clientHeight || doc.defaultView!.innerHeight };
  const order = [preferred, ...(['mr', 'br', 'bl'] as const).filter((c) => c !== preferred)];
  let best: { corner: C | 'br' | 'bl' | 'mr'; covered: number } | null = null;
  for (const corner of order) {
    const covered = controlsIn(doc, badgeBox(corner, view), own).length;
    if (covered === 0) return corner;
    if (!best || covered < best.covered) best = { corner, covered };
  }
  return best!.corner;
}
