import { browser } from 'wxt/browser';
import type { SampleFiles } from '../sample/install';

async function readShipped(path: '/sample/customers.csv' | '/sample/transactions.csv'): Promise<string> {
  const response = await fetch(browser.runtime.getURL(path));
  if (!response.ok) throw new Error(`Could not read the bundled sample ${path}: HTTP ${response.status}.`);
  return response.text();
}

/** The sample shipped inside the extension (assets/public/sample), for the background and the options page. */
export async function readBundledSample(): Promise<SampleFiles> {
  const [customersCsv, transactionsCsv] = await Promise.all([readShipped('/sample/customers.csv'), readShipped('/sample/transactions.csv')]);
  return { customersCsv, transactionsCsv };
}
