/**
 * The background's side of remote sources: the configuration from storage (re-read after a change),
 * the team connection (Options → Team or the policy; re-read after a change), the network (fetch with
 * the source's rate limiter and the origin's permission), and the answers' cache in the `lookupCache`
 * table. Secrets stay here: the sidebar only ever gets scores and messages.
 *
 * The team service (issue 19, lib/team/values.ts) comes first in the precedence, then the configured
 * sources in their order, then the scores in this browser. It is asked without a host permission:
 * the service answers CORS for extension origins (lib/server/app.ts), so the background's fetch is
 * allowed by the service itself — the person never has to grant Centric the service's host, and an
 * administrator's policy address works at once (docs/team.md).
 */
import type { CentricDb } from '~/lib/db/db';
import type { RemoteContext } from '~/lib/lookup/lookup';
import { askLookupServices, type RemoteAnswers } from '~/lib/lookup/remote';
import type { CacheEntry } from '~/lib/sources/cache';
import { effectivePrecedence, isTeamSourceId, type LookupServiceSource, type ScoreFileSource, type SourcesConfig } from '~/lib/sources/config';
import { findFileScore } from '~/lib/db/file-scores';
import type { ScoreCandidate } from '~/lib/sources/precedence';
import type { RemoteScore } from '~/lib/sources/response';
import type { LookupIdentity } from '~/lib/sources/url';
import { hasOriginPermission, liveFetchDeps } from '../extension/fetch-deps';
import { readSyncStatus } from '../extension/score-file-sync';
import { RateLimiters } from '~/lib/sources/fetch-policy';
import type { TierConfig } from '~/lib/tiers/config';
import { teamClient } from '~/lib/team/client';
import type { TeamConnection } from '~/lib/team/connection';
import { teamLookupSource, TeamValues, teamWording } from '~/lib/team/values';
import { loadSources, onSourcesChanged } from '../settings/sources';
import { loadTeamConnection, onTeamConnectionChanged } from '../settings/team-connection';

/** The team's part of the context: its source, and its batch asker (one per connection). */
interface Team {
  source: LookupServiceSource;
  values: TeamValues;
}

/** `tiers`: the tier configuration in use (cached by the caller), for the colours of remote tiers. */
export function remoteContextProvider(db: CentricDb, tiers: () => Promise<TierConfig>): () => Promise<RemoteContext | undefined> {
  let config: Promise<SourcesConfig> | null = null;
  let team: Promise<Team | null> | null = null;
  onSourcesChanged(() => (config = null));
  onTeamConnectionChanged(() => (team = null));
  const limiters = new RateLimiters(Date.now);

  const readCache = async (key: string) => (await db.lookupCache.get(key))?.value as CacheEntry | undefined;
  const record = (entry: CacheEntry) => ({ key: entry.key, value: entry, fetchedAt: new Date(entry.fetchedAt).toISOString(), expiresAt: new Date(entry.staleUntil).toISOString() });
  const later = (work: () => Promise<void>) => void work().catch((error: unknown) => console.warn('[Centric] A background refresh failed:', error));
  const deps = {
    now: Date.now,
    // The team service allows extension origins itself (CORS): no host permission is asked of it.
    fetchDeps: (source: LookupServiceSource) => liveFetchDeps({ limiter: limiters.get(source), ...(isTeamSourceId(source.id) ? {} : { hasPermission: hasOriginPermission }) }),
    readCache,
    writeCache: async (entry: CacheEntry) => void (await db.lookupCache.put(record(entry))),
    later,
  };
  const teamOf = (connection: TeamConnection): Team => {
    const source = teamLookupSource(connection);
    const values = new TeamValues({
      source,
      client: teamClient(connection, { timeoutMs: source.timeoutMs }),
      readCache: async (keys) => (await db.lookupCache.bulkGet([...keys])).map((r) => r?.value as CacheEntry | undefined),
      writeCache: async (entries) => void (await db.lookupCache.bulkPut(entries.map(record))),
      now: Date.now,
      limiter: limiters.get(source),
      later,
    });
    return { source, values };
  };

  return async () => {
    config ??= loadSources().then(({ config: c, problems }) => {
      for (const p of problems) console.warn('[Centric]', p);
      return c;
    });
    team ??= loadTeamConnection().then(
      (connection) => (connection ? teamOf(connection) : null),
      (error: unknown) => {
        console.warn('[Centric] The team connection could not be read:', error);
        return null;
      },
    );
    const [current, connected] = await Promise.all([config, team]);
    if (!connected && !current.sources.some((s) => s.enabled)) return undefined;
    const files = current.sources.filter((s): s is ScoreFileSource => s.kind === 'score-file' && s.enabled);
    const teamConfig: SourcesConfig | undefined = connected ? { ...current, sources: [connected.source], precedence: [connected.source.id] } : undefined;
    return {
      precedence: connected ? [connected.source.id, ...effectivePrecedence(current)] : effectivePrecedence(current),
      names: new Map([...current.sources.map((s) => [s.id, s.name] as const), ...(connected ? [[connected.source.id, connected.source.name] as const] : [])]),
      tiers: await tiers(),
      ask: async (identity, teamIdentity) => {
        const [answers, fromTeam, fromFiles] = await Promise.all([
          askLookupServices(current, identity, deps),
          teamConfig && teamIdentity ? askLookupServices(teamConfig, teamIdentity, deps) : noAnswers(),
          fileCandidates(db, files, identity),
        ]);
        const teamProblems = fromTeam.problems.map((p) => ({ ...p, message: teamWording(p.message) }));
        return { candidates: [...fromTeam.candidates, ...answers.candidates, ...fromFiles], problems: [...teamProblems, ...answers.problems] };
      },
      ...(connected ? { teamValues: (identities: readonly (LookupIdentity | undefined)[]) => connected.values.values(identities) } : {}),
    };
  };
}

const noAnswers = async (): Promise<RemoteAnswers> => ({ candidates: [], problems: [] });

/** The score files' values for an identity, as of their last successful download. */
async function fileCandidates(db: CentricDb, files: readonly ScoreFileSource[], identity: LookupIdentity): Promise<ScoreCandidate<RemoteScore>[]> {
  if (files.length === 0) return [];
  const status = await readSyncStatus();
  const found = await Promise.all(files.map((f) => findFileScore(db, f.id, identity)));
  return files.flatMap((f, i) => {
    const entry = found[i];
    return entry ? [{ sourceId: f.id, score: entry, asOf: status[f.id]?.fetchedAt ?? status[f.id]?.at ?? Date.now(), stale: false }] : [];
  });
}
