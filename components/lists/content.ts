/**
 * The list feature in the content script: watches the site's switch (extension storage, off by
 * default) and the page's URL, and runs the tier chips on list pages while the switch is on. Each
 * site's content script carries only its own list reader (entrypoints/<site>.content.ts); the chips'
 * code is a dynamic import (WXT inlines it into the content script, but it only runs when on). Runs inside the sidebar's content script: the same registration, the same
 * permissions. Changing the switch takes effect on open pages at once (storage.onChanged).
 */
import { signal, type Signal } from '@preact/signals';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { isListChipsOn, LIST_CHIPS_KEY } from '~/lib/lists/switch';
import { askLookupBatch } from '~/lib/messages/lookup-client';
import type { ListReader } from '~/lib/sites/lists/types';
import type { ListChips, ListedRow } from './chips';

export interface ListFeature {
  /** The rows of the list page with their answers; null when the feature is off or not a list page. */
  rows: Signal<ListedRow[] | null>;
  /** Re-checks after a URL change (single-page navigation). */
  refresh(): void;
  /** Asks for every row (the worklist is being shown). */
  resolveAll(): void;
}

export function startListFeature(ctx: ContentScriptContext, reader: ListReader | undefined): ListFeature {
  const rows = signal<ListedRow[] | null>(null);
  let on = false;
  let chips: ListChips | null = null;
  let chipsHref = '';
  let run = 0;
  let pendingUpdate = false;

  const update = () => {
    if (pendingUpdate) return;
    pendingUpdate = true;
    queueMicrotask(() => {
      pendingUpdate = false;
      rows.value = chips ? chips.rows() : null;
    });
  };

  const stopChips = () => {
    chips?.stop();
    chips = null;
    rows.value = null;
  };

  const apply = async () => {
    const mine = ++run;
    if (!on || !ctx.isValid || !reader || !reader.isListPage(new URL(location.href))) return stopChips();
    if (chips && chipsHref === location.href) return;
    const { ListChips } = await import('./chips');
    if (mine !== run) return;
    stopChips();
    chipsHref = location.href;
    chips = new ListChips({
      reader,
      document,
      url: () => new URL(location.href),
      lookup: askLookupBatch,
      onChange: update,
      onError: (error) => console.warn('[Centric] List chips could not be looked up:', error),
    });
    chips.start();
    rows.value = [];
  };

  if (!reader) return { rows, refresh: () => {}, resolveAll: () => {} };
  const siteId = reader.id;
  void browser.storage.local.get(LIST_CHIPS_KEY).then((stored) => {
    on = isListChipsOn(stored[LIST_CHIPS_KEY], siteId);
    void apply();
  });
  browser.storage.onChanged.addListener((changes, area) => {
    const change = changes[LIST_CHIPS_KEY];
    if (area !== 'local' || !change) return;
    on = isListChipsOn(change.newValue, siteId);
    void apply();
  });
  ctx.onInvalidated(stopChips);

  return {
    rows,
    refresh: () => void apply(),
    resolveAll: () => void chips?.resolveAll(),
  };
}
