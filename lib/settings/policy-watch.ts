/**
 * Following the configuration in force (lib/team/in-force.ts) without reading it: the managed policy
 * changed, or the team's documents did (a new version, a connection made or ended, another role).
 * Light enough for the content scripts (no zod): the sidebar asks again through it. The stream's state
 * and the "as of" time change TEAM_STATE too, and are not changes of what is in force.
 */
import { parseTeamState } from '../team/state';
import { TEAM_STATE } from './items';
import { watchPolicy, watchSetting } from './storage';

/** What in TEAM_STATE changes the configuration in force (and who may change it). */
export function teamInForceKey(raw: unknown): string {
  const state = parseTeamState(raw);
  if (!state) return '';
  const docs = Object.values(state.documents).map((d) => `${d.kind}:${d.version}:${d.etag ?? ''}`);
  return JSON.stringify([state.connection.url, state.me?.role ?? null, docs]);
}

/** Calls `listener` when the managed policy or the team's documents change; returns the unsubscribe. */
export function watchPolicyInForce(listener: () => void): () => void {
  const stops = [
    watchPolicy(listener),
    watchSetting(TEAM_STATE, (next, previous) => {
      if (teamInForceKey(next) !== teamInForceKey(previous)) listener();
    }),
  ];
  return () => stops.forEach((stop) => stop());
}
