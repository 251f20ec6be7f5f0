/** Everything the value dashboard shows, computed from the stored customers and the latest model run. */
import type { CustomerWithValue, ModelRunRecord } from '../db/records';
import { type ConcentrationCurve, valueConcentration } from './concentration';
import { customerEquity, type EquitySummary } from './equity';
import { pAliveDistribution, type PAliveHistogram } from './palive';
import { type RunDisplay, runDisplay, runHoldout, scoredCustomers } from './run';
import { tierDistribution, type TierDistribution } from './tiers';
import { type TrustView, trustView } from './trust';

export interface DashboardData {
  run: ModelRunRecord;
  display: RunDisplay;
  /** Customers with a value, and those imported since the last scoring (no value yet). */
  scored: number;
  unscored: number;
  equity: EquitySummary;
  concentration: ConcentrationCurve;
  tiers: TierDistribution;
  pAlive: PAliveHistogram;
  trust: TrustView;
}

/**
 * The dashboard of the latest run. The change in equity is measured against the equity the run
 * recorded from the run before it; `previous` (the run before) is used when the run has no record of it.
 */
export function buildDashboard(customers: readonly CustomerWithValue[], latest: ModelRunRecord, previous?: ModelRunRecord | null): DashboardData {
  const display = runDisplay(latest, customers);
  const holdout = runHoldout(latest);
  const scored = scoredCustomers(customers);
  const previousEquity = holdout.previousEquity ?? previous?.customerEquity ?? null;
  return {
    run: latest,
    display,
    scored: scored.length,
    unscored: customers.length - scored.length,
    equity: customerEquity(scored, previousEquity, { display, horizonMonths: display.horizonMonths }),
    concentration: valueConcentration(scored, display.tiers),
    tiers: tierDistribution(scored, display.tiers, display),
    pAlive: pAliveDistribution(scored),
    trust: trustView(holdout, display.holdoutShare),
  };
}
