// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { badgeBox, clearCorner, controlsIn, dock, DOCK_STYLE_ID, undock } from '~/lib/content/dock';

afterEach(() => {
  document.head.innerHTML = '';
  document.body.innerHTML = '';
});

describe('docking: one style element in the host page, removed whole', () => {
  it('narrows <html> and makes <body> the containing block of fixed panes (an app shell that does not scroll)', () => {
    const docked = dock(document, 320);
    const styles = document.querySelectorAll(`style#${DOCK_STYLE_ID}`);
    expect(styles).toHaveLength(1);
    expect(styles[0]!.textContent).toContain('html{width:calc(100% - 320px)!important;min-width:0!important}');
    expect(styles[0]!.textContent).toMatch(/body\{transform:translate\(0\)!important;min-height:calc\(100vh - \d+px\)!important\}/);
    // Docking again replaces it; undoing removes it, and leaves nothing else behind.
    dock(document, 320);
    expect(document.querySelectorAll(`#${DOCK_STYLE_ID}`)).toHaveLength(1);
    docked.undo();
    undock(document);
    expect(document.getElementById(DOCK_STYLE_ID)).toBeNull();
    expect(document.head.innerHTML).toBe('');
    expect(document.documentElement.getAttribute('style')).toBeNull();
    expect(document.body.getAttribute('style')).toBeNull();
  });

  it('leaves fixed elements alone on a page whose document scrolls (a transform would make a fixed header scroll away)', () => {
    const scroller = document.scrollingElement ?? document.documentElement;
    Object.defineProperty(scroller, 'scrollHeight', { configurable: true, get: () => 3000 });
    Object.defineProperty(scroller, 'clientHeight', { configurable: true, get: () => 800 });
    dock(document, 320);
    const css = document.getElementById(DOCK_STYLE_ID)!.textContent!;
    expect(css).toContain('html{width:calc(100% - 320px)');
    expect(css).not.toContain('transform');
    delete (scroller as unknown as Record<string, unknown>).scrollHeight;
    delete (scroller as unknown as Record<string, unknown>).clientHeight;
  });
});

describe('the controls in a strip', () => {
  /** Boxes by id (happy-dom lays nothing out), and what a click reaches at a point. */
  function layOut(boxes: Record<string, [number, number, number, number]>, top: (x: number, y: number) => Element | null) {
    for (const [id, [left, t, right, bottom]] of Object.entries(boxes)) {
      const el = document.getElementById(id) ?? (document.getElementById('host')!.shadowRoot!.getElementById(id) as HTMLElement);
      el.getBoundingClientRect = () => ({ left, top: t, right, bottom, width: right - left, height: bottom - t, x: left, y: t, toJSON: () => ({}) }) as DOMRect;
    }
    (document as unknown as { elementFromPoint: typeof top }).elementFromPoint = top;
  }

  it('finds the page’s controls a click in the strip would reach (also inside open shadow roots), never the sidebar’s own', () => {
    document.body.innerHTML =
      '<a href="#x" id="link"><span id="inner">x</span></a><button id="under">under</button><button id="left">left</button><p id="text">t</p><div id="host"></div><centric-sidebar id="own"><button id="mine">mine</button></centric-sidebar>';
    const shadow = document.getElementById('host')!.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<div role="button" tabindex="0" id="deep">deep</div>';
    const own = document.getElementById('own')!;
    const seen: boolean[] = [];
    layOut(
      { link: [90, 0, 130, 20], under: [100, 30, 140, 50], left: [0, 0, 50, 20], host: [100, 60, 200, 80], deep: [100, 60, 200, 80], mine: [100, 0, 200, 100] },
      (x, y) => {
        seen.push(own.hasAttribute('data-probing'));
        if (y < 20) return document.getElementById('inner'); // the link's own text
        if (y < 50) return document.getElementById('text'); // something of the page lies over "under"
        return document.getElementById('host');
      },
    );
    (shadow as unknown as { elementFromPoint: () => Element }).elementFromPoint = () => shadow.getElementById('deep')!;
    const found = controlsIn(document, { left: 100, right: 300, top: 0, bottom: 100 }, own).map((e) => e.id);
    expect(found.sort()).toEqual(['deep', 'link']);
    // The sidebar was out of the way while the page was probed, and is back after.
    expect(seen.every(Boolean)).toBe(true);
    expect(own.hasAttribute('data-probing')).toBe(false);
  });

  it('puts the badge in the host’s corner when it is clear, else in the first clear corner, else where it covers least', () => {
    const view = { width: document.documentElement.clientWidth || innerWidth, height: document.documentElement.clientHeight || innerHeight };
    expect(badgeBox('mr', view)).toEqual({ left: view.width - 32, right: view.width, top: view.height / 2 - 64, bottom: view.height / 2 + 64 });
    expect(badgeBox('br', view).right).toBe(view.width - 12);
    document.body.innerHTML = '<button id="row">a full-width row</button><button id="send">Send</button><centric-sidebar id="own"></centric-sidebar>';
    const own = document.getElementById('own')!;
    const row = document.getElementById('row')!;
    const send = document.getElementById('send')!;
    const place = (rowBox: [number, number, number, number], sendBox: [number, number, number, number]) => {
      for (const [el, [left, top, right, bottom]] of [[row, rowBox], [send, sendBox]] as const) {
        el.getBoundingClientRect = () => ({ left, top, right, bottom, width: right - left, height: bottom - top, x: left, y: top, toJSON: () => ({}) }) as DOMRect;
      }
      (document as unknown as { elementFromPoint: (x: number, y: number) => Element | null }).elementFromPoint = (x, y) => {
        for (const [el, [l, t, r, b]] of [[row, rowBox], [send, sendBox]] as const) if (x >= l && x <= r && y >= t && y <= b) return el;
        return document.body;
      };
    };
    const middle = view.height / 2;
    // Nothing there: the host's corner.
    place([0, 0, 100, 20], [0, 30, 50, 50]);
    expect(clearCorner(document, 'mr', own)).toBe('mr');
    // A row across the middle of the page: bottom right is clear.
    place([8, middle - 10, view.width, middle + 10], [0, 30, 50, 50]);
    expect(clearCorner(document, 'mr', own)).toBe('br');
    // …and with "Send" bottom right, bottom left.
    place([8, middle - 10, view.width, middle + 10], [view.width - 100, view.height - 40, view.width - 10, view.height - 10]);
    expect(clearCorner(document, 'mr', own)).toBe('bl');
    // Controls everywhere (one full-height pane of them): the host's corner after all.
    place([0, 0, view.width, view.height], [view.width - 100, view.height - 40, view.width - 10, view.height - 10]);
    expect(clearCorner(document, 'mr', own)).toBe('mr');
  });
});
