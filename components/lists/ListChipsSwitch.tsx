/**
 * The one switch of the list chips and worklist for a site (issue 8), shown in the popup for the
 * current site and in Options → Sites next to each enabled site. Off by default; open pages of the
 * site follow the change at once (their content script watches the setting).
 */
import { useSignal } from '@preact/signals';
import { withListChips } from '~/lib/lists/switch';
import { useSetting } from '~/lib/pages/use-setting';
import { LIST_CHIPS } from '~/lib/settings/items';
import { updateSetting } from '~/lib/settings/storage';
import { listReaderFor } from '~/lib/sites/lists/registry';

/** Whether the site has list views Centric can annotate. */
export const hasListViews = (siteId: string) => listReaderFor(siteId) !== undefined;

export function ListChipsSwitch({ siteId, siteName }: { siteId: string; siteName: string }) {
  const setting = useSetting(LIST_CHIPS);
  const on = setting === undefined ? null : setting[siteId] === true;
  const error = useSignal<string | null>(null);

  const change = async (next: boolean) => {
    try {
      // Read-modify-write of the whole setting: the other sites' switches are kept.
      await updateSetting(LIST_CHIPS, (current) => withListChips(current, siteId, next));
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
          checked={on === true}
          disabled={on === null}
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
