/**
 * Natural keys that make imports idempotent: importing the same file twice writes the same keys, so
 * nothing is duplicated.
 */

/**
 * A transaction's key: "<customer>|#<order id>" when the export has order ids; otherwise
 * "<customer>|<date>|<amount in cents>|<n>", where n counts identical (customer, date, amount)
 * rows within the file (two equal purchases on one day stay two purchases).
 */
export function transactionKey(customerId: string, date: string, amount: number, orderId: string | undefined, occurrence: number): string {
  if (orderId) return `${customerId}|#${orderId}`;
  return `${customerId}|${date}|${Math.round(amount * 100)}|${occurrence}`;
}

/** Counts occurrences of identical keys as they are seen, for transactionKey's n. */
export class OccurrenceCounter {
  private readonly seen = new Map<string, number>();
  next(base: string): number {
    const n = this.seen.get(base) ?? 0;
    this.seen.set(base, n + 1);
    return n;
  }
}
