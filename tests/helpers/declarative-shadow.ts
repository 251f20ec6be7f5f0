/**
 * Attaches the declarative shadow roots of a parsed document (`<template shadowrootmode="open">`),
 * as Chromium's HTML parser does on navigation, for test DOMs whose DOMParser leaves them as
 * templates (happy-dom). Innermost first, so nested shadow roots end up inside their hosts' roots.
 * Returns how many were attached.
 */
export function attachDeclarativeShadowRoots(root: Document | ShadowRoot | Element): number {
  let attached = 0;
  for (const template of [...root.querySelectorAll<HTMLTemplateElement>('template[shadowrootmode]')].reverse()) {
    const host = template.parentElement;
    const mode = template.getAttribute('shadowrootmode');
    if (!host || (mode !== 'open' && mode !== 'closed') || host.shadowRoot) continue;
    attached += attachDeclarativeShadowRoots(template.content as unknown as Element);
    const shadow = host.attachShadow({ mode });
    shadow.append(template.content);
    template.remove();
    attached += 1;
  }
  return attached;
}
