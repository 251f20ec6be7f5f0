/**
 * The team's scores (issue 19): a score file in today's format (what `centric score --out` writes and
 * the extension's score-file source reads, lib/sources/score-file.ts) uploaded whole, checked all or
 * nothing with every problem's line and column, and stored as a new run in one transaction: readers
 * see the previous run until it commits, never half a run. The last KEEP_RUNS runs are kept.
 * Lookups answer the Centric JSON (lib/sources/response.ts), so the extension's "lookup service"
 * source reads this service unchanged.
 */
import { parseScoreFile, type ScoreFileEntry } from '../sources/score-file';
import type { RemoteScore } from '../sources/response';
import { recordAudit } from './audit';
import type { Sql } from './database';
import type { Caller } from './tokens';

/** Runs kept, the newest first (for "what changed"). */
export const KEEP_RUNS = 3;
/** Rows inserted per statement. */
const CHUNK = 500;

export interface ScoreRun {
  id: number;
  at: string;
  source: string;
  uploadedBy: string | null;
  customers: number;
  rows: number;
}

export type UploadResult = { ok: true; run: ScoreRun; unscored: number } | { ok: false; problems: string[]; problemCount: number };

const domainOf = (email: string | undefined) => (email && email.includes('@') ? email.slice(email.lastIndexOf('@') + 1).toLowerCase() : null);

/** What a lookup answers for a stored entry: the Centric JSON. */
function centricJson(entry: ScoreFileEntry, runAt: string): RemoteScore & { customerId: string } {
  const { email: _email, ...score } = entry;
  return { ...score, updatedAt: score.updatedAt ?? runAt };
}

/** Reads a score file and stores it as the new run (see the top of this file). */
export async function uploadScores(db: Sql, caller: Caller, text: string, fileName: string): Promise<UploadResult> {
  const parsed = parseScoreFile(text, { format: 'auto', fileName });
  if (!parsed.ok) return { ok: false, problems: parsed.errors, problemCount: parsed.errorCount };
  const entries = [...parsed.scores.values()];
  const run = await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; at: Date | string }>('INSERT INTO score_runs (source, uploaded_by, customers, rows) VALUES ($1, $2, $3, $4) RETURNING id, at', [
      fileName.slice(0, 200),
      caller.name,
      entries.length,
      parsed.rows,
    ]);
    const id = Number(rows[0]!.id);
    for (let from = 0; from < entries.length; from += CHUNK) {
      const chunk = entries.slice(from, from + CHUNK);
      const params: unknown[] = [];
      const values = chunk.map((e, i) => {
        const email = e.email?.toLowerCase() ?? (e.customerId.includes('@') ? e.customerId.toLowerCase() : undefined);
        params.push(id, e.customerId.trim().toLowerCase(), email ?? null, domainOf(email), Number.isFinite(e.clv) ? e.clv : null, JSON.stringify(e));
        const b = i * 6;
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6})`;
      });
      await tx.query(`INSERT INTO scores (run_id, customer_id, email, domain, clv, score) VALUES ${values.join(', ')}`, params);
    }
    await tx.query('DELETE FROM score_runs WHERE id NOT IN (SELECT id FROM score_runs ORDER BY id DESC LIMIT $1)', [KEEP_RUNS]);
    await recordAudit(tx, caller, { action: 'upload-scores', target: 'scores', outcome: 'done', after: { run: id, file: fileName, customers: entries.length, rows: parsed.rows } });
    return { id, at: new Date(rows[0]!.at).toISOString(), source: fileName, uploadedBy: caller.name, customers: entries.length, rows: parsed.rows };
  });
  return { ok: true, run, unscored: parsed.unscored };
}

export async function currentRun(db: Sql): Promise<ScoreRun | null> {
  const { rows } = await db.query<{ id: string; at: Date | string; source: string; uploaded_by: string | null; customers: number; rows: number }>(
    'SELECT id, at, source, uploaded_by, customers, rows FROM score_runs ORDER BY id DESC LIMIT 1',
  );
  const r = rows[0];
  return r ? { id: Number(r.id), at: new Date(r.at).toISOString(), source: r.source, uploadedBy: r.uploaded_by, customers: Number(r.customers), rows: Number(r.rows) } : null;
}

export interface Identity {
  email?: string;
  id?: string;
  domain?: string;
}

/**
 * The customer of the current run for an identity: by id, then by email; for a domain alone, the
 * company's most valuable customer. Null when there is none (or no run yet).
 */
export async function lookup(db: Sql, identity: Identity, run?: ScoreRun | null): Promise<(RemoteScore & { customerId: string }) | null> {
  const current = run === undefined ? await currentRun(db) : run;
  if (!current) return null;
  const id = identity.id?.trim().toLowerCase();
  const email = identity.email?.trim().toLowerCase();
  const domain = identity.domain?.trim().toLowerCase().replace(/^www\./, '');
  const tries: [string, string | undefined][] = [
    ['SELECT score FROM scores WHERE run_id = $1 AND customer_id = $2', id],
    ['SELECT score FROM scores WHERE run_id = $1 AND email = $2 LIMIT 1', email],
    ['SELECT score FROM scores WHERE run_id = $1 AND customer_id = $2', email],
    ['SELECT score FROM scores WHERE run_id = $1 AND domain = $2 ORDER BY clv DESC NULLS LAST, customer_id LIMIT 1', !id && !email ? domain : undefined],
  ];
  for (const [sql, key] of tries) {
    if (!key) continue;
    const { rows } = await db.query<{ score: ScoreFileEntry }>(sql, [current.id, key]);
    if (rows[0]) return centricJson(rows[0].score, current.at);
  }
  return null;
}
