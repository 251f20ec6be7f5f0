/**
 * Every value Centric keeps in the browser's extension storage (storage.local), defined once (issue 18):
 * its key, version, fallback and reader. Read, write and watch them with lib/settings/storage.ts;
 * nothing else names a storage key. Pure, and light: content scripts import it, so a reader that needs
 * zod (rules, sources, site definitions) reads `unknown` here and its owner checks the value.
 * A key's version goes up only with a migration (lib/settings/setting.ts); backups hold the settings a
 * person chose (lib/backup/settings.ts SETTINGS), not what the background derives.
 */
import { customDomainsFrom, type CustomDomain } from '../sites/enablement';
import { customRules, type CustomSiteRule } from '../sites/custom';
import { layoutChoices, type LayoutChoices } from '../sites/layout';
import { listChipsFrom, type ListChipsSetting } from '../lists/switch';
import { parseSiteHealth, type SiteHealth } from '../health/site-health';
import { teamSettingFrom, type TeamSetting } from '../team/connection';
import { teamBaseFrom, type TeamBase } from '../team/values-summary';
import { defineSetting } from './setting';

const raw = (stored: unknown): unknown => stored;

/** The manager's treatment rules (a RuleSetValue; checked by lib/rules/stored.ts rulesInEffect). */
export const RULES = /* @__PURE__ */ defineSetting<unknown, 'treatmentRules'>('treatmentRules', { parse: raw, fallback: undefined });

/** The lookup sources with their secrets (checked by lib/sources/config.ts parseSourcesConfig; never sent to a page). */
export const SOURCES = /* @__PURE__ */ defineSetting<unknown, 'sources'>('sources', { parse: raw, fallback: undefined });

/** Each score file's last sync, by source id (the background writes it; lib/extension/score-file-sync.ts reads it). */
export const SOURCES_STATUS = /* @__PURE__ */ defineSetting<unknown, 'sourcesStatus'>('sourcesStatus', { parse: raw, fallback: undefined });

/** The custom sites a manager taught Centric (validated when saved, shape-checked here). */
export const CUSTOM_SITES = /* @__PURE__ */ defineSetting<CustomSiteRule[], 'customSites'>('customSites', { parse: customRules, fallback: [] });

/** Built-in sites turned on at a company's own domain. */
export const CUSTOM_DOMAINS = /* @__PURE__ */ defineSetting<CustomDomain[], 'customDomains'>('customDomains', { parse: customDomainsFrom, fallback: [] });

/** Which sites show list chips and the worklist. */
export const LIST_CHIPS = /* @__PURE__ */ defineSetting<ListChipsSetting, 'listChips'>('listChips', { parse: listChipsFrom, fallback: {} });

/** Where the sidebar shows, per site (issue 17). */
export const LAYOUT = /* @__PURE__ */ defineSetting<LayoutChoices, 'sidebar.layout'>('sidebar.layout', { parse: layoutChoices, fallback: {} });

/** The one switch before issue 17 ("the sidebar is collapsed", on every site): moved into LAYOUT by the background. */
export const LEGACY_COLLAPSED = /* @__PURE__ */ defineSetting<unknown, 'sidebar.collapsed'>('sidebar.collapsed', { parse: raw, fallback: undefined });

/** The team's selectors in effect per site (derived by the background; lib/sites/overrides.ts siteOverrideFor reads it). */
export const SITE_OVERRIDES = /* @__PURE__ */ defineSetting<unknown, 'siteOverrides'>('siteOverrides', { parse: raw, fallback: undefined });

/** The site definitions file address set in Options → Sites (trimmed; the policy's address wins). */
export const SITE_DEFINITIONS_URL = /* @__PURE__ */ defineSetting<string | undefined, 'siteDefinitionsUrl'>('siteDefinitionsUrl', {
  parse: (stored) => (typeof stored === 'string' && stored.trim() !== '' ? stored.trim() : undefined),
  fallback: undefined,
});

/** What the background last did with the site definitions (lib/sites/definitions.ts readDefinitionsStatus). */
export const SITE_DEFINITIONS_STATUS = /* @__PURE__ */ defineSetting<unknown, 'siteDefinitionsStatus'>('siteDefinitionsStatus', { parse: raw, fallback: undefined });

/** The last valid definitions file downloaded (lib/sites/definitions.ts readKeptFile). */
export const SITE_DEFINITIONS_FILE = /* @__PURE__ */ defineSetting<unknown, 'siteDefinitionsFile'>('siteDefinitionsFile', { parse: raw, fallback: undefined });

/** Counts of how each site's pages read (lib/health/site-health.ts). */
export const SITE_HEALTH = /* @__PURE__ */ defineSetting<SiteHealth, 'siteHealth'>('siteHealth', { parse: parseSiteHealth, fallback: { version: 1, hosts: {} } });

/** Why the extension last started (install, update, …) and whether the welcome page opened. */
export const LAST_INSTALL = /* @__PURE__ */ defineSetting<unknown, 'lastInstall'>('lastInstall', { parse: raw, fallback: undefined });

/**
 * The team service set in Options → Team: its address and this person's token (lib/team/connection.ts;
 * the managed policy's `teamUrl`/`teamToken` win). A secret: read by the background and extension
 * pages only, in no backup (a token is a person's, issued by the team's administrator).
 */
export const TEAM = /* @__PURE__ */ defineSetting<TeamSetting | undefined, 'team'>('team', { parse: teamSettingFrom, fallback: undefined });

/**
 * What the background last learned from the team service (lib/background/team-sync.ts): who the token
 * is (name, role), the team's configuration documents with their versions, the sync state and its
 * time. Derived (worked out again from TEAM), no secret in it; content scripts may read it.
 */
export const TEAM_STATE = /* @__PURE__ */ defineSetting<unknown, 'teamState'>('teamState', { parse: raw, fallback: undefined });

/**
 * The team's base as the dashboard last read it from the service (GET /v1/scores/summary), with the
 * service's address and when it was read: shown at once, and when the service cannot be reached,
 * "as of" that time (lib/pages/team-base.ts). Derived: in no backup, read again from the service.
 */
export const TEAM_BASE = /* @__PURE__ */ defineSetting<TeamBase | undefined, 'teamBase'>('teamBase', { parse: teamBaseFrom, fallback: undefined });

/** Every setting, for migrations (the background at start-up) and the house test. */
export const ALL_SETTINGS = [
  RULES,
  SOURCES,
  SOURCES_STATUS,
  CUSTOM_SITES,
  CUSTOM_DOMAINS,
  LIST_CHIPS,
  LAYOUT,
  LEGACY_COLLAPSED,
  SITE_OVERRIDES,
  SITE_DEFINITIONS_URL,
  SITE_DEFINITIONS_STATUS,
  SITE_DEFINITIONS_FILE,
  SITE_HEALTH,
  LAST_INSTALL,
  TEAM,
  TEAM_STATE,
  TEAM_BASE,
] as const;
