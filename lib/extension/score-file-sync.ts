/**
 * Shared score files in the background: synced on a schedule (one alarm per file) and on demand
 * ("Sync now" in the options page), with ETag / If-Modified-Since; a new file replaces the source's
 * scores in one transaction only when it is complete and valid, so the old scores stay otherwise.
 * Each source's last sync is recorded in the SOURCES_STATUS setting (lib/settings/items.ts) for the options page.
 */
import { browser } from 'wxt/browser';
import { z } from 'zod';
import type { CentricDb } from '~/lib/db/db';
import { replaceFileScores } from '~/lib/db/file-scores';
import type { ScoreFileSource, SourcesConfig } from '~/lib/sources/config';
import { parseScoreFile, syncDue, syncScoreFile, type FileValidators } from '~/lib/sources/score-file';
import { hasOriginPermission, liveFetchDeps } from './fetch-deps';
import { SOURCES_STATUS } from '~/lib/settings/items';
import { readSetting, writeSetting } from '~/lib/settings/storage';

const ALARM_PREFIX = 'centric-sync:';

const SyncStatusSchema = z.object({
  at: z.number(),
  outcome: z.enum(['changed', 'unchanged', 'failed']),
  message: z.string().optional(),
  rows: z.number().int().nonnegative().optional(),
  /** When the scores now in use were downloaded. */
  fetchedAt: z.number().optional(),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  /** Set while a sync runs: found set by a background that just started, it means the sync was cut off. */
  syncingSince: z.number().optional(),
  /** When a sync was cut off (the browser stopped the background) before this one redid it. */
  interruptedAt: z.number().optional(),
});
export type SyncStatus = z.output<typeof SyncStatusSchema> & FileValidators;

/** The syncs running in this background (lost when the browser stops it: that is how a cut-off one is recognised). */
const inFlight = new Set<string>();

/** The last sync of each score file, by source id (entries that do not read are left out). */
export async function readSyncStatus(): Promise<Record<string, SyncStatus>> {
  const stored = await readSetting(SOURCES_STATUS);
  const out: Record<string, SyncStatus> = {};
  if (typeof stored !== 'object' || stored === null) return out;
  for (const [id, value] of Object.entries(stored)) {
    const parsed = SyncStatusSchema.safeParse(value);
    if (parsed.success) out[id] = parsed.data;
  }
  return out;
}

async function writeSyncStatus(sourceId: string, status: SyncStatus): Promise<void> {
  const all = await readSyncStatus();
  await writeSetting(SOURCES_STATUS, { ...all, [sourceId]: status });
}

/** Syncs one score file now; says what happened in words. */
export async function syncScoreFileSource(db: CentricDb, source: ScoreFileSource, interruptedAt?: number): Promise<{ ok: boolean; message: string }> {
  const { syncingSince: _running, interruptedAt: _before, ...previous } = (await readSyncStatus())[source.id] ?? ({} as Partial<SyncStatus>);
  const last = previous.at === undefined ? undefined : (previous as SyncStatus);
  inFlight.add(source.id);
  try {
    if (last) await writeSyncStatus(source.id, { ...last, syncingSince: Date.now(), ...(interruptedAt ? { interruptedAt } : {}) });
    const outcome = await syncOnce(db, source, last);
    if (interruptedAt) {
      const status = (await readSyncStatus())[source.id];
      if (status) await writeSyncStatus(source.id, { ...status, interruptedAt });
    }
    return outcome;
  } finally {
    inFlight.delete(source.id);
  }
}

async function syncOnce(db: CentricDb, source: ScoreFileSource, previous: SyncStatus | undefined): Promise<{ ok: boolean; message: string }> {
  const result = await syncScoreFile(liveFetchDeps({ hasPermission: hasOriginPermission }), source, previous);
  const at = Date.now();
  if (result.status === 'unchanged') {
    await writeSyncStatus(source.id, { ...previous, at, outcome: 'unchanged', message: 'The file has not changed since the last sync.' });
    return { ok: true, message: 'The file has not changed since the last sync.' };
  }
  if (result.status === 'failed') {
    const message = result.error.message;
    await writeSyncStatus(source.id, { ...previous, at, outcome: 'failed', message });
    return { ok: false, message };
  }
  const rows = await replaceFileScores(db, source.id, result.file.scores.values());
  const message = `Synced: ${rows.toLocaleString('en-US')} customer${rows === 1 ? '' : 's'}.`;
  await writeSyncStatus(source.id, { ...result.validators, at, outcome: 'changed', message, rows, fetchedAt: result.fetchedAt });
  return { ok: true, message };
}

/**
 * Reads a scores file the manager picked from the computer (a 'local:' source): all or nothing, like a
 * download; the source's scores are replaced only when the file is complete and valid.
 */
export async function loadLocalScoreFile(db: CentricDb, source: ScoreFileSource, text: string, fileName: string): Promise<{ ok: boolean; message: string; problems: string[] }> {
  const previous = (await readSyncStatus())[source.id];
  const parsed = parseScoreFile(text, { format: source.format, fileName });
  const at = Date.now();
  if (!parsed.ok) {
    const message = `${fileName} cannot be used (${parsed.errorCount.toLocaleString('en-US')} problem${parsed.errorCount === 1 ? '' : 's'}). The previous scores are kept.`;
    await writeSyncStatus(source.id, { ...previous, at, outcome: 'failed', message });
    return { ok: false, message, problems: parsed.errors };
  }
  const rows = await replaceFileScores(db, source.id, parsed.scores.values());
  const message = `Loaded ${fileName}: ${rows.toLocaleString('en-US')} customer${rows === 1 ? '' : 's'}.`;
  await writeSyncStatus(source.id, { at, outcome: 'changed', message, rows, fetchedAt: at });
  return { ok: true, message, problems: [] };
}

/** One alarm per enabled score file, every syncMinutes; stale alarms removed; files due are synced now. */
export async function scheduleScoreFiles(db: CentricDb, config: SourcesConfig): Promise<void> {
  // A file picked from the computer is loaded in the options page, not downloaded.
  const files = config.sources.filter((s): s is ScoreFileSource => s.kind === 'score-file' && s.enabled && !s.url.startsWith('local:'));
  const alarms = await browser.alarms.getAll();
  for (const alarm of alarms) {
    if (alarm.name.startsWith(ALARM_PREFIX) && !files.some((f) => ALARM_PREFIX + f.id === alarm.name)) await browser.alarms.clear(alarm.name);
  }
  const status = await readSyncStatus();
  for (const file of files) {
    const existing = alarms.find((a) => a.name === ALARM_PREFIX + file.id);
    if (!existing || existing.periodInMinutes !== file.syncMinutes) {
      await browser.alarms.create(ALARM_PREFIX + file.id, { periodInMinutes: file.syncMinutes, delayInMinutes: file.syncMinutes });
    }
    // A sync marked running that this background is not running was cut off (the browser stopped the
    // service worker mid-download): its scores were never replaced; sync again now, and say so.
    const cutOff = status[file.id]?.syncingSince !== undefined && !inFlight.has(file.id) ? status[file.id]!.syncingSince : undefined;
    if (cutOff !== undefined || syncDue(status[file.id]?.at, file, Date.now())) {
      void syncScoreFileSource(db, file, cutOff).catch((e: unknown) => console.warn('[Centric] Syncing a score file failed:', e));
    }
  }
}

/** The score file an alarm is for, by its name. */
export function alarmSourceId(alarmName: string): string | undefined {
  return alarmName.startsWith(ALARM_PREFIX) ? alarmName.slice(ALARM_PREFIX.length) : undefined;
}
