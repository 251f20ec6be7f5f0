/**
 * Issue 9, faults: the browser stops Centric's service worker in the middle of a score file sync. The
 * old scores stay (they are replaced only by a complete file, in one transaction); the background that
 * starts next finds the sync marked running but not its own, syncs again at once, and the options page
 * says the sync was cut off and redone.
 */
import { fakeBrowser } from 'wxt/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CentricDb } from '~/lib/db/db';
import { findFileScore } from '~/lib/db/file-scores';
import type { ScoreFileSource, SourcesConfig } from '~/lib/sources/config';
import { storeSnapshot } from './store-snapshot';

const source = { id: 'team-file', kind: 'score-file', name: 'Team file', enabled: true, url: 'https://files.example.com/scores.csv', format: 'auto', syncMinutes: 60, headers: [] } as ScoreFileSource;
const config = { version: 1, sources: [source], precedence: ['team-file', 'local'] } as SourcesConfig;
const CSV = (tier: string) => `id,clv,tier\nA-1,10,${tier}\nA-2,5,Lead\n`;

let db: CentricDb;
beforeEach(() => {
  fakeBrowser.reset();
  vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(true);
  db = new CentricDb('centric-sync-interrupted');
});
afterEach(async () => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  await db.delete();
});

/** A fresh copy of the background's sync module: a service worker started again. */
async function startBackground() {
  vi.resetModules();
  return import('~/lib/extension/score-file-sync');
}

const answer = (body: string) => ({ status: 200, ok: true, redirected: false, url: source.url, type: 'basic', headers: new Headers({ 'content-type': 'text/csv', etag: `"${body.length}"` }), text: async () => body });

describe('the service worker stopped mid-sync', () => {
  it('keeps the old scores, then the next background redoes the sync at once and says so', async () => {
    // A first, complete sync.
    vi.stubGlobal('fetch', vi.fn(async () => answer(CSV('Gold'))));
    let background = await startBackground();
    expect((await background.syncScoreFileSource(db, source)).ok).toBe(true);
    expect((await findFileScore(db, 'team-file', { id: 'A-1' }))?.tier).toBe('Gold');
    const before = await storeSnapshot(db);

    // The next sync hangs in the download, and the browser stops the worker.
    vi.stubGlobal('fetch', vi.fn(() => new Promise(() => {})));
    void background.syncScoreFileSource(db, source);
    await vi.waitFor(async () => expect((await background.readSyncStatus())['team-file']?.syncingSince).toBeTypeOf('number'));
    const cutOffAt = (await background.readSyncStatus())['team-file']!.syncingSince!;
    expect(await storeSnapshot(db)).toBe(before); // nothing replaced mid-download

    // The browser starts the background again (an alarm, a message): it plans the syncs.
    vi.stubGlobal('fetch', vi.fn(async () => answer(CSV('Platinum'))));
    background = await startBackground();
    await background.scheduleScoreFiles(db, config);
    await vi.waitFor(async () => expect((await background.readSyncStatus())['team-file']?.syncingSince).toBeUndefined());
    const status = (await background.readSyncStatus())['team-file']!;
    expect(status).toMatchObject({ outcome: 'changed', rows: 2, interruptedAt: cutOffAt });
    expect((await findFileScore(db, 'team-file', { id: 'A-1' }))?.tier).toBe('Platinum');

    const { syncStatusText } = await import('~/lib/pages/sources-remote');
    expect(syncStatusText(status).text).toMatch(/^Last sync .*: new scores \(2( customers)?\)\. A sync started .* was cut off \(the browser stopped Centric’s background\) and was done again\.$/);
  });

  it('a sync running in this background is not mistaken for a cut-off one', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => answer(CSV('Gold'))));
    const background = await startBackground();
    await background.syncScoreFileSource(db, source);
    let release: (v: unknown) => void = () => {};
    const fetch = vi.fn(() => new Promise((resolve) => (release = resolve)));
    vi.stubGlobal('fetch', fetch);
    const running = background.syncScoreFileSource(db, source);
    await vi.waitFor(async () => expect((await background.readSyncStatus())['team-file']?.syncingSince).toBeTypeOf('number'));
    await background.scheduleScoreFiles(db, config); // e.g. the sources changed meanwhile
    expect(fetch).toHaveBeenCalledTimes(1);
    release(answer(CSV('Iron')));
    await running;
    expect((await background.readSyncStatus())['team-file']?.interruptedAt).toBeUndefined();
  });
});
