/**
 * The one switch of the list chips and worklist for a site (issue 8), shown in the popup for the
 * current site and in Options → Sites next to each enabled site. Off by default; open pages of the
 * site follow the change at once (their content script listens to storage.onChanged).
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { isListChipsOn, LIST_CHIPS_KEY, withListChips } from '~/lib/lists/switch';
import { listReaderFor } from '~/lib/sites/lists/registry';

/** Whether the site has list views Centric can annotate. */
export const hasListViews = (siteId: string) => listReaderFor(siteId) !== undefined;

export function ListChipsSwitch({ siteId, siteName }: { siteId: string; siteName: string }) {
  const on = useSignal<boolean | null>(null);
  const error = useSignal<string | null>(null);
  useEffect(() => {
    const read = async () => {
      const stored = await browser.storage.local.get(LIST_CHIPS_KEY);
      on.value = isListChipsOn(stored[LIST_CHIPS_KEY], siteId);
    };
    void read();
    const onStorage = (changes: Record<string, unknown>, area: string) => {
      if (area === 'local' && LIST_CHIPS_KEY in changes) void read();
    };
    browser.storage.onChanged.addListener(onStorage);
    return () => browser.storage.onChanged.removeListener(onStorage);
  }, [siteId]);

  const change = async (next: boolean) => {
    try {
      // Read-modify-write of the whole setting: the other sites' switches are kept.
      const stored = await browser.storage.local.get(LIST_CHIPS_KEY);
      await browser.storage.local.set({ [LIST_CHIPS_KEY]: withListChips(stored[LIST_CHIPS_KEY], siteId, next) });
      on.value = next;
      error.value = null;
    } catch (e) {
      error.value = `The setting could not be saved: ${String((e as Error).message ?? e)}`;
    }
  };

  return (
    <span class="list-chips-switch">
      <label>
        <input
          type="checkbox"
          checked={on.value === true}
          disabled={on.value === null}
          onChange={(e) => void change((e.currentTarget as HTMLInputElement).checked)}
          data-testid={`list-chips-${siteId}`}
        />{' '}
        Tier chips and worklist on {siteName} list views
      </label>
      {error.value && (
        <span role="alert" class="error">
          {' '}
          {error.value}
        </span>
      )}
    </span>
  );
}
