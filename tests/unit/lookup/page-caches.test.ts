import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PageCaches } from '~/lib/lookup/page-caches';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function frames() {
  const sent: string[] = [];
  const gone = new Set<string>();
  const send = vi.fn(async (tabId: number, frameId: number) => {
    sent.push(`${tabId}/${frameId}`);
    if (gone.has(`${tabId}/${frameId}`)) throw new Error('Could not establish connection. Receiving end does not exist.');
  });
  return { send, sent, gone };
}

describe('telling the sidebars that kept answers may have changed', () => {
  it('tells every frame that asked for a lookup, once each', () => {
    const { send, sent } = frames();
    const caches = new PageCaches(send);
    caches.asked(4, 0);
    caches.asked(4, 0);
    caches.asked(4, 7);
    caches.asked(9, undefined);
    caches.asked(undefined, 0); // an extension page, not a tab
    caches.asked(-1, 0); // not a tab either
    caches.changed();
    expect(sent.sort()).toEqual(['4/0', '4/7', '9/0']);
  });

  it('says the first change at once, and the changes that follow within the interval once, at its end', () => {
    const { send, sent } = frames();
    const caches = new PageCaches(send, 250);
    caches.asked(1, 0);
    caches.changed();
    expect(sent).toEqual(['1/0']);
    for (let i = 0; i < 50; i++) caches.changed(); // an import writes many times
    expect(sent).toEqual(['1/0']);
    vi.advanceTimersByTime(250);
    expect(sent).toEqual(['1/0', '1/0']);
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(['1/0', '1/0']); // nothing more happened
    caches.changed();
    expect(sent).toEqual(['1/0', '1/0', '1/0']);
  });

  it('forgets frames that cannot be reached and closed tabs', async () => {
    const { send, sent, gone } = frames();
    const caches = new PageCaches(send, 10);
    caches.asked(1, 0);
    caches.asked(2, 0);
    caches.asked(3, 0);
    gone.add('2/0'); // its page went away
    caches.changed();
    await vi.runAllTimersAsync();
    expect(caches.size).toBe(2);
    caches.closed(3);
    expect(caches.size).toBe(1);
    sent.length = 0;
    caches.changed();
    expect(sent).toEqual(['1/0']);
  });

  it('flushes past the interval and resolves only once every frame was told (a link waits for it)', async () => {
    const received: string[] = [];
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const caches = new PageCaches(async (tabId, frameId) => {
      if (tabId === 2) await slow; // a busy tab takes its time
      received.push(`${tabId}/${frameId}`);
    }, 250);
    caches.asked(1, 0);
    caches.asked(2, 0);
    caches.changed(); // the link's own write, a moment before
    received.length = 0;
    let flushed = false;
    const flushing = caches.flush().then(() => (flushed = true));
    await Promise.resolve();
    expect(received).toEqual(['1/0']); // told at once, inside the interval
    expect(flushed).toBe(false); // not before the busy tab was told
    release();
    await flushing;
    expect(new Set(received)).toEqual(new Set(['1/0', '2/0'])); // (the earlier change reached tab 2 too, by then)
  });
});
