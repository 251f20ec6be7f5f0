/**
 * Export everything and restore it (Options → Your data): the database's tables (lib/db/lifecycle.ts)
 * and the settings kept in extension storage (lib/backup/settings.ts) in one file. A restore is all or
 * nothing: the file is checked whole first; then the settings are written and the database replaced in
 * one transaction; if that fails, the settings are put back as they were.
 */
import { backupTransactionCount, exportStore, restoreStore, type Backup } from '~/lib/db/lifecycle';
import type { CentricDb } from '~/lib/db/db';
import { planSettingsRestore, settingsForBackup } from '~/lib/backup/settings';
import { CUSTOM_DOMAINS, CUSTOM_SITES, RULES, SOURCES } from '~/lib/settings/items';

/** The extension storage area a backup reads and writes whole (lib/settings/storage.ts rawAreas: local; a fake in unit tests). */
export interface SettingsStorage {
  get(keys: null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
const lengthOf = (value: unknown, pick?: (v: Record<string, unknown>) => unknown) => {
  const list = pick && typeof value === 'object' && value !== null ? pick(value as Record<string, unknown>) : value;
  return Array.isArray(list) ? list.length : 0;
};

/** "3 treatment rules, 2 lookup sources, 1 custom site…" for what a backup's settings hold. */
export function settingsInWords(storage: Record<string, unknown>): string {
  const parts = [
    [RULES.key in storage, plural(lengthOf(storage[RULES.key], (v) => v.rules), 'treatment rule')],
    [SOURCES.key in storage, plural(lengthOf(storage[SOURCES.key], (v) => v.sources), 'lookup source')],
    [CUSTOM_SITES.key in storage, plural(lengthOf(storage[CUSTOM_SITES.key]), 'custom site')],
    [CUSTOM_DOMAINS.key in storage, plural(lengthOf(storage[CUSTOM_DOMAINS.key]), 'custom domain')],
  ].filter(([present]) => present).map(([, words]) => words as string);
  return parts.length > 0 ? `the settings (${parts.join(', ')}, the scoring settings and the switches)` : 'the settings';
}

/** The whole backup: the database's tables and the settings, the sources' secrets only when asked. */
export async function exportEverything(db: CentricDb, storage: SettingsStorage, includeSecrets: boolean): Promise<{ backup: Backup; message: string }> {
  const [backup, local] = await Promise.all([exportStore(db), storage.get(null)]);
  const { settings, left } = settingsForBackup(local, includeSecrets);
  const full: Backup = { ...backup, settings };
  const secrets = SOURCES.key in settings.storage ? (includeSecrets ? ' with the sources’ secrets' : ' without the sources’ API keys, tokens and headers') : '';
  const message =
    `Exported ${plural(backup.tables.customers.length, 'customer')}, ${plural(backupTransactionCount(backup), 'transaction')} and ` +
    `${settingsInWords(settings.storage)}${secrets}.${left.length > 0 ? ` Left out: ${left.join('; ')}.` : ''}`;
  return { backup: full, message };
}

/**
 * Restores a checked backup (parseBackup): settings first (remembering what was there), then the
 * database in one transaction; if the database refuses, the settings are put back. Returns what the
 * person should know (sources without their secrets, older backups without settings).
 */
export async function restoreEverything(db: CentricDb, storage: SettingsStorage, backup: Backup): Promise<string[]> {
  if (!backup.settings) {
    await restoreStore(db, backup);
    return ['This backup was made before backups held settings: your rules, sources, sites and switches were left as they are.'];
  }
  const current = await storage.get(null);
  const plan = planSettingsRestore(backup.settings, current);
  const touched = [...Object.keys(plan.set), ...plan.remove];
  await storage.set(plan.set);
  await storage.remove(plan.remove);
  try {
    await restoreStore(db, backup);
  } catch (error) {
    const before = Object.fromEntries(touched.filter((k) => k in current).map((k) => [k, current[k]]));
    await storage.set(before);
    await storage.remove(touched.filter((k) => !(k in current)));
    throw error;
  }
  return [
    ...plan.notes,
    'Permissions belong to the browser, not to a backup: turn the sites you use on again in Sites if they are off, and save a lookup source again in Sources if it says it lacks permission.',
  ];
}
