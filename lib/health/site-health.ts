/**
 * Site health (issue 17): how Centric's readings of each host's record pages went on this browser,
 * so that a manager sees a host change coming ("Centric could not read Zendesk's last 12 record
 * pages"). The content script tells the background the outcome of each record page it read — the
 * site's id, the kind of outcome, the names of the parts not found, never a value — and the
 * background keeps counts here, in one setting (lib/settings/items.ts SITE_HEALTH), bounded: at most MAX_HOSTS sites, day
 * counts for the last DAYS days, the totals since the first reading. No URL, no record id, no name.
 * These are local diagnostics: not in backups (docs/architecture.md), erased by "Erase everything".
 * Pure: the storage calls are the background's (entrypoints/background.ts) and the options page's.
 */

/**
 * What one record page gave: the customer identified (by the page or the host's API); only a name or
 * a company (no email to tell customers apart); or no customer at all.
 */
export const OUTCOMES = ['identified', 'partial', 'failed'] as const;
export type ReadingOutcome = (typeof OUTCOMES)[number];
export type Counts = Record<ReadingOutcome, number>;

export interface HostHealth {
  /** When this browser first reported a reading of the site (ms since the epoch). */
  since: number;
  lastIdentified?: number;
  lastPartial?: number;
  lastFailed?: number;
  /** Record pages in a row that gave no customer, since the last one that did. */
  failedInARow: number;
  /** The parts not found on the last page that gave no customer (names of parts, censored). */
  lastMissing: string[];
  /** The kind of record of that page ("ticket"), for "copy a page report from a ticket". */
  lastFailedRecord?: string;
  total: Counts;
  /** Counts per local day ("2026-12-07"), the last DAYS days only. */
  days: Record<string, Counts>;
}

export interface SiteHealth {
  version: 1;
  hosts: Record<string, HostHealth>;
}

export const MAX_HOSTS = 64;
export const DAYS = 7;
/** Failures in a row (with none identified since) that flag a site. */
export const FLAG_AFTER = 3;
const DAY = 24 * 60 * 60 * 1000;
const HOST_ID = /^[a-z0-9][a-z0-9:-]{0,79}$/;

const zero = (): Counts => ({ identified: 0, partial: 0, failed: 0 });
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1e12;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

function countsFrom(value: unknown): Counts | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  return OUTCOMES.every((o) => isCount(v[o])) ? { identified: v.identified as number, partial: v.partial as number, failed: v.failed as number } : null;
}

function hostFrom(value: unknown): HostHealth | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const total = countsFrom(v.total);
  if (!isTime(v.since) || !total || !isCount(v.failedInARow)) return null;
  const days: Record<string, Counts> = {};
  if (typeof v.days === 'object' && v.days !== null) {
    for (const [day, counts] of Object.entries(v.days as Record<string, unknown>)) {
      const c = countsFrom(counts);
      if (/^\d{4}-\d{2}-\d{2}$/.test(day) && c) days[day] = c;
    }
  }
  const missing = Array.isArray(v.lastMissing) ? v.lastMissing.filter((m): m is string => typeof m === 'string').map((m) => m.slice(0, 100)).slice(0, 12) : [];
  return {
    since: v.since,
    ...(isTime(v.lastIdentified) ? { lastIdentified: v.lastIdentified } : {}),
    ...(isTime(v.lastPartial) ? { lastPartial: v.lastPartial } : {}),
    ...(isTime(v.lastFailed) ? { lastFailed: v.lastFailed } : {}),
    failedInARow: v.failedInARow,
    lastMissing: missing,
    ...(typeof v.lastFailedRecord === 'string' && /^[\w -]{1,40}$/.test(v.lastFailedRecord) ? { lastFailedRecord: v.lastFailedRecord } : {}),
    total,
    days,
  };
}

/** The stored counts, checked: anything malformed is left out (never thrown). */
export function parseSiteHealth(value: unknown): SiteHealth {
  const hosts: Record<string, HostHealth> = {};
  const stored = typeof value === 'object' && value !== null ? (value as { hosts?: unknown }).hosts : undefined;
  if (typeof stored === 'object' && stored !== null) {
    for (const [id, entry] of Object.entries(stored as Record<string, unknown>)) {
      const host = HOST_ID.test(id) ? hostFrom(entry) : null;
      if (host) hosts[id] = host;
    }
  }
  return { version: 1, hosts };
}

/** The local day of a time, "2026-12-07". */
export function dayOf(time: number): string {
  const d = new Date(time);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The local days of the last DAYS days up to `now`, newest first. */
function recentDays(now: number): string[] {
  return Array.from({ length: DAYS }, (_, i) => dayOf(now - i * DAY));
}

const lastActive = (h: HostHealth) => Math.max(h.lastIdentified ?? 0, h.lastPartial ?? 0, h.lastFailed ?? 0, h.since);

export interface Reading {
  host: string;
  outcome: ReadingOutcome;
  /** The parts not found (censored names; kept only for an outcome of "failed"). */
  missing: readonly string[];
  recordType?: string;
}

/** The counts after one reading. Pure; bounded (see MAX_HOSTS, DAYS). */
export function recordReading(health: SiteHealth, reading: Reading, now: number): SiteHealth {
  if (!HOST_ID.test(reading.host)) return health;
  const before = health.hosts[reading.host];
  const keep = new Set(recentDays(now));
  const days = Object.fromEntries(Object.entries(before?.days ?? {}).filter(([day]) => keep.has(day)));
  const today = dayOf(now);
  days[today] = { ...(days[today] ?? zero()), [reading.outcome]: (days[today]?.[reading.outcome] ?? 0) + 1 };
  const total = { ...(before?.total ?? zero()) };
  total[reading.outcome]++;
  const failed = reading.outcome === 'failed';
  const host: HostHealth = {
    since: before?.since ?? now,
    ...(before?.lastIdentified ? { lastIdentified: before.lastIdentified } : {}),
    ...(before?.lastPartial ? { lastPartial: before.lastPartial } : {}),
    ...(before?.lastFailed ? { lastFailed: before.lastFailed } : {}),
    ...(reading.outcome === 'identified' ? { lastIdentified: now } : reading.outcome === 'partial' ? { lastPartial: now } : { lastFailed: now }),
    failedInARow: failed ? (before?.failedInARow ?? 0) + 1 : 0,
    lastMissing: failed ? reading.missing.slice(0, 12).map((m) => m.slice(0, 100)) : (before?.lastMissing ?? []),
    ...(failed
      ? reading.recordType && /^[\w -]{1,40}$/.test(reading.recordType)
        ? { lastFailedRecord: reading.recordType }
        : {}
      : before?.lastFailedRecord
        ? { lastFailedRecord: before.lastFailedRecord }
        : {}),
    total,
    days,
  };
  const hosts = { ...health.hosts, [reading.host]: host };
  const ids = Object.keys(hosts);
  if (ids.length > MAX_HOSTS) {
    ids.sort((a, b) => lastActive(hosts[a]!) - lastActive(hosts[b]!));
    for (const id of ids.slice(0, ids.length - MAX_HOSTS)) delete hosts[id];
  }
  return { version: 1, hosts };
}

export interface HealthRow {
  id: string;
  name: string;
  since?: number;
  lastIdentified?: number;
  lastFailed?: number;
  /** Counts of the last DAYS days (today included). */
  week: Counts;
  total: Counts;
  lastMissing: string[];
  /** Set when the site's last pages all failed: what to say, and what to do. */
  flag?: string;
}

/** The table's rows: one per enabled site, in the order given, with or without readings. */
export function healthRows(health: SiteHealth, sites: readonly { id: string; name: string }[], now: number): HealthRow[] {
  const days = recentDays(now);
  return sites.map(({ id, name }) => {
    const h = health.hosts[id];
    if (!h) return { id, name, week: zero(), total: zero(), lastMissing: [] };
    const week = zero();
    for (const day of days) for (const o of OUTCOMES) week[o] += h.days[day]?.[o] ?? 0;
    return {
      id,
      name,
      since: h.since,
      lastIdentified: h.lastIdentified,
      lastFailed: h.lastFailed,
      week,
      total: h.total,
      lastMissing: h.lastFailed ? h.lastMissing : [],
      flag: flagOf(name, h, now),
    };
  });
}

/**
 * A site is flagged when its last FLAG_AFTER record pages or more gave no customer (none since) and
 * the last of them is recent: "Centric could not read Zendesk's last 12 record pages: …".
 */
export function flagOf(name: string, h: HostHealth, now: number): string | undefined {
  if (h.failedInARow < FLAG_AFTER || !h.lastFailed || now - h.lastFailed > DAYS * DAY) return undefined;
  const record = h.lastFailedRecord ?? 'record page';
  const article = /^[aeiou]/i.test(record) ? 'an' : 'a';
  return `Centric could not read ${name}’s last ${h.failedInARow} record pages: the page may have changed — copy a page report from ${article} ${record}.`;
}

/** "Name only or company only", "No customer": the outcomes in words, for the table. */
export const OUTCOME_WORDS: Record<ReadingOutcome, string> = {
  identified: 'identified',
  partial: 'name or company only',
  failed: 'no customer',
};
