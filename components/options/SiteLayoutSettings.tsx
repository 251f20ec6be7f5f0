import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { CUSTOM_SITES_KEY, customRules } from '~/lib/sites/custom';
import { choiceFrom, layoutFor, LAYOUT_KEY, LAYOUT_MODES, MODE_LABELS, withChoice, type LayoutMode } from '~/lib/sites/layout';
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
  const stored = useSignal<unknown>(undefined);
  const custom = useSignal<Site[]>([]);
  const saved = useSignal<string | null>(null);

  useEffect(() => {
    const read = async () => {
      const now = await browser.storage.local.get([LAYOUT_KEY, CUSTOM_SITES_KEY]);
      stored.value = now[LAYOUT_KEY];
      custom.value = customRules(now[CUSTOM_SITES_KEY]).map((rule) => ({ id: `custom:${rule.id}`, name: rule.name }));
    };
    void read();
    const onChange = (changes: Record<string, unknown>, area: string) => {
      if (area === 'local' && (LAYOUT_KEY in changes || CUSTOM_SITES_KEY in changes)) void read();
    };
    browser.storage.onChanged.addListener(onChange);
    return () => browser.storage.onChanged.removeListener(onChange);
  }, []);

  const choose = async (site: Site, mode: LayoutMode | undefined) => {
    const now = await browser.storage.local.get(LAYOUT_KEY);
    const current = choiceFrom(now[LAYOUT_KEY], site.id);
    await browser.storage.local.set({ [LAYOUT_KEY]: withChoice(now[LAYOUT_KEY], site.id, mode ? { ...current, mode } : { collapsed: current.collapsed }) });
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
          {[...sites, ...custom.value].map((site) => {
            const layout = layoutFor(site.id);
            const chosen = choiceFrom(stored.value, site.id).mode;
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
