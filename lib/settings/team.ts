/**
 * The team connection in force (lib/team/connection.ts teamConnection) from what storage holds: the
 * token and address set in Options → Team, and the managed policy's teamUrl/teamToken. For the
 * background (lib/background/team-sync.ts) and extension pages (Options); never a content script.
 */
import { parseManagedPolicy } from '../rules/policy';
import { teamConnection, type TeamConnection } from '../team/connection';
import { TEAM } from './items';
import { readPolicy, readSetting } from './storage';

export async function readTeamConnection(): Promise<TeamConnection | null> {
  const [setting, managed] = await Promise.all([readSetting(TEAM), readPolicy()]);
  return teamConnection(setting, parseManagedPolicy(managed).policy);
}
