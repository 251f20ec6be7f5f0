/**
 * The team's sources as the tests configure them (storage.local `sources`, lib/sources/config.ts):
 * "Team API", a lookup service asked with an API key, and "Team file", a shared score file. One copy
 * for the unit tests (backups) and the end-to-end tests (erasing, exporting, the score service, hostile
 * answers); each test gives its own addresses, key and time limits.
 */
import { LOCAL_SOURCE_ID, SOURCES_VERSION, type LookupServiceSource, type ScoreFileSource, type SourcesConfig } from '../../lib/sources/config';

/** Where the lookup service is, its API key (sent as X-Api-Key; none: no header), and any setting to change. */
export function teamApi(urlTemplate: string, apiKey: string | undefined, settings: Partial<LookupServiceSource> = {}): LookupServiceSource {
  return {
    id: 'team-api',
    kind: 'lookup-service',
    name: 'Team API',
    enabled: true,
    urlTemplate,
    headers: apiKey === undefined ? [] : [{ name: 'X-Api-Key', value: apiKey }],
    format: { kind: 'centric' },
    // The defaults of LookupServiceSourceSchema.
    timeoutMs: 3000,
    retries: 2,
    ratePerMinute: 60,
    ttlSeconds: 3600,
    staleSeconds: 86_400,
    ...settings,
  };
}

/** A CSV score file at `url`, synced hourly. */
export function teamFile(url: string): ScoreFileSource {
  return { id: 'team-file', kind: 'score-file', name: 'Team file', enabled: true, url, format: 'csv', syncMinutes: 60, headers: [] };
}

/** The sources configuration: the lookup service first, then the scores in this browser, then the file (if any). */
export function teamSources(api: LookupServiceSource, file?: ScoreFileSource): SourcesConfig {
  return {
    version: SOURCES_VERSION,
    sources: file ? [api, file] : [api],
    precedence: file ? [api.id, LOCAL_SOURCE_ID, file.id] : [api.id, LOCAL_SOURCE_ID],
  };
}
