import { useSignal } from '@preact/signals';
import { choiceFrom, layoutFor, LAYOUT_MODES, MODE_LABELS, withChoice, type LayoutMode } from '~/lib/sites/layout';
import { useSetting } from '~/lib/pages/use-setting';
import { CUSTOM_SITES, LAYOUT } from '~/lib/settings/items';
import { updateSetting } from '~/lib/settings/storage';
import { AUTOMATIC_NOTE, LAYOUT_NOTES } from '~/lib/sites/layout-notes';

interface Site {
  id: string;
  name: string;
}

/**
 * Options → Sites: where the sidebar shows on each site (beside the page, over it, in the browser's
 * side panel, or a small badge), the same per-site choice as the menu in the sidebar (issue 17).
 */
export function SiteLayoutSettings({ sites }: { sites: readonly Site[] }) {
  const stored = useSetting(LAYOUT) ?? LAYOUT.fallback;
  const custom = (useSetting(CUSTOM_SITES) ?? []).map((rule): Site => ({ id: `custom:${rule.id}`, name: rule.name }));
  const saved = useSignal<string | null>(null);

  const choose = async (site: Site, mode: LayoutMode | undefined) => {
    await updateSetting(LAYOUT, (now) => {
      const current = choiceFrom(now, site.id);
      return withChoice(now, site.id, mode ? { ...current, mode } : { collapsed: current.collapsed });
    });
    saved.value = `${site.name}: ${mode ? MODE_LABELS[mode].toLowerCase() : 'automatic'}. Open tabs follow at once.`;
  };

  return (
    <div class="site-layouts" data-testid="site-layouts">
      <h3 id="site-layouts-title">Where the sidebar shows</h3>
      <p class="muted">{AUTOMATIC_NOTE} The menu at the top of the sidebar changes it too.</p>
      <table class="tier-table" aria-labelledby="site-layouts-title">
        <thead>
          <tr>
            <th scope="col">Site</th>
            <th scope="col">Shows</th>
          </tr>
        </thead>
        <tbody>
          {[...sites, ...custom].map((site) => {
            const layout = layoutFor(site.id);
            const chosen = choiceFrom(stored, site.id).mode;
            const note = LAYOUT_NOTES[site.id];
            const selectId = `layout-${site.id.replace(/[^a-z0-9-]/g, '-')}`;
            return (
              <tr key={site.id} data-testid={`site-layout-${site.id}`}>
                <th scope="row">
                  <label for={selectId}>{site.name}</label>
                </th>
                <td>
                  <select
                    id={selectId}
                    value={chosen ?? ''}
                    aria-describedby={note ? `${selectId}-note` : undefined}
                    onChange={(event) => {
                      const value = event.currentTarget.value;
                      void choose(site, LAYOUT_MODES.find((m) => m === value));
                    }}
                  >
                    <option value="">Automatic ({MODE_LABELS[layout.wide].toLowerCase()})</option>
                    {layout.modes.map((mode) => (
                      <option key={mode} value={mode}>
                        {MODE_LABELS[mode]}
                      </option>
                    ))}
                  </select>
                  {note && (
                    <p class="muted" id={`${selectId}-note`}>
                      {note}
                    </p>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p role="status" class="muted" data-testid="site-layout-saved">
        {saved.value}
      </p>
    </div>
  );
}
