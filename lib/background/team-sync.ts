/**
 * The team service in the background (issue 19; docs/team.md "The extension"): when a connection
 * exists (Options → Team, or the managed policy's teamUrl/teamToken), asks the service who the token
 * is and for the team's tiers, rules and site definitions (each with its ETag: a 304 keeps the copy),
 * and writes what it learned to TEAM_STATE, which the configuration in force reads
 * (lib/team/in-force.ts). It follows the change stream (GET /v1/changes) and fetches again within a
 * second of a change, but only while someone needs it: an extension page or a sidebar holding a
 * runtime port named TEAM_PORT (an MV3 service worker stops when idle; a port's messages keep it
 * alive, docs/team.md). Without one, the versions are checked at start-up and every minute by an
 * alarm (conditional GETs, cheap). One sync at a time; a change during a sync runs one more after it.
 */
import { browser, type Browser } from 'wxt/browser';
import { TEAM, TEAM_STATE } from '~/lib/settings/items';
import { readSetting, watchPolicy, watchSetting, writeSetting } from '~/lib/settings/storage';
import { loadTeamConnection } from '~/lib/settings/team-connection';
import { teamClient, TeamError, type Fetch } from '~/lib/team/client';
import { teamErrorText } from '~/lib/team/check';
import type { TeamConnection } from '~/lib/team/connection';
import { CONFIG_KINDS, isConfigKind, type Versions } from '~/lib/team/protocol';
import { parseTeamState, type TeamState } from '~/lib/team/state';
import { followStream, type FollowOptions, type StreamState } from '~/lib/team/stream';
import { TEAM_PORT, type TeamPortMessage } from '~/lib/team/port';

/** The alarm that checks the team's versions every minute while connected (the stream's fallback). */
export const TEAM_ALARM = 'centric-team';

export interface TeamSyncDeps {
  /** The connection in force (null: none). */
  connection(): Promise<TeamConnection | null>;
  readState(): Promise<unknown>;
  /** Stores TEAM_STATE (undefined removes it). */
  writeState(state: TeamState | undefined): Promise<void>;
  fetch?: Fetch;
  now?: () => number;
  /** The stream's reconnection timing (tests shorten it). */
  stream?: Pick<FollowOptions, 'initialDelayMs' | 'maxDelayMs' | 'sleep' | 'random'>;
  /** How long the stream stays open after the last holder let go (a page reload holds again at once). */
  lingerMs?: number;
  warn?: (...words: unknown[]) => void;
}

export interface TeamSync {
  /** Fetches the documents now (one at a time; asked during one, it runs once more after). */
  sync(): Promise<TeamState | undefined>;
  /** Someone needs live changes: the stream opens; the returned function lets go. */
  hold(): () => void;
  /** The connection may have changed: drops the stream, syncs, and opens it again if held. */
  reconnect(): Promise<void>;
  /** Stops everything (tests). */
  stop(): Promise<void>;
}

const fatal = (error: unknown) => error instanceof TeamError && (error.status === 401 || error.status === 403);

export function createTeamSync(deps: TeamSyncDeps): TeamSync {
  const now = deps.now ?? Date.now;
  const warn = deps.warn ?? ((...words: unknown[]) => console.warn('[Centric]', ...words));
  let holders = 0;
  let stream: { stop(): void; done: Promise<void>; url: string } | null = null;
  let linger: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  // Every change of TEAM_STATE goes through this queue: read, change, write when different.
  let writes: Promise<unknown> = Promise.resolve();
  const update = (change: (state: TeamState | undefined) => TeamState | undefined): Promise<TeamState | undefined> => {
    const run = writes.then(async () => {
      const raw = await deps.readState();
      const current = parseTeamState(raw);
      const next = change(current);
      if (JSON.stringify(next) !== JSON.stringify(current) || (next === undefined && raw !== undefined)) await deps.writeState(next);
      return next;
    });
    writes = run.catch(() => undefined);
    return run;
  };

  const fresh = (connection: TeamConnection, stream: StreamState): TeamState => ({ connection: { url: connection.url, from: connection.from }, me: null, documents: {}, syncedAt: null, stream });
  const sameConnection = (state: TeamState | undefined, connection: TeamConnection) => state?.connection.url === connection.url && state.connection.from === connection.from;

  const syncOnce = async (): Promise<TeamState | undefined> => {
    const connection = await deps.connection();
    if (!connection) {
      stopStream();
      return update(() => undefined);
    }
    const before = parseTeamState(await deps.readState());
    const known = sameConnection(before, connection) ? before : undefined;
    const client = teamClient(connection, deps.fetch ? { fetch: deps.fetch } : {});
    try {
      const me = await client.me();
      const documents = { ...(known?.documents ?? {}) };
      for (const kind of CONFIG_KINDS) {
        const answer = await client.config(kind, documents[kind]?.etag ?? undefined);
        if (answer) documents[kind] = { ...answer.document, etag: answer.etag };
      }
      const syncedAt = new Date(now()).toISOString();
      return await update((state) => {
        const base = sameConnection(state, connection) ? state! : fresh(connection, streamState());
        // A document the stream's sync or the options page stored meanwhile may be newer: keep the newer.
        const merged = { ...base.documents };
        for (const kind of CONFIG_KINDS) {
          const ours = documents[kind];
          if (ours && (merged[kind]?.version ?? -1) <= ours.version) merged[kind] = ours;
        }
        const { error: _error, ...rest } = base;
        return { ...rest, me, documents: merged, syncedAt };
      });
    } catch (error) {
      const message = teamErrorText(error, connection.url);
      return update((state) => {
        const base = sameConnection(state, connection) ? state! : fresh(connection, streamState());
        // A token the service refuses is no longer anyone's: who it was is forgotten, the documents stay.
        return { ...base, ...(fatal(error) ? { me: null } : {}), error: message };
      });
    }
  };

  let running: Promise<TeamState | undefined> | null = null;
  let again = false;
  const sync = (): Promise<TeamState | undefined> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        let result: TeamState | undefined;
        do {
          again = false;
          result = await syncOnce();
        } while (again && !stopped);
        return result;
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const streamState = (): StreamState => (stream ? currentStreamState : 'off');
  let currentStreamState: StreamState = 'off';
  const setStream = (state: StreamState, error?: string) => {
    currentStreamState = state;
    void update((s) => (s ? { ...s, stream: state, ...(error ? { error } : {}) } : s)).catch((e: unknown) => warn('Storing the team state failed:', e));
  };

  /** A hello or change event: fetch again when a version differs from the stored one. */
  const onVersions = async (versions: Partial<Versions>) => {
    const state = parseTeamState(await deps.readState());
    const stale = CONFIG_KINDS.some((kind) => versions[kind] !== undefined && versions[kind] !== (state?.documents[kind]?.version ?? -1));
    if (stale) await sync();
  };

  const startStream = async () => {
    if (stream || holders === 0 || stopped) return;
    const connection = await deps.connection();
    if (!connection || stream || holders === 0) return;
    const client = teamClient(connection, deps.fetch ? { fetch: deps.fetch } : {});
    const follow = followStream({
      ...deps.stream,
      open: (signal) => client.changes(signal),
      isFatal: fatal,
      onState: (state, error) => {
        if (stream?.stop !== follow.stop && state !== 'off') return; // an older stream's last words
        setStream(state, error && fatal(error) ? teamErrorText(error, connection.url) : undefined);
      },
      onEvent: (event) => {
        let data: unknown;
        try {
          data = JSON.parse(event.data);
        } catch {
          return warn('The team service sent an event that is not JSON; ignored.');
        }
        if (event.event === 'hello' && typeof data === 'object' && data !== null) void onVersions(data as Partial<Versions>).catch((e: unknown) => warn('A team sync failed:', e));
        else if (event.event === 'change') {
          const { kind, version } = (data ?? {}) as { kind?: unknown; version?: unknown };
          if (typeof kind === 'string' && isConfigKind(kind) && typeof version === 'number') void onVersions({ [kind]: version }).catch((e: unknown) => warn('A team sync failed:', e));
        }
      },
    });
    stream = { ...follow, url: connection.url };
    void follow.done.then(() => {
      if (stream?.stop === follow.stop) stream = null;
    });
  };

  function stopStream() {
    if (!stream) return;
    const current = stream;
    stream = null;
    current.stop();
    setStream('off');
  }

  return {
    sync,
    hold() {
      holders++;
      clearTimeout(linger);
      void startStream().catch((e: unknown) => warn('The team change stream could not start:', e));
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holders--;
        if (holders > 0) return;
        clearTimeout(linger);
        linger = setTimeout(() => {
          if (holders === 0) stopStream();
        }, deps.lingerMs ?? 5000);
      };
    },
    async reconnect() {
      stopStream();
      await sync();
      await startStream();
    },
    async stop() {
      stopped = true;
      clearTimeout(linger);
      const current = stream;
      stopStream();
      await current?.done;
      await running;
      await writes;
    },
  };
}

/**
 * Wires the team sync into the background: a sync at start-up, the minute alarm while connected,
 * the ports of those who need live changes, and a new connection (Options → Team, the policy).
 */
export function startTeamSync(): TeamSync {
  const team = createTeamSync({
    connection: loadTeamConnection,
    readState: () => readSetting(TEAM_STATE),
    writeState: (state) => writeSetting(TEAM_STATE, state),
  });
  const schedule = async () => {
    const connected = (await loadTeamConnection()) !== null;
    const existing = await browser.alarms.get(TEAM_ALARM);
    if (connected && !existing) await browser.alarms.create(TEAM_ALARM, { periodInMinutes: 1, delayInMinutes: 1 });
    else if (!connected && existing) await browser.alarms.clear(TEAM_ALARM);
  };
  const problem = (error: unknown) => console.warn('[Centric] The team sync failed:', error);
  const changed = () => void team.reconnect().then(schedule).catch(problem);
  watchSetting(TEAM, changed);
  watchPolicy(changed);
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === TEAM_ALARM) void team.sync().catch(problem);
  });
  browser.runtime.onConnect.addListener((port: Browser.runtime.Port) => {
    if (port.name !== TEAM_PORT) return;
    const release = team.hold();
    port.onMessage.addListener((message: TeamPortMessage) => {
      if (message?.type === 'sync') void team.sync().catch(problem);
    });
    port.onDisconnect.addListener(release);
  });
  void team.sync().then(schedule).catch(problem);
  return team;
}
