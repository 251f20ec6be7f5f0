/**
 * Tier chips on a host's list view (issue 8). Finds the list's rows with the host's ListReader,
 * looks up the rows that come into view — at most one message per screenful (the rows an
 * IntersectionObserver reported since the last batch) — caches the answers by identity, and puts a
 * tiny chip after each recognised row's name. Each chip is a host element positioned out of flow at
 * its place in the line (position: absolute, no offsets), its content in its own shadow root: the
 * host's row boxes do not move, host CSS cannot restyle the chip and the chip cannot restyle the host.
 * Text only (textContent, never markup). Rows that scroll into view are gathered over
 * FRESH_ROWS_GAP_MS into one message and one change of the page (each change makes the browser lay
 * out the host's list again).
 *
 * Virtual and infinite lists: a MutationObserver scoped to the list container marks the rows it sees
 * change; each is read again, and a row whose identity changed (a recycled row now showing another
 * customer) gets the new customer's chip at once — or none while the answer is on its way, never the
 * previous customer's. No layout reads anywhere (no getBoundingClientRect, offsetWidth …).
 */
import { chipDescription } from '~/lib/lists/rank';
import type { BatchAnswer, IdentityMessage } from '~/lib/messages/schema';
import { identityKey, type ListReader, type ListRow } from '~/lib/sites/lists/types';

export const CHIP_TAG = 'centric-chip';
const BATCH_MAX = 200;

/** The chip host's inline style and its shadow root's style sheet (exported for the list benchmark's control). */
export const HOST_STYLE =
  'all: initial; display: inline-block; position: absolute; contain: layout style; pointer-events: auto;';
export const CHIP_CSS = `
.chip { display: inline-block; margin-left: 4px; box-sizing: border-box; min-width: 16px; height: 16px; padding: 0 3px;
  border: 1px solid rgba(0, 0, 0, 0.25); border-radius: 8px; font: 700 10px/14px system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif;
  text-align: center; white-space: nowrap; cursor: default; user-select: none; }
.chip.risk { border: 2px solid #d1242f; line-height: 12px; }
.chip.unknown { background: #eaeef2; color: #1b1f24; }
`;

export interface ChipsOptions {
  reader: ListReader;
  document: Document;
  /** The page's current URL (read when a row is read). */
  url: () => URL;
  lookup: (identities: IdentityMessage[]) => Promise<BatchAnswer[]>;
  /** Called (at most once a frame) when rows or answers changed: the worklist re-ranks. */
  onChange?: () => void;
  /** Errors of a batch (the background unreachable …), for a console message; chips stay as they were. */
  onError?: (error: unknown) => void;
  /**
   * Rows scrolled into view for the first time are read and looked up at most once per this many
   * milliseconds (default FRESH_ROWS_GAP_MS): a quick scroll gathers the rows of several screenfuls
   * into one message and one change of the page, instead of one of each per frame. Rows read before
   * (a recycled row) are always read again at once.
   */
  freshRowsGapMs?: number;
}

/**
 * Every change to a host's list makes the browser lay out and paint the list again — in a table,
 * the whole table: measured on a 500-row table in tests/bench/browser/lists.ts, about as much as the
 * chips' own work of a screenful. Gathering the rows that scroll in over this long into one change
 * cuts the number of those relayouts on a fast scroll (16 to 6 on the bench's); a person who stops sees chips within it.
 */
export const FRESH_ROWS_GAP_MS = 150;

interface Tracked {
  row: ListRow | null;
  key: string | null;
}

export interface ListedRow {
  row: ListRow;
  answer: BatchAnswer | undefined;
}

export class ListChips {
  private readonly tracked = new WeakMap<Element, Tracked>();
  private readonly chips = new WeakMap<Element, HTMLElement>();
  private readonly cache = new Map<string, BatchAnswer>();
  private readonly inFlight = new Set<string>();
  /** Rows seen in view (or near it) and not read yet; they stay here when scrolled away again. */
  private readonly seen = new Set<Element>();
  /** Rows seen changing (or new) and not read since; a row is read once it is in view. */
  private readonly dirty = new Set<Element>();
  private readonly observed = new WeakSet<Element>();
  /** Read every row, in view or not (the worklist ranks the whole list). */
  private readAll = false;
  private readonly allChips = new Set<HTMLElement>();
  /** The rows read with each identity key (to paint an answer's rows without scanning the list). */
  private readonly byKey = new Map<string, Set<Element>>();
  private io: IntersectionObserver | null = null;
  private mo: MutationObserver | null = null;
  private root: Element | null = null;
  private frame = 0;
  /** When rows never read before were last read (performance.now()), and the timer for the next ones. */
  private freshAt = Number.NEGATIVE_INFINITY;
  private freshTimer: ReturnType<typeof setTimeout> | undefined;
  private rootTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;
  /** Messages sent, and identities asked (for tests and the bench). */
  readonly stats = { batches: 0, identities: 0 };

  constructor(private readonly options: ChipsOptions) {}

  start(): void {
    const win = this.options.document.defaultView!;
    this.io = new win.IntersectionObserver((entries) => {
      // A row seen once is read at the next batch even if a quick scroll has carried it away since:
      // every row scrolled past gets its chip (and is then no longer observed).
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        this.seen.add(entry.target);
        if (!this.tracked.has(entry.target)) this.dirty.add(entry.target);
      }
      this.schedule();
    }, { rootMargin: '100px 0px' });
    this.mo = new win.MutationObserver((records) => this.onMutations(records));
    this.attach();
    // A single-page app may render the list later, or replace its container: look again each second
    // (one querySelector; nothing while the container is in place).
    this.rootTimer = setInterval(() => {
      if (!this.root?.isConnected) this.attach();
    }, 1000);
  }

  stop(): void {
    this.stopped = true;
    this.io?.disconnect();
    this.mo?.disconnect();
    clearInterval(this.rootTimer);
    clearTimeout(this.freshTimer);
    if (this.frame) cancelAnimationFrame(this.frame);
    for (const chip of this.allChips) chip.remove();
    this.allChips.clear();
    this.byKey.clear();
    this.seen.clear();
    this.dirty.clear();
  }

  /** The recognised rows now in the list, in page order, with their answers (undefined: not asked yet). */
  rows(): ListedRow[] {
    const out: ListedRow[] = [];
    if (!this.root) return out;
    for (const element of this.root.querySelectorAll(this.options.reader.rowSelector)) {
      const t = this.tracked.get(element);
      if (t?.row && t.key) out.push({ row: t.row, answer: this.cache.get(t.key) });
    }
    return out;
  }

  /** Whether every row is read, in view or not (after resolveAll). */
  get readsAll(): boolean {
    return this.readAll;
  }

  /** How many candidate rows the list has now (read or not). */
  size(): number {
    return this.root ? this.root.querySelectorAll(this.options.reader.rowSelector).length : 0;
  }

  /** Looks up every row of the list not asked yet (the worklist needs all of them), 200 a message. */
  async resolveAll(): Promise<void> {
    if (this.stopped) return;
    if (!this.readAll) {
      this.readAll = true;
      this.flush();
    }
    const keys = new Map<string, IdentityMessage>();
    for (const { row } of this.rows()) {
      const key = identityKey(row.identity);
      if (!this.cache.has(key) && !this.inFlight.has(key)) keys.set(key, row.identity);
    }
    await this.ask(keys);
  }

  private attach(): void {
    const root = this.options.reader.watchRoot(this.options.document, this.options.url());
    if (!root || root === this.root) return;
    this.mo!.disconnect();
    this.root = root;
    this.mo!.observe(root, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['href', 'data-test-id', 'data-row-key-value', 'email', 'title'] });
    for (const element of root.querySelectorAll(this.options.reader.rowSelector)) this.dirty.add(element);
    this.schedule();
  }

  private onMutations(records: MutationRecord[]): void {
    const started = performance.now();
    try {
      this.readMutations(records);
    } finally {
      measure(started);
    }
  }

  private readMutations(records: MutationRecord[]): void {
    const selector = this.options.reader.rowSelector;
    for (const record of records) {
      if (record.type === 'childList') {
        let ours = true;
        for (const node of record.addedNodes) {
          if ((node as Element).localName === CHIP_TAG) continue;
          ours = false;
          if (node.nodeType !== 1) continue;
          const el = node as Element;
          if (el.matches(selector)) this.dirty.add(el);
          else for (const row of el.querySelectorAll(selector)) this.dirty.add(row);
        }
        for (const node of record.removedNodes) {
          if ((node as Element).localName !== CHIP_TAG) ours = false;
        }
        if (ours) continue;
      }
      const target = record.target.nodeType === 1 ? (record.target as Element) : record.target.parentElement;
      if (!target || target.localName === CHIP_TAG) continue;
      const row = target.closest(selector);
      if (row) this.dirty.add(row);
    }
    if (this.dirty.size > 0) this.schedule();
  }

  private schedule(): void {
    if (this.frame || this.stopped) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.flush();
    });
  }

  /** Once a frame: read changed rows, paint what is known, ask for what was seen and is unknown. */
  private flush(): void {
    if (this.stopped) return;
    const started = performance.now();
    try {
      this.flushNow();
    } finally {
      measure(started);
    }
  }

  private flushNow(): void {
    let changed = false;
    const url = this.options.url();
    const ask = new Map<string, IdentityMessage>();
    const now = performance.now();
    const gap = this.options.freshRowsGapMs ?? FRESH_ROWS_GAP_MS;
    const freshAllowed = this.readAll || now - this.freshAt >= gap;
    let freshRead = false;
    let freshWaiting = false;
    for (const element of this.dirty) {
      const known = this.tracked.has(element);
      // A row never read waits until it scrolls into view (the IntersectionObserver schedules that
      // frame); a row read before is read again at once, so its chip never shows a previous customer.
      if (!this.readAll && !known && !this.seen.has(element)) {
        if (!this.observed.has(element)) {
          this.observed.add(element);
          this.io!.observe(element);
        }
        continue;
      }
      if (!known && !freshAllowed) {
        freshWaiting = true;
        continue;
      }
      if (!known) freshRead = true;
      this.dirty.delete(element);
      const wasSeen = this.seen.has(element);
      if (this.observed.has(element)) {
        // Read: no more intersection work for this row (the MutationObserver reports its changes).
        this.io!.unobserve(element);
        this.observed.delete(element);
        this.seen.delete(element);
      }
      const before = this.tracked.get(element);
      const row = element.isConnected ? this.options.reader.readRow(element, url) : null;
      const key = row ? identityKey(row.identity) : null;
      this.tracked.set(element, { row, key });
      if (before?.key && before.key !== key) this.byKey.get(before.key)?.delete(element);
      if (key) {
        let rows = this.byKey.get(key);
        if (!rows) this.byKey.set(key, (rows = new Set()));
        rows.add(element);
        if ((wasSeen || known) && !this.cache.has(key) && !this.inFlight.has(key)) ask.set(key, row!.identity);
      }
      const chip = this.chips.get(element);
      if (!before || before.key !== key || (row && chip && !isPlaced(chip, row.anchor))) {
        changed = true;
        this.paint(element);
      }
    }
    if (freshRead) this.freshAt = now;
    if (freshWaiting && this.freshTimer === undefined) {
      this.freshTimer = setTimeout(() => {
        this.freshTimer = undefined;
        this.schedule();
      }, Math.max(0, this.freshAt + gap - now));
    }
    if (ask.size > 0) void this.ask(ask);
    if (changed) this.options.onChange?.();
  }

  private async ask(keys: Map<string, IdentityMessage>): Promise<void> {
    const entries = [...keys];
    for (let i = 0; i < entries.length; i += BATCH_MAX) {
      const part = entries.slice(i, i + BATCH_MAX);
      for (const [key] of part) this.inFlight.add(key);
      this.stats.batches++;
      this.stats.identities += part.length;
      try {
        const answers = await this.options.lookup(part.map(([, identity]) => identity));
        if (this.stopped) return;
        part.forEach(([key], j) => this.cache.set(key, answers[j]!));
      } catch (error) {
        this.options.onError?.(error);
        this.retryLater(part.map(([key]) => key));
      } finally {
        for (const [key] of part) this.inFlight.delete(key);
      }
      this.paintKeys(new Set(part.map(([key]) => key)));
    }
  }

  /** After a failed batch, its rows are asked again once they are in view, 5 s later at the earliest. */
  private retryLater(keys: string[]): void {
    setTimeout(() => {
      if (this.stopped) return;
      for (const key of keys) {
        for (const element of this.byKey.get(key) ?? []) {
          this.tracked.delete(element);
          this.dirty.add(element);
        }
      }
      this.schedule();
    }, 5000);
  }

  private paintKeys(keys: Set<string>): void {
    if (!this.root || this.stopped) return;
    const started = performance.now();
    for (const key of keys) {
      const rows = this.byKey.get(key);
      if (!rows) continue;
      for (const element of rows) {
        if (!element.isConnected || this.tracked.get(element)?.key !== key) rows.delete(element);
        else this.paint(element);
      }
    }
    measure(started);
    this.options.onChange?.();
  }

  /** The row's chip for its current identity: made, updated, moved or removed. */
  private paint(element: Element): void {
    const t = this.tracked.get(element);
    const answer = t?.key ? this.cache.get(t.key) : undefined;
    let chip = this.chips.get(element);
    const show = t?.row && answer && (answer.status === 'found' || answer.sameName);
    if (!show) {
      if (chip) {
        chip.remove();
        this.allChips.delete(chip);
        this.chips.delete(element);
      }
      return;
    }
    if (!chip) {
      chip = makeChip(this.options.document);
      this.chips.set(element, chip);
      this.allChips.add(chip);
    }
    if (chip.dataset.key !== t.key) fillChip(chip, answer, t.key!);
    place(chip, t.row!.anchor);
  }
}

/**
 * Each stretch of the chips' main-thread work is a user-timing measure "centric:chips" (visible in
 * DevTools' performance panel; the list benchmark adds them up).
 */
function measure(start: number): void {
  try {
    performance.measure(MEASURE, { start });
  } catch {
    // user timing unavailable: nothing to record
  }
}
export const MEASURE = 'centric:chips';

/** A cell anchor holds the chip as its last child (a row must not gain a cell); any other anchor is followed by it. */
function isCell(anchor: Element): boolean {
  const name = anchor.localName;
  if (name === 'td' || name === 'th') return true;
  const role = anchor.getAttribute('role');
  return role === 'gridcell' || role === 'cell';
}
function isPlaced(chip: Element, anchor: Element): boolean {
  return isCell(anchor) ? chip.parentNode === anchor && anchor.lastChild === chip : chip.previousSibling === anchor;
}
function place(chip: Element, anchor: Element): void {
  if (isPlaced(chip, anchor)) return;
  if (isCell(anchor)) anchor.append(chip);
  else anchor.after(chip);
}

/** One constructed style sheet shared by every chip's shadow root (null where adopting fails: a <style> each). */
let sharedSheet: CSSStyleSheet | null | undefined;
function adoptStyles(shadow: ShadowRoot, document: Document): void {
  if (sharedSheet === undefined) {
    try {
      sharedSheet = new CSSStyleSheet();
      sharedSheet.replaceSync(CHIP_CSS);
    } catch {
      sharedSheet = null;
    }
  }
  if (sharedSheet) {
    try {
      shadow.adoptedStyleSheets = [sharedSheet];
      return;
    } catch {
      sharedSheet = null;
    }
  }
  const style = document.createElement('style');
  style.textContent = CHIP_CSS;
  shadow.append(style);
}

/** The empty chip host and its face, made once per document and cloned (cheaper than building each). */
const prototypes = new WeakMap<Document, { host: HTMLElement; face: HTMLElement }>();
function makeChip(document: Document): HTMLElement {
  let proto = prototypes.get(document);
  if (!proto) {
    const host = document.createElement(CHIP_TAG);
    host.setAttribute('style', HOST_STYLE);
    const face = document.createElement('span');
    face.setAttribute('role', 'img');
    prototypes.set(document, (proto = { host, face }));
  }
  const chip = proto.host.cloneNode(false) as HTMLElement;
  const shadow = chip.attachShadow({ mode: 'open' });
  adoptStyles(shadow, document);
  shadow.append(proto.face.cloneNode(false));
  return chip;
}

function fillChip(chip: HTMLElement, answer: BatchAnswer, key: string): void {
  const span = chip.shadowRoot!.lastElementChild as HTMLElement;
  const description = chipDescription(answer);
  chip.dataset.key = key;
  chip.title = description;
  span.setAttribute('aria-label', description);
  if (answer.status === 'found' && answer.value) {
    const v = answer.value;
    chip.dataset.tier = v.tier;
    span.className = v.flags.includes('at-risk') ? 'chip risk' : 'chip';
    span.style.background = v.tierColor;
    span.style.color = v.tierForeground;
    span.textContent = v.tier.slice(0, 1).toUpperCase();
  } else {
    chip.dataset.tier = '';
    span.className = 'chip unknown';
    span.removeAttribute('style');
    span.textContent = answer.status === 'found' ? '·' : '?';
  }
}
