/**
 * The per-site switch of the list chips and worklist (issue 8): off by default, stored in extension
 * storage (lib/settings/items.ts LIST_CHIPS) as { [siteId]: true }. Anything else stored there (a hand-edited value,
 * an older format) reads as "off" for that site, never as an error that loses the other sites.
 */

export type ListChipsSetting = Readonly<Record<string, boolean>>;

/** The stored setting, cleaned: only sites switched on, by site id. */
export function listChipsFrom(stored: unknown): ListChipsSetting {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return {};
  const out: Record<string, boolean> = {};
  for (const [site, on] of Object.entries(stored)) if (on === true && /^[a-z0-9-]{1,64}$/.test(site)) out[site] = true;
  return out;
}

export function isListChipsOn(stored: unknown, siteId: string): boolean {
  return listChipsFrom(stored)[siteId] === true;
}

/** The setting with one site switched on or off (the others kept). */
export function withListChips(stored: unknown, siteId: string, on: boolean): ListChipsSetting {
  const { [siteId]: _old, ...others } = listChipsFrom(stored);
  return on ? { ...others, [siteId]: true } : others;
}
