/**
 * The words for a customer's value, one set for every surface (sidebar, popup, list chips, dashboard,
 * report, CSV files, CLI), so a number is called the same thing wherever it appears (issue 16, defect 4).
 *
 * - `lifetimeValue`: the residual lifetime value — the margin a customer is expected to bring over the rest
 *   of their life as a customer, discounted (lib/clv/lifetime.ts). "Lifetime value" means this and only this.
 * - `clv`: the discounted margin over the scoring horizon (12 months unless the settings say otherwise):
 *   what tiers, rules and customer equity rank and add up. Named by its horizon, never "lifetime".
 * - `next12Months`: the margin over the next 12 months, undiscounted.
 */
export const VALUE_WORDS = {
  lifetimeValue: 'Lifetime value',
  lifetimeValueHelp:
    'Residual lifetime value: the margin this customer is expected to bring over the rest of their life as a customer, discounted.',
  next12Months: 'Next 12 months (undiscounted)',
  next12MonthsHelp: 'The margin expected over the next 12 months, not discounted.',
} as const;

/** The horizon value's name: "Next 12 months (discounted)" for a 12-month horizon. */
export function horizonValueLabel(months = 12): string {
  const span = months % 12 === 0 && months > 12 ? `${months / 12} years` : `${months} month${months === 1 ? '' : 's'}`;
  return `Next ${span} (discounted)`;
}

/** The horizon value in two words, for chips, rules and narrow columns: "12-month value". */
export function horizonValueShort(months = 12): string {
  return `${months}-month value`;
}

/** What the horizon value is, in a sentence (tooltips, CSV notes, CLI help). */
export function horizonValueHelp(months = 12): string {
  return `The margin expected over the next ${months} month${months === 1 ? '' : 's'}, discounted: what tiers, rules and customer equity use.`;
}

/** What customer equity adds up, under its figure: "The sum of every customer's margin over the next 12 months, discounted." */
export function equityNote(months = 12): string {
  return `The sum of every customer’s margin over the next ${months} month${months === 1 ? '' : 's'}, discounted.`;
}
