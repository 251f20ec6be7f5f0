// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { controlsIn, dock, DOCK_STYLE_ID, undock } from '~/components/sidebar/dock';

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
});
