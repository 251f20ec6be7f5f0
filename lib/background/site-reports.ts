/**
 * The background's side of issue 17's "fail loudly": page reports (the censored outline of a page the
 * sidebar could not read, made in the tab by scripting.executeScript) and the site health counts (one
 * storage.local key, updated one reading at a time). The browser APIs are passed in, so this runs in
 * unit tests with fakes.
 */
import { z } from 'zod/mini';
import { recordReading, type ReadingOutcome } from '~/lib/health/site-health';
import { SITE_HEALTH } from '~/lib/settings/items';
import type { PageReportRequest, SiteOutcomeRequest } from '~/lib/messages/schema';
import { OUTLINE_LIMITS, outlinePage, type OutlineLimits } from '~/lib/sites/page-outline';
import { browserName, censorMissing, pageReportText } from '~/lib/sites/page-report';

/** What the tab's outline must look like (the page cannot change the function, but the answer is checked anyway). */
const outlineSchema = z.object({
  path: z.string().check(z.maxLength(2000)),
  text: z.string().check(z.maxLength(OUTLINE_LIMITS.maxChars)),
  elements: z.number(),
  shadowRoots: z.object({ open: z.number(), closed: z.number() }),
  frames: z.number(),
  cut: z.nullable(z.string().check(z.maxLength(200))),
});

export interface SiteReportApis {
  /** scripting.executeScript, for one frame of one tab. */
  executeScript(injection: {
    target: { tabId: number; frameIds: number[] };
    func: typeof outlinePage;
    args: [OutlineLimits];
  }): Promise<{ result?: unknown }[]>;
  storage: { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> };
  extensionVersion: string;
  userAgent: string;
  /** The site's name for an adapter id ("Zendesk"), when known. */
  siteName(host: string): string | undefined;
  now?: () => number;
}

export function siteReports(apis: SiteReportApis) {
  const now = apis.now ?? Date.now;

  /** The report's text for the sender's page (its frame only). */
  const pageReport = async ({ tabId, frameId }: { tabId: number; frameId: number }, request: PageReportRequest): Promise<string> => {
    const [injection] = await apis.executeScript({
      target: { tabId, frameIds: [frameId] },
      // Serialised and run in the tab's isolated world: passed as is, never wrapped (it is self-contained).
      func: outlinePage,
      args: [OUTLINE_LIMITS],
    });
    const parsed = outlineSchema.safeParse(injection?.result);
    if (!parsed.success) throw new Error('the page gave no outline');
    return pageReportText(
      {
        host: request.host,
        siteName: apis.siteName(request.host),
        recordType: request.recordType,
        missing: request.missing,
        extensionVersion: apis.extensionVersion,
        definitionVersion: request.definitionVersion,
        browser: browserName(apis.userAgent),
        made: new Date(now()),
      },
      parsed.data,
    );
  };

  // One reading at a time: two tabs' readings arriving together must not overwrite each other's count.
  let writing: Promise<void> = Promise.resolve();
  const recordOutcome = (request: SiteOutcomeRequest): Promise<void> => {
    const write = async () => {
      const stored = await apis.storage.get(SITE_HEALTH.key);
      const reading = { host: request.host, outcome: request.outcome as ReadingOutcome, missing: censorMissing(request.missing), recordType: request.recordType };
      await apis.storage.set({ [SITE_HEALTH.key]: recordReading(SITE_HEALTH.parse(stored[SITE_HEALTH.key]), reading, now()) });
    };
    const done = writing.then(write);
    writing = done.catch(() => {});
    return done;
  };

  return { pageReport, recordOutcome };
}
