/**
 * The background service worker: owns the `centric` database and answers the other parts' messages.
 * Wiring only; the logic lives in lib/.
 */
import '~/lib/security/zod-jitless'; // first: zod must not compile with new Function (extension CSP)
import { loadRules, onRulesChanged } from '~/lib/settings/rules';
import { remoteContextProvider } from '~/lib/background/remote-context';
import { alarmSourceId, scheduleScoreFiles, syncScoreFileSource } from '~/lib/extension/score-file-sync';
import { loadSources, onSourcesChanged } from '~/lib/settings/sources';
import { onTeamConnectionChanged } from '~/lib/settings/team-connection';
import { refreshSiteDefinitions, startSiteDefinitions } from '~/lib/background/site-definitions-sync';
import { eraseEverything, type EraseApis } from '~/lib/background/erase';
import { siteReports } from '~/lib/background/site-reports';
import { rulesInEffect } from '~/lib/background/rules-in-effect';
import { CentricDb } from '~/lib/db/db';
import { readScoringSettings } from '~/lib/scoring/store';
import { readPolicyInForce } from '~/lib/settings/policy';
import { tiersInForce } from '~/lib/team/in-force';
import { startTeamSync } from '~/lib/background/team-sync';
import { handleRequest, RefusedMessage } from '~/lib/messages/handler';
import { readBundledSample } from '~/lib/extension/bundled-sample';
import { ensureSampleData } from '~/lib/sample/install';
import { syncContentScripts } from '~/lib/background/content-scripts';
import { ALL_SETTINGS, CUSTOM_DOMAINS, CUSTOM_SITES, LAST_INSTALL, LEGACY_COLLAPSED } from '~/lib/settings/items';
import { localArea, migrateSettings, rawAreas, watchSetting, watchSettings, writeSetting } from '~/lib/settings/storage';
import { migrateLegacyLayout } from '~/lib/settings/migrations';
import { SITE_ADAPTERS } from '~/lib/sites/registry';
import { TabBadges, isPageLookup } from '~/lib/toolbar/badge';
import { isLinkRequest } from '~/lib/messages/guards';
import { PageCaches, STORE_CHANGED } from '~/lib/lookup/page-caches';
import { onStoreChanged } from '~/lib/db/store-changes';
import { isOpenSidePanel, openSidePanel, type SidePanelApis } from '~/lib/sidebar/side-panel';
import { WELCOME_PAGE, welcomeOnInstalled } from '~/lib/welcome/first-run';

/** The browser's side of lib/background/content-scripts.ts. */
const syncScripts = () =>
  syncContentScripts(SITE_ADAPTERS, {
    grantedOrigins: async () => (await browser.permissions.getAll()).origins ?? [],
    stored: (keys) => localArea().get(keys),
    registered: () => browser.scripting.getRegisteredContentScripts(),
    unregister: (ids) => browser.scripting.unregisterContentScripts({ ids }),
    update: (scripts) => browser.scripting.updateContentScripts(scripts),
    register: (scripts) => browser.scripting.registerContentScripts(scripts),
  });

/** The host patterns the manifest itself grants (MV3 host_permissions; in an MV2 manifest, inside permissions). */
function manifestOrigins(): string[] {
  const manifest = browser.runtime.getManifest() as { host_permissions?: string[]; permissions?: unknown[] };
  const inPermissions = (manifest.permissions ?? []).filter((p): p is string => typeof p === 'string' && (p.includes('://') || p === '<all_urls>'));
  return [...(manifest.host_permissions ?? []), ...inPermissions];
}

/** The browser APIs "Erase everything" clears (lib/background/erase.ts). */
function eraseApis(): EraseApis {
  const idb = globalThis.indexedDB as IDBFactory & { databases?: () => Promise<{ name?: string }[]> };
  return {
    storage: rawAreas().map(({ name, area }) => ({ name, area: { get: () => area.get(null), clear: () => area.clear(), remove: (keys: string[]) => area.remove(keys) } })),
    alarms: browser.alarms,
    scripting: { getRegisteredContentScripts: () => browser.scripting.getRegisteredContentScripts(), unregisterContentScripts: () => browser.scripting.unregisterContentScripts() },
    permissions: browser.permissions,
    requiredOrigins: manifestOrigins(),
    databaseNames: idb.databases ? async () => (await idb.databases!()).flatMap((d) => (d.name ? [d.name] : [])) : undefined,
    deleteDatabase: (name) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase(name);
        request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error ?? new Error(`deleting ${name} failed`));
      }),
  };
}

export default defineBackground(() => {
  // First run: the welcome page, on a fresh install only (lib/welcome/first-run.ts).
  browser.runtime.onInstalled.addListener(({ reason }) => {
    void welcomeOnInstalled(reason, {
      openTab: (url) => browser.tabs.create({ url }),
      pageUrl: (path) => browser.runtime.getURL(path as typeof WELCOME_PAGE),
      record: (value) => writeSetting(LAST_INSTALL, value),
    }).catch((error: unknown) => console.error('[Centric] Opening the welcome page failed:', error));
  });
  const db = new CentricDb();
  const sampleReady = ensureSampleData(db, readBundledSample).catch((error: unknown) => {
    console.error('[Centric] Loading the sample data failed:', error);
  });

  // One sync at a time: a permission grant and a storage change often arrive together (popup "Save
  // and turn on"), and two interleaved syncs would both register the same script id.
  let syncing: Promise<void> = Promise.resolve();
  const sync = () =>
    (syncing = syncing
      .then(syncScripts)
      .catch((error: unknown) => console.error('[Centric] Registering the sidebar failed:', error)));
  void sync();
  browser.permissions.onAdded.addListener(() => void sync());
  browser.permissions.onRemoved.addListener(() => void sync());
  watchSettings([CUSTOM_DOMAINS, CUSTOM_SITES], () => void sync());
  // Every stored setting at its current version (lib/settings/items.ts), and the old single "sidebar
  // collapsed" switch as one choice per site (issue 17), at start-up and when a restored backup brings it back.
  const migrate = () =>
    void migrateSettings(ALL_SETTINGS)
      .then((problems) => problems.forEach((p) => console.warn(`[Centric] ${p}`)))
      .then(() => migrateLegacyLayout(SITE_ADAPTERS.map((a) => a.id)))
      .catch((error: unknown) => console.warn('[Centric] Moving the stored settings failed:', error));
  watchSetting(LEGACY_COLLAPSED, (next) => {
    if (next !== undefined) migrate();
  });
  migrate();

  // The treatment rules in effect, and the tier configuration they follow (lib/background/rules-in-effect.ts):
  // the managed policy's or the team's tiers when they set them, else the person's own (lib/team/in-force.ts).
  const readTiers = async () => {
    const [settings, inForce] = await Promise.all([readScoringSettings(db), readPolicyInForce()]);
    return tiersInForce(settings.tiers, inForce).tiers;
  };
  const effective = rulesInEffect({ readTiers, loadRules });
  const currentTiers = effective.tiers;
  const currentRules = effective.rules;
  // The sidebars keep the answers they showed (lib/sidebar/lookup-cache.ts): told when those may have changed.
  const pageCaches = new PageCaches((tabId, frameId) => browser.tabs.sendMessage(tabId, STORE_CHANGED, { frameId }));
  onRulesChanged(() => {
    effective.forget({ tiers: true });
    pageCaches.changed();
  });
  // The team service (issue 19; lib/background/team-sync.ts): its documents into TEAM_STATE, followed live
  // while an extension page or a sidebar holds a port.
  startTeamSync();
  onSourcesChanged(() => pageCaches.changed());
  // Connecting to (or leaving) the team service changes whose values the sidebars show.
  onTeamConnectionChanged(() => pageCaches.changed());
  onStoreChanged(() => pageCaches.changed());
  browser.tabs.onRemoved.addListener((tabId) => pageCaches.closed(tabId));
  const remoteContext = remoteContextProvider(db, currentTiers);

  // Shared score files: an alarm per file, re-planned whenever the sources change; "Sync now" by message.
  const scheduleFiles = () =>
    void loadSources()
      .then(({ config }) => scheduleScoreFiles(db, config))
      .catch((error: unknown) => console.warn('[Centric] Planning the score file syncs failed:', error));
  scheduleFiles();
  onSourcesChanged(scheduleFiles);
  const syncSource = async (sourceId: string) => {
    const source = (await loadSources()).config.sources.find((s) => s.id === sourceId);
    if (!source || source.kind !== 'score-file') return { ok: false, message: `There is no score file "${sourceId}" in the saved sources.` };
    return syncScoreFileSource(db, source);
  };
  browser.alarms.onAlarm.addListener((alarm) => {
    const sourceId = alarmSourceId(alarm.name);
    if (sourceId) void syncSource(sourceId).catch((error: unknown) => console.warn('[Centric] A score file sync failed:', error));
  });

  // Site definitions (issue 17): the team's overrides of the sites' selectors, from the policy or a
  // definitions file at an address (checked hourly, and by "Check now" in Options → Sites).
  startSiteDefinitions();

  // The tier chips' code, injected into a tab whose content script asks (its site's switch is on).
  const injectListChips = async (tabId: number, frameId: number) => {
    await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: ['/list-chips.js'] });
  };

  // The toolbar icon's badge: the tier of the customer each tab shows (lib/toolbar/badge.ts).
  const badges = new TabBadges(browser.action);
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.url) void badges.navigated(tabId, change.url).catch(() => {}); // the tab may be gone already
  });
  browser.tabs.onRemoved.addListener((tabId) => badges.closed(tabId));

  // "Erase everything" (Options → Your data): afterwards Centric is as freshly installed, the sample aside.
  const erase = async () => {
    const result = await eraseEverything(db, {
      ...eraseApis(),
      resync: async () => {
        effective.forget({ tiers: true });
        await sync();
      },
    });
    effective.forget({ tiers: true });
    pageCaches.changed();
    return result;
  };

  // Issue 17: "Copy a page report" (the sender's page outlined, censored, in its tab) and the site health counts.
  const { pageReport, recordOutcome } = siteReports({
    executeScript: (injection) => browser.scripting.executeScript(injection),
    storage: localArea(),
    extensionVersion: browser.runtime.getManifest().version,
    userAgent: navigator.userAgent,
    siteName: (host) => SITE_ADAPTERS.find((a) => a.id === host)?.name,
  });

  browser.runtime.onMessage.addListener((message, sender) => {
    // The badge's "open the side panel": at once, within the click it carries (issue 17).
    if (isOpenSidePanel(message)) return openSidePanel(browser as SidePanelApis, sender, browser.runtime.id);
    const showBadge = badges.request(message, sender);
    if (isPageLookup(message)) pageCaches.asked(sender.tab?.id, sender.frameId);
    return sampleReady
      .then(() => handleRequest(db, message, sender, browser.runtime.id, { rules: currentRules, remote: remoteContext, syncSource, injectListChips, eraseEverything: erase, pageReport, recordOutcome, checkSiteDefinitions: () => refreshSiteDefinitions('now') }))
      .then(async (answer) => {
        showBadge?.(answer).catch((error: unknown) => console.warn('[Centric] The toolbar badge could not be set:', error));
        // A link changes what other tabs' kept answers say: they are told before the asking tab hears back.
        if (isLinkRequest(message)) await pageCaches.flush();
        return answer;
      })
      .catch((error: unknown) => {
        if (error instanceof RefusedMessage) console.warn('[Centric]', error.message);
        else console.error('[Centric] A request failed:', error);
        return undefined;
      });
  });

  browser.commands?.onCommand.addListener(async (command) => {
    if (command !== 'toggle-sidebar') return;
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    if (tab?.id !== undefined) await browser.tabs.sendMessage(tab.id, { type: 'toggle-sidebar' }).catch(() => {});
  });
});
