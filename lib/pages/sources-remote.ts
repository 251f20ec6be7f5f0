/**
 * What the Sources section asks outside itself: the score files' last sync (written by the background
 * in the SOURCES_STATUS setting), "Sync now" (a message to the background), whether an address needs a host
 * permission, and the real fetch dependencies the Test button uses from the options page.
 */
import type { SyncStatus } from '~/lib/extension/score-file-sync';
import { SOURCES_STATUS } from '~/lib/settings/items';
import { watchSetting } from '~/lib/settings/storage';
import { browser } from 'wxt/browser';
import { z } from 'zod';
import { asOfText } from '~/lib/sources/precedence';
import type { Source } from '~/lib/sources/config';
import { isLoopbackHost, permissionPatternFor } from '~/lib/sources/url';

export { readSyncStatus, type SyncStatus } from '~/lib/extension/score-file-sync';

/** Calls `listener` when the sync status changes; returns the unsubscribe. */
export function onSyncStatusChanged(listener: () => void): () => void {
  return watchSetting(SOURCES_STATUS, () => listener());
}

const count = (n: number) => `${n.toLocaleString('en-US')} customer${n === 1 ? '' : 's'}`;

/** The last sync in words: "Last sync 12 Mar 10:42: new scores (1,204 customers).", or "Never synced." */
export function syncStatusText(status: SyncStatus | undefined, now = Date.now()): { text: string; failed: boolean } {
  if (!status) return { text: 'Never synced.', failed: false };
  const when = asOfText(status.at, now);
  const rows = status.rows !== undefined ? ` (${count(status.rows)})` : '';
  const redone = status.interruptedAt !== undefined ? ` A sync started ${asOfText(status.interruptedAt, now)} was cut off (the browser stopped Centric’s background) and was done again.` : '';
  const running = status.syncingSince !== undefined ? ' Syncing now…' : '';
  if (status.outcome === 'changed') return { text: `Last sync ${when}: new scores${rows}.${redone}${running}`, failed: false };
  if (status.outcome === 'unchanged') return { text: `Last sync ${when}: the file had not changed${rows}.${redone}${running}`, failed: false };
  return { text: `Last sync ${when} failed: ${status.message?.trim() || 'no reason was given.'}${redone}${running}`, failed: true };
}

const SyncAnswerSchema = z.object({ ok: z.boolean(), message: z.string() });

/** Asks the background to sync one score file now; its answer, or why there is none. */
export async function syncNow(sourceId: string): Promise<{ ok: boolean; message: string }> {
  let answer: unknown;
  try {
    answer = await browser.runtime.sendMessage({ type: 'sync-sources', sourceId });
  } catch (error) {
    return { ok: false, message: `Centric's background could not sync the file: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = SyncAnswerSchema.safeParse(answer);
  if (!parsed.success) return { ok: false, message: 'Centric’s background gave no usable answer; the file may not have been synced. Reload the extension and try again.' };
  return parsed.data;
}

/**
 * True when contacting this address needs a host permission: an http(s) address that is not on this
 * computer (127.0.0.1, localhost). Placeholders are allowed (a URL template).
 */
export function needsPermission(address: string): boolean {
  try {
    const url = new URL(address.trim().replace(/\{[^{}]*\}/g, 'x'));
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
    return !isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

/** The address Centric contacts for a source (its URL template, or its file address). */
export const addressOf = (source: Source) => (source.kind === 'lookup-service' ? source.urlTemplate : source.url);

/**
 * The ids of the sources whose site Centric may not contact yet (no host permission). A source whose
 * permission cannot be checked (an API the browser lacks) is not listed.
 */
export async function sourcesWithoutPermission(sources: readonly Source[]): Promise<Set<string>> {
  const missing = new Set<string>();
  await Promise.all(
    sources.map(async (source) => {
      const address = addressOf(source);
      const pattern = needsPermission(address) ? permissionPatternFor(address) : undefined;
      if (!pattern) return;
      try {
        if (!(await browser.permissions.contains({ origins: [pattern] }))) missing.add(source.id);
      } catch {
        // Unknown: say nothing rather than something wrong.
      }
    }),
  );
  return missing;
}

/** Calls `listener` when host permissions are granted or removed (elsewhere too); returns the unsubscribe. */
export function onPermissionsChanged(listener: () => void): () => void {
  const handler = () => listener();
  try {
    browser.permissions.onAdded.addListener(handler);
    browser.permissions.onRemoved.addListener(handler);
  } catch {
    return () => {};
  }
  return () => {
    try {
      browser.permissions.onAdded.removeListener(handler);
      browser.permissions.onRemoved.removeListener(handler);
    } catch {
      // Nothing to undo.
    }
  };
}

/** The host of an address, for messages ("api.example.com"). */
export function hostOf(address: string): string {
  try {
    return new URL(address.trim().replace(/\{[^{}]*\}/g, 'x')).host;
  } catch {
    return address;
  }
}

