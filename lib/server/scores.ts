/**
 * The team's scores (issue 19): a score file in today's format (what `centric score --out` writes and
 * the extension's score-file source reads, lib/sources/score-file.ts) uploaded whole, checked all or
 * nothing with every problem's line and column, and stored as a new run in one transaction: readers
 * see the previous run until it commits, never half a run. The last KEEP_RUNS runs are kept.
 * Lookups answer the Centric JSON (lib/sources/response.ts), so the extension's "lookup service"
 * source reads this service unchanged.
 */
import { SCORE_COLUMNS, scoreRowCells, scoreRowObject, type ScoreRow } from '../dashboard/export';
import { csvLine } from '../csv/write';
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

// ---------------------------------------------------------------------------------------------
// The current run as a score file

/**
 * The score file's columns: `centric score`'s (lib/dashboard/export.ts), then the optional ones the
 * extension's reader takes (lib/sources/score-file.ts), so every stored field is in the file.
 */
export const SERVED_COLUMNS = [...SCORE_COLUMNS, 'next12Months', 'email', 'segment', 'treatment', 'updatedAt', 'tierColor'] as const;

/** Rows read per query while streaming a file. */
const PAGE = 5000;

function servedRow(entry: ScoreFileEntry, facts: (number | null)[] | null): { row: ScoreRow; extra: (string | number | null)[] } {
  const f = (i: number) => facts?.[i] ?? null;
  const row: ScoreRow = {
    id: entry.customerId,
    x: f(0),
    tx: f(1),
    T: f(2),
    monetary: f(3),
    pAlive: entry.pAlive ?? null,
    expectedTransactions: entry.expectedTransactions ?? null,
    expectedSpend: f(4),
    clv: entry.clv ?? null,
    lifetimeValue: entry.lifetimeValue ?? null,
    tier: entry.tier,
  };
  return { row, extra: [entry.next12Months ?? null, entry.email ?? null, entry.segment ?? null, entry.treatment?.title ?? null, entry.updatedAt ?? null, entry.tierColor ?? null] };
}

/**
 * A run as a score file, in pieces (CSV, or JSON `{"count", "scores"}`: the count lets a reader catch a
 * cut-off download), read from the database a page at a time so memory stays flat. Throws when the run
 * is removed while being read (three newer runs meanwhile), so the answer is cut off, never short.
 */
export async function* scoreFileChunks(db: Sql, run: ScoreRun, format: 'csv' | 'json'): AsyncGenerator<string> {
  if (format === 'csv') yield `${csvLine([...SERVED_COLUMNS])}\n`;
  else yield `{"count": ${run.customers}, "scores": [`;
  let after = '';
  let sent = 0;
  for (;;) {
    const { rows } = await db.query<{ customer_id: string; score: ScoreFileEntry; facts: (number | null)[] | null }>(
      'SELECT customer_id, score, facts FROM scores WHERE run_id = $1 AND customer_id > $2 ORDER BY customer_id LIMIT $3',
      [run.id, after, PAGE],
    );
    if (rows.length === 0) break;
    const parts: string[] = [];
    for (const r of rows) {
      const { row, extra } = servedRow(r.score, r.facts);
      if (format === 'csv') parts.push(`${csvLine([...scoreRowCells(row), ...extra])}\n`);
      else {
        const object: Record<string, unknown> = scoreRowObject(row);
        SERVED_COLUMNS.slice(SCORE_COLUMNS.length).forEach((name, i) => (object[name] = extra[i]));
        parts.push(`${sent + parts.length === 0 ? '\n' : ',\n'}${JSON.stringify(object)}`);
      }
    }
    sent += rows.length;
    after = rows[rows.length - 1]!.customer_id;
    yield parts.join('');
  }
  if (sent !== run.customers) throw new Error(`Run ${run.id} was replaced while it was being read (${sent} of ${run.customers} customers sent).`);
  if (format === 'json') yield '\n]}\n';
}

export async function readRun(db: Sql, id: number): Promise<ScoreRun | null> {
  const { rows } = await db.query<{ id: string; at: Date | string; source: string; uploaded_by: string | null; customers: number; rows: number }>(
    'SELECT id, at, source, uploaded_by, customers, rows FROM score_runs WHERE id = $1',
    [id],
  );
  const r = rows[0];
  return r ? { id: Number(r.id), at: new Date(r.at).toISOString(), source: r.source, uploadedBy: r.uploaded_by, customers: Number(r.customers), rows: Number(r.rows) } : null;
}

// ---------------------------------------------------------------------------------------------
// What changed between two runs

export interface TierMove {
  /** The tier before; null: not in the earlier run. */
  from: string | null;
  /** The tier after; null: not in the later run. */
  to: string | null;
  customers: number;
}

export interface ScoreChanges {
  from: ScoreRun;
  to: ScoreRun;
  /** Customers whose tier differs (or who are in one run only). */
  changed: number;
  /** Counts per move, the largest first. */
  moves: TierMove[];
  /** The changed customers, by id, a page at a time. */
  customers: { customerId: string; from: string | null; to: string | null }[];
  /** Pass as `after` for the next page; null at the end. */
  next: string | null;
}

/** Customers whose tier changed between two kept runs, counted per move, and listed a page at a time. */
export async function scoreChanges(db: Sql, from: ScoreRun, to: ScoreRun, page: { after?: string; limit?: number } = {}): Promise<ScoreChanges> {
  const joined = `FROM (SELECT customer_id, score->>'customerId' AS id, score->>'tier' AS tier FROM scores WHERE run_id = $1) a
    FULL JOIN (SELECT customer_id, score->>'customerId' AS id, score->>'tier' AS tier FROM scores WHERE run_id = $2) b USING (customer_id)
    WHERE a.tier IS DISTINCT FROM b.tier`;
  const moves = await db.query<{ before: string | null; after: string | null; n: string }>(`SELECT a.tier AS before, b.tier AS after, count(*) AS n ${joined} GROUP BY 1, 2 ORDER BY n DESC, 1, 2`, [from.id, to.id]);
  const limit = Math.min(1000, Math.max(1, Math.floor(page.limit ?? 100)));
  const listed = await db.query<{ customer_id: string; id: string; before: string | null; after: string | null }>(
    `SELECT customer_id, COALESCE(b.id, a.id) AS id, a.tier AS before, b.tier AS after ${joined} AND customer_id > $3 ORDER BY customer_id LIMIT $4`,
    [from.id, to.id, page.after ?? '', limit + 1],
  );
  const more = listed.rows.length > limit;
  const rows = listed.rows.slice(0, limit);
  return {
    from,
    to,
    changed: moves.rows.reduce((sum, r) => sum + Number(r.n), 0),
    moves: moves.rows.map((r) => ({ from: r.before, to: r.after, customers: Number(r.n) })),
    customers: rows.map((r) => ({ customerId: r.id, from: r.before, to: r.after })),
    next: more ? rows[rows.length - 1]!.customer_id : null,
  };
}
