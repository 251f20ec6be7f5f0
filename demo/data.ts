/**
 * The demo helpdesk's data: the bundled sample customers (assets/public/sample) and a deterministic set of
 * support tickets raised by a spread of them, plus one requester Centric does not know.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDay } from '../lib/clv/time';
import type { CustomerWithValue } from '../lib/db/records';
import { parseSample } from '../lib/sample/parse';
import { scoreBase } from '../lib/scoring/pipeline';
import { DEFAULT_SCORING_SETTINGS } from '../lib/scoring/settings';

export interface DemoTicket {
  id: number;
  subject: string;
  status: 'open' | 'pending' | 'solved';
  requester: { name: string; email: string; company?: string };
  message: string;
  updated: string;
}

const SUBJECTS = [
  ['Order arrived damaged', 'Two of the CDs in my last order arrived with cracked cases. Can you send replacements?'],
  ['Wrong album shipped', 'I ordered the remastered edition but received the original release.'],
  ['Refund not received', 'I returned an order three weeks ago and have not seen the refund yet.'],
  ['Change delivery address', 'I moved last week; please send my pending order to my new address.'],
  ['Question about pre-orders', 'When will the pre-ordered box set ship, and will I be charged now?'],
  ['Cannot log in', 'The password reset email never arrives. Could you help me get back into my account?'],
  ['Duplicate charge', 'My card was charged twice for the same order.'],
  ['Gift card balance', 'How do I check the balance of a gift card I received?'],
] as const;

const STATUSES = ['open', 'pending', 'open', 'solved'] as const;

export function loadDemoData(root = process.cwd()): { customers: CustomerWithValue[]; tickets: DemoTicket[] } {
  const read = (file: string) => readFileSync(resolve(root, 'assets/public/sample', file), 'utf8');
  const { customers, transactions } = parseSample(read('customers.csv'), read('transactions.csv'), '1998-06-30T00:00:00.000Z');
  // Score the sample as the extension does on first run (default settings), to pick requesters
  // from every tier: the best customers, Gold, the middle, and the ones worth least.
  const index = new Map(customers.map((c, i) => [c.id, i]));
  const result = scoreBase(
    {
      customer: Int32Array.from(transactions, (t) => index.get(t.customerId)!),
      day: Float64Array.from(transactions, (t) => parseDay(t.date)),
      amount: Float64Array.from(transactions, (t) => t.amount),
    },
    customers.map((c) => c.id),
    DEFAULT_SCORING_SETTINGS,
  );
  const byRank = new Map<number, CustomerWithValue>();
  customers.forEach((c, i) => byRank.set(result.tiers.rank[i] as number, c));
  const picks = [1, 2, 5, 20, 60, 130, 250, 400, 700, 1100, 1600, 1950, 2200, 2340].map((rank) => byRank.get(rank)!);
  const tickets: DemoTicket[] = picks.map((customer, index) => {
    const [subject, message] = SUBJECTS[index % SUBJECTS.length]!;
    return {
      id: 1001 + index,
      subject,
      status: STATUSES[index % STATUSES.length]!,
      requester: { name: customer.name, email: customer.emails[0]!, company: customer.company },
      message,
      updated: `1998-06-${String(28 - (index % 20)).padStart(2, '0')}`,
    };
  });
  tickets.push({
    id: 1001 + picks.length,
    subject: 'Do you ship to Canada?',
    status: 'open',
    requester: { name: 'Morgan Reyes', email: 'morgan.reyes@newcomer.example' },
    message: 'I have not ordered yet. Do you ship to Canada, and how long does it take?',
    updated: '1998-06-29',
  });
  return { customers, tickets };
}
