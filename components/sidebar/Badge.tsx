import type { CustomerValueView } from '~/lib/messages/schema';
import type { Corner } from '~/lib/sites/layout';

export interface BadgeProps {
  /** The customer's value, for the tier's initial, name and colours (absent: Centric's own). */
  value?: CustomerValueView;
  corner: Corner;
  /** The id of the panel the badge opens (absent when it opens the browser's side panel instead). */
  controls?: string;
  onClick: () => void;
}

/**
 * The sidebar hidden: a small badge with the tier's initial and name in the tier's colours, in the
 * host's corner (lib/sites/layout.ts). A click or Enter opens the sidebar, or the browser's side panel
 * when that is the sidebar's home.
 */
export function Badge({ value, corner, controls, onClick }: BadgeProps) {
  const tier = value?.tier.trim();
  return (
    <button
      type="button"
      class={`badge corner-${corner}`}
      aria-expanded={controls ? false : undefined}
      aria-controls={controls}
      title="Alt+Shift+C"
      onClick={onClick}
      style={value && { background: value.tierColor, color: value.tierForeground }}
      data-testid="centric-toggle"
      data-corner={corner}
    >
      <span class="tab-mark" aria-hidden="true" data-testid="tab-initial">
        {tier ? [...tier][0]!.toUpperCase() : 'C'}
      </span>
      <span class="badge-name" aria-hidden="true">
        {tier || 'Centric'}
      </span>
      <span class="visually-hidden">
        {controls ? 'Show Centric' : 'Open Centric in the browser’s side panel'}
        {tier ? `, ${tier} customer` : ''}
      </span>
    </button>
  );
}
