/**
 * The settings part of a backup (issue 16): what Centric keeps in extension storage — treatment rules,
 * lookup sources, custom sites and domains, the list-chip switches, where the sidebar shows per site — validated
 * with the same checks as when they are saved. The sources' secrets (header values, secret-looking
 * query parameters) are in a backup only when the person asks for them; otherwise they are hidden as
 * in the options page (HIDDEN_VALUE), and a restore puts back the secret already saved in this browser
 * for the same source at the same address, or leaves the header out and says so. Pure: the storage
 * calls are in lib/pages/backup.ts.
 */
import { z } from 'zod';
import { parseRuleSetValue } from '../rules/transfer';
import { parseCustomSiteRule } from '../sites/custom-schema';
import { normalizeDomain } from '../sites/enablement';
import { addressProblems } from '../sources/url';
import { LAYOUT_MODES } from '../sites/layout';
import {
  CUSTOM_DOMAINS,
  CUSTOM_SITES,
  LAYOUT,
  LEGACY_COLLAPSED,
  LIST_CHIPS,
  RULES,
  SITE_DEFINITIONS_FILE,
  SITE_DEFINITIONS_STATUS,
  SITE_DEFINITIONS_URL,
  SITE_OVERRIDES,
  SOURCES,
  SOURCES_STATUS,
  TEAM_STATE,
  TEAM_BASE,
} from '../settings/items';
import { HIDDEN_VALUE, parseSourcesConfig, publicConfig, restoreSecrets, type Source, type SourcesConfig } from '../sources/config';

const RULES_KEY = RULES.key;
const SOURCES_STORAGE_KEY = SOURCES.key;
const CUSTOM_SITES_KEY = CUSTOM_SITES.key;
const CUSTOM_DOMAINS_KEY = CUSTOM_DOMAINS.key;
const LIST_CHIPS_KEY = LIST_CHIPS.key;
const LAYOUT_KEY = LAYOUT.key;
/** Before issue 17; still read from older backups (the background moves it into the layout setting). */
const SIDEBAR_COLLAPSED_KEY = LEGACY_COLLAPSED.key;
const SITE_DEFINITIONS_URL_KEY = SITE_DEFINITIONS_URL.key;
/** The settings a backup holds (their storage keys are their names in the file; lib/settings/items.ts). */
export const SETTINGS_KEYS = [RULES_KEY, SOURCES_STORAGE_KEY, CUSTOM_SITES_KEY, CUSTOM_DOMAINS_KEY, LIST_CHIPS_KEY, SIDEBAR_COLLAPSED_KEY, SITE_DEFINITIONS_URL_KEY, LAYOUT_KEY] as const;
export type SettingsKey = (typeof SETTINGS_KEYS)[number];
/**
 * storage.local keys a backup leaves out: the score files' sync status (their scores are not in a
 * backup, so after a restore the files are downloaded again), and what the background derived from
 * the site definitions (the overrides in effect, the last file, its status: worked out again from the
 * restored address and the team policy), and what the background last learned from the team service (and the dashboard's copy of the team's base).
 * A restore removes them. The team connection (its token is a person's) is in no backup.
 */
export const DERIVED_KEYS = [SOURCES_STATUS.key, SITE_OVERRIDES.key, SITE_DEFINITIONS_FILE.key, SITE_DEFINITIONS_STATUS.key, TEAM_STATE.key, TEAM_BASE.key] as const;

export interface BackupSettings {
  /** True when the sources' API keys, tokens and headers are in the file. */
  secretsIncluded: boolean;
  storage: Partial<Record<SettingsKey, unknown>>;
}

/** The zod shape of a backup's settings: known keys only; each value is checked by parseBackupSettings. */
export const backupSettingsSchema = z.strictObject({
  secretsIncluded: z.boolean(),
  storage: z.strictObject(Object.fromEntries(SETTINGS_KEYS.map((k) => [k, z.unknown().optional()])) as Record<SettingsKey, z.ZodOptional<z.ZodUnknown>>),
});

const customDomainSchema = z.strictObject({
  domain: z.string().max(253).refine((d) => {
    try {
      return normalizeDomain(d) === d;
    } catch {
      return false;
    }
  }, 'is not a lower-case domain name such as support.example.com'),
  adapterId: z.string().regex(/^[a-z0-9-]{1,64}$/, 'is not a site id such as zendesk'),
});
/** Where the sidebar shows, per site (issue 17, lib/sites/layout.ts). */
const layoutSchema = z.record(
  z.string().regex(/^[a-z0-9:-]{1,80}$/, 'is not a site id such as zendesk'),
  z.strictObject({ mode: z.enum(LAYOUT_MODES).optional(), collapsed: z.boolean().optional() }),
);
const listChipsSchema = z.record(z.string().regex(/^[a-z0-9-]{1,64}$/, 'is not a site id such as hubspot'), z.boolean());

const zodLines = (where: string, error: z.ZodError) => error.issues.map((i) => `${[where, ...i.path.map(String)].join('.')}: ${i.message}`);

/** Checks every setting of a backup as it would be checked when saved; every problem with where it is. */
export function settingsProblems(settings: BackupSettings): string[] {
  const problems: string[] = [];
  const s = settings.storage;
  const at = (key: string) => `settings.${key}`;
  if (s[RULES_KEY] !== undefined) {
    const rules = parseRuleSetValue(s[RULES_KEY]);
    if (!rules.ok) problems.push(...rules.errors.map((e) => `${at(RULES_KEY)}: ${e}`));
  }
  if (s[SOURCES_STORAGE_KEY] !== undefined) {
    const sources = parseSourcesConfig(s[SOURCES_STORAGE_KEY]);
    if (!sources.ok) problems.push(...sources.errors.map((e) => `${at(SOURCES_STORAGE_KEY)}${e.path ? `.${e.path}` : ''}: ${e.message}`));
  }
  if (s[CUSTOM_SITES_KEY] !== undefined) {
    const sites = s[CUSTOM_SITES_KEY];
    if (!Array.isArray(sites)) problems.push(`${at(CUSTOM_SITES_KEY)}: should be a list of custom sites.`);
    else {
      const ids = new Set<string>();
      sites.forEach((site, i) => {
        const parsed = parseCustomSiteRule(site);
        if (!parsed.ok) problems.push(...parsed.errors.map((e) => `${at(CUSTOM_SITES_KEY)}.${i}: ${e}`));
        else if (ids.has(parsed.rule.id)) problems.push(`${at(CUSTOM_SITES_KEY)}.${i}: the id "${parsed.rule.id}" is used twice.`);
        else ids.add(parsed.rule.id);
      });
    }
  }
  if (s[CUSTOM_DOMAINS_KEY] !== undefined) {
    const domains = z.array(customDomainSchema).max(200).safeParse(s[CUSTOM_DOMAINS_KEY]);
    if (!domains.success) problems.push(...zodLines(at(CUSTOM_DOMAINS_KEY), domains.error));
  }
  if (s[LIST_CHIPS_KEY] !== undefined) {
    const chips = listChipsSchema.safeParse(s[LIST_CHIPS_KEY]);
    if (!chips.success) problems.push(...zodLines(at(LIST_CHIPS_KEY), chips.error));
  }
  if (s[LAYOUT_KEY] !== undefined) {
    const layout = layoutSchema.safeParse(s[LAYOUT_KEY]);
    if (!layout.success) problems.push(...zodLines(at(LAYOUT_KEY), layout.error));
  }
  if (s[SIDEBAR_COLLAPSED_KEY] !== undefined && typeof s[SIDEBAR_COLLAPSED_KEY] !== 'boolean') {
    problems.push(`${at(SIDEBAR_COLLAPSED_KEY)}: should be true or false.`);
  }
  const definitionsUrl = s[SITE_DEFINITIONS_URL_KEY];
  if (definitionsUrl !== undefined) {
    const wrong = typeof definitionsUrl === 'string' ? addressProblems(definitionsUrl, false) : ['should be the address of a site definitions file.'];
    if (wrong.length > 0) problems.push(`${at(SITE_DEFINITIONS_URL_KEY)}: ${wrong.join(' ')}`);
  }
  return problems;
}

/** What of extension storage goes into a backup; the sources without their secrets unless asked. */
export function settingsForBackup(local: Record<string, unknown>, includeSecrets: boolean): { settings: BackupSettings; left: string[] } {
  const storage: BackupSettings['storage'] = {};
  const left: string[] = [];
  for (const key of SETTINGS_KEYS) {
    const value = local[key];
    if (value === undefined) continue;
    if (key === SOURCES_STORAGE_KEY) {
      const parsed = parseSourcesConfig(value);
      // A stored configuration that no longer parses is not used by Centric either (it falls back to none).
      if (!parsed.ok) {
        left.push(`the saved sources (they no longer pass the checks: ${parsed.errors[0]?.path} ${parsed.errors[0]?.message})`);
        continue;
      }
      storage[key] = includeSecrets ? parsed.config : publicConfig(parsed.config);
    } else storage[key] = structuredClone(value);
  }
  const settings = { secretsIncluded: includeSecrets, storage };
  // Anything that would not restore is left out (and said), so that every backup written restores.
  for (const problem of settingsProblems(settings)) {
    const key = SETTINGS_KEYS.find((k) => problem.startsWith(`settings.${k}`));
    if (key && key in storage) {
      delete storage[key];
      left.push(`the saved ${key} (${problem})`);
    }
  }
  return { settings, left };
}

/** "https://api.acme.com/c?email={email}" -> "https://api.acme.com". */
const originPart = (address: string) => /^[^:]+:\/\/[^/?#]*/.exec(address)?.[0]?.toLowerCase() ?? '';
const addressOf = (s: Source) => (s.kind === 'lookup-service' ? s.urlTemplate : s.url);

/** What a restore writes to extension storage, what it removes, and what the person should know. */
export interface SettingsPlan {
  set: Record<string, unknown>;
  remove: string[];
  notes: string[];
}

/**
 * The storage writes of a restore: each setting of the backup replaces the stored one, a setting the
 * backup does not hold is removed (the restored state is the backup's), and the derived keys are removed.
 * A source's hidden secrets are put back from the source saved here with the same id and the same
 * address origin; otherwise its hidden headers are left out, and said.
 */
export function planSettingsRestore(settings: BackupSettings, current: Record<string, unknown>): SettingsPlan {
  const set: Record<string, unknown> = {};
  const notes: string[] = [];
  for (const key of SETTINGS_KEYS) {
    const value = settings.storage[key];
    if (value === undefined) continue;
    if (key !== SOURCES_STORAGE_KEY) {
      set[key] = structuredClone(value);
      continue;
    }
    const parsed = parseSourcesConfig(value);
    if (!parsed.ok) throw new Error(`settings.sources: ${parsed.errors[0]?.message}`); // checked by settingsProblems before
    const saved = parseSourcesConfig(current[SOURCES_STORAGE_KEY]);
    const savedSources = saved.ok ? saved.config.sources : [];
    const sources = parsed.config.sources.map((source) => {
      const hidden = source.headers.some((h) => h.value === HIDDEN_VALUE) || addressOf(source).includes(HIDDEN_VALUE);
      if (!hidden) return source;
      const same = savedSources.find((s) => s.id === source.id && s.kind === source.kind && originPart(addressOf(s)) === originPart(addressOf(source)));
      const merged = same ? restoreSecrets(source, same) : source;
      const missing = merged.headers.filter((h) => h.value === HIDDEN_VALUE).map((h) => h.name);
      const kept = source.headers.filter((h) => h.value === HIDDEN_VALUE).length - missing.length;
      if (kept > 0) notes.push(`${source.name} keeps the ${kept === 1 ? 'secret' : 'secrets'} already saved in this browser.`);
      if (missing.length > 0) {
        notes.push(`${source.name} comes back without its ${missing.join(', ')} header${missing.length === 1 ? '' : 's'} (the backup holds no secrets): enter ${missing.length === 1 ? 'it' : 'them'} in Options → Sources.`);
      }
      if (addressOf(merged).includes(HIDDEN_VALUE)) notes.push(`${source.name}'s address lacks a secret value (shown as ${HIDDEN_VALUE}): enter it in Options → Sources.`);
      return { ...merged, headers: merged.headers.filter((h) => h.value !== HIDDEN_VALUE) };
    });
    const config: SourcesConfig = { ...parsed.config, sources };
    set[key] = config;
  }
  const remove = [...SETTINGS_KEYS.filter((k) => !(k in set)), ...DERIVED_KEYS].filter((k) => k in current);
  return { set, remove, notes };
}
