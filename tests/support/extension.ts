/**
 * The usual start of an e2e file: Chromium with the e2e build, its first run done, for the file's
 * tests, and closed after them. `useExtensionBrowser()` returns the browser of the file's tests (a
 * stand-in that reaches the one started in beforeAll), so a file needs one line instead of nine.
 */
import { afterAll, beforeAll } from 'vitest';
import { launchWithExtension, waitForFirstRun, type ExtensionBrowser } from './chromium';

export function useExtensionBrowser(): ExtensionBrowser {
  let started: ExtensionBrowser | undefined;
  beforeAll(async () => {
    started = await launchWithExtension();
    await waitForFirstRun(started);
  });
  afterAll(async () => {
    await started?.close();
  });
  return new Proxy({} as ExtensionBrowser, {
    get(_, key) {
      if (!started) throw new Error('The extension browser is used before beforeAll started it.');
      const value = started[key as keyof ExtensionBrowser];
      return typeof value === 'function' ? value.bind(started) : value;
    },
  });
}
