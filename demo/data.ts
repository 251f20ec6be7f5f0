/**
 * The demo helpdesk's data: the bundled sample customers (assets/public/sample) and a deterministic set of
 * support tickets raised by a spread of them, plus one requester Centric does not know.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseSample } from '../lib/sample/parse';
import type { CustomerRecord } from '../lib/db/records';

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

export function loadDemoData(root = process.cwd()): { customers: CustomerRecord[]; tickets: DemoTicket[] } {
  const read = (file: string) => readFileSync(resolve(root, 'assets/public/sample', file), 'utf8');
  const { customers } = parseSample(read('customers.csv'), read('transactions.csv'), '1998-06-30T00:00:00.000Z');
  const byValue = [...customers].sort((a, b) => b.facts.totalSpent - a.facts.totalSpent || a.id.localeCompare(b.id));
  // A spread across the value range: the very best customers, the middle and one-time buyers.
  const picks = [0, 1, 3, 10, 40, 120, 300, 600, 900, 1200, 1500, 1800, 2100, 2300].map((rank) => byValue[rank]!);
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
