/**
 * The background's answer to every request. Validates the message and its sender first: only the
 * extension's own pages and content scripts are answered, and only well-formed requests.
 */
import type { CentricDb } from '../db/db';
import { customerHistory } from '../history/history';
import { linkHostRecord, lookup, searchCustomers, type LookupContext, type RemoteContext } from '../lookup/lookup';
import { DEFAULT_RULES } from '../rules/defaults';
import type { Rule } from '../rules/schema';
import { isSampleLoaded } from '../sample/install';
import { lookupBatch } from '../lookup/batch';
import {
  requestSchema,
  type CheckSiteDefinitionsResult,
  type HistoryResult,
  type EraseResult,
  type LoadListChipsResult,
  type LookupBatchResult,
  type LookupResult,
  type PageReportRequest,
  type PageReportResult,
  type SearchResult,
  type SiteOutcomeRequest,
  type SiteOutcomeResult,
  type StoreStatus,
  type SyncSourcesResult,
} from './schema';

export interface Sender {
  /** The sending extension's id (runtime.MessageSender.id). */
  id?: string;
  /** The sending frame's URL (runtime.MessageSender.url): its hostname is the "site" rules may test. */
  url?: string;
  /** The sending tab and frame (content scripts only). */
  tab?: { id?: number };
  frameId?: number;
}

/** What the handler needs from the background besides the database. */
export interface HandlerOptions {
  /** The treatment rules in effect (the defaults when not given). */
  rules?: () => Promise<readonly Rule[]>;
  /** The team's remote sources, when any are configured. */
  remote?: () => Promise<RemoteContext | undefined>;
  /** Syncs a shared score file now ("Sync now" in the options page). */
  syncSource?: (sourceId: string) => Promise<SyncSourcesResult>;
  /** Injects the list chips' code into a content script's tab and frame (issue 8). */
  injectListChips?: (tabId: number, frameId: number) => Promise<void>;
  /** Erases everything Centric stored (Options → Your data; lib/background/erase.ts). */
  eraseEverything?: () => Promise<EraseResult>;
  /** Outlines a content script's page and answers the page report's text (issue 17; lib/sites/page-report.ts). */
  pageReport?: (target: { tabId: number; frameId: number }, request: PageReportRequest) => Promise<string>;
  /** Counts how a record page's reading went, for the site health view (issue 17; lib/health/site-health.ts). */
  recordOutcome?: (request: SiteOutcomeRequest) => Promise<void>;
  /** Downloads the site definitions file now ("Check now" in Options → Sites; lib/background/site-definitions-sync.ts). */
  checkSiteDefinitions?: () => Promise<CheckSiteDefinitionsResult>;
}

function hostnameOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).hostname || undefined : undefined;
  } catch {
    return undefined;
  }
}

export class RefusedMessage extends Error {}

/** A message from one of the extension's own pages (options, popup), not from a content script on a host page. */
function fromExtensionPage(sender: Sender, ownId: string): boolean {
  return Boolean(sender.url?.startsWith(`chrome-extension://${ownId}/`) || sender.url?.startsWith('moz-extension://'));
}

/** An erase that removed nothing (every count zero). */
export const NOTHING_ERASED: Readonly<EraseResult['removed']> = {
  customers: 0,
  transactions: 0,
  subscriptions: 0,
  importRuns: 0,
  modelRuns: 0,
  runSnapshots: 0,
  cachedAnswers: 0,
  fileScores: 0,
  settings: 0,
  sources: 0,
  treatmentRules: 0,
  customSites: 0,
  customDomains: 0,
  listChipSwitches: 0,
  alarms: 0,
  contentScripts: 0,
  sitePermissions: 0,
  databases: 0,
  siteHealth: 0,
};

export async function handleRequest(
  db: CentricDb,
  message: unknown,
  sender: Sender,
  ownId: string,
  options: HandlerOptions = {},
): Promise<LookupResult | StoreStatus | SearchResult | HistoryResult | SyncSourcesResult | LookupBatchResult | LoadListChipsResult | EraseResult | PageReportResult | SiteOutcomeResult | CheckSiteDefinitionsResult> {
  if (sender.id !== ownId) throw new RefusedMessage('Refused a message from outside this extension.');
  const parsed = requestSchema.safeParse(message);
  if (!parsed.success) throw new RefusedMessage('Refused a malformed message.');
  const request = parsed.data;
  const context = async (): Promise<LookupContext> => {
    const [rules, remote] = await Promise.all([options.rules ? options.rules() : DEFAULT_RULES, options.remote?.()]);
    return { rules, site: hostnameOf(sender.url), remote };
  };
  switch (request.type) {
    case 'lookup':
      try {
        return await lookup(db, request.identity, context());
      } catch (error) {
        return { status: 'error', message: `The local store could not be read: ${String(error).slice(0, 300)}` };
      }
    case 'lookup-batch':
      try {
        return { status: 'ok', answers: await lookupBatch(db, request.identities, context()) };
      } catch (error) {
        return { status: 'error', message: `The local store could not be read: ${String(error).slice(0, 300)}` };
      }
    case 'load-list-chips': {
      // Only a content script in a tab (the sidebar's, on a site the person enabled) asks for it.
      const tabId = sender.tab?.id;
      if (tabId === undefined) throw new RefusedMessage('Refused a list chips request from outside a tab.');
      if (!options.injectListChips) return { ok: false, message: 'List chips are not available here.' };
      try {
        await options.injectListChips(tabId, sender.frameId ?? 0);
        return { ok: true, message: 'loaded' };
      } catch (error) {
        return { ok: false, message: `The list chips could not be loaded: ${String((error as Error).message ?? error).slice(0, 300)}` };
      }
    }
    case 'page-report': {
      // Only a content script in a tab (the sidebar's, on a page it could not read) asks, for its own page.
      const tabId = sender.tab?.id;
      if (tabId === undefined) throw new RefusedMessage('Refused a page report request from outside a tab.');
      if (!options.pageReport) return { ok: false, message: 'Page reports are not available here.' };
      try {
        return { ok: true, text: await options.pageReport({ tabId, frameId: sender.frameId ?? 0 }, request) };
      } catch (error) {
        return { ok: false, message: `The page report could not be made: ${String((error as Error).message ?? error).slice(0, 300)}` };
      }
    }
    case 'site-outcome':
      if (sender.tab?.id === undefined) throw new RefusedMessage('Refused a site outcome from outside a tab.');
      if (!options.recordOutcome) return { ok: false };
      await options.recordOutcome(request);
      return { ok: true };
    case 'search':
      return searchCustomers(db, request.query, 8, request.withTreatment ? await context() : undefined);
    case 'erase-everything':
      // Only the extension's own pages (the options page's button), never a content script on a host page.
      if (!fromExtensionPage(sender, ownId)) {
        throw new RefusedMessage('Refused an erase request from outside the extension pages.');
      }
      if (!options.eraseEverything) return { ok: false, removed: { ...NOTHING_ERASED }, problems: ['Erasing is not available here; nothing was erased.'] };
      return options.eraseEverything();
    case 'sync-sources':
      // Only the extension's own pages may start a download (never a content script on a host page).
      if (!fromExtensionPage(sender, ownId)) {
        throw new RefusedMessage('Refused a sync request from outside the extension pages.');
      }
      if (!options.syncSource) return { ok: false, message: 'Syncing score files is not available here.' };
      try {
        return await options.syncSource(request.sourceId);
      } catch (error) {
        return { ok: false, message: `The sync failed: ${String((error as Error).message ?? error).slice(0, 300)}` };
      }
    case 'check-site-definitions':
      // Only the extension's own pages may start a download (never a content script on a host page).
      if (!fromExtensionPage(sender, ownId)) {
        throw new RefusedMessage('Refused a site definitions check from outside the extension pages.');
      }
      if (!options.checkSiteDefinitions) return { ok: false, message: 'Checking site definitions is not available here.' };
      try {
        return await options.checkSiteDefinitions();
      } catch (error) {
        return { ok: false, message: `The check failed: ${String((error as Error).message ?? error).slice(0, 300)}` };
      }
    case 'history':
      return customerHistory(db, request.customerId);
    case 'link':
      try {
        return await linkHostRecord(db, request.identity, request.customerId, context());
      } catch (error) {
        return { status: 'error', message: `The link could not be saved: ${String((error as Error).message ?? error).slice(0, 300)}` };
      }
    case 'status': {
      const [customers, sampleLoaded, newest] = await Promise.all([
        db.customers.count(),
        isSampleLoaded(db),
        db.customers.orderBy('id').first(),
      ]);
      return { customers, sampleLoaded, asOf: newest?.importedAt ?? null };
    }
  }
}
