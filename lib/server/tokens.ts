/**
 * Personal tokens (issue 19): created by an administrator for a person and a role, shown once, kept
 * only as a SHA-256 hash, revocable at once. A token is `ctk_` and 32 random bytes in base64url: too
 * long to guess, so a plain hash (no slow key derivation) is what the service checks on every request.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from './database';

export { ROLES, isRole, type Role } from '../team/protocol';
import { ROLES, isRole, type Role } from '../team/protocol';

/** Who made a request, as the service knows them (never the token itself). */
export interface Caller {
  tokenId: string;
  name: string;
  role: Role;
}

export interface TokenRow {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  createdBy: string | null;
  revokedAt: string | null;
}

const PREFIX = 'ctk_';

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');


/** A person's name for a token: 1 to 100 printable characters. */
export function tokenNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'The name is empty: say whose token this is (e.g. "Ana Lopez, support").';
  if (trimmed.length > 100) return `The name has ${trimmed.length} characters; at most 100.`;
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return 'The name holds control characters.';
  return null;
}

/** Creates a token; the returned `token` is the only time it is seen. */
export async function createToken(db: Sql, input: { name: string; role: Role; createdBy?: string }): Promise<{ id: string; token: string }> {
  const problem = tokenNameProblem(input.name);
  if (problem) throw new Error(problem);
  if (!isRole(input.role)) throw new Error(`The role "${String(input.role)}" is not one of ${ROLES.join(', ')}.`);
  const token = PREFIX + randomBytes(32).toString('base64url');
  const id = `tok_${randomBytes(6).toString('hex')}`;
  await db.query('INSERT INTO tokens (id, name, role, hash, created_by) VALUES ($1, $2, $3, $4, $5)', [id, input.name.trim(), input.role, hashToken(token), input.createdBy ?? null]);
  return { id, token };
}

/** Revokes a token: refused from the next request on. False when there is no such token (or it was revoked already). */
export async function revokeToken(db: Sql, id: string): Promise<boolean> {
  const { rows } = await db.query<{ id: string }>('UPDATE tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id', [id]);
  return rows.length === 1;
}

export async function listTokens(db: Sql): Promise<TokenRow[]> {
  const { rows } = await db.query<{ id: string; name: string; role: Role; created_at: Date | string; created_by: string | null; revoked_at: Date | string | null }>(
    'SELECT id, name, role, created_at, created_by, revoked_at FROM tokens ORDER BY created_at, id',
  );
  const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
  return rows.map((r) => ({ id: r.id, name: r.name, role: r.role, createdAt: iso(r.created_at)!, createdBy: r.created_by, revokedAt: iso(r.revoked_at) }));
}

/** The caller a token belongs to, or null (unknown, malformed or revoked). */
export async function authenticate(db: Sql, token: string): Promise<Caller | null> {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const { rows } = await db.query<{ id: string; name: string; role: Role }>('SELECT id, name, role FROM tokens WHERE hash = $1 AND revoked_at IS NULL', [hashToken(token)]);
  const row = rows[0];
  return row ? { tokenId: row.id, name: row.name, role: row.role } : null;
}

/** What each role may do: agents read; managers also change the team's configuration; admins also manage tokens. */
export function may(role: Role, action: 'read' | 'change-config' | 'read-audit' | 'manage-tokens'): boolean {
  if (action === 'read') return true;
  if (action === 'change-config' || action === 'read-audit') return role === 'manager' || role === 'admin';
  return role === 'admin';
}
