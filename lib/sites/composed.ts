/**
 * Reading a page as it is rendered when parts of it live in shadow roots (issue 17): Freshdesk's
 * micro-frontends and Lightning's components in native shadow DOM. Only OPEN shadow roots are read
 * (what `element.shadowRoot` gives a content script); a closed one can only be detected, and an
 * adapter says so through `missing`. Pure DOM reading, like the rest of lib/sites: the same
 * functions work on the flat DOM of a page whose components use no shadow roots (Lightning's
 * synthetic shadow, as the real 2025 capture shows), where a <slot> is an ordinary element.
 */
import { deepQuerySelectorAll, isHidden } from './text';

type WithShadow = Element & { shadowRoot: ShadowRoot | null };

/** The shadow root's host when `node` sits in a shadow tree; null in the document itself. */
export function shadowHost(node: Node): Element | null {
  const root = node.getRootNode?.();
  return root && root !== node && (root as ShadowRoot).host ? (root as ShadowRoot).host : null;
}

/** isHidden across shadow boundaries: the element, its ancestors, and the hosts of the shadow trees it sits in. */
export function isHiddenComposed(element: Element): boolean {
  for (let node: Element | null = element; node; node = shadowHost(node)) {
    if (isHidden(node)) return true;
  }
  return false;
}

/** Element.closest across shadow boundaries (up through the hosts of the shadow trees it sits in). */
export function closestComposed(element: Element, selector: string): Element | null {
  for (let node: Element | null = element; node; node = shadowHost(node)) {
    const found = node.closest(selector);
    if (found) return found;
  }
  return null;
}

/**
 * The elements under `root` that match `selector` and are not hidden, in document order: the page's
 * own DOM first; only when it has none, the insides of open shadow roots too (a deep walk costs more,
 * so it is taken only when needed).
 */
export function visibleAllDeep(root: ParentNode, selector: string): Element[] {
  const light = [...root.querySelectorAll(selector)].filter((el) => !isHiddenComposed(el));
  return light.length > 0 ? light : deepQuerySelectorAll(root, selector).filter((el) => !isHiddenComposed(el));
}

/** The first of visibleAllDeep; null when none. */
export function firstVisibleDeep(root: ParentNode, selector: string): Element | null {
  return visibleAllDeep(root, selector)[0] ?? null;
}

/** Whether `root` holds an element matching `selector`, in its own DOM or inside open shadow roots. */
export function hasDeep(root: ParentNode, selector: string): boolean {
  return root.querySelector(selector) !== null || deepQuerySelectorAll(root, selector).length > 0;
}

function isSlotInShadowTree(node: Node): node is HTMLSlotElement {
  return node.nodeType === 1 && (node as Element).localName === 'slot' && shadowHost(node) !== null;
}

/** The nodes a <slot> of a shadow tree shows: those assigned to it, else its own fallback content. */
function slotContent(slot: HTMLSlotElement): Node[] {
  let assigned: Node[] = [];
  if (typeof slot.assignedNodes === 'function') {
    assigned = slot.assignedNodes();
  } else {
    const host = shadowHost(slot);
    const name = slot.getAttribute('name') ?? '';
    assigned = host ? [...host.childNodes].filter((n) => (n.nodeType === 1 ? ((n as Element).getAttribute('slot') ?? '') === name : name === '')) : [];
  }
  return assigned.length > 0 ? assigned : [...slot.childNodes];
}

/**
 * The children a node shows: an element with an open shadow root shows its shadow tree (its own
 * children appear only through the tree's slots); a slot of a shadow tree shows what is assigned to
 * it; any other node its children.
 */
function renderedChildren(node: Node): Node[] {
  const shadow = node.nodeType === 1 ? (node as WithShadow).shadowRoot : null;
  if (shadow) return [...shadow.childNodes];
  if (isSlotInShadowTree(node)) return slotContent(node);
  return [...node.childNodes];
}

const SKIPPED = new Set(['script', 'style', 'template', 'noscript']);

function walkRendered(node: Node, visit: (node: Node) => void): void {
  for (const child of renderedChildren(node)) {
    if (child.nodeType === 1 && SKIPPED.has((child as Element).localName)) continue;
    visit(child);
    walkRendered(child, visit);
  }
}

/** The elements shown under `element` (through open shadow roots and their slots) that match `selector`, in rendered order. */
export function renderedQueryAll(element: Element, selector: string): Element[] {
  const found: Element[] = [];
  walkRendered(element, (node) => {
    if (node.nodeType === 1 && (node as Element).matches(selector)) found.push(node as Element);
  });
  return found;
}

/** The first element shown under `element` that matches one of `selectors`, trying them in order; null when none. */
export function renderedFirst(element: Element, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    const found = renderedQueryAll(element, selector)[0];
    if (found) return found;
  }
  return null;
}

/** The text an element shows (through open shadow roots and their slots), whitespace collapsed; undefined when empty. */
export function renderedText(element: Element | null | undefined): string | undefined {
  if (!element) return undefined;
  let text = '';
  walkRendered(element, (node) => {
    if (node.nodeType === 3) text += node.textContent ?? '';
  });
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return collapsed || undefined;
}

/** Why a part was not read when the page keeps it in a closed shadow root (appended to its name in `missing`). */
export const CLOSED_SHADOW = 'in a closed shadow root, which Centric cannot read';

type ShadowRootReader = (element: Element) => ShadowRoot | null | undefined;

/**
 * The browser's way for an extension to SEE that an element has a closed shadow root: Chrome's
 * `chrome.dom.openOrClosedShadowRoot` (content scripts, Chrome 88+), Firefox's
 * `element.openOrClosedShadowRoot` (content scripts). Used only to say why a field cannot be read;
 * a closed root is never read. Undefined where neither exists (then a closed root goes unnamed).
 */
function openOrClosedShadowRoot(element: Element): ShadowRoot | null | undefined {
  const chromeDom = (globalThis as { chrome?: { dom?: { openOrClosedShadowRoot?: ShadowRootReader } } }).chrome?.dom;
  try {
    if (typeof chromeDom?.openOrClosedShadowRoot === 'function') return chromeDom.openOrClosedShadowRoot(element);
    const firefox = (element as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot;
    return firefox === undefined ? undefined : firefox;
  } catch {
    return undefined;
  }
}

/** True when the element has a shadow root the page keeps closed (its insides cannot be read). */
export function hasClosedShadowRoot(element: Element): boolean {
  return (element as WithShadow).shadowRoot === null && !!openOrClosedShadowRoot(element);
}

/** The elements under `root` (and inside its open shadow roots) matching `selector` whose shadow root is closed. */
export function closedShadowHosts(root: ParentNode, selector: string): Element[] {
  return deepQuerySelectorAll(root, selector).filter(hasClosedShadowRoot);
}
