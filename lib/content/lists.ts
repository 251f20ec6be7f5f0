/**
 * The list feature in the content script: watches the site's switch (extension storage, off by
 * default) and the page's URL, and runs the tier chips on list pages while the switch is on. The
 * chips' code and the list readers are not part of the content script: the first time the switch is
 * on, the background injects entrypoints/list-chips.ts into the tab ("load-list-chips"), so a site's
 * content script stays small for everyone who leaves the chips off. Runs inside the sidebar's content script: the same registration, the same
 * permissions. Changing the switch takes effect on open pages at once (storage.onChanged).
 */
import { signal, type Signal } from '@preact/signals';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { ListChipsSetting } from '~/lib/lists/switch';
import { LIST_CHIPS } from '~/lib/settings/items';
import { readSetting, watchSetting } from '~/lib/settings/storage';
import { askLookupBatch } from '~/lib/messages/lookup-client';
import type { SiteAdapter } from '~/lib/sites/types';
import type { ListChips, ListedRow } from './list-chips';
import { LIST_CHIPS_GLOBAL, type ListChipsModule } from './list-chips-module';

const loaded = () => (globalThis as Record<string, unknown>)[LIST_CHIPS_GLOBAL] as ListChipsModule | undefined;

/** The chips' code: already in this isolated world, or injected by the background on request. */
async function loadChips(): Promise<ListChipsModule> {
  const present = loaded();
  if (present) return present;
  const answer = (await browser.runtime.sendMessage({ type: 'load-list-chips' })) as { ok?: boolean; message?: string } | undefined;
  const module = loaded();
  if (!module) throw new Error(answer?.message ?? 'Centric’s list chips could not be loaded.');
  return module;
}

export interface ListFeature {
  /** The rows of the list page with their answers; null when the feature is off or not a list page. */
  rows: Signal<ListedRow[] | null>;
  /** Re-checks after a URL change (single-page navigation). */
  refresh(): void;
  /** Asks for every row (the worklist is being shown). */
  resolveAll(): void;
  /** Whether the whole list still needs looking up for the worklist (a list of at most `limit` rows). */
  wantsAll(limit: number): boolean;
}

/**
 * `wanted`: whether the rows are shown now (the sidebar is open); while not, the rows signal is not
 * recomputed on every answer (call `refresh` when it becomes true).
 */
export function startListFeature(ctx: ContentScriptContext, adapter: SiteAdapter, wanted: () => boolean = () => true): ListFeature {
  const siteId = adapter.id;
  const rows = signal<ListedRow[] | null>(null);
  let on = false;
  let chips: ListChips | null = null;
  let chipsHref = '';
  let run = 0;
  let pendingUpdate = false;

  const update = () => {
    if (pendingUpdate || !wanted()) return;
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
    // A record page is never a list: nothing to load there.
    if (!on || !ctx.isValid || adapter.isRecordPage(new URL(location.href))) return stopChips();
    let module: ListChipsModule;
    try {
      module = await loadChips();
    } catch (error) {
      console.warn('[Centric]', (error as Error).message ?? error);
      return stopChips();
    }
    const reader = module.listReaderFor(siteId);
    if (mine !== run) return;
    if (!reader || !reader.isListPage(new URL(location.href))) return stopChips();
    if (chips && chipsHref === location.href) return;
    const { ListChips } = module;
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

  const follow = (setting: ListChipsSetting) => {
    on = setting[siteId] === true;
    void apply();
  };
  void readSetting(LIST_CHIPS).then(follow);
  ctx.onInvalidated(watchSetting(LIST_CHIPS, follow));
  ctx.onInvalidated(stopChips);

  return {
    rows,
    refresh: () => {
      void apply();
      update();
    },
    resolveAll: () => void chips?.resolveAll(),
    wantsAll: (limit) => !!chips && chips.size() <= limit && (!chips.readsAll || chips.rows().some((r) => r.answer === undefined)),
  };
}
