/**
 * The team's configuration (issue 19): the tiers, the treatment rules and the site definitions, one
 * document each, versioned. A read gives the value, its version and its ETag; a change names the
 * version it changes (If-Match) and is refused when another change came first. Each value is checked
 * with the same code as in the browser (lib/tiers, lib/rules, lib/sites/definitions) and every change
 * is audited with the value before and after, in the same transaction.
 */
import { parseRuleSetValue } from '../rules/transfer';
import { defaultRules } from '../rules/defaults';
import { RULES_FORMAT, RULES_VERSION } from '../rules/schema';
import { bundledDefinitions, parseSiteDefinitions, DEFINITIONS_FORMAT } from '../sites/definitions';
import { SITE_ADAPTERS } from '../sites/registry';
import { DEFAULT_TIER_CONFIG, parseTierConfig, TierConfigError } from '../tiers/config';
import { recordAudit } from './audit';
import type { Sql } from './database';
import type { Caller } from './tokens';

export { CONFIG_KINDS, isConfigKind, type ConfigKind, type ConfigDocument } from '../team/protocol';
import type { ConfigDocument, ConfigKind } from '../team/protocol';

export const etagOf = (doc: Pick<ConfigDocument, 'kind' | 'version'>): string => `"${doc.kind}-${doc.version}"`;

/** What a kind is before anyone changed it. */
function defaultValue(kind: ConfigKind): unknown {
  if (kind === 'tiers') return DEFAULT_TIER_CONFIG;
  if (kind === 'rules') return { format: RULES_FORMAT, version: RULES_VERSION, rules: defaultRules(DEFAULT_TIER_CONFIG.tiers.map((t) => t.name)) };
  return { format: DEFINITIONS_FORMAT, sites: {} };
}

/** The problems of a value for `kind` (none: []), in the words the options page uses. */
export function configProblems(kind: ConfigKind, value: unknown): string[] {
  if (kind === 'rules') {
    const parsed = parseRuleSetValue(value);
    return parsed.ok ? [] : parsed.errors;
  }
  if (kind === 'tiers') {
    try {
      parseTierConfig(value);
      return [];
    } catch (error) {
      if (error instanceof TierConfigError) return error.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
      throw error;
    }
  }
  const parsed = parseSiteDefinitions(value, bundledDefinitions(SITE_ADAPTERS), 'the site definitions');
  return parsed.ok ? [] : parsed.errors;
}

export async function readConfig(db: Sql, kind: ConfigKind): Promise<ConfigDocument> {
  const { rows } = await db.query<{ version: number; value: unknown; updated_at: Date | string; updated_by: string | null }>('SELECT version, value, updated_at, updated_by FROM team_config WHERE kind = $1', [kind]);
  const row = rows[0];
  if (!row) return { kind, version: 0, value: defaultValue(kind), updatedAt: null, updatedBy: null };
  return { kind, version: Number(row.version), value: row.value, updatedAt: new Date(row.updated_at).toISOString(), updatedBy: row.updated_by };
}

export type ChangeResult =
  | { ok: true; document: ConfigDocument }
  | { ok: false; code: 'invalid'; problems: string[] }
  | { ok: false; code: 'version-conflict'; current: ConfigDocument };

/**
 * Replaces the value of `kind` (checked first: nothing changes when it has problems). With `ifMatch`
 * (an ETag read before), refused when the stored version is another one.
 */
export async function changeConfig(db: Sql, caller: Caller, kind: ConfigKind, value: unknown, ifMatch?: string): Promise<ChangeResult> {
  const problems = configProblems(kind, value);
  if (problems.length > 0) return { ok: false, code: 'invalid', problems };
  return db.transaction(async (tx) => {
    // The row is locked for the change (two instances on one PostgreSQL change one after the other).
    await tx.query('INSERT INTO team_config (kind, version, value) VALUES ($1, 0, $2) ON CONFLICT (kind) DO NOTHING', [kind, JSON.stringify(defaultValue(kind))]);
    await tx.query('SELECT version FROM team_config WHERE kind = $1 FOR UPDATE', [kind]);
    const before = await readConfig(tx, kind);
    if (ifMatch !== undefined && ifMatch !== etagOf(before)) return { ok: false, code: 'version-conflict', current: before };
    const version = before.version + 1;
    await tx.query('UPDATE team_config SET version = $2, value = $3, updated_at = now(), updated_by = $4 WHERE kind = $1', [kind, version, JSON.stringify(value), caller.name]);
    await recordAudit(tx, caller, { action: `change-${kind}`, target: kind, outcome: 'done', before: before.value, after: value });
    return { ok: true, document: await readConfig(tx, kind) };
  });
}
