/**
 * The runtime port through which an extension page or an open sidebar tells the background it needs
 * the team's changes live (lib/background/team-sync.ts holds the change stream while one is open).
 * Its messages: `ping` (every PING_MS: a port's message keeps an MV3 service worker alive) and `sync`
 * (fetch the documents now, e.g. after a change made from Options). Pure: names and shapes only.
 */
export const TEAM_PORT = 'centric-team';

/** How often a holder pings: under the service worker's 30 s idle limit. */
export const TEAM_PORT_PING_MS = 20_000;

export type TeamPortMessage = { type: 'ping' } | { type: 'sync' };
