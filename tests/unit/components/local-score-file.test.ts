import { fakeBrowser } from 'wxt/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { loadLocalScoreFile, readSyncStatus } from '~/lib/extension/score-file-sync';
import { scoreRowsToCsv, type ScoreRow } from '~/lib/dashboard/export';
import { CentricDb } from '~/lib/db/db';
import { findFileScore } from '~/lib/db/file-scores';
import type { ScoreFileSource } from '~/lib/sources/config';

const db = new CentricDb('centric-local-score-file');
afterEach(async () => {
  await db.fileScores.clear();
  fakeBrowser.reset();
});

const source = { id: 'mine', kind: 'score-file', name: 'My file', enabled: true, url: 'local:scores.csv', format: 'auto', syncMinutes: 60, headers: [] } as ScoreFileSource;
const row = (id: string, tier: string): ScoreRow => ({ id, x: 1, tx: 2, T: 3, monetary: 4, pAlive: 0.5, expectedTransactions: 1, expectedSpend: 4, clv: 10, tier });

describe('a scores file picked from the computer', () => {
  it('replaces the source’s scores when complete, and keeps them when the next file is broken', async () => {
    const good = scoreRowsToCsv([row('C-1', 'Gold'), row('C-2', 'Lead')]);
    expect(await loadLocalScoreFile(db, source, good, 'scores.csv')).toEqual({ ok: true, message: 'Loaded scores.csv: 2 customers.', problems: [] });
    expect((await findFileScore(db, 'mine', { id: 'C-2' }))?.tier).toBe('Lead');
    expect((await readSyncStatus()).mine).toMatchObject({ outcome: 'changed', rows: 2 });

    const broken = good.replace('Lead', '').slice(0, -3);
    const result = await loadLocalScoreFile(db, source, broken, 'scores-2.csv');
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^scores-2\.csv cannot be used \(\d+ problems?\)\. The previous scores are kept\.$/);
    expect(result.problems.length).toBeGreaterThan(0);
    expect((await findFileScore(db, 'mine', { id: 'C-2' }))?.tier).toBe('Lead');
    expect((await readSyncStatus()).mine).toMatchObject({ outcome: 'failed' });
  });
});
