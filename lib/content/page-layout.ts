/**
 * Where the sidebar sits on a host page (issue 17): the person's choice for this site (remembered in
 * extension storage; the background migrates the old single switch), else the host's default from
 * lib/sites/layout.ts, and a badge on a narrow window. Docks the page (./dock.ts) when the home is
 * "beside the page" and checks that the page made room; where it did not, the sidebar shows as its
 * badge and opens over the page. Kept small: it is in every content script.
 */
import { computed, effect, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import { browser } from 'wxt/browser';
import { choiceFrom, effectiveMode, layoutFor, NARROW_BELOW, SIDEBAR_WIDTH, withChoice, type Corner, type LayoutChoices, type LayoutMode, type SiteLayoutChoice } from '~/lib/sites/layout';
import { LAYOUT } from '~/lib/settings/items';
import { updateSetting, watchSetting } from '~/lib/settings/storage';
import { clearCorner, controlsIn, dock, undock } from './dock';

/** What the sidebar's shell shows of the layout (the side panel page gives the same, without a page to dock). */
export interface LayoutView {
  /** The adapter id the choice is stored under. */
  site: string;
  /** The homes offered on this site. */
  modes: readonly LayoutMode[];
  /** The person's choice for this site (undefined: automatic). */
  chosen: ReadonlySignal<LayoutMode | undefined>;
  /** The home in effect. */
  mode: ReadonlySignal<LayoutMode>;
  /** True when the page really narrowed and the sidebar sits beside it. */
  docked: ReadonlySignal<boolean>;
  /** Where the badge sits: the host's corner, or another where that one would cover a control of the page. */
  corner: ReadonlySignal<Corner>;
  /** Something the person should know about the layout ("this page did not make room"). */
  note: ReadonlySignal<string | null>;
  choose(mode: LayoutMode | undefined): void;
  /** Opens the browser's side panel (the badge's click when the side panel is the home). */
  openPanel?(): void;
}

export interface PageLayout extends LayoutView {
  /** The sidebar is hidden and its badge shows. */
  collapsed: Signal<boolean>;
  toggle(): void;
  /** Starts docking once the sidebar's element (left out of the check) is in the page; checks again on resize. */
  attach(own: Element): void;
  /** Places the badge again after the page changed (a navigation in a single-page app). */
  recheck(): void;
  dispose(): void;
}

/** `stored`: every site's choice (LAYOUT), read by the caller in its one storage read at mount. */
export function pageLayout(siteId: string, stored: LayoutChoices): PageLayout {
  const layout = layoutFor(siteId);
  const choice = signal<SiteLayoutChoice>(choiceFrom(stored, siteId));
  const wide = matchMedia(`(min-width: ${NARROW_BELOW}px)`);
  const width = signal(wide.matches ? NARROW_BELOW : 0);
  const mode = computed(() => effectiveMode(siteId, choice.value, width.value));
  // Beside or over the page the sidebar starts open unless the person hid it there; elsewhere as the badge.
  const startsHidden = () => (mode.value !== 'dock' && mode.value !== 'overlay') || choice.peek().collapsed === true;
  const collapsed = signal(startsHidden());
  const docked = signal(false);
  const note = signal<string | null>(null);
  const corner = signal<Corner>(layout.corner);
  // The page did not make room: until the home changes, the sidebar opens over the page here.
  let refused = false;
  let own: Element | null = null;
  let undo = () => {};
  let frame = 0;
  let placing = 0;
  // The page's scroll bar width (px), measured when docking.
  let gutter = 0;

  const save = async (next: SiteLayoutChoice) => {
    await updateSetting(LAYOUT, (current) => withChoice(current, siteId, next));
  };
  let last = mode.peek();
  const stopMode = effect(() => {
    if (mode.value === last) return;
    last = mode.value;
    note.value = null;
    refused = false;
    collapsed.value = startsHidden();
  });

  // The badge shows: in a corner clear of the page's controls.
  const placeBadge = () => {
    if (own && collapsed.peek()) corner.value = clearCorner(document, layout.corner, own);
  };

  /**
   * Docks (or undocks) as the home and the hidden state say, at once; with `check`, also checks that
   * the page made room (deferred: it reads every control's box) and undocks where it did not.
   */
  const apply = (check: boolean) => {
    if (!own || mode.peek() !== 'dock' || collapsed.peek() || refused) {
      undo();
      docked.value = false;
      if (check) placeBadge();
      return;
    }
    if (!docked.peek()) {
      ({ gutter, undo } = dock(document, SIDEBAR_WIDTH));
      docked.value = true;
    }
    if (!check) return;
    // The sidebar's strip: fixed at the right of the viewport, left of the page's scroll bar.
    const right = innerWidth - gutter;
    const covered = controlsIn(document, { left: right - SIDEBAR_WIDTH, right, top: 0, bottom: innerHeight }, own).length;
    if (covered === 0) return;
    undo();
    docked.value = false;
    refused = true;
    note.value = `This page did not make room: ${covered} of its controls would be under Centric.`;
    collapsed.value = true;
    placeBadge();
  };
  // Two frames: the page has painted, and one that resizes its panes in script (ResizeObserver) has done so.
  const schedule = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => (frame = requestAnimationFrame(() => apply(true))));
  };
  let stopApply = () => {};
  wide.addEventListener('change', () => (width.value = wide.matches ? NARROW_BELOW : 0));
  // After the window stops changing size (a drag fires resize on every frame; the check reads every control).
  let resized: ReturnType<typeof setTimeout> | undefined;
  addEventListener('resize', () => {
    clearTimeout(resized);
    resized = setTimeout(schedule, 200);
  });
  const stopWatch = watchSetting(LAYOUT, (next) => (choice.value = choiceFrom(next, siteId)));

  return {
    site: siteId,
    modes: layout.modes,
    chosen: computed(() => choice.value.mode),
    mode,
    docked,
    corner,
    note,
    collapsed,
    recheck() {
      // Only the badge's corner (a few candidate boxes): docking is checked on a change of home or size.
      if (!own || !collapsed.peek()) return;
      cancelAnimationFrame(placing);
      placing = requestAnimationFrame(() => (placing = requestAnimationFrame(placeBadge)));
    },
    toggle() {
      collapsed.value = !collapsed.value;
      // Remembered beside or over the page; the badge and the side panel start hidden on every page anyway.
      if (mode.peek() === 'dock' || mode.peek() === 'overlay') void save({ ...choice.peek(), collapsed: collapsed.value });
    },
    choose(next) {
      void save(next ? { mode: next } : {});
    },
    openPanel() {
      // The background opens it within this click (a user gesture). Where the browser refuses (Firefox
      // opens its sidebar from its own menu only), the sidebar opens over the page and says how.
      void browser.runtime.sendMessage({ type: 'open-side-panel' }).then(
        (answer?: { ok?: boolean; message?: unknown }) => {
          if (answer?.ok === true) return;
          note.value = String(answer?.message ?? 'The side panel did not open.').slice(0, 300);
          collapsed.value = false;
        },
        () => (collapsed.value = false),
      );
    },
    attach(element) {
      own = element;
      // Docked at once on every change of home or hidden state (no frame over the page), checked after.
      stopApply = effect(() => {
        void (mode.value, collapsed.value);
        apply(false);
        schedule();
      });
    },
    // The extension was updated or turned off: the page gets its whole width back, for good.
    dispose() {
      own = null;
      stopWatch();
      stopMode();
      stopApply();
      cancelAnimationFrame(frame);
      cancelAnimationFrame(placing);
      undock(document);
    },
  };
}
