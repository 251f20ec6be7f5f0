/** Messages between the options page and the scoring worker. */
import type { ScoringStage } from './progress';
import type { ScoringSettings } from './settings';
import type { StoreScoring } from './store';

export type ToScoreWorker = { type: 'score'; settings: ScoringSettings };

export type FromScoreWorker =
  | { type: 'progress'; stage: ScoringStage; fraction: number }
  | { type: 'done'; result: StoreScoring; milliseconds: number }
  | { type: 'failed'; message: string };
