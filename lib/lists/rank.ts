/**
 * The worklist of a list page (issue 8): the page's recognised customers, ranked so the rows that
 * need someone first come first —
 *   1. high-value customers at risk (the tier engine's "at-risk" flag is only set for high value),
 *   2. then by the recommended treatment's priority (urgent, high, normal, low, none),
 *   3. then by CLV, highest first;
 * ties keep page order. Rows whose customer is unknown or unscored go last, in page order. The same
 * customer on several rows (two tickets of one requester) is one entry, at their first row.
 */
import { horizonValueShort } from '../labels/value';
import { countText, wholeMoneyText, type DisplayFormat } from '../format/money';
import type { BatchAnswer } from '../messages/schema';

export interface WorklistInput<Row> {
  row: Row;
  /** The background's answer for the row's identity (undefined while not looked up yet). */
  answer: BatchAnswer | undefined;
}

export interface WorklistEntry<Row> {
  row: Row;
  answer: Extract<BatchAnswer, { status: 'found' }>;
  atRisk: boolean;
}

const PRIORITY = { urgent: 0, high: 1, normal: 2, low: 3 } as const;
const priorityOf = (a: Extract<BatchAnswer, { status: 'found' }>) => (a.treatment?.priority ? PRIORITY[a.treatment.priority] : 4);
const clvOf = (a: Extract<BatchAnswer, { status: 'found' }>) => {
  const clv = a.value?.clv;
  return clv !== undefined && Number.isFinite(clv) ? clv : -Infinity;
};

export function rankWorklist<Row>(items: readonly WorklistInput<Row>[]): WorklistEntry<Row>[] {
  const seen = new Set<string>();
  const entries: (WorklistEntry<Row> & { order: number })[] = [];
  items.forEach(({ row, answer }, order) => {
    if (answer?.status !== 'found' || seen.has(answer.id)) return;
    seen.add(answer.id);
    entries.push({ row, answer, atRisk: answer.value?.flags.includes('at-risk') === true, order });
  });
  entries.sort(
    (a, b) =>
      Number(b.atRisk) - Number(a.atRisk) ||
      priorityOf(a.answer) - priorityOf(b.answer) ||
      clvOf(b.answer) - clvOf(a.answer) ||
      a.order - b.order,
  );
  return entries.map(({ order: _order, ...entry }) => entry);
}

/** The display currency and locale an answer's value is in (US dollars when it does not say). */
export function displayOf(v: { currency?: string; locale?: string }): DisplayFormat {
  return { currency: v.currency ?? 'USD', locale: v.locale ?? 'en-US' };
}

/** Whole amounts for the chips' titles and the worklist (lib/format/money.ts, whose en-US dollars are written by hand: 500 titles at once). */
export function money(n: number, display?: DisplayFormat): string {
  return wholeMoneyText(n, display);
}

/** What a chip says, for its title and aria-label: "Gold customer, 12-mo value $1,234, at risk — Call within 1 hour". */
export function chipDescription(answer: BatchAnswer): string {
  if (answer.status === 'not-found') {
    return answer.sameName ? `Centric: ${answer.sameName} customers have this name; open the record to match` : 'Centric: not in your customer data';
  }
  const v = answer.value;
  const who = answer.customers !== undefined ? `Account of ${countText(answer.customers)} customer${answer.customers === 1 ? '' : 's'}` : 'Customer';
  const parts = [v ? `${v.tier} ${who.toLowerCase()}` : `${who}, not scored yet`];
  if (v && v.clv !== undefined && Number.isFinite(v.clv)) parts.push(`${horizonValueShort(v.horizonMonths)} ${money(v.clv, displayOf(v))}`);
  if (v && v.pAlive !== undefined && Number.isFinite(v.pAlive) && answer.customers === undefined) parts.push(`P(alive) ${Math.round(v.pAlive * 100)}%`);
  if (v?.flags.includes('at-risk')) parts.push('at risk');
  if (answer.matchedBy === 'name') parts.push('matched by name');
  const text = parts.join(', ');
  const said = answer.treatment ? `${text} — ${answer.treatment.title}` : text;
  // The team's value says so, and when it comes from the cache (the service could not be asked).
  return answer.valueSource ? `${said} (${answer.valueSource}${answer.stale ? ', cached' : ''})` : said;
}
