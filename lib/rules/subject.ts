/**
 * What a rule is evaluated against: one customer as the sidebar knows them, plus the page they are
 * looked at on. Every number is optional: a number that is undefined (or not finite) is unknown, and
 * an unknown number never satisfies a comparison (the explanation says "unknown").
 */
export interface RuleSubject {
  /** Tier name, e.g. "Gold" (compared case-insensitively with a rule's tier names). */
  tier?: string;
  /** Tier position, 0 = best. Not used by conditions (they use names); kept for callers. */
  tierIndex?: number;
  /** Flag ids the customer has: 'at-risk', 'new', 'one-time'. */
  flags: readonly string[];
  /** Value over the scoring horizon, discounted (money): what tiers rank by. */
  clv?: number;
  /** Residual lifetime value: the rest of the customer's life, discounted (money). */
  lifetimeValue?: number;
  /** Predicted value over the next 12 months (money). */
  next12Months?: number;
  /** Probability the customer is still active, 0..1. */
  pAlive?: number;
  /** Expected number of purchases over the model's horizon. */
  expectedTransactions?: number;
  /** Days since the customer's last purchase, as of the data's end date. */
  recencyDays?: number;
  /** Repeat purchases (x in the BG/NBD family: purchases after the first). */
  frequency?: number;
  /** Total spent so far (money). */
  totalSpent?: number;
  /** Adapter id of the page, e.g. "zendesk". */
  host?: string;
  /** Hostname of the page, e.g. "acme.zendesk.com". */
  site?: string;
  name?: string;
  email?: string;
  company?: string;
  /** Company web domain, e.g. "acme.com". */
  domain?: string;
  /** The customer's id in the imported data. */
  id?: string;
}
