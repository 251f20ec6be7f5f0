/**
 * What the treatment rules are evaluated against for one stored customer on one page: their value,
 * flags and purchase facts, and the page's host and site. Recency counts from the end of the data the
 * scores were computed on (the model run's data end), so old demo data is not "10,000 days ago".
 */
import { tryParseDay } from '../clv/time';
import type { CustomerWithValue } from '../db/records';
import type { RuleSubject } from '../rules/subject';

export interface PageContext {
  /** Adapter id, e.g. "zendesk". */
  host?: string;
  /** Page hostname, e.g. "acme.zendesk.com". */
  site?: string;
}

/** Days from the customer's last purchase to `asOf` (ISO date), or undefined when either is unknown. */
export function recencyDays(lastPurchase: string, asOf: string | undefined): number | undefined {
  const last = tryParseDay(lastPurchase);
  const end = asOf ? tryParseDay(asOf.slice(0, 10)) : null;
  if (last === null || end === null) return undefined;
  return Math.max(0, end - last);
}

/** The rule subject of a customer (with their value, when scored) on a page, as of the data end. */
export function ruleSubjectOf(customer: CustomerWithValue, page: PageContext = {}, dataEnd?: string): RuleSubject {
  const v = customer.value;
  const orders = customer.facts.orders;
  return {
    id: customer.id,
    name: customer.name,
    email: customer.emails[0],
    company: customer.company,
    domain: customer.domain,
    host: page.host,
    site: page.site,
    tier: v?.tier,
    tierIndex: v?.tierIndex,
    flags: v?.flags ?? [],
    clv: v?.clv,
    lifetimeValue: v?.lifetimeValue,
    next12Months: v?.next12Months,
    pAlive: v?.pAlive,
    expectedTransactions: v?.expectedTransactions,
    recencyDays: recencyDays(customer.facts.lastPurchase, dataEnd ?? v?.scoredAt),
    frequency: v ? v.x : orders > 0 ? orders - 1 : undefined,
    totalSpent: customer.facts.totalSpent,
  };
}
