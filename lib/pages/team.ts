/**
 * The options page's side of the team service (issue 19): test a connection, and change a team
 * document (managers and administrators) with the ETag it was read with, in words when refused: a
 * 412 says who changed it and when; the service's validation problems come back as a list. After a
 * change the background is asked to fetch the documents at once (the change stream would within a
 * second anyway).
 */
import { browser } from 'wxt/browser';
import { askTeamSync } from '../extension/team-port';
import { formatDate } from '../format/display';
import { loadTeamConnection } from '../settings/team-connection';
import { checkConnection, conflictText, teamErrorText, type ConnectionCheck } from '../team/check';
import { teamClient, TeamError } from '../team/client';
import type { TeamConnection } from '../team/connection';
import type { AuditEntry, ConfigDocument, ConfigKind } from '../team/protocol';

/** "12 Mar 2026, 10:42" for a time the service gave. */
export const teamTime = (iso: string): string => {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : `${formatDate(iso)}, ${new Date(time).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`;
};

/** This extension's origin, as the service's CORS list names it. */
export const extensionOrigin = (): string => new URL(browser.runtime.getURL('/')).origin;

export function testTeamConnection(connection: TeamConnection): Promise<ConnectionCheck> {
  return checkConnection(connection, (input, init) => fetch(input, init), extensionOrigin());
}

export class TeamSaveError extends Error {
  constructor(
    message: string,
    readonly code: string,
    /** The service's validation problems (each "path: message"), when it refused the value. */
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = 'TeamSaveError';
  }
}

async function connected(): Promise<TeamConnection> {
  const connection = await loadTeamConnection();
  if (!connection) throw new TeamSaveError('Centric is not connected to a team service any more: see Options → Team.', 'not-connected');
  return connection;
}

/** Saves the team's `kind` as `value`, based on the version read (`etag`); the saved document, or a TeamSaveError in words. */
export async function saveTeamDocument(kind: ConfigKind, value: unknown, etag: string | null): Promise<ConfigDocument & { etag: string | null }> {
  const connection = await connected();
  const client = teamClient(connection);
  try {
    const saved = await client.putConfig(kind, value, etag ?? undefined);
    askTeamSync();
    return { ...saved.document, etag: saved.etag };
  } catch (error) {
    if (error instanceof TeamError && error.code === 'version-conflict') {
      const current = await client.config(kind).catch(() => null);
      askTeamSync();
      throw new TeamSaveError(conflictText(kind, current?.document ?? { updatedAt: null, updatedBy: null }, teamTime), 'version-conflict');
    }
    if (error instanceof TeamError && error.code === 'invalid-value') {
      const problems = Array.isArray(error.details?.problems) ? (error.details.problems as unknown[]).filter((p): p is string => typeof p === 'string') : [];
      throw new TeamSaveError(error.message, error.code, problems);
    }
    throw new TeamSaveError(`Not saved: ${teamErrorText(error, connection.url)}`, error instanceof TeamError ? error.code : 'error');
  }
}

/** The team's recent changes and refused attempts (managers and administrators). */
export async function readTeamAudit(limit = 50): Promise<AuditEntry[]> {
  const connection = await connected();
  try {
    return await teamClient(connection).audit(limit);
  } catch (error) {
    throw new TeamSaveError(teamErrorText(error, connection.url), error instanceof TeamError ? error.code : 'error');
  }
}
