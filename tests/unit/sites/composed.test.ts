// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import {
  closestComposed,
  firstVisibleDeep,
  hasClosedShadowRoot,
  isHiddenComposed,
  renderedFirst,
  renderedQueryAll,
  renderedText,
  visibleAllDeep,
} from '~/lib/sites/composed';
import { htmlDocument } from '../../helpers/dom';
import { attachDeclarativeShadowRoots, withChromeDom } from '../../helpers/shadow';

function shadowDoc(html: string): Document {
  const doc = htmlDocument(html);
  attachDeclarativeShadowRoots(doc);
  return doc;
}

describe('reading what a page renders through shadow roots', () => {
  it('reads slotted content through a shadow tree’s slots, and a slot’s fallback when nothing is assigned', () => {
    const doc = shadowDoc(`<x-item id="item"><template shadowrootmode="open"><label>Email</label>
      <span class="value"><slot name="out">fallback</slot></span><span class="other"><slot name="none">nothing assigned</slot></span></template>
      <x-mail slot="out"><template shadowrootmode="open"><a href="mailto:a@b.example">a@b.example</a></template></x-mail></x-item>`);
    const item = doc.getElementById('item')!;
    const value = item.shadowRoot!.querySelector('.value')!;
    expect(value.textContent?.trim()).toBe('fallback'); // the DOM's own text misses the slotted value
    expect(renderedText(value)).toBe('a@b.example');
    expect(renderedText(item.shadowRoot!.querySelector('.other'))).toBe('nothing assigned');
    expect(renderedQueryAll(value, 'a[href^="mailto:"]').map((a) => a.getAttribute('href'))).toEqual(['mailto:a@b.example']);
    expect(renderedFirst(item, ['.missing', 'label'])?.textContent).toBe('Email');
    expect(renderedText(null)).toBeUndefined();
  });

  it('on flat DOM (no shadow roots) a <slot> is an ordinary element and its children are read', () => {
    const doc = htmlDocument('<h1 id="h"><slot name="primaryField"><b>Tara</b> Ivanova</slot><script>x()</script></h1>');
    expect(renderedText(doc.getElementById('h'))).toBe('Tara Ivanova');
  });

  it('looks in the page’s own DOM first, inside open shadow roots only when it has no match, skipping hidden ones', () => {
    const doc = shadowDoc(`<div class="f" id="light">light</div>
      <x-a><template shadowrootmode="open"><div class="f" id="deep">deep</div><div class="g" id="g1" hidden>g</div></template></x-a>
      <x-b style="display: none"><template shadowrootmode="open"><div class="g" id="g2">g</div></template></x-b>
      <x-c><template shadowrootmode="open"><div class="g" id="g3">g</div></template></x-c>`);
    expect(visibleAllDeep(doc, '.f').map((e) => e.id)).toEqual(['light']);
    // .g only exists in shadow trees: the hidden one and the one inside a hidden host are skipped.
    expect(firstVisibleDeep(doc, '.g')?.id).toBe('g3');
    const g2 = doc.querySelector('x-b')!.shadowRoot!.getElementById('g2')!;
    expect(isHiddenComposed(g2)).toBe(true);
    expect(closestComposed(g2, 'x-b')).toBe(doc.querySelector('x-b'));
  });

  it('detects a closed shadow root only through the browser’s extension API, and never reads it', () => {
    const doc = shadowDoc('<x-closed id="c"><template shadowrootmode="closed"><p>secret@x.example</p></template></x-closed><x-open id="o"><template shadowrootmode="open"><p>x</p></template></x-open>');
    const closed = doc.getElementById('c')!;
    expect(renderedText(closed)).toBeUndefined();
    expect(hasClosedShadowRoot(closed)).toBe(false); // no chrome.dom: cannot tell
    withChromeDom(() => {
      expect(hasClosedShadowRoot(closed)).toBe(true);
      expect(hasClosedShadowRoot(doc.getElementById('o')!)).toBe(false);
      expect(renderedText(closed)).toBeUndefined();
    });
  });
});
