/**
 * The background's side of the sidebars' kept answers (lib/sidebar/lookup-cache.ts, issue 17): the
 * tabs and frames whose sidebar asked for a lookup are remembered, and when what a lookup answers
 * may have changed (the store, the treatment rules, the team's sources, an erase), each is told
 * `{ type: 'store-changed' }` and forgets its answers. The first change is said at once; changes that
 * follow within `intervalMs` (an import writes many times) are said once more at the end.
 * A frame that cannot be reached (its page went away) is forgotten. Pure apart from the `send` it
 * is given, so it is tested without a browser.
 */
export const STORE_CHANGED = { type: 'store-changed' } as const;

export type SendToFrame = (tabId: number, frameId: number) => Promise<unknown>;

export class PageCaches {
  private readonly frames = new Map<number, Set<number>>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private again = false;

  constructor(
    private readonly send: SendToFrame,
    private readonly intervalMs = 250,
  ) {}

  /** A tab's frame asked for a lookup: its sidebar may keep answers. */
  asked(tabId: number | undefined, frameId: number | undefined): void {
    if (tabId === undefined || tabId < 0) return;
    const frames = this.frames.get(tabId) ?? new Set<number>();
    frames.add(frameId ?? 0);
    this.frames.set(tabId, frames);
  }

  /** The tab was closed. */
  closed(tabId: number): void {
    this.frames.delete(tabId);
  }

  /** What a lookup answers may have changed: tell every sidebar that asked (at once, then at most once per interval). */
  changed(): void {
    if (this.timer !== undefined) {
      this.again = true;
      return;
    }
    this.tell();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.again) {
        this.again = false;
        this.changed();
      }
    }, this.intervalMs);
  }

  /** How many frames are remembered (for tests). */
  get size(): number {
    let n = 0;
    for (const frames of this.frames.values()) n += frames.size;
    return n;
  }

  /**
   * Tells every sidebar now, past the interval, and resolves once each was told (or could not be
   * reached): for a write made for a message (a link), whose answer waits, so that by the time the
   * asking tab shows the new answer, no other tab can paint the old one from its kept answers.
   */
  async flush(): Promise<void> {
    await Promise.all(this.tell());
  }

  private tell(): Promise<void>[] {
    const told: Promise<void>[] = [];
    for (const [tabId, frames] of this.frames) {
      for (const frameId of frames) {
        told.push(
          this.send(tabId, frameId).then(
            () => {},
            () => {
              frames.delete(frameId);
              if (frames.size === 0 && this.frames.get(tabId) === frames) this.frames.delete(tabId);
            },
          ),
        );
      }
    }
    return told;
  }
}
