/**
 * First run: the welcome page opens once, when Centric is installed; never on an update, a browser
 * update or a reload of the extension. The reason seen last is kept (`lastInstall`), so a test or a
 * support question can tell which of them happened.
 */
export const WELCOME_PAGE = '/welcome.html' as const;

export interface FirstRunDeps {
  openTab(url: string): Promise<unknown>;
  pageUrl(path: string): string;
  record(value: { reason: string; welcomed: boolean; at: string }): Promise<void>;
  now?: () => Date;
}

/** Handles runtime.onInstalled: opens the welcome page on a fresh install only. Returns whether it did. */
export async function welcomeOnInstalled(reason: string, deps: FirstRunDeps): Promise<boolean> {
  const welcomed = reason === 'install';
  if (welcomed) await deps.openTab(deps.pageUrl(WELCOME_PAGE));
  await deps.record({ reason, welcomed, at: (deps.now ?? (() => new Date()))().toISOString() });
  return welcomed;
}
