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
  it('finds the page’s controls (also inside open shadow roots), never the sidebar’s own element', () => {
    document.body.innerHTML = '<a href="#x" id="link"><span id="inner">x</span></a><p id="text">t</p><div id="host"></div><centric-sidebar id="own"><button>mine</button></centric-sidebar>';
    const shadow = document.getElementById('host')!.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<div role="button" tabindex="0" id="deep">deep</div>';
    const own = document.getElementById('own')!;
    const at = (x: number): Element[] =>
      x < 10 ? [own, document.getElementById('inner')!, document.body] : x < 20 ? [document.getElementById('text')!, document.body] : [document.getElementById('host')!, document.body];
    (document as unknown as { elementsFromPoint: (x: number, y: number) => Element[] }).elementsFromPoint = (x) => at(x);
    (shadow as unknown as { elementsFromPoint: (x: number, y: number) => Element[] }).elementsFromPoint = (x) => (x >= 20 ? [shadow.getElementById('deep')!] : []);
    const found = controlsIn(document, { left: 0, right: 30, top: 0, bottom: 10 }, own, 5).map((e) => e.id);
    expect(found.sort()).toEqual(['deep', 'link']);
    expect(controlsIn(document, { left: 10, right: 20, top: 0, bottom: 10 }, own, 5)).toEqual([]);
  });
});
