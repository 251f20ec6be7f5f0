/**
 * The background's side of remote sources: the configuration from storage (re-read after a change),
 * the network (fetch with the source's rate limiter and the origin's permission), and the answers'
 * cache in the `lookupCache` table. Secrets stay here: the sidebar only ever gets scores and messages.
 */
import type { CentricDb } from '~/lib/db/db';
import type { RemoteContext } from '~/lib/lookup/lookup';
import { askLookupServices } from '~/lib/lookup/remote';
import type { CacheEntry } from '~/lib/sources/cache';
import { effectivePrecedence, type ScoreFileSource, type SourcesConfig } from '~/lib/sources/config';
import { findFileScore } from '~/lib/db/file-scores';
import type { ScoreCandidate } from '~/lib/sources/precedence';
import type { RemoteScore } from '~/lib/sources/response';
import type { LookupIdentity } from '~/lib/sources/url';
import { hasOriginPermission, liveFetchDeps } from '../extension/fetch-deps';
import { readSyncStatus } from '../extension/score-file-sync';
import { RateLimiters } from '~/lib/sources/fetch-policy';
import type { TierConfig } from '~/lib/tiers/config';
import { loadSources, onSourcesChanged } from '../settings/sources';

/** `tiers`: the tier configuration in use (cached by the caller), for the colours of remote tiers. */
export function remoteContextProvider(db: CentricDb, tiers: () => Promise<TierConfig>): () => Promise<RemoteContext | undefined> {
  let config: Promise<SourcesConfig> | null = null;
  onSourcesChanged(() => (config = null));
  const limiters = new RateLimiters(Date.now);

  return async () => {
    config ??= loadSources().then(({ config: c, problems }) => {
      for (const p of problems) console.warn('[Centric]', p);
      return c;
    });
    const current = await config;
    if (!current.sources.some((s) => s.enabled)) return undefined;
    const files = current.sources.filter((s): s is ScoreFileSource => s.kind === 'score-file' && s.enabled);
    return {
      precedence: effectivePrecedence(current),
      names: new Map(current.sources.map((s) => [s.id, s.name])),
      tiers: await tiers(),
      ask: async (identity) => {
        const [answers, fromFiles] = await Promise.all([askLookupServices(current, identity, {
          now: Date.now,
          fetchDeps: (source) => liveFetchDeps({ limiter: limiters.get(source), hasPermission: hasOriginPermission }),
          readCache: async (key) => (await db.lookupCache.get(key))?.value as CacheEntry | undefined,
          writeCache: async (entry) => {
            await db.lookupCache.put({
              key: entry.key,
              value: entry,
              fetchedAt: new Date(entry.fetchedAt).toISOString(),
              expiresAt: new Date(entry.staleUntil).toISOString(),
            });
          },
          later: (work) => void work().catch((error: unknown) => console.warn('[Centric] A background refresh failed:', error)),
        }), fileCandidates(db, files, identity)]);
        return { candidates: [...answers.candidates, ...fromFiles], problems: answers.problems };
      },
    };
  };
}

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
