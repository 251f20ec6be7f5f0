/**
 * The background service worker: owns the `centric` database and answers the other parts' messages.
 * Wiring only; the logic lives in lib/.
 */
import { CentricDb } from '~/lib/db/db';
import { handleRequest, RefusedMessage } from '~/lib/messages/handler';
import { ensureSampleData } from '~/lib/sample/install';
import { CUSTOM_DOMAINS_KEY, registrationMatches, type CustomDomain } from '~/lib/sites/enablement';
import { SITE_ADAPTERS } from '~/lib/sites/registry';

const SIDEBAR_SCRIPT_ID = 'centric-sidebar';

/**
 * Registers the sidebar content script for exactly the sites whose host permission is granted (plus
 * the demo's hosts, granted at install). Runs at start-up and whenever permissions or custom
 * domains change.
 */
async function syncContentScripts(): Promise<void> {
  const [{ origins = [] }, stored] = await Promise.all([browser.permissions.getAll(), browser.storage.local.get(CUSTOM_DOMAINS_KEY)]);
  const customDomains = (Array.isArray(stored[CUSTOM_DOMAINS_KEY]) ? stored[CUSTOM_DOMAINS_KEY] : []) as CustomDomain[];
  const matches = registrationMatches(SITE_ADAPTERS, origins, customDomains);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [SIDEBAR_SCRIPT_ID] });
  if (matches.length === 0) {
    if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [SIDEBAR_SCRIPT_ID] });
    return;
  }
  const script = { id: SIDEBAR_SCRIPT_ID, js: ['content-scripts/sidebar.js'], matches, runAt: 'document_idle' as const, persistAcrossSessions: true };
  if (existing.length > 0) await browser.scripting.updateContentScripts([script]);
  else await browser.scripting.registerContentScripts([script]);
}

async function readBundled(path: '/sample/customers.csv' | '/sample/transactions.csv'): Promise<string> {
  const response = await fetch(browser.runtime.getURL(path));
  if (!response.ok) throw new Error(`Could not read the bundled sample ${path}: HTTP ${response.status}.`);
  return response.text();
}

export default defineBackground(() => {
  const db = new CentricDb();
  const sampleReady = ensureSampleData(db, async () => ({
    customersCsv: await readBundled('/sample/customers.csv'),
    transactionsCsv: await readBundled('/sample/transactions.csv'),
  })).catch((error: unknown) => {
    console.error('[Centric] Loading the sample data failed:', error);
  });

  const sync = () =>
    syncContentScripts().catch((error: unknown) => console.error('[Centric] Registering the sidebar failed:', error));
  void sync();
  browser.permissions.onAdded.addListener(() => void sync());
  browser.permissions.onRemoved.addListener(() => void sync());
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && CUSTOM_DOMAINS_KEY in changes) void sync();
  });

  browser.runtime.onMessage.addListener((message, sender) => {
    return sampleReady
      .then(() => handleRequest(db, message, sender, browser.runtime.id))
      .catch((error: unknown) => {
        if (error instanceof RefusedMessage) console.warn('[Centric]', error.message);
        else console.error('[Centric] A request failed:', error);
        return undefined;
      });
  });

  browser.commands?.onCommand.addListener(async (command) => {
    if (command !== 'toggle-sidebar') return;
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    if (tab?.id !== undefined) await browser.tabs.sendMessage(tab.id, { type: 'toggle-sidebar' }).catch(() => {});
  });
});
