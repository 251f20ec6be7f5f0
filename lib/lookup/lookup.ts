/**
 * One lookup: from the identity a site adapter read to the customer view the sidebar shows.
 * Matching order: email (case-insensitive), then company domain. (Host record ids and name
 * suggestions arrive with the matching work of the site-adapter issue.)
 */
import type { CentricDb } from '../db/db';
import type { CustomerRecord } from '../db/records';
import type { CustomerView, IdentityMessage, LookupResult } from '../messages/schema';

export function toCustomerView(record: CustomerRecord): CustomerView {
  const v = record.value;
  return {
    id: record.id,
    name: record.name,
    email: record.emails[0],
    company: record.company,
    facts: record.facts,
    value: v && {
      tier: v.tier,
      tierColor: v.tierColor,
      tierForeground: v.tierForeground,
      rank: v.rank,
      clv: v.clv,
      next12Months: v.next12Months,
      pAlive: v.pAlive,
      expectedTransactions: v.expectedTransactions,
      explanation: v.explanation,
      flags: v.flags,
      flagExplanations: v.flagExplanations,
      model: v.model,
      scoredAt: v.scoredAt,
    },
    currency: 'USD',
    asOf: record.importedAt,
    source: record.source,
  };
}

export async function findCustomer(db: CentricDb, identity: IdentityMessage): Promise<CustomerRecord | undefined> {
  const email = identity.email?.trim().toLowerCase();
  if (email) {
    const byEmail = await db.customers.where('emails').equals(email).first();
    if (byEmail) return byEmail;
  }
  const domain = identity.domain?.trim().toLowerCase();
  if (domain && !email) {
    // Account-level match only when the page names a company but no person.
    const byDomain = await db.customers.where('domain').equals(domain).first();
    if (byDomain) return byDomain;
  }
  return undefined;
}

export async function lookup(db: CentricDb, identity: IdentityMessage): Promise<LookupResult> {
  const record = await findCustomer(db, identity);
  return record ? { status: 'found', customer: toCustomerView(record) } : { status: 'not-found' };
}
