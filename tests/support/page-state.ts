/**
 * States to wait on where a test checks that something did NOT happen in a host page (no sidebar on a
 * site that is not enabled, no second sidebar): instead of sleeping and then counting, a test records
 * which extension scripts the page ran (DevTools protocol: every script parsed in the page's worlds,
 * content scripts included) and waits until the page is past document_idle, the point at which
 * Chromium injects every content script that matches the page, all in one task.
 */
import type { Page } from 'playwright-core';
import { POLL } from './chromium';

export interface ScriptRecorder {
  /** The chrome-extension:// scripts parsed in the page so far, as paths (e.g. "/content-scripts/demo.js"). */
  readonly scripts: string[];
  /** Waits until the page has run the script at this path (a content script, or one the background injected). */
  waitFor(path: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts recording, before the page (re)loads, which extension scripts it runs from then on. */
export async function recordExtensionScripts(page: Page): Promise<ScriptRecorder> {
  const session = await page.context().newCDPSession(page);
  const scripts: string[] = [];
  const waiting = new Map<string, (() => void)[]>();
  session.on('Debugger.scriptParsed', ({ url }) => {
    if (!url.startsWith('chrome-extension://')) return;
    const path = new URL(url).pathname;
    scripts.push(path);
    for (const done of waiting.get(path) ?? []) done();
    waiting.delete(path);
  });
  await session.send('Debugger.enable');
  // Enabling reports the scripts the page's current document already ran: only what comes next counts.
  scripts.length = 0;
  return {
    scripts,
    waitFor: (path) =>
      scripts.includes(path)
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`The page did not run ${path} (it ran: ${scripts.join(', ') || 'no extension script'})`)), POLL.timeout);
            waiting.set(path, [...(waiting.get(path) ?? []), () => (clearTimeout(timer), resolve())]);
          }),
    stop: () => session.detach().catch(() => {}),
  };
}

/**
 * Waits until the page is past document_idle: loaded, and its main thread idle since (the browser
 * injects the document_idle content scripts in a task it queues when the load finishes; an idle
 * callback runs only once the queued tasks have run).
 */
export async function pastDocumentIdle(page: Page): Promise<void> {
  await page.waitForLoadState('load', POLL);
  await page.evaluate(() => new Promise<void>((resolve) => requestIdleCallback(() => resolve())));
}
