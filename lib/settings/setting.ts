/**
 * What a setting is (issue 18): a key Centric keeps in extension storage, with its version, fallback,
 * reader and migrations. Pure (no browser API), so the domain can name a setting (backups list theirs)
 * and lib/settings/storage.ts does the storage calls. Every setting is defined in lib/settings/items.ts.
 */
/** A value Centric keeps in storage.local, defined once (lib/settings/items.ts). */
export interface Setting<T, K extends string = string> {
  /** Its key in storage.local (the name backups use too). */
  readonly key: K;
  /** The current version of its stored shape; 1 until a migration is needed. */
  readonly version: number;
  /** What it reads as when nothing is stored. */
  readonly fallback: T;
  /** A stored value read as T; never throws (anything unreadable reads as the fallback or its readable part). */
  readonly parse: (stored: unknown) => T;
  /** `version → the value at that version, from the value at version - 1`, for every version above 1. */
  readonly migrations: Readonly<Record<number, (previous: unknown) => unknown>>;
}

export interface SettingOptions<T> {
  parse: (stored: unknown) => T;
  fallback: T;
  version?: number;
  migrations?: Record<number, (previous: unknown) => unknown>;
}

export function defineSetting<T, const K extends string = string>(key: K, options: SettingOptions<T>): Setting<T, K> {
  // A version goes up only with its migration: checked for every setting by tests/unit/settings/storage.test.ts
  // (not here: this code is in every content script).
  const version = options.version ?? 1;
  const migrations = options.migrations ?? {};
  const parse = (stored: unknown): T => (stored === undefined || stored === null ? options.fallback : options.parse(stored));
  return { key, version, fallback: options.fallback, parse, migrations };
}

/** The key of a setting's version record (WXT's convention). */
export const versionKey = (key: string): string => `${key}$`;


/** What is wrong with a setting's version and migrations (nothing: []). */
export function settingProblems(setting: Setting<unknown>): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(setting.version) || setting.version < 1) problems.push(`Setting ${setting.key}: version ${setting.version} is not a whole number from 1`);
  for (let v = 2; v <= setting.version; v++) if (typeof setting.migrations[v] !== 'function') problems.push(`Setting ${setting.key}: no migration to version ${v}`);
  return problems;
}
