/**
 * The one place that calls the browser's extension storage (issue 18). Every key Centric keeps there is
 * defined once, in lib/settings/items.ts, as a Setting: its key, its version, what it reads as when
 * absent (fallback), how a stored value is read (parse: never throws, whatever a hand edit or an older
 * build left there) and the migrations that bring an older version's value to the current one. Code
 * elsewhere reads, writes and watches settings through the functions here, and never names
 * `browser.storage` (tests/unit/house/rooms.test.ts fails when it does).
 *
 * Versions follow WXT's storage convention (`@wxt-dev/storage`: the version of `key` is `v` in the
 * object stored at `key$`, absent meaning 1), so a value written by one reads the same in the other.
 * WXT's own `storage.defineItem` is not used: it weighs 3.7 KB gzipped in every content script (over
 * their size budget already), reads storage the moment an item is defined, and runs migrations in
 * every context that defines the item (each open tab's content script racing the background). Here
 * migrations run in one place, the background at start-up (migrateSettings), and a content script
 * reads what it needs in one storage call. docs/architecture.md, "Settings".
 */
import { browser } from 'wxt/browser';

import { versionKey, type Setting } from './setting';

export type { Setting } from './setting';

type Values<S extends readonly Setting<unknown>[]> = { [I in keyof S]: S[I] extends Setting<infer T> ? T : never };

/** Several settings in one storage read, in the order asked. */
export async function readSettings<const S extends readonly Setting<unknown>[]>(...settings: S): Promise<Values<S>> {
  const stored = await browser.storage.local.get(settings.map((s) => s.key));
  return settings.map((s) => s.parse(stored[s.key])) as Values<S>;
}

export async function readSetting<T>(setting: Setting<T>): Promise<T> {
  const [value] = await readSettings(setting);
  return value as T;
}

/** Stores a setting's value (with its version when above 1); `undefined` removes it. */
export async function writeSetting<T>(setting: Setting<T>, value: T | undefined): Promise<void> {
  if (value === undefined) {
    await browser.storage.local.remove([setting.key, versionKey(setting.key)]);
    return;
  }
  await browser.storage.local.set(setting.version > 1 ? { [setting.key]: value, [versionKey(setting.key)]: { v: setting.version } } : { [setting.key]: value });
}

export const removeSetting = (setting: Setting<unknown>): Promise<void> => writeSetting(setting, undefined);

/** Reads, changes and stores a setting (the change gets the value as stored now). Returns the new value. */
export async function updateSetting<T>(setting: Setting<T>, change: (current: T) => T): Promise<T> {
  const next = change(await readSetting(setting));
  await writeSetting(setting, next);
  return next;
}

type Changes = Record<string, { oldValue?: unknown; newValue?: unknown }>;

/** Calls `listener(next, previous)` whenever the setting changes (in any context); returns the unsubscribe. */
export function watchSetting<T>(setting: Setting<T>, listener: (next: T, previous: T) => void): () => void {
  const handler = (changes: Changes, area: string) => {
    const change = changes[setting.key];
    if (area === 'local' && change) listener(setting.parse(change.newValue), setting.parse(change.oldValue));
  };
  browser.storage.onChanged.addListener(handler);
  return () => browser.storage.onChanged.removeListener(handler);
}

/** Calls `listener` when any of the settings changes (one call for a write that changed several). */
export function watchSettings(settings: readonly Setting<unknown>[], listener: () => void): () => void {
  const keys = settings.map((s) => s.key);
  const handler = (changes: Changes, area: string) => {
    if (area === 'local' && keys.some((k) => k in changes)) listener();
  };
  browser.storage.onChanged.addListener(handler);
  return () => browser.storage.onChanged.removeListener(handler);
}

/** How long to wait for the browser's answer about the policy before going on without one. */
const MANAGED_TIMEOUT_MS = 3000;

/**
 * The team policy as the browser reports it (storage.managed; {} when there is none or the API is
 * unavailable), bounded by a timeout: in Chromium a storage.managed.get() issued at page start-up
 * beside another one was seen never to settle, and no section may wait forever for it.
 */
export async function readPolicy(): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<unknown>((resolve) => {
    timer = setTimeout(() => {
      console.warn('[Centric] The browser did not report the team policy in time; going on without it.');
      resolve({});
    }, MANAGED_TIMEOUT_MS);
  });
  try {
    return await Promise.race([Promise.resolve(browser.storage.managed?.get()).then((value) => value ?? {}, () => ({})), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Calls `listener` when the team policy changes; returns the unsubscribe. */
export function watchPolicy(listener: () => void): () => void {
  const handler = (_changes: Changes, area: string) => {
    if (area === 'managed') listener();
  };
  browser.storage.onChanged.addListener(handler);
  return () => browser.storage.onChanged.removeListener(handler);
}

/**
 * Brings every stored value to its setting's current version (the background, at start-up and after
 * a restore). A value from a newer build than this one is left as it is and reported; a failing
 * migration leaves that value as it was and is reported; the others go on. Returns the problems.
 */
export async function migrateSettings(settings: readonly Setting<unknown>[]): Promise<string[]> {
  const versioned = settings.filter((s) => s.version > 1);
  if (versioned.length === 0) return [];
  const stored = await browser.storage.local.get(versioned.flatMap((s) => [s.key, versionKey(s.key)]));
  const problems: string[] = [];
  const writes: Record<string, unknown> = {};
  for (const s of versioned) {
    const value = stored[s.key];
    if (value === undefined) continue;
    const meta = stored[versionKey(s.key)];
    const from = typeof meta === 'object' && meta !== null && typeof (meta as { v?: unknown }).v === 'number' ? (meta as { v: number }).v : 1;
    if (from === s.version) continue;
    if (from > s.version) {
      problems.push(`Setting ${s.key} was written by a newer Centric (version ${from}; this one reads ${s.version}): left as it is.`);
      continue;
    }
    try {
      let next: unknown = value;
      for (let v = from + 1; v <= s.version; v++) next = (s.migrations[v] as (previous: unknown) => unknown)(next);
      writes[s.key] = next;
      writes[versionKey(s.key)] = { ...(typeof meta === 'object' && meta !== null ? meta : {}), v: s.version };
    } catch (error) {
      problems.push(`Setting ${s.key}: moving it from version ${from} to ${s.version} failed (${error instanceof Error ? error.message : String(error)}); left as it is.`);
    }
  }
  if (Object.keys(writes).length > 0) await browser.storage.local.set(writes);
  return problems;
}

/** A storage area as the backup and the erase handle it: whole, by raw keys. */
export interface RawArea {
  get(keys: null | string | string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
  clear(): Promise<void>;
}

/** storage.local whole, for the backup (which reads and writes every setting a backup holds at once). */
export const localArea = (): RawArea => browser.storage.local as unknown as RawArea;

/**
 * The extension's storage areas, whole: for the backup (local) and "Erase everything" (every area),
 * which handle every key at once, including ones a later build defines.
 */
export function rawAreas(): { name: 'local' | 'sync' | 'session'; area: RawArea }[] {
  const areas = [
    { name: 'local' as const, area: browser.storage.local },
    { name: 'sync' as const, area: browser.storage.sync },
    { name: 'session' as const, area: browser.storage.session },
  ];
  return areas.flatMap(({ name, area }) => (area ? [{ name, area: area as unknown as RawArea }] : []));
}
