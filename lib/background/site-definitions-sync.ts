/**
 * Site definitions in the background (issue 17; lib/sites/definitions.ts, docs/architecture.md "Site
 * definitions"): reads the team policy's definitions and definitions address, the address set in
 * Options → Sites, downloads the definitions file like a scores file (lib/sources downloadFile: ETag /
 * If-Modified-Since, time limit, retries, one same-origin redirect, every hour by an alarm and on
 * "Check now"), validates it all or nothing, and writes:
 * - SITE_OVERRIDES (lib/settings/items.ts): the overrides in effect, `{ [siteId]: { version, selectors } }`,
 *   read by each content script at mount (in the same read as its other settings);
 * - SITE_DEFINITIONS_FILE: the last valid file, kept while a newer one is broken or unreachable;
 * - SITE_DEFINITIONS_STATUS: what happened and which definition each site uses, for Options → Sites.
 * Nothing is written, and no alarm set, while no team policy or address asks for overrides: a fresh
 * install's storage holds nothing of this (tests/e2e/data.e2e.ts compares it with an erased one).
 */
import { browser } from 'wxt/browser';
import { hasOriginPermission, liveFetchDeps } from '~/lib/extension/fetch-deps';
import {
  bundledDefinitions,
  effectiveOverrides,
  parseSiteDefinitions,
  readDefinitionsStatus,
  readKeptFile,
  SITE_DEFINITIONS_SYNC_MINUTES,
  type KeptDefinitionsFile,
  type SiteDefinition,
  type SiteDefinitionsStatus,
} from '~/lib/sites/definitions';
import { SITE_DEFINITIONS_FILE, SITE_DEFINITIONS_STATUS, SITE_DEFINITIONS_URL, SITE_OVERRIDES } from '~/lib/settings/items';
import { readSettings, watchSetting, writeSetting, type Setting } from '~/lib/settings/storage';
import { readPolicyInForce, watchPolicyInForce } from '~/lib/settings/policy';
import { SITE_ADAPTERS } from '~/lib/sites/registry';
import { SETTINGS_PLACE, permissionError, type SourceError } from '~/lib/sources/errors';
import type { FetchDeps } from '~/lib/sources/fetch-policy';
import { asOfText } from '~/lib/sources/precedence';
import { downloadFile, syncDue } from '~/lib/sources/score-file';
import { addressProblems, originOf } from '~/lib/sources/url';

/** The alarm that checks the definitions file every SITE_DEFINITIONS_SYNC_MINUTES while an address is set. */
export const SITE_DEFINITIONS_ALARM = 'centric-site-definitions';
/** Where a person sets the definitions address, as written in messages. */
export const SITES_PLACE = 'Options → Sites';
/** How the team policy's definitions are named in messages. */
export const POLICY_FILE_NAME = 'Team policy (siteDefinitions)';
/** How the team service's definitions are named in messages. */
export const TEAM_FILE_NAME = 'Team service (site definitions)';

/** When to download the definitions file: now ("Check now", a new address, the hourly alarm), only if due (start-up, a policy change), or not. */
export type DownloadWhen = 'now' | 'if-due' | 'no';

/** A download error, worded for a site definitions file (the download code words them for score sources). */
export function definitionsError(error: SourceError): SourceError {
  if (error.kind === 'auth') {
    return {
      ...error,
      message: `The address refused access (${error.status ?? 'signed out'}). Centric sends no credentials with a site definitions file: publish it where it can be read without signing in, and check the address in ${SITES_PLACE}.`,
    };
  }
  if (error.kind === 'rate-limited') return { ...error, message: `The server says Centric asks too often (429); Centric checks again within the hour.` };
  return { ...error, message: error.message.replaceAll(SETTINGS_PLACE, SITES_PLACE).replaceAll('scores file', 'site definitions file').replaceAll('The service', 'The server') };
}

/** "12 Mar 10:42". */
const when = (time: number) => asOfText(time, Date.now());

/** What changed for the person who clicked "Check now", in words. */
export interface CheckResult {
  ok: boolean;
  message: string;
}

interface Stored {
  optionsUrl?: string;
  status?: SiteDefinitionsStatus;
  kept?: KeptDefinitionsFile;
  overrides?: unknown;
}

async function readStored(): Promise<Stored> {
  const [url, status, kept, overrides] = await readSettings(SITE_DEFINITIONS_URL, SITE_DEFINITIONS_STATUS, SITE_DEFINITIONS_FILE, SITE_OVERRIDES);
  return {
    ...(url !== undefined ? { optionsUrl: url } : {}),
    status: readDefinitionsStatus(status),
    kept: readKeptFile(kept),
    overrides,
  };
}

/** Writes `value` when it differs from what is stored (undefined: removes it), so content scripts hear only real changes. */
async function store(setting: Setting<unknown>, value: unknown, current: unknown): Promise<void> {
  if (JSON.stringify(value) === JSON.stringify(current)) return;
  await writeSetting(setting, value);
}

/**
 * Downloads the definitions file at `url` if it changed since `kept` (the same address's last valid
 * copy) and reads it: the new copy, the kept one (unchanged), or the problem.
 */
async function download(
  deps: FetchDeps,
  url: string,
  kept: KeptDefinitionsFile | undefined,
  bundled: ReadonlyMap<string, SiteDefinition>,
): Promise<{ outcome: 'changed'; file: KeptDefinitionsFile } | { outcome: 'unchanged' } | { outcome: 'failed'; error: string; problems: string[] }> {
  const origin = originOf(url);
  if (origin && deps.hasPermission && !(await deps.hasPermission(origin))) {
    return { outcome: 'failed', error: definitionsError(permissionError(origin)).message, problems: [] };
  }
  const result = await downloadFile(deps, url, { headers: [] }, kept);
  if (result.status === 'failed') return { outcome: 'failed', error: definitionsError(result.error).message, problems: [] };
  if (result.status === 'unchanged') return { outcome: 'unchanged' };
  const parsed = parseSiteDefinitions(result.bodyText, bundled, url);
  if (!parsed.ok) {
    const stays = kept ? `The copy downloaded ${when(kept.fetchedAt)} stays in use.` : 'The bundled definitions stay in use.';
    return {
      outcome: 'failed',
      problems: parsed.errors,
      error: `The definitions file cannot be used (${parsed.errorCount.toLocaleString('en-US')} problem${parsed.errorCount === 1 ? '' : 's'}; first: ${parsed.errors[0] ?? ''}). ${stays}`,
    };
  }
  const { etag, lastModified } = result.validators;
  return { outcome: 'changed', file: { url, sites: parsed.sites, fetchedAt: result.fetchedAt, ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) } };
}

/**
 * Works out the site definitions in effect and stores them (see the top of this file), downloading
 * the definitions file when `when` says so. Returns what happened, in words.
 */
async function refresh(downloadWhen: DownloadWhen, deps: FetchDeps): Promise<CheckResult> {
  const bundled = bundledDefinitions(SITE_ADAPTERS);
  // The managed policy and the team service's documents (lib/team/in-force.ts).
  const [stored, inForce] = await Promise.all([readStored(), readPolicyInForce()]);
  const { policy, errors, teamSiteDefinitions } = inForce;

  // The team policy's definitions (all or nothing) and its address.
  const policyProblems = errors.filter((e) => e.startsWith('Team policy: siteDefinitionsUrl')).map((e) => e.slice('Team policy: '.length));
  let policySites = {};
  if (policy.siteDefinitions !== undefined) {
    const parsed = parseSiteDefinitions(policy.siteDefinitions, bundled, POLICY_FILE_NAME);
    if (parsed.ok) policySites = parsed.sites;
    else policyProblems.push(...parsed.errors, 'The team policy’s site definitions are not used until these problems are fixed.');
  }
  // The team service's definitions (checked by the service as here; all or nothing again, should a newer release disagree).
  let teamSites = {};
  if (teamSiteDefinitions !== undefined) {
    const parsed = parseSiteDefinitions(teamSiteDefinitions, bundled, TEAM_FILE_NAME);
    if (parsed.ok) teamSites = parsed.sites;
    else policyProblems.push(...parsed.errors, 'The team service’s site definitions are not used until these problems are fixed.');
  }
  const url = policy.siteDefinitionsUrl ?? stored.optionsUrl;
  const urlFrom = policy.siteDefinitionsUrl ? ('policy' as const) : stored.optionsUrl ? ('options' as const) : undefined;

  // The file: the kept copy counts only for the address in effect (another address is another choice).
  let kept = stored.kept?.url === url ? stored.kept : undefined;
  const previous = stored.status?.url === url ? stored.status : undefined;
  const fileStatus: Pick<SiteDefinitionsStatus, 'checkedAt' | 'outcome' | 'fetchedAt' | 'error' | 'problems'> = {
    ...(previous?.checkedAt !== undefined ? { checkedAt: previous.checkedAt } : {}),
    ...(previous?.outcome ? { outcome: previous.outcome } : {}),
    ...(kept ? { fetchedAt: kept.fetchedAt } : {}),
    ...(previous?.error ? { error: previous.error } : {}),
    problems: previous?.problems ?? [],
  };
  let message: string;
  const addressWrong = url ? addressProblems(url, false) : [];
  if (!url) {
    message = 'No definitions file address is set.';
  } else if (addressWrong.length > 0) {
    fileStatus.error = `The definitions file address cannot be used: ${addressWrong.join(' ')}`;
    fileStatus.outcome = 'failed';
    message = fileStatus.error;
  } else if (downloadWhen === 'now' || (downloadWhen === 'if-due' && (!previous || syncDue(previous.checkedAt, { syncMinutes: SITE_DEFINITIONS_SYNC_MINUTES }, Date.now())))) {
    const result = await download(deps, url, kept, bundled);
    fileStatus.checkedAt = Date.now();
    fileStatus.outcome = result.outcome;
    if (result.outcome === 'failed') {
      fileStatus.error = result.error;
      fileStatus.problems = result.problems;
      message = result.error;
    } else {
      delete fileStatus.error;
      fileStatus.problems = [];
      if (result.outcome === 'changed') {
        kept = result.file;
        fileStatus.fetchedAt = kept.fetchedAt;
      }
      const sites = Object.keys(kept?.sites ?? {});
      message =
        result.outcome === 'unchanged'
          ? 'The definitions file has not changed since the last check.'
          : `Downloaded the definitions file: ${sites.length === 0 ? 'it overrides no site' : `overrides for ${sites.join(', ')}`}.`;
    }
  } else {
    message = fileStatus.error ?? 'The definitions file was checked recently.';
  }

  const { overrides, hosts } = effectiveOverrides(bundled, [
    { source: 'policy', sites: policySites },
    { source: 'team', sites: teamSites },
    { source: 'url', sites: kept?.sites ?? {} },
  ]);
  const anything = url !== undefined || policy.siteDefinitions !== undefined || Object.keys(teamSites).length > 0 || policyProblems.length > 0;
  const status: SiteDefinitionsStatus | undefined = anything
    ? { ...(url ? { url } : {}), ...(urlFrom ? { urlFrom } : {}), ...(url ? fileStatus : { problems: [] }), policyProblems, hosts }
    : undefined;
  await store(SITE_OVERRIDES, Object.keys(overrides).length > 0 ? overrides : undefined, stored.overrides);
  await store(SITE_DEFINITIONS_FILE, kept, stored.kept);
  await store(SITE_DEFINITIONS_STATUS, status, stored.status);
  await scheduleChecks(url !== undefined && addressWrong.length === 0);
  const ok = fileStatus.error === undefined || !url;
  return { ok: ok && policyProblems.length === 0, message: policyProblems.length > 0 ? `${message} ${policyProblems[policyProblems.length - 1]}` : message };
}

/** The hourly check: an alarm while an address is set, none otherwise. */
async function scheduleChecks(wanted: boolean): Promise<void> {
  const existing = await browser.alarms.get(SITE_DEFINITIONS_ALARM);
  if (wanted && existing?.periodInMinutes !== SITE_DEFINITIONS_SYNC_MINUTES) {
    await browser.alarms.create(SITE_DEFINITIONS_ALARM, { periodInMinutes: SITE_DEFINITIONS_SYNC_MINUTES, delayInMinutes: SITE_DEFINITIONS_SYNC_MINUTES });
  } else if (!wanted && existing) await browser.alarms.clear(SITE_DEFINITIONS_ALARM);
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Works out and stores the site definitions in effect, downloading the file when `downloadWhen` says
 * so; one run at a time (a storage change and an alarm may arrive together).
 */
export function refreshSiteDefinitions(downloadWhen: DownloadWhen, deps: FetchDeps = liveFetchDeps({ hasPermission: hasOriginPermission })): Promise<CheckResult> {
  const run = queue.then(() => refresh(downloadWhen, deps));
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Wires the site definitions into the background: a first run at start-up (downloading if due), the
 * hourly alarm, a new address (downloaded at once), a policy change, and an erase (which removes the
 * status while a policy may still ask for overrides).
 */
export function startSiteDefinitions(onProblem: (error: unknown) => void = (error) => console.warn('[Centric] The site definitions could not be updated:', error)): void {
  const run = (downloadWhen: DownloadWhen) => void refreshSiteDefinitions(downloadWhen).catch(onProblem);
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SITE_DEFINITIONS_ALARM) run('now');
  });
  watchPolicyInForce(() => run('if-due'));
  watchSetting(SITE_DEFINITIONS_URL, () => run('now'));
  watchSetting(SITE_DEFINITIONS_STATUS, (next) => {
    if (next === undefined) run('if-due');
  });
  run('if-due');
}
