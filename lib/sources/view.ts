/**
 * A remote score as the sidebar can show it: the tier badge's colours resolved (the source's colour,
 * else the colour of the tier of the same name in the team's tier configuration, else a neutral grey;
 * text colour by contrast), and the numbers the source gave. Numbers a source did not give stay
 * undefined: the sidebar must not show them as 0.
 */
import { DEFAULT_TIER_CONFIG, type TierConfig, readableForeground, tierForeground } from '../tiers/config';
import type { RemoteScore } from './response';

/** Badge colour of a tier nobody gave a colour for. */
export const UNKNOWN_TIER_COLOR = '#64748b';

/** What the sidebar shows of a remote score. */
export interface RemoteValueView {
  tier: string;
  /** #rrggbb */
  tierColor: string;
  /** #rrggbb, readable on tierColor. */
  tierForeground: string;
  clv?: number;
  next12Months?: number;
  lifetimeValue?: number;
  pAlive?: number;
  expectedTransactions?: number;
  segment?: string;
  treatment?: { title: string; guidance?: string };
  /** When the source scored the customer (ISO), as the source said. */
  updatedAt?: string;
}

/** #rgb → #rrggbb, lower case. */
function sixDigits(color: string): string {
  return (color.length === 4 ? `#${color[1]}${color[1]}${color[2]}${color[2]}${color[3]}${color[3]}` : color).toLowerCase();
}

/** The view of a remote score, with badge colours from the score or from `tiers` (matched by name, case-insensitive). */
export function remoteValueView(score: RemoteScore, tiers: TierConfig = DEFAULT_TIER_CONFIG): RemoteValueView {
  const known = tiers.tiers.find((t) => t.name.toLowerCase() === score.tier.trim().toLowerCase());
  let tierColor: string;
  let foreground: string;
  if (score.tierColor) {
    tierColor = sixDigits(score.tierColor);
    foreground = readableForeground(tierColor);
  } else if (known) {
    tierColor = sixDigits(known.color);
    foreground = sixDigits(tierForeground(known));
  } else {
    tierColor = UNKNOWN_TIER_COLOR;
    foreground = readableForeground(UNKNOWN_TIER_COLOR);
  }
  const view: RemoteValueView = { tier: score.tier, tierColor, tierForeground: foreground };
  if (score.clv !== undefined) view.clv = score.clv;
  if (score.next12Months !== undefined) view.next12Months = score.next12Months;
  if (score.lifetimeValue !== undefined) view.lifetimeValue = score.lifetimeValue;
  if (score.pAlive !== undefined) view.pAlive = score.pAlive;
  if (score.expectedTransactions !== undefined) view.expectedTransactions = score.expectedTransactions;
  if (score.segment !== undefined) view.segment = score.segment;
  if (score.treatment !== undefined) view.treatment = score.treatment;
  if (score.updatedAt !== undefined) view.updatedAt = score.updatedAt;
  return view;
}
