import type { PurchaseFacts } from '../messages/schema';

export interface Purchase {
  /** ISO date, YYYY-MM-DD. */
  date: string;
  amount: number;
}

/** Orders, total spent (rounded to cents), first and last purchase of one customer's history. */
export function purchaseFacts(history: readonly Purchase[]): PurchaseFacts {
  if (history.length === 0) throw new Error('A customer needs at least one purchase to have purchase facts.');
  let first = history[0]!.date;
  let last = first;
  let cents = 0;
  for (const { date, amount } of history) {
    if (date < first) first = date;
    if (date > last) last = date;
    cents += Math.round(amount * 100);
  }
  return { orders: history.length, totalSpent: cents / 100, firstPurchase: first, lastPurchase: last };
}
