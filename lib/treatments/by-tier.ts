/**
 * The recommended treatment from the tier alone, grounded in customer centricity (treat the most
 * valuable customers best, save the valuable ones at risk, serve the rest efficiently). The
 * manager-editable treatment rules replace this when they exist; the wording here is their default.
 */
export interface Treatment {
  title: string;
  guidance: string;
}

const AT_RISK: Treatment = {
  title: 'Personal save',
  guidance: 'A valuable customer who may be slipping away: reply personally today, fix the root cause, and follow up yourself.',
};

const BY_POSITION: readonly Treatment[] = [
  { title: 'White-glove service', guidance: 'Top customer: answer first, go the extra mile, and escalate to a senior colleague without hesitation.' },
  { title: 'Loyalty and upsell', guidance: 'High value: thank them for their loyalty and suggest what would serve them next.' },
  { title: 'Standard service', guidance: 'Solve the issue well and efficiently; mention what could help them buy again.' },
  { title: 'Self-service first', guidance: 'Point to self-service answers first; no discretionary discounts or credits.' },
];

/** The treatment for a customer in tier `tierIndex` of `tierCount`, with its flags. */
export function treatmentForTier(tierIndex: number, tierCount: number, flags: readonly string[]): Treatment {
  if (flags.includes('at-risk')) return AT_RISK;
  if (tierIndex <= 0) return BY_POSITION[0]!;
  if (tierIndex >= tierCount - 1) return BY_POSITION[3]!;
  return tierIndex === 1 ? BY_POSITION[1]! : BY_POSITION[2]!;
}
