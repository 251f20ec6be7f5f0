/**
 * The background service worker: owns the `centric` database and answers the other parts' messages.
 * Wiring only; the logic lives in lib/.
 */
import { CentricDb } from '~/lib/db/db';
import { handleRequest, RefusedMessage } from '~/lib/messages/handler';
import { ensureSampleData } from '~/lib/sample/install';

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
