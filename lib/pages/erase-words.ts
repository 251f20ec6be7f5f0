/** What "Erase everything" removed, in words for the options page. */
import type { EraseResult } from '~/lib/messages/schema';

type Removed = EraseResult['removed'];

/** Each kind with its singular and plural name, in the order a person reads them. */
const KINDS: [keyof Removed, string, string][] = [
  ['customers', 'customer', 'customers'],
  ['transactions', 'transaction', 'transactions'],
  ['subscriptions', 'subscription', 'subscriptions'],
  ['importRuns', 'import record', 'import records'],
  ['modelRuns', 'scoring run', 'scoring runs'],
  ['runSnapshots', 'scoring snapshot', 'scoring snapshots'],
  ['cachedAnswers', 'cached answer of a lookup service', 'cached answers of lookup services'],
  ['fileScores', 'score from shared score files', 'scores from shared score files'],
  ['sources', 'lookup source', 'lookup sources'],
  ['treatmentRules', 'treatment rule', 'treatment rules'],
  ['customSites', 'custom site', 'custom sites'],
  ['customDomains', 'custom domain', 'custom domains'],
  ['listChipSwitches', 'list-chip switch', 'list-chip switches'],
  ['siteHealth', 'site’s reading counts (site health)', 'sites’ reading counts (site health)'],
  ['settings', 'setting', 'settings'],
  ['alarms', 'scheduled sync (alarm)', 'scheduled syncs (alarms)'],
  ['contentScripts', 'registered content script', 'registered content scripts'],
  ['sitePermissions', 'site permission (given back)', 'site permissions (given back)'],
  ['databases', 'other database', 'other databases'],
];

/** "Erased 2,357 customers, 6,919 transactions, … ." — only the kinds that held something. */
export function erasedInWords(removed: Removed): string {
  const parts = KINDS.filter(([key]) => removed[key] > 0).map(([key, one, many]) => `${removed[key].toLocaleString('en-US')} ${removed[key] === 1 ? one : many}`);
  if (parts.length === 0) return 'There was nothing to erase: Centric had stored nothing.';
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `Erased ${list}.`;
}
