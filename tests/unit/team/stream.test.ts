/**
 * The change stream's reader (lib/team/stream.ts): server-sent events however the text is cut,
 * multi-line data, comments, the three line ends, and reconnection with a growing delay that goes
 * back to the first once a stream opened; stopped at once; a revoked token ends it.
 */
import { describe, expect, it } from 'vitest';
import { followStream, reconnectDelay, sseParser, type StreamEvent, type StreamState } from '~/lib/team/stream';

function parse(chunks: string[]): { events: StreamEvent[]; retries: number[] } {
  const events: StreamEvent[] = [];
  const retries: number[] = [];
  const parser = sseParser((e) => events.push(e), (ms) => retries.push(ms));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { events, retries };
}

const TEXT = 'event: hello\ndata: {"tiers":0,"rules":1}\n\n: keep-alive\n\nevent: change\ndata: {"kind":"rules","version":2}\n\n';
const EXPECTED = [
  { event: 'hello', data: '{"tiers":0,"rules":1}' },
  { event: 'change', data: '{"kind":"rules","version":2}' },
];

describe('sseParser', () => {
  it('reads events whole, and the same cut at every place (even one character at a time)', () => {
    expect(parse([TEXT]).events).toEqual(EXPECTED);
    for (let cut = 1; cut < TEXT.length; cut++) expect(parse([TEXT.slice(0, cut), TEXT.slice(cut)]).events).toEqual(EXPECTED);
    expect(parse([...TEXT]).events).toEqual(EXPECTED);
  });

  it('joins several data lines with a line break, and names an unnamed event "message"', () => {
    expect(parse(['data: first\ndata: second\ndata:third\n\n']).events).toEqual([{ event: 'message', data: 'first\nsecond\nthird' }]);
  });

  it('skips comments and unknown fields; an empty data line counts', () => {
    expect(parse([':hi\nfoo: bar\ndata\ndata: x\n\n']).events).toEqual([{ event: 'message', data: '\nx' }]);
  });

  it('reads \\r\\n and \\r line ends, even with the \\r and the \\n in two chunks', () => {
    const crlf = TEXT.replaceAll('\n', '\r\n');
    expect(parse([crlf]).events).toEqual(EXPECTED);
    for (let cut = 1; cut < crlf.length; cut++) expect(parse([crlf.slice(0, cut), crlf.slice(cut)]).events).toEqual(EXPECTED);
    expect(parse([TEXT.replaceAll('\n', '\r')]).events).toEqual(EXPECTED);
  });

  it('keeps the last id, reads retry, and drops an event the stream ended in the middle of', () => {
    const { events, retries } = parse(['id: 7\nretry: 2500\nevent: change\ndata: a\n\nevent: change\ndata: cut off']);
    expect(events).toEqual([{ event: 'change', data: 'a', id: '7' }]);
    expect(retries).toEqual([2500]);
  });

  it('a blank line with no data dispatches nothing', () => {
    expect(parse(['event: change\n\n\n\n']).events).toEqual([]);
  });
});

describe('reconnectDelay', () => {
  it('doubles from the first delay up to the cap, within ±20 %', () => {
    expect([0, 1, 2, 3, 10].map((a) => reconnectDelay(a, 1000, 60_000, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 60_000]);
    expect(reconnectDelay(0, 1000, 60_000, () => 0)).toBe(800);
    expect(reconnectDelay(0, 1000, 60_000, () => 1)).toBe(1200);
  });
});

/** A response whose body gives these chunks and then ends (or stays open when `hold`). */
function streamResponse(chunks: string[], hold?: AbortSignal): Response {
  const encoder = new TextEncoder();
  return new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
        if (!hold) controller.close();
        else hold.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
      },
    }),
    { headers: { 'Content-Type': 'text/event-stream' } },
  );
}

describe('followStream', () => {
  it('reconnects after failures with growing delays, back to the first once a stream opened', async () => {
    const delays: number[] = [];
    const states: StreamState[] = [];
    const events: StreamEvent[] = [];
    const script: (() => Response)[] = [
      () => {
        throw new TypeError('Failed to fetch');
      },
      () => {
        throw new TypeError('Failed to fetch');
      },
      () => streamResponse(['event: hello\ndata: 1\n\n']), // opens, then the server ends it
      () => {
        throw new TypeError('Failed to fetch');
      },
    ];
    let calls = 0;
    let follow: ReturnType<typeof followStream>;
    follow = followStream({
      open: async (signal) => {
        const step = script[calls++];
        if (!step) return streamResponse(['event: hello\ndata: last\n\n'], signal);
        return step();
      },
      onEvent: (e) => {
        events.push(e);
        if (e.data === 'last') follow.stop();
      },
      onState: (s) => states.push(s),
      sleep: async (ms) => void delays.push(ms),
      random: () => 0.5,
    });
    await follow.done;
    expect(delays).toEqual([1000, 2000, 1000, 2000]);
    expect(events.map((e) => e.data)).toEqual(['1', 'last']);
    expect(states).toEqual(['reconnecting', 'reconnecting', 'open', 'reconnecting', 'reconnecting', 'open', 'off']);
  });

  it('gives up on a fatal error (a revoked token) and says why', async () => {
    const states: [StreamState, unknown][] = [];
    const refused = Object.assign(new Error('revoked'), { status: 401 });
    const follow = followStream({
      open: async () => {
        throw refused;
      },
      onEvent: () => {},
      onState: (s, e) => states.push([s, e]),
      isFatal: (e) => (e as { status?: number }).status === 401,
      sleep: async () => {},
    });
    await follow.done;
    expect(states).toEqual([['off', refused]]);
  });

  it('stop() ends an open stream and a wait at once', async () => {
    const states: StreamState[] = [];
    const follow = followStream({ open: async (signal) => streamResponse([': hi\n\n'], signal), onEvent: () => {}, onState: (s) => states.push(s) });
    while (!states.includes('open')) await new Promise((r) => setTimeout(r, 1));
    follow.stop();
    await follow.done;
    expect(states).toEqual(['open', 'off']);
  });
});
