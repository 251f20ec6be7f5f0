/**
 * A censored outline of a host page, for "Copy a page report" (issue 17): what a manager needs to
 * update a site's definitions — tag names, ids, test ids, class names, shadow roots — and nothing a
 * person wrote or is: no text of the page, no attribute value but those that look like code.
 *
 * `outlinePage` runs in the tab (the background passes it to scripting.executeScript, so the content
 * script carries none of it): it must be self-contained, using only its arguments and the page's
 * globals, no imports and nothing else from this module (constants are inside on purpose).
 *
 * What is kept, and how it is censored (docs/security.md, "Page reports"):
 * - tag names; `#shadow-root (open|closed)` for shadow roots (read through; closed ones only where the
 *   browser lets an extension read them); frames are named, never read;
 * - ids, class names and the values of a few attributes that hold code words (test ids such as
 *   data-test-id, data-testid, data-qa, data-garden-id; role, type, name, slot, app-id …) only when
 *   they look like code tokens: ASCII letters, digits, `_ - . :`, starting with a letter, `_` or `-`,
 *   at most 60 characters; every run of digits becomes `#`; a token that mixes a capitalised word
 *   with lower-case ones ("user-Ana") is dropped, and so is one whose parts spell a word of an email
 *   address on the page or two neighbouring words of any text on the page ("ana-lopez" where the page
 *   says "Ana López");
 * - of every other attribute, its name only (`[title]`, `[aria-label]`, `[value]`, `[srcdoc]` …);
 * - links and sources as a path pattern of the page's own origin, each segment kept only when it is a
 *   code word, ids (anything with a digit, or long) as `{id}`, anything else as `*`; another origin,
 *   mailto: and tel: as their scheme only; no query, no fragment;
 * - where an element has text of its own, ` (text)` — never the text.
 * The words the censoring compares against are read from the page to decide, and never written out.
 */

export interface OutlineLimits {
  /** Levels below <body> (a shadow root counts as one). */
  maxDepth: number;
  /** Elements outlined, at most. */
  maxElements: number;
  /** Characters of the outline, at most (cut at a line). */
  maxChars: number;
}

export const OUTLINE_LIMITS: OutlineLimits = { maxDepth: 60, maxElements: 6000, maxChars: 300_000 };

export interface PageOutline {
  /** The page's path (and hash route) as a pattern: "/agent/tickets/{id}". */
  path: string;
  /** The outline, one element per line, indented two spaces per level. */
  text: string;
  elements: number;
  shadowRoots: { open: number; closed: number };
  frames: number;
  /** Why the outline stops early, in words, or null. */
  cut: string | null;
}

/**
 * Outlines `doc` (the page, when run in a tab). Never throws on strange markup: an element that
 * cannot be read is written as `?`.
 */
export function outlinePage(limits: OutlineLimits, doc?: Document): PageOutline {
  const d = doc ?? document;
  const win = d.defaultView ?? (globalThis as unknown as Window);
  const { maxDepth, maxElements, maxChars } = limits;
  // Not outlined at all / outlined without their children.
  const SKIP = new Set(['head', 'script', 'style', 'noscript', 'template', 'link', 'meta', 'title', 'base']);
  const OPAQUE = new Set(['svg', 'math', 'iframe', 'frame', 'object', 'embed', 'canvas', 'video', 'audio', 'picture', 'select']);
  const FRAMES = new Set(['iframe', 'frame', 'object', 'embed']);
  // Attributes whose values are code words (kept when they pass the token checks).
  const VALUES = new Set([
    'id', 'role', 'type', 'name', 'slot', 'part', 'lang', 'dir', 'hidden', 'app-id', 'aria-hidden', 'aria-expanded', 'aria-selected',
    'data-test-id', 'data-testid', 'data-test', 'data-qa', 'data-cy', 'data-garden-id', 'data-selenium-test', 'data-aura-class',
    'data-key', 'data-component-id', 'data-is-active', 'data-tracking-id', 'data-purpose',
  ]);
  const URLS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href']);
  const QUIET = new Set(['script', 'style', 'noscript', 'template']);
  const TOKEN = /^[A-Za-z_-][\w.:-]{0,59}$/;
  const EMAIL = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;

  // 1. The words to censor, read from the page and never written out: every word of every email
  //    address, and every two neighbouring words of any text (text nodes, attribute values, the
  //    values typed into form fields), each as lower-case ASCII letters.
  const fold = (text: string) =>
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
  const emailWords = new Set<string>();
  const locals = new Set<string>();
  const pairs = new Set<string>();
  // Role mailboxes name no one; censoring them would only hide structure ("support-panel").
  const ROLES = new Set(['info', 'support', 'help', 'admin', 'sales', 'contact', 'team', 'hello', 'noreply', 'mail', 'email', 'service', 'billing']);
  const readWords = (text: string | null | undefined, withPairs: boolean) => {
    if (!text || !/\p{L}/u.test(text)) return;
    const folded = fold(text.length > 2000 ? text.slice(0, 2000) : text);
    for (const email of folded.match(EMAIL) ?? []) {
      const [local = '', domain = ''] = email.split('@');
      const localLetters = local.replace(/[^a-z]/g, '');
      if (localLetters.length >= 4 && !ROLES.has(localLetters)) locals.add(localLetters);
      for (const w of `${local}.${domain}`.split(/[^a-z]+/)) if (w.length >= 3 && !ROLES.has(w)) emailWords.add(w);
    }
    if (!withPairs) return;
    const words = folded.split(/[^a-z]+/).filter((w) => w.length >= 2);
    for (let i = 0; i + 1 < words.length; i++) pairs.add(words[i]! + words[i + 1]!);
  };
  const openOrClosed = (el: Element): { root: ShadowRoot; mode: 'open' | 'closed' } | null => {
    if (el.shadowRoot) return { root: el.shadowRoot, mode: 'open' };
    try {
      const g = globalThis as unknown as { chrome?: { dom?: { openOrClosedShadowRoot?: (e: Element) => ShadowRoot | null } } };
      const viaChrome = g.chrome?.dom?.openOrClosedShadowRoot?.(el);
      const viaFirefox = (el as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot;
      const root = viaChrome ?? viaFirefox ?? null;
      return root ? { root, mode: 'closed' } : null;
    } catch {
      return null;
    }
  };
  const isOurs = (el: Element) => el.localName.startsWith('centric-');
  const gather = (root: ParentNode, budget: { left: number }) => {
    const walker = d.createTreeWalker(root as Node, 0x1 | 0x4); // elements and text
    for (let node = walker.nextNode(); node && budget.left > 0; node = walker.nextNode()) {
      budget.left--;
      if (node.nodeType === 3) {
        if (!QUIET.has(node.parentElement?.localName ?? '')) readWords(node.nodeValue, true);
        continue;
      }
      const el = node as Element;
      if (isOurs(el)) continue;
      // Values that are written out (when they pass) are not compared with themselves; links only for emails.
      for (const attr of Array.from(el.attributes)) {
        const name = attr.name.toLowerCase();
        if (name !== 'class' && name !== 'style' && !VALUES.has(name)) readWords(attr.value, !URLS.has(name));
      }
      const value = (el as HTMLInputElement).value;
      if (typeof value === 'string' && /^(input|textarea|select)$/.test(el.localName)) readWords(value, true);
      const shadow = openOrClosed(el);
      if (shadow) gather(shadow.root, budget);
    }
  };
  gather(d, { left: 200_000 });

  // 2. The checks. A token's parts: split at separators and lower-to-upper case changes.
  const partsOf = (token: string) =>
    token
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .split(/[^A-Za-z]+/)
      .map((p) => p.toLowerCase())
      .filter(Boolean);
  const nameLike = (token: string) => {
    const segments = token.split(/[-_.:]+/).filter(Boolean);
    const capitalised = segments.filter((s) => /^[A-Z][a-z]+$/.test(s)).length;
    // "user-Ana", "row_Dupont" (a capitalised word among lower-case ones), "Jean-Pierre", "Ana_Lopez" (only capitalised words).
    return capitalised > 0 && (segments.some((s) => /^[a-z]+$/.test(s)) || (capitalised === segments.length && segments.length > 1));
  };
  const personal = (token: string) => {
    const parts = partsOf(token);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (emailWords.has(part) || pairs.has(part)) return true;
      if (i + 1 < parts.length && pairs.has(part + parts[i + 1]!)) return true;
    }
    const letters = parts.join('');
    for (const local of locals) if (letters.includes(local)) return true;
    return false;
  };
  /** The token as written out (digit runs as #), or null when it must not be. */
  const safe = (value: string | null | undefined): string | null => {
    if (!value || !TOKEN.test(value) || nameLike(value) || personal(value)) return null;
    return value.replace(/\d+/g, '#');
  };
  const segment = (s: string): string => {
    if (!s) return s;
    let decoded = s;
    try {
      decoded = decodeURIComponent(s);
    } catch {
      // keep it encoded: it then fails the token check
    }
    // An id: a digit, a long segment, or letters in no word's case pattern ("FMfcgzQXJkzq…").
    if (/\d/.test(decoded) || decoded.length > 24 || (/^[A-Za-z]+$/.test(decoded) && !/^[A-Z]?[a-z]+(?:[A-Z][a-z]+)*$/.test(decoded))) return '{id}';
    return /^[A-Za-z_-][\w-]{0,23}$/.test(decoded) && safe(decoded) ? decoded : '*';
  };
  const pathPattern = (path: string) => path.split('/').map(segment).join('/');
  const urlPattern = (raw: string): string => {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw.trim())?.[1]?.toLowerCase();
    if (scheme && !['http', 'https'].includes(scheme)) return `${scheme}:…`;
    let url: URL;
    try {
      url = new URL(raw, d.baseURI);
    } catch {
      return '…';
    }
    if (url.origin !== win.location.origin) return `${url.protocol}//…`;
    return pathPattern(url.pathname) + (url.search ? '?…' : '') + (url.hash ? '#…' : '');
  };

  // 3. The outline.
  const counts = { elements: 0, open: 0, closed: 0, frames: 0 };
  let cut: string | null = null;
  const describe = (el: Element): string => {
    const tag = /^[a-z][a-z0-9-]{0,60}$/.test(el.localName) ? el.localName : '?';
    let line = tag;
    const id = el.getAttribute('id');
    if (id !== null) {
      const shown = safe(id);
      line += shown ? `#${shown}` : '[id]';
    }
    const classes = Array.from(el.classList);
    const shownClasses = classes.map(safe).filter((c): c is string => c !== null);
    for (const c of shownClasses.slice(0, 12)) line += `.${c}`;
    if (classes.length > Math.min(shownClasses.length, 12)) line += `[+${classes.length - Math.min(shownClasses.length, 12)} class]`;
    let attributes = 0;
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (name === 'id' || name === 'class') continue;
      if (++attributes > 20) {
        line += '[…]';
        break;
      }
      const shownName = /^[a-z_:][a-z0-9_.:-]{0,40}$/.test(name) && !personal(name) ? name.replace(/\d+/g, '#') : null;
      if (!shownName) line += '[?]';
      else if (URLS.has(name)) line += `[${shownName}=${urlPattern(attr.value)}]`;
      else if (VALUES.has(name) && attr.value !== '') {
        const value = safe(attr.value);
        line += value ? `[${shownName}=${value}]` : `[${shownName}]`;
      } else line += `[${shownName}]`;
    }
    if (Array.from(el.childNodes).some((n) => n.nodeType === 3 && /\S/.test(n.nodeValue ?? ''))) line += ' (text)';
    return line;
  };
  const pad = (depth: number) => '  '.repeat(depth);
  /** The lines of `el`'s subtree, at `depth`. */
  const outline = (el: Element, depth: number): string[] => {
    if (counts.elements >= maxElements) {
      cut ??= `stopped after ${maxElements} elements`;
      return [];
    }
    counts.elements++;
    const tag = el.localName;
    const lines = [pad(depth) + describe(el)];
    if (FRAMES.has(tag)) {
      counts.frames++;
      lines[0] += ' (frame: not read)';
      return lines;
    }
    if (OPAQUE.has(tag)) return lines;
    if (depth >= maxDepth) {
      if (el.children.length > 0) lines.push(`${pad(depth + 1)}… (deeper levels left out)`);
      return lines;
    }
    const shadow = openOrClosed(el);
    if (shadow) {
      counts[shadow.mode]++;
      lines.push(`${pad(depth + 1)}#shadow-root (${shadow.mode})`);
      lines.push(...children(shadow.root.children, depth + 2));
    }
    lines.push(...children(el.children, depth + 1));
    return lines;
  };
  /** Siblings' lines; identical neighbours (a list's rows) once, with ×N. */
  const children = (list: HTMLCollection, depth: number): string[] => {
    const out: string[] = [];
    let previous: string[] | null = null;
    let repeat = 0;
    const flush = () => {
      if (!previous) return;
      if (repeat > 1) previous[0] += ` ×${repeat}`;
      out.push(...previous);
    };
    for (const child of Array.from(list)) {
      if (SKIP.has(child.localName) || isOurs(child)) continue;
      const block = outline(child, depth);
      if (block.length === 0) break;
      if (previous && previous.join('\n') === block.join('\n')) {
        repeat++;
        continue;
      }
      flush();
      previous = block;
      repeat = 1;
    }
    flush();
    return out;
  };

  const top = d.documentElement;
  const lines = top ? outline(top, 0) : [];
  let text = '';
  for (const line of lines) {
    if (text.length + line.length + 1 > maxChars) {
      cut ??= `cut at ${maxChars} characters`;
      break;
    }
    text += `${line}\n`;
  }
  const hashRoute = win.location.hash.replace(/^#!?/, '').split('?')[0] ?? '';
  const path = pathPattern(win.location.pathname) + (hashRoute ? `#${pathPattern(hashRoute)}` : '');
  return { path, text, elements: counts.elements, shadowRoots: { open: counts.open, closed: counts.closed }, frames: counts.frames, cut };
}
