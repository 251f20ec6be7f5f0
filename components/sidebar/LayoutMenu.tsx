import { LAYOUT_MODES, MODE_LABELS, type LayoutMode } from '~/lib/sites/layout';
import type { LayoutView } from '../../lib/content/page-layout';

/**
 * Where the sidebar shows on this site, chosen from the sidebar itself: a native select (keyboard and
 * screen readers know it), remembered per site in extension storage. "Automatic" is the host's
 * default, and the badge on a narrow window.
 */
export function LayoutMenu({ layout }: { layout: LayoutView }) {
  return (
    <label class="layout-menu">
      <span class="layout-label">Show</span>
      <span class="visually-hidden"> Centric on this site</span>
      <select
        data-testid="layout-menu"
        value={layout.chosen.value ?? ''}
        onChange={(event) => {
          const value = event.currentTarget.value;
          layout.choose(LAYOUT_MODES.find((m) => m === value) as LayoutMode | undefined);
        }}
      >
        <option value="">Automatic</option>
        {layout.modes.map((mode) => (
          <option key={mode} value={mode}>
            {MODE_LABELS[mode]}
          </option>
        ))}
      </select>
    </label>
  );
}
