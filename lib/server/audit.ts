/**
 * The audit log (issue 19): every change, and every refused attempt to change, with who, when, what,
 * and the value before and after. Tokens are named by id and their person's name, never by the token.
 */
import type { Sql } from './database';
import type { Caller } from './tokens';

export type { AuditEntry } from '../team/protocol';
import type { AuditEntry } from '../team/protocol';

export async function recordAudit(
  db: Sql,
  caller: Caller | null,
  entry: { action: string; target: string; outcome: 'done' | 'refused'; before?: unknown; after?: unknown },
): Promise<void> {
  await db.query('INSERT INTO audit (token_id, token_name, role, action, target, outcome, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
    caller?.tokenId ?? null,
    caller?.name ?? null,
    caller?.role ?? null,
    entry.action,
    entry.target,
    entry.outcome,
    entry.before === undefined ? null : JSON.stringify(entry.before),
    entry.after === undefined ? null : JSON.stringify(entry.after),
  ]);
}

/** The newest entries first, at most `limit` (1–500). */
export async function readAudit(db: Sql, limit = 100): Promise<AuditEntry[]> {
  const { rows } = await db.query<{ id: string | number; at: Date | string; token_id: string | null; token_name: string | null; role: string | null; action: string; target: string; outcome: 'done' | 'refused'; before: unknown; after: unknown }>(
    'SELECT id, at, token_id, token_name, role, action, target, outcome, before, after FROM audit ORDER BY id DESC LIMIT $1',
    [Math.min(500, Math.max(1, Math.floor(limit)))],
  );
  return rows.map((r) => ({ id: Number(r.id), at: new Date(r.at).toISOString(), tokenId: r.token_id, tokenName: r.token_name, role: r.role, action: r.action, target: r.target, outcome: r.outcome, before: r.before, after: r.after }));
}
