import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CentricDb } from '~/lib/db/db';
import { fileScoreKeys, findFileScore, removeFileScores, replaceFileScores } from '~/lib/db/file-scores';
import { handleRequest, RefusedMessage } from '~/lib/messages/handler';

let db: CentricDb;
let n = 0;
beforeEach(() => {
  db = new CentricDb(`centric-file-scores-${++n}`);
});
afterEach(async () => {
  await db.delete();
});

describe('score file scores in the store', () => {
  it('finds a customer by id first, then by email, per source', async () => {
    await replaceFileScores(db, 'a', [
      { customerId: 'C-1', email: 'ana@li.example', tier: 'Gold' },
      { customerId: 'bo@ek.example', tier: 'Lead' },
    ]);
    await replaceFileScores(db, 'b', [{ customerId: 'C-1', tier: 'Silver' }]);
    expect((await findFileScore(db, 'a', { id: 'c-1' }))?.tier).toBe('Gold');
    expect((await findFileScore(db, 'a', { email: 'ANA@li.example' }))?.tier).toBe('Gold');
    expect((await findFileScore(db, 'a', { email: 'bo@ek.example' }))?.tier).toBe('Lead'); // an id that is an email
    expect((await findFileScore(db, 'b', { id: 'C-1', email: 'ana@li.example' }))?.tier).toBe('Silver');
    expect(await findFileScore(db, 'b', { email: 'ana@li.example' })).toBeUndefined();
    expect(fileScoreKeys({})).toEqual([]);
  });

  it('replaces a source’s whole set and leaves the others; removes a source', async () => {
    await replaceFileScores(db, 'a', [{ customerId: 'C-1', tier: 'Gold' }]);
    await replaceFileScores(db, 'b', [{ customerId: 'C-1', tier: 'Silver' }]);
    await replaceFileScores(db, 'a', [{ customerId: 'C-2', tier: 'Lead' }]);
    expect(await findFileScore(db, 'a', { id: 'C-1' })).toBeUndefined();
    expect((await findFileScore(db, 'a', { id: 'C-2' }))?.tier).toBe('Lead');
    expect((await findFileScore(db, 'b', { id: 'C-1' }))?.tier).toBe('Silver');
    await removeFileScores(db, 'b');
    expect(await findFileScore(db, 'b', { id: 'C-1' })).toBeUndefined();
  });

  it('lets only the extension’s pages ask for a sync, never a content script on a host page', async () => {
    const ask = (url: string) => handleRequest(db, { type: 'sync-sources', sourceId: 'a' }, { id: 'own', url }, 'own', { syncSource: async () => ({ ok: true, message: 'Synced: 1 customer.' }) });
    await expect(ask('https://acme.zendesk.com/agent/tickets/1')).rejects.toBeInstanceOf(RefusedMessage);
    await expect(ask('chrome-extension://own/options.html')).resolves.toEqual({ ok: true, message: 'Synced: 1 customer.' });
  });
});
