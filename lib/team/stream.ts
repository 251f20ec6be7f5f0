/**
 * Server-sent events read over fetch (the team service's GET /v1/changes; issue 19). EventSource
 * cannot send the Authorization header, so the background fetches the stream and reads its body:
 * `sseParser` turns the text, in whatever chunks it arrives, into events (the WHATWG "event stream
 * interpretation": fields `event`, `data`, `id`, `retry`; lines ending in \n, \r\n or \r; comments
 * start with `:`; several `data` lines join with \n; an event ends at a blank line), and
 * `followStream` keeps one open, reconnecting with a growing, jittered delay. Pure but for timers.
 */

export interface StreamEvent {
  /** `message` when the event named none. */
  event: string;
  data: string;
  id?: string;
}

export interface SseParser {
  /** More text from the stream (any size: half a line, several events). */
  push(text: string): void;
  /** The stream ended: an event not closed by a blank line is dropped, as the standard says. */
  end(): void;
}

/** Calls `onEvent` for each complete event; `onRetry` when the server sets the reconnection delay. */
export function sseParser(onEvent: (event: StreamEvent) => void, onRetry?: (ms: number) => void): SseParser {
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  /** The last chunk ended in \r: a \n starting the next one belongs to the same line end. */
  let afterCr = false;

  const dispatch = () => {
    if (data.length > 0) onEvent({ event: event || 'message', data: data.join('\n'), ...(id !== undefined ? { id } : {}) });
    data = [];
    event = '';
  };

  const line = (text: string) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return; // a comment (the service's keep-alive)
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) onRetry?.(Number(value));
    // Any other field is ignored.
  };

  return {
    push(text) {
      if (afterCr && text.startsWith('\n')) text = text.slice(1);
      afterCr = false;
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer[i];
        if (c !== '\n' && c !== '\r') continue;
        line(buffer.slice(start, i));
        if (c === '\r') {
          if (i + 1 === buffer.length) afterCr = true;
          else if (buffer[i + 1] === '\n') i++;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
    end() {
      buffer = '';
      data = [];
      event = '';
      afterCr = false;
    },
  };
}

export type StreamState = 'open' | 'reconnecting' | 'off';

export interface FollowOptions {
  /** Opens the stream (a fetch with the token); throws when it cannot. */
  open(signal: AbortSignal): Promise<Response>;
  onEvent(event: StreamEvent): void;
  /** 'open' once the response arrived, 'reconnecting' while waiting to try again, 'off' when stopped or given up. */
  onState(state: StreamState, error?: unknown): void;
  /** Errors after which trying again is pointless (a revoked token): the stream goes 'off'. */
  isFatal?(error: unknown): boolean;
  /** First delay before reconnecting, ms (default 1 s); doubled each failure up to `maxDelayMs` (default 60 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** For tests: the wait and the jitter. */
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
  random?(): number;
}

/** The delay before reconnection attempt `attempt` (0-based): exponential, capped, with ±20 % jitter. */
export function reconnectDelay(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.8 + 0.4 * random()));
}

const abortableSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Keeps the stream open until `stop()`: reads it, and when it ends or fails, waits (1 s, 2 s, 4 s…
 * up to a minute; back to 1 s once a stream opened) and opens it again. The server's `retry:` sets
 * the first delay. Returns `stop`, which ends the stream and every wait at once.
 */
export function followStream(options: FollowOptions): { stop(): void; done: Promise<void> } {
  const controller = new AbortController();
  const { signal } = controller;
  const sleep = options.sleep ?? abortableSleep;
  let initial = options.initialDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 60_000;

  /** Reads one stream to its end; `opened` once its response arrived. */
  const readOnce = async (opened: () => void): Promise<void> => {
    const response = await options.open(signal);
    if (!response.body) throw new Error('The change stream has no body.');
    opened();
    options.onState('open');
    const parser = sseParser(options.onEvent, (ms) => (initial = ms));
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const cancel = () => void reader.cancel().catch(() => {});
    signal.addEventListener('abort', cancel);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.push(decoder.decode(value, { stream: true }));
      }
      parser.push(decoder.decode());
    } finally {
      signal.removeEventListener('abort', cancel);
      parser.end();
    }
  };

  const done = (async () => {
    let attempt = 0;
    while (!signal.aborted) {
      let opened = false;
      try {
        await readOnce(() => (opened = true));
        if (signal.aborted) break;
        options.onState('reconnecting');
      } catch (error) {
        if (signal.aborted) break;
        if (options.isFatal?.(error)) {
          options.onState('off', error);
          return;
        }
        options.onState('reconnecting', error);
      }
      if (opened) attempt = 0;
      await sleep(reconnectDelay(attempt++, initial, max, options.random), signal);
    }
    options.onState('off');
  })();

  return { stop: () => controller.abort(), done };
}
