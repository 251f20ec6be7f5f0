/**
 * The dashboard's "Team base" (issue 19): when a team connection exists, the team's current run summed
 * up by the service (GET /v1/scores/summary), kept in TEAM_BASE so the dashboard shows it at once and,
 * when the service cannot be reached, "as of" when it was read. The token stays in this extension page.
 */
import { TEAM_BASE } from '~/lib/settings/items';
import { readSetting, writeSetting } from '~/lib/settings/storage';
import { loadTeamConnection } from '~/lib/settings/team-connection';
import { teamClient, type Fetch } from '~/lib/team/client';
import type { TeamConnection } from '~/lib/team/connection';
import type { TeamBase } from '~/lib/team/values-summary';

/** The connection in force and the base kept for its service (undefined when none was read yet). */
export async function keptTeamBase(): Promise<{ connection: TeamConnection | null; kept: TeamBase | undefined }> {
  const [connection, kept] = await Promise.all([loadTeamConnection(), readSetting(TEAM_BASE)]);
  return { connection, kept: connection && kept?.url === connection.url ? kept : undefined };
}

/** Reads the base from the service and keeps it; on failure, what went wrong in words (the kept one stays). */
export async function refreshTeamBase(connection: TeamConnection, options: { fetch?: Fetch; now?: () => number } = {}): Promise<{ ok: true; base: TeamBase } | { ok: false; message: string }> {
  try {
    const summary = await teamClient(connection, options.fetch ? { fetch: options.fetch } : {}).scoresSummary();
    const base: TeamBase = { url: connection.url, fetchedAt: (options.now ?? Date.now)(), summary };
    await writeSetting(TEAM_BASE, base);
    return { ok: true, base };
  } catch (error) {
    return { ok: false, message: (error as Error)?.message ?? String(error) };
  }
}
