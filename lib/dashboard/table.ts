/**
 * The customer table of the dashboard: search, sort and pages over the whole base, fast enough for
 * 100,000 customers. Work is done once and reused: the search text of every customer is built once,
 * each (column, direction) order is sorted once and cached, and a search is one pass over the base
 * (a narrowing search, e.g. typing one more letter, only re-tests the previous matches). A query is
 * then a walk of the cached order keeping the matches, with no sorting per keystroke.
 */
import type { CustomerWithValue } from '../db/records';

export const SORT_COLUMNS = ['name', 'tier', 'clv', 'lifetimeValue', 'pAlive', 'lastPurchase'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortDirection = 'asc' | 'desc';

/** Rows per page. */
export const PAGE_SIZE = 50;

export interface TableQuery {
  search: string;
  column: SortColumn;
  direction: SortDirection;
  /** 0-based; clamped to the pages there are. */
  page: number;
}

export interface TablePage {
  rows: CustomerWithValue[];
  /** Customers matching the search. */
  matches: number;
  /** The page shown (0-based, after clamping) and the number of pages (at least 1). */
  page: number;
  pages: number;
  /** 1-based positions of the first and last row shown among the matches (0 and 0 when none). */
  first: number;
  last: number;
}

export interface CustomerTableModel {
  readonly size: number;
  query(query: TableQuery): TablePage;
}

/** The direction a column sorts in when its header is first chosen: names A→Z, everything else highest first. */
export function defaultDirection(column: SortColumn): SortDirection {
  return column === 'name' ? 'asc' : 'desc';
}

/** Lower-case search terms of a search text (every term must match). */
export function searchTerms(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter((t) => t.length > 0);
}

/** What a search looks in: name, emails, company and id, lower-cased. */
export function searchTextOf(customer: CustomerWithValue): string {
  return [customer.name, ...customer.emails, customer.company ?? '', customer.id].join('\n').toLowerCase();
}

/** A name as a sort key: lower case, accents removed ("Émile" sorts with "emile"). */
function nameKey(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** Per-column sort keys: a number or a string per customer, or null when missing (always sorted last). */
type Keys = { kind: 'number'; values: Float64Array } | { kind: 'string'; values: (string | null)[] };

function keysOf(customers: readonly CustomerWithValue[], column: SortColumn): Keys {
  const n = customers.length;
  if (column === 'name') return { kind: 'string', values: customers.map((c) => nameKey(c.name)) };
  if (column === 'lastPurchase') return { kind: 'string', values: customers.map((c) => c.facts.lastPurchase || null) };
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = customers[i]?.value;
    if (!v) values[i] = Number.NaN;
    // Tier level: higher is better, so "descending" puts the best tier first, like value.
    else if (column === 'tier') values[i] = -v.tierIndex;
    else values[i] = column === 'clv' ? v.clv : column === 'lifetimeValue' ? (v.lifetimeValue ?? Number.NaN) : v.pAlive;
  }
  return { kind: 'number', values };
}

/** Position of each customer in the tie-break order: by rank (unranked last), then id. */
function tieBreakPositions(customers: readonly CustomerWithValue[]): Uint32Array {
  const n = customers.length;
  const rank = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = customers[i]?.value?.rank ?? 0;
    rank[i] = r > 0 ? r : Number.POSITIVE_INFINITY;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (rank[a] as number) - (rank[b] as number) || compareIds((customers[a] as CustomerWithValue).id, (customers[b] as CustomerWithValue).id));
  const position = new Uint32Array(n);
  order.forEach((i, p) => (position[i] = p));
  return position;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Customer indices sorted by a column; missing keys last in both directions; ties by the tie-break order. */
function sortedOrder(keys: Keys, direction: SortDirection, tieBreak: Uint32Array): Uint32Array {
  const n = tieBreak.length;
  const sign = direction === 'asc' ? 1 : -1;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const tie = (a: number, b: number) => (tieBreak[a] as number) - (tieBreak[b] as number);
  if (keys.kind === 'number') {
    const v = keys.values;
    return order.sort((a, b) => {
      const x = v[a] as number;
      const y = v[b] as number;
      const mx = Number.isNaN(x);
      const my = Number.isNaN(y);
      if (mx || my) return mx === my ? tie(a, b) : mx ? 1 : -1;
      return x === y ? tie(a, b) : x < y ? -sign : sign;
    });
  }
  const v = keys.values;
  return order.sort((a, b) => {
    const x = v[a] ?? null;
    const y = v[b] ?? null;
    if (x === null || y === null) return x === y ? tie(a, b) : x === null ? 1 : -1;
    return x === y ? tie(a, b) : x < y ? -sign : sign;
  });
}

/** Builds the table model of a customer list (the list must not change afterwards). */
export function createCustomerTableModel(customers: readonly CustomerWithValue[]): CustomerTableModel {
  const n = customers.length;
  const orders = new Map<string, Uint32Array>();
  let tieBreak: Uint32Array | null = null;
  let searchTexts: string[] | null = null;
  // The last search: its terms and which customers matched.
  let lastTerms: string[] = [];
  let lastMatches: Uint8Array | null = null;
  let lastCount = n;

  const orderFor = (column: SortColumn, direction: SortDirection): Uint32Array => {
    const key = `${column}:${direction}`;
    let order = orders.get(key);
    if (!order) {
      tieBreak ??= tieBreakPositions(customers);
      order = sortedOrder(keysOf(customers, column), direction, tieBreak);
      orders.set(key, order);
    }
    return order;
  };

  /** Every term of `next` contains a term of `previous` at the same place: the new matches are a subset. */
  const narrows = (previous: string[], next: string[]) =>
    previous.length > 0 && previous.length <= next.length && previous.every((t, k) => (next[k] as string).includes(t));

  const matchesFor = (terms: string[]): { matches: Uint8Array | null; count: number } => {
    if (terms.length === 0) return { matches: null, count: n };
    if (lastMatches && terms.join(' ') === lastTerms.join(' ')) return { matches: lastMatches, count: lastCount };
    searchTexts ??= customers.map(searchTextOf);
    const texts = searchTexts;
    const candidates = lastMatches && narrows(lastTerms, terms) ? lastMatches : null;
    const matches = new Uint8Array(n);
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (candidates && candidates[i] === 0) continue;
      const text = texts[i] as string;
      if (terms.every((t) => text.includes(t))) {
        matches[i] = 1;
        count++;
      }
    }
    lastTerms = terms;
    lastMatches = matches;
    lastCount = count;
    return { matches, count };
  };

  return {
    size: n,
    query({ search, column, direction, page }) {
      const order = orderFor(column, direction);
      const { matches, count } = matchesFor(searchTerms(search));
      const pages = Math.max(1, Math.ceil(count / PAGE_SIZE));
      const shown = Math.min(Math.max(0, Math.floor(page)), pages - 1);
      const skip = shown * PAGE_SIZE;
      const rows: CustomerWithValue[] = [];
      if (!matches) {
        for (let p = skip; p < Math.min(n, skip + PAGE_SIZE); p++) rows.push(customers[order[p] as number] as CustomerWithValue);
      } else {
        let seen = 0;
        for (let p = 0; p < n && rows.length < PAGE_SIZE; p++) {
          const i = order[p] as number;
          if (matches[i] === 0) continue;
          if (seen++ >= skip) rows.push(customers[i] as CustomerWithValue);
        }
      }
      return { rows, matches: count, page: shown, pages, first: rows.length > 0 ? skip + 1 : 0, last: skip + rows.length };
    },
  };
}
