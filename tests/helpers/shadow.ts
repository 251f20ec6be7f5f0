/**
 * Declarative shadow DOM for the unit tests. Chromium attaches `<template shadowrootmode="open|closed">`
 * as a shadow root while it parses a page (the end-to-end tests rely on that); happy-dom's DOMParser
 * leaves the template in place. `attachDeclarativeShadowRoots` does what the browser's parser does:
 * each such template becomes its parent's shadow root (nested ones too), and the template goes.
 *
 * Closed roots are kept in `closedShadowRoots`; `withChromeDom` shows them the way Chrome's
 * `chrome.dom.openOrClosedShadowRoot` shows them to a content script (the adapters only detect them).
 */
export const closedShadowRoots = new WeakMap<Element, ShadowRoot>();

export function attachDeclarativeShadowRoots(root: Document | ShadowRoot | Element): void {
  for (const template of [...root.querySelectorAll('template[shadowrootmode]')] as HTMLTemplateElement[]) {
    const host = template.parentElement;
    const mode = template.getAttribute('shadowrootmode');
    if (!host || (mode !== 'open' && mode !== 'closed') || host.shadowRoot || closedShadowRoots.has(host)) continue;
    const shadow = host.attachShadow({ mode });
    shadow.append(template.content);
    template.remove();
    if (mode === 'closed') closedShadowRoots.set(host, shadow);
    attachDeclarativeShadowRoots(shadow);
  }
}

type ChromeDom = { openOrClosedShadowRoot?: (element: Element) => ShadowRoot | null };

/** Runs `body` with `chrome.dom.openOrClosedShadowRoot` answering from `closedShadowRoots` (and open roots), then restores `chrome`. */
export function withChromeDom<T>(body: () => T): T {
  const global = globalThis as { chrome?: { dom?: ChromeDom } };
  const hadChrome = 'chrome' in global;
  const chrome = global.chrome ?? {};
  const before = chrome.dom;
  chrome.dom = { openOrClosedShadowRoot: (element) => element.shadowRoot ?? closedShadowRoots.get(element) ?? null };
  global.chrome = chrome;
  try {
    return body();
  } finally {
    chrome.dom = before;
    if (!hadChrome) delete global.chrome;
  }
}
