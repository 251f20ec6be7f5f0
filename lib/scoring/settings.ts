/**
 * What a manager chooses for scoring: the model, the time unit, the horizon, discounting, margin,
 * the holdout used to judge (and choose) the model, and the tiers. Stored in the database's meta
 * table (readable by the background, the options page and its workers) and validated on every read.
 */
import { z } from 'zod';
import { DEFAULT_TIER_CONFIG, parseTierConfig, type TierConfig } from '../tiers';

export const MODEL_CHOICES = ['auto', 'bgnbd', 'mbgnbd', 'pareto-nbd'] as const;
export type ModelChoice = (typeof MODEL_CHOICES)[number];

export const scoringSettingsSchema = z.object({
  model: z.enum(MODEL_CHOICES),
  unit: z.enum(['day', 'week', 'month']),
  horizonMonths: z.number().min(1).max(120),
  annualDiscountRate: z.number().min(0).max(1),
  margin: z.number().gt(0).max(1),
  /** Share of the observed time span held out to judge the model (and to choose it, with "auto"). */
  holdoutShare: z.number().min(0.1).max(0.6),
  /** Validated separately, with every problem in words (lib/tiers). */
  tiers: z.unknown(),
});

export interface ScoringSettings extends Omit<z.infer<typeof scoringSettingsSchema>, 'tiers'> {
  tiers: TierConfig;
}

export const DEFAULT_SCORING_SETTINGS: ScoringSettings = {
  model: 'auto',
  unit: 'week',
  horizonMonths: 12,
  annualDiscountRate: 0.1,
  margin: 1,
  holdoutShare: 1 / 3,
  tiers: DEFAULT_TIER_CONFIG,
};

export class SettingsError extends Error {}

/** Validates settings (e.g. read from storage); throws SettingsError listing every problem. */
export function parseScoringSettings(input: unknown): ScoringSettings {
  const parsed = scoringSettingsSchema.safeParse(input);
  if (!parsed.success) {
    throw new SettingsError(
      `The scoring settings are not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(settings)'}: ${i.message}`).join('; ')}.`,
    );
  }
  try {
    return { ...parsed.data, tiers: parseTierConfig(parsed.data.tiers) };
  } catch (error) {
    throw new SettingsError((error as Error).message);
  }
}
