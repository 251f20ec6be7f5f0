/**
 * Holding the team port (lib/team/port.ts) from an extension page or a content script: connects to
 * the background, pings it while held, and connects again when the port drops (the service worker
 * restarted). The sidebar holds it only while a team connection exists (TEAM_STATE is set).
 */
import { browser, type Browser } from 'wxt/browser';
import { TEAM_STATE } from '~/lib/settings/items';
import { readSetting, watchSetting } from '~/lib/settings/storage';
import { TEAM_PORT, TEAM_PORT_PING_MS, type TeamPortMessage } from '~/lib/team/port';

export interface TeamPortHold {
  /** Asks the background to fetch the team's documents now. */
  sync(): void;
  release(): void;
}

export function holdTeamPort(): TeamPortHold {
  let port: Browser.runtime.Port | null = null;
  let released = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const send = (message: TeamPortMessage) => {
    try {
      port?.postMessage(message);
    } catch {
      // The port just dropped: onDisconnect connects again.
    }
  };
  const connect = () => {
    if (released) return;
    try {
      port = browser.runtime.connect({ name: TEAM_PORT });
    } catch {
      port = null; // the extension was reloaded under this page: nothing to hold any more
      return;
    }
    port.onDisconnect.addListener(() => {
      port = null;
      if (!released) retry = setTimeout(connect, 1000);
    });
  };
  connect();
  const ping = setInterval(() => send({ type: 'ping' }), TEAM_PORT_PING_MS);
  return {
    sync: () => send({ type: 'sync' }),
    release() {
      released = true;
      clearInterval(ping);
      clearTimeout(retry);
      port?.disconnect();
      port = null;
    },
  };
}

/** Holds the team port while a team connection exists; returns the unsubscribe (a content script's onInvalidated). */
export function holdTeamPortWhileConnected(): () => void {
  let hold: TeamPortHold | null = null;
  const follow = (state: unknown) => {
    if (state !== undefined && !hold) hold = holdTeamPort();
    else if (state === undefined && hold) {
      hold.release();
      hold = null;
    }
  };
  let stopped = false;
  void readSetting(TEAM_STATE).then((state) => {
    if (!stopped) follow(state);
  });
  const unwatch = watchSetting(TEAM_STATE, (next) => follow(next));
  return () => {
    stopped = true;
    unwatch();
    hold?.release();
    hold = null;
  };
}

/** Asks the background to fetch the team's documents now (after a change made from Options). */
export function askTeamSync(): void {
  try {
    const port = browser.runtime.connect({ name: TEAM_PORT });
    port.postMessage({ type: 'sync' } satisfies TeamPortMessage);
    setTimeout(() => port.disconnect(), 1000);
  } catch {
    // The background is being replaced: its start-up sync fetches them anyway.
  }
}
