/**
 * "Erase everything" (Options → Your data), run by the background, which owns the database, the
 * alarms and the registered content scripts. Afterwards Centric is as freshly installed, except that
 * the bundled sample is not loaded again (lib/db/lifecycle.ts ERASED_MARKER): every table of the
 * database, every key of extension storage (local, sync, session; the site health counts too) but the
 * record the install itself wrote (INSTALL_KEYS: a fresh install holds it too), every alarm, every registered
 * content script, the site permissions a person granted (optional host permissions; those of the
 * manifest cannot be given back), and any other database of the extension's origin. The browser APIs
 * are passed in, so this runs in unit tests with fakes.
 */
import type { CentricDb } from '~/lib/db/db';
import { eraseStore, type StoreErased } from '~/lib/db/lifecycle';
import { NOTHING_ERASED } from '~/lib/messages/handler';
import type { EraseResult } from '~/lib/messages/schema';
import { DATABASE_NAME } from '~/lib/db/db';
import { CUSTOM_DOMAINS, CUSTOM_SITES, LAST_INSTALL, LIST_CHIPS, RULES, SITE_HEALTH, SOURCES } from '~/lib/settings/items';

/**
 * storage.local keys the install itself writes, which a fresh install therefore holds: the install
 * record (when Centric was installed and whether the welcome page opened; lib/welcome/first-run.ts).
 * Erasing keeps them, so that afterwards storage is exactly as freshly installed; they are not counted.
 */
export const INSTALL_KEYS: readonly string[] = [LAST_INSTALL.key];

/** One extension storage area (only what erasing needs). */
export interface StorageAreaLike {
  get(keys?: null): Promise<Record<string, unknown>>;
  clear(): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

export interface EraseApis {
  /** The extension's storage areas that exist in this browser (local, and sync / session where available). */
  storage: { name: string; area: StorageAreaLike }[];
  alarms: { getAll(): Promise<{ name: string }[]>; clearAll(): Promise<unknown> };
  scripting: { getRegisteredContentScripts(): Promise<{ id: string }[]>; unregisterContentScripts(): Promise<unknown> };
  permissions: { getAll(): Promise<{ origins?: string[] }>; remove(permissions: { origins: string[] }): Promise<boolean> };
  /** Host patterns granted by the manifest itself (host_permissions): these cannot be given back. */
  requiredOrigins: readonly string[];
  /** Names of every IndexedDB database of the extension's origin, when the browser can list them. */
  databaseNames?: () => Promise<string[]>;
  deleteDatabase?: (name: string) => Promise<void>;
  /** Registers again what a fresh install registers (the content scripts of the sites granted at install). */
  resync?: () => Promise<void>;
}

const countOf = (value: unknown, pick: (v: Record<string, unknown>) => unknown): number => {
  const list = typeof value === 'object' && value !== null ? pick(value as Record<string, unknown>) : undefined;
  return Array.isArray(list) ? list.length : value === undefined ? 0 : 1;
};

/** How many sources, rules, custom sites… extension storage holds, and how many other settings. */
export function countStorage(
  local: Record<string, unknown>,
): Pick<EraseResult['removed'], 'sources' | 'treatmentRules' | 'customSites' | 'customDomains' | 'listChipSwitches' | 'siteHealth'> & { otherKeys: number } {
  const known: string[] = [SOURCES, RULES, CUSTOM_SITES, CUSTOM_DOMAINS, LIST_CHIPS, SITE_HEALTH].map((s) => s.key);
  const listed = (value: unknown) => (Array.isArray(value) ? value.length : value === undefined ? 0 : 1);
  return {
    sources: countOf(local[SOURCES.key], (v) => v.sources),
    treatmentRules: countOf(local[RULES.key], (v) => v.rules),
    customSites: listed(local[CUSTOM_SITES.key]),
    customDomains: listed(local[CUSTOM_DOMAINS.key]),
    listChipSwitches: Object.keys(LIST_CHIPS.parse(local[LIST_CHIPS.key])).length,
    // The site health counts (issue 17): one per site read on this browser (a malformed record counts as one).
    siteHealth: local[SITE_HEALTH.key] === undefined ? 0 : Math.max(1, Object.keys(SITE_HEALTH.parse(local[SITE_HEALTH.key]).hosts).length),
    otherKeys: Object.keys(local).filter((k) => !known.includes(k)).length,
  };
}

/** "https://*.zendesk.com/agent/*" -> "https://*.zendesk.com". */
const hostPart = (pattern: string) => /^[^:]+:\/\/[^/]*/.exec(pattern)?.[0] ?? pattern;

const message = (error: unknown) => String((error as Error)?.message ?? error).slice(0, 300).replace(/\.+$/, '');

/**
 * Erases everything Centric stored and says what it removed. The database goes first, in one
 * transaction: if that fails nothing else is touched. A later step that fails is listed in `problems`
 * and the others still run.
 */
export async function eraseEverything(db: CentricDb, apis: EraseApis): Promise<EraseResult> {
  let store: StoreErased;
  try {
    store = await eraseStore(db);
  } catch (error) {
    return { ok: false, removed: { ...NOTHING_ERASED }, problems: [`The database could not be erased (${message(error)}); nothing was erased.`] };
  }
  const removed: EraseResult['removed'] = { ...{ ...NOTHING_ERASED }, ...store };
  const problems: string[] = [];
  const step = async (what: string, work: () => Promise<void>, failed = 'could not be removed') => {
    try {
      await work();
    } catch (error) {
      problems.push(`${what} ${failed}: ${message(error)}.`);
    }
  };

  const scriptsBefore = await apis.scripting.getRegisteredContentScripts().catch(() => [] as { id: string }[]);
  await step('The scheduled syncs (alarms)', async () => {
    removed.alarms = (await apis.alarms.getAll()).length;
    await apis.alarms.clearAll();
  });
  await step('The registered content scripts', () => apis.scripting.unregisterContentScripts().then(() => undefined));
  await step('The site permissions', async () => {
    const { origins = [] } = await apis.permissions.getAll();
    // The browser reports a host grant as "scheme://host/*" whatever path the manifest gave.
    const required = new Set(apis.requiredOrigins.map(hostPart));
    const granted = origins.filter((o) => !required.has(hostPart(o)));
    if (granted.length === 0) return;
    if (await apis.permissions.remove({ origins: granted }).catch(() => false)) {
      removed.sitePermissions = granted.length;
      return;
    }
    // One the browser will not give back (refused as a whole): the others one by one.
    const kept: string[] = [];
    for (const origin of granted) {
      if (await apis.permissions.remove({ origins: [origin] }).catch(() => false)) removed.sitePermissions++;
      else kept.push(origin);
    }
    if (kept.length > 0) throw new Error(`the browser kept ${kept.join(', ')}`);
  });
  for (const { name, area } of apis.storage) {
    await step(`The extension's ${name} storage`, async () => {
      const all = await area.get(null);
      const kept = name === 'local' ? INSTALL_KEYS.filter((key) => key in all) : [];
      const gone = Object.fromEntries(Object.entries(all).filter(([key]) => !kept.includes(key)));
      if (name === 'local') {
        const { otherKeys, ...counts } = countStorage(gone);
        Object.assign(removed, counts);
        removed.settings += otherKeys;
      } else removed.settings += Object.keys(gone).length;
      if (kept.length === 0) await area.clear();
      else await area.remove(Object.keys(gone));
    });
  }
  if (apis.databaseNames && apis.deleteDatabase) {
    await step('The other databases', async () => {
      const others = (await apis.databaseNames!()).filter((n) => n !== db.name && n !== DATABASE_NAME);
      for (const name of others) await apis.deleteDatabase!(name);
      removed.databases = others.length;
    });
  }
  // What a fresh install registers (the sites granted at install) is registered again.
  if (apis.resync) await step('The sidebar of the sites granted at install', apis.resync, 'could not be registered again');
  const scriptsAfter = await apis.scripting.getRegisteredContentScripts().catch(() => [] as { id: string }[]);
  removed.contentScripts = scriptsBefore.filter((s) => !scriptsAfter.some((a) => a.id === s.id)).length;
  return { ok: problems.length === 0, removed, problems };
}
