/**
 * Migrations that move a value from one setting into another (a single setting's new shape is a
 * version and a migration in lib/settings/items.ts instead). The background runs them at start-up,
 * with migrateSettings (lib/settings/storage.ts), and when a restored backup brings an old key back.
 */
import { migrateLegacyCollapsed } from '../sites/layout';
import { CUSTOM_SITES, LAYOUT, LEGACY_COLLAPSED } from './items';
import { readSettings, removeSetting, writeSetting } from './storage';

/**
 * Moves the pre-issue-17 switch (`sidebar.collapsed`, one for every site) into the per-site layout
 * choices: each site given (built-in, and every custom site saved) without a choice of its own starts
 * hidden where it was hidden everywhere. Idempotent; true when it moved something.
 */
export async function migrateLegacyLayout(builtInSiteIds: readonly string[]): Promise<boolean> {
  const [legacy, choices, customSites] = await readSettings(LEGACY_COLLAPSED, LAYOUT, CUSTOM_SITES);
  const next = migrateLegacyCollapsed(legacy, choices, [...builtInSiteIds, ...customSites.map((r) => `custom:${r.id}`)]);
  if (!next) return false;
  await writeSetting(LAYOUT, next);
  await removeSetting(LEGACY_COLLAPSED);
  return true;
}
