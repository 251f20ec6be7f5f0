/**
 * The team connection in force (lib/team/connection.ts): Options → Team's setting (TEAM) and the
 * managed policy's teamUrl/teamToken, read together, for the background and extension pages (it holds
 * the token: never for a content script).
 */
import { parseManagedPolicy } from '~/lib/rules/policy';
import { teamConnection, type TeamConnection } from '~/lib/team/connection';
import { TEAM } from './items';
import { readPolicy, readSetting, watchPolicy, watchSetting } from './storage';

/** The connection now; null when none is set or it is unusable. */
export async function loadTeamConnection(): Promise<TeamConnection | null> {
  const [setting, managed] = await Promise.all([readSetting(TEAM), readPolicy()]);
  return teamConnection(setting, parseManagedPolicy(managed).policy);
}

/** Calls `listener` when Options → Team or the policy changes; returns the unsubscribe. */
export function onTeamConnectionChanged(listener: () => void): () => void {
  const stops = [watchSetting(TEAM, () => listener()), watchPolicy(listener)];
  return () => stops.forEach((stop) => stop());
}
