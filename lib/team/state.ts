/**
 * What the background last learned from the team service (lib/background/team-sync.ts), as stored in
 * TEAM_STATE (lib/settings/items.ts): the connection (address and where it came from; never the token),
 * who the token is, the team's three configuration documents with their ETags, when they were last
 * confirmed, the last error in words and the change stream's state. Read by Options → Team, the
 * options sections a team's documents lock, the background's rules and tiers, and (watched only) the
 * sidebar. Pure; `parseTeamState` never throws, whatever storage holds.
 */
import { CONFIG_KINDS, isRole, type ConfigDocument, type ConfigKind, type Me } from './protocol';
import type { StreamState } from './stream';

export interface TeamDocument extends ConfigDocument {
  etag: string | null;
}

export interface TeamState {
  connection: { url: string; from: 'policy' | 'options' };
  /** Who the token is; null until the service answered once. */
  me: Me | null;
  /** The team's documents, as last read (kept while the service is unreachable). */
  documents: Partial<Record<ConfigKind, TeamDocument>>;
  /** When the service last confirmed the documents (ISO time); null before it ever did. */
  syncedAt: string | null;
  /** The last problem, in words (absent once a sync went through). */
  error?: string;
  /** The change stream: open, waiting to reconnect, or not held (nobody needs it, or it failed for good). */
  stream: StreamState;
}

const isText = (v: unknown): v is string => typeof v === 'string';

function documentFrom(kind: ConfigKind, raw: unknown): TeamDocument | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const d = raw as Record<string, unknown>;
  if (d.kind !== kind || typeof d.version !== 'number' || !('value' in d)) return undefined;
  return {
    kind,
    version: d.version,
    value: d.value,
    updatedAt: isText(d.updatedAt) ? d.updatedAt : null,
    updatedBy: isText(d.updatedBy) ? d.updatedBy : null,
    etag: isText(d.etag) ? d.etag : null,
  };
}

/** The stored TEAM_STATE, or undefined when there is none or it is not a usable shape. */
export function parseTeamState(raw: unknown): TeamState | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const s = raw as Record<string, unknown>;
  const c = s.connection as Record<string, unknown> | undefined;
  if (!c || !isText(c.url) || (c.from !== 'policy' && c.from !== 'options')) return undefined;
  const m = s.me as Record<string, unknown> | null | undefined;
  const me = m && isText(m.tokenId) && isText(m.name) && isRole(m.role) ? { tokenId: m.tokenId, name: m.name, role: m.role } : null;
  const documents: TeamState['documents'] = {};
  const rawDocs = (typeof s.documents === 'object' && s.documents !== null ? s.documents : {}) as Record<string, unknown>;
  for (const kind of CONFIG_KINDS) {
    const doc = documentFrom(kind, rawDocs[kind]);
    if (doc) documents[kind] = doc;
  }
  return {
    connection: { url: c.url, from: c.from },
    me,
    documents,
    syncedAt: isText(s.syncedAt) ? s.syncedAt : null,
    ...(isText(s.error) ? { error: s.error } : {}),
    stream: s.stream === 'open' || s.stream === 'reconnecting' ? s.stream : 'off',
  };
}

/** May this person change the team's documents? (Managers and administrators; the service checks again.) */
export const canEditTeam = (state: TeamState | undefined): boolean => state?.me?.role === 'admin' || state?.me?.role === 'manager';

/** "changed by Maria at 12 Mar 10:42" for a document, or "the team's defaults" when never changed. */
export function changedByText(doc: Pick<ConfigDocument, 'updatedAt' | 'updatedBy' | 'version'>, format: (iso: string) => string = (iso) => new Date(iso).toLocaleString()): string {
  if (doc.version === 0 || !doc.updatedAt) return 'the team’s defaults, not changed yet';
  return `changed by ${doc.updatedBy ?? 'someone'} at ${format(doc.updatedAt)}`;
}
