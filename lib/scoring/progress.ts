/**
 * The stages of a scoring run, in the order they happen, with their words and their rough share of
 * the run's time (lib/scoring/store.ts reads and writes the store, lib/scoring/pipeline.ts the rest),
 * so a stage and the fraction done inside it become one fraction of the whole run.
 */
export const SCORING_STAGES = ['read', 'summarise', 'holdout', 'fit', 'spend', 'score', 'tiers', 'write'] as const;
export type ScoringStage = (typeof SCORING_STAGES)[number];

export const STAGE_LABELS: Record<ScoringStage, string> = {
  read: 'Reading the store',
  summarise: 'Summarising purchases',
  holdout: 'Judging the models on the holdout',
  fit: 'Fitting the model',
  spend: 'Estimating spend',
  score: 'Scoring customers',
  tiers: 'Placing customers in tiers',
  write: 'Writing the scores',
};

/**
 * A rough share of a run's time per stage (they add up to 100), so the bar moves evenly enough and the
 * time left is an estimate, not a measurement: reading and writing the store (IndexedDB) are taken
 * as the largest parts, then the holdout (one fit per candidate model) and the summary.
 */
const WEIGHT: Record<ScoringStage, number> = { read: 30, summarise: 10, holdout: 15, fit: 5, spend: 5, score: 8, tiers: 2, write: 25 };

export function isScoringStage(stage: string): stage is ScoringStage {
  return (SCORING_STAGES as readonly string[]).includes(stage);
}

/** The fraction (0–1) of the whole run done when `stage` is `fraction` done. An unknown stage counts as nothing done. */
export function overallFraction(stage: string, fraction: number): number {
  if (!isScoringStage(stage)) return 0;
  let before = 0;
  for (const s of SCORING_STAGES) {
    if (s === stage) break;
    before += WEIGHT[s];
  }
  const within = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  return (before + within * WEIGHT[stage]) / 100;
}

/**
 * Seconds left, from the time spent so far and the fraction done; null while too little is done to
 * say (under 10 %, or less than half a second in).
 */
export function secondsLeft(elapsedMs: number, fraction: number): number | null {
  if (!(fraction >= 0.1) || fraction >= 1 || !(elapsedMs >= 500)) return null;
  return (elapsedMs * (1 - fraction)) / fraction / 1000;
}
