/**
 * Small, pure helpers shared by the list readers: columns found by their header text (hosts let
 * people reorder and hide columns, so a column's position is never assumed), links, absolute URLs.
 */
import { textOf } from '../text';

/** The index of the first header cell of `table` whose text (or title, or data-label) matches. */
export function columnIndex(table: Element | null, header: RegExp): number {
  const row = table?.querySelector('thead tr') ?? table?.querySelector('[role="columnheader"]')?.closest('[role="row"]');
  if (!row) return -1;
  const cells = [...row.children];
  return cells.findIndex((cell) => {
    const label = cell.getAttribute('data-label') ?? cell.getAttribute('title') ?? cell.getAttribute('aria-label') ?? textOf(cell) ?? '';
    return header.test(label.trim()) || header.test(textOf(cell) ?? '');
  });
}

/** The row's cell at `index` (its element children, th and td alike), or null. */
export function cellAt(row: Element, index: number): Element | null {
  return index >= 0 ? (row.children[index] ?? null) : null;
}

/**
 * Column indexes by header, remembered per table element (reading the header once per table, not
 * once per row: a virtual list re-reads rows as it scrolls). The cache follows the table element, so a
 * re-rendered table is read again.
 */
export class Columns {
  private readonly cache = new WeakMap<Element, Map<RegExp, number>>();
  index(table: Element | null, header: RegExp): number {
    if (!table) return -1;
    let byHeader = this.cache.get(table);
    if (!byHeader) this.cache.set(table, (byHeader = new Map()));
    let index = byHeader.get(header);
    if (index === undefined || index < 0) {
      index = columnIndex(table, header);
      byHeader.set(header, index);
    }
    return index;
  }
}

/** An absolute http(s) URL for a link's href on this page, or undefined (javascript:, data: … never). */
export function absoluteUrl(href: string | null | undefined, base: URL): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href, base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A short label: the first of the given texts that is not empty, at most 200 characters. */
export function labelOf(...texts: (string | undefined)[]): string {
  return (texts.find((t) => t && t.trim()) ?? '').trim().slice(0, 200);
}

const headerPatterns = new Map<string, RegExp>();
/**
 * A column header's text pattern (case-insensitive), compiled once per source: the list readers'
 * selectors are data a team can replace at run time, and the same RegExp keeps Columns' cache warm.
 */
export function headerPattern(source: string): RegExp {
  let pattern = headerPatterns.get(source);
  if (!pattern) headerPatterns.set(source, (pattern = new RegExp(source, 'i')));
  return pattern;
}

/** The deepest single-child descendant of a cell (the span around the text, or the cell itself). */
export function innermost(cell: Element): Element {
  let el = cell;
  while (el.children.length === 1 && textOf(el.children[0]) === textOf(el)) el = el.children[0]!;
  return el;
}
