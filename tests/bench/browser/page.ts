/**
 * In-page helpers for the browser benchmarks: a responsiveness probe (long tasks, timer lateness,
 * frame gaps) and a timer from a click to an element appearing, both measured inside the page so
 * that Playwright's round trips are not counted.
 *
 * Functions passed to page.evaluate must not reference anything outside themselves. tsx (esbuild's
 * keepNames) wraps some functions in `__name(…)`; `allowEvaluate` defines that helper in every page.
 */
import type { BrowserContext, Page } from 'playwright-core';

/** Lets functions compiled by tsx run inside pages (see above). Call before opening pages. */
export async function allowEvaluate(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
}

export interface Responsiveness {
  /** Long tasks (over 50 ms) on the page's main thread: when they started (ms after the probe started) and how long they took. */
  longTasks: { at: number; ms: number }[];
  /** Largest lateness of a 20 ms setTimeout loop, in ms. */
  maxTimerDelay: number;
  /** Largest gap between animation frames, in ms (NaN when no frame was drawn). */
  maxFrameGap: number;
  frames: number;
  seconds: number;
}

/** Starts watching the page's main thread (PerformanceObserver 'longtask', a timer loop, rAF). */
export async function startProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const state = { longTasks: [] as { at: number; ms: number }[], maxTimerDelay: 0, maxFrameGap: Number.NaN, frames: 0, started: performance.now(), running: true, observer: null as PerformanceObserver | null };
    (window as unknown as { __benchProbe: typeof state }).__benchProbe = state;
    state.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) state.longTasks.push({ at: entry.startTime - state.started, ms: entry.duration });
    });
    state.observer.observe({ type: 'longtask' });
    const interval = 20;
    let expected = performance.now() + interval;
    const tick = () => {
      if (!state.running) return;
      const now = performance.now();
      state.maxTimerDelay = Math.max(state.maxTimerDelay, now - expected);
      expected = now + interval;
      setTimeout(tick, interval);
    };
    setTimeout(tick, interval);
    let last = Number.NaN;
    const frame = (time: number) => {
      if (!state.running) return;
      if (!Number.isNaN(last)) state.maxFrameGap = Number.isNaN(state.maxFrameGap) ? time - last : Math.max(state.maxFrameGap, time - last);
      last = time;
      state.frames++;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

/** Stops the probe and returns what it saw. */
export function stopProbe(page: Page): Promise<Responsiveness> {
  return page.evaluate(() => {
    const state = (window as unknown as { __benchProbe: Responsiveness & { started: number; running: boolean; observer: PerformanceObserver } }).__benchProbe;
    state.running = false;
    for (const entry of state.observer.takeRecords()) state.longTasks.push({ at: entry.startTime - state.started, ms: entry.duration });
    state.observer.disconnect();
    return { longTasks: state.longTasks, maxTimerDelay: state.maxTimerDelay, maxFrameGap: state.maxFrameGap, frames: state.frames, seconds: (performance.now() - state.started) / 1000 };
  });
}

export interface ClickTiming {
  /** From the click to the `done` element, in ms. */
  ms: number;
  /** Text of the element that ended the wait. */
  text: string;
  /** Which selector ended the wait (done, or one of the failure selectors). */
  ended: string;
  /** Milliseconds from the click to each `marks` text first appearing in the page. */
  marks: Record<string, number>;
}

/**
 * Clicks `click` inside the page and resolves when an element matching `done` (or one of `fail`)
 * appears that was not there before the click, with the time taken by the page's clock. `marks` are
 * texts whose first appearance (inside `marksIn`) is timed too, e.g. the stages of a progress line.
 */
export function clickAndTime(page: Page, selectors: { click: string; done: string; fail: string[]; marks?: string[]; marksIn?: string }): Promise<ClickTiming> {
  return page.evaluate(
    ({ click, done, fail, marks, marksIn }) =>
      new Promise<ClickTiming>((resolve, reject) => {
        const before = new Set(document.querySelectorAll(done));
        const button = document.querySelector<HTMLElement>(click);
        if (!button) return reject(new Error(`${click} is not in the page`));
        if ((button as HTMLButtonElement).disabled) return reject(new Error(`${click} is disabled`));
        const seen: Record<string, number> = {};
        let started = 0;
        const check = () => {
          const now = performance.now() - started;
          const progress = document.querySelector(marksIn)?.textContent ?? '';
          for (const mark of marks) if (seen[mark] === undefined && progress.includes(mark)) seen[mark] = now;
          for (const selector of [done, ...fail]) {
            const found = [...document.querySelectorAll<HTMLElement>(selector)].find((element) => !before.has(element));
            if (found) {
              observer.disconnect();
              resolve({ ms: now, text: found.textContent ?? '', ended: selector, marks: seen });
              return;
            }
          }
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
        started = performance.now();
        button.click();
      }),
    { ...selectors, marks: selectors.marks ?? [], marksIn: selectors.marksIn ?? 'body' },
  );
}
