/** A small hand-made scored base for the dashboard tests (default pyramid: Platinum, Gold, Iron, Lead). */
import type { CustomerWithValue, ModelRunRecord } from '~/lib/db/records';
import { DEFAULT_SCORING_SETTINGS } from '~/lib/scoring/settings';
import { DEFAULT_TIER_CONFIG, tierForeground } from '~/lib/tiers';

const TIERS = DEFAULT_TIER_CONFIG.tiers;

export function customer(
  id: string,
  value: { clv: number; tierIndex: number; pAlive: number; rank: number } | null,
  extra: Partial<CustomerWithValue> = {},
): CustomerWithValue {
  const tier = value ? TIERS[value.tierIndex]! : null;
  return {
    id,
    name: `Customer ${id}`,
    emails: [`c${id}@shop.example`],
    hostIds: [],
    facts: { orders: 2, totalSpent: 10, firstPurchase: '1997-01-01', lastPurchase: '1997-06-01' },
    source: 'local',
    importedAt: '2026-01-01T00:00:00.000Z',
    ...(value && tier
      ? {
          value: {
            model: 'bgnbd',
            modelRunId: 2,
            x: 1,
            tx: 2,
            T: 10,
            monetary: 5,
            pAlive: value.pAlive,
            expectedTransactions: 1,
            expectedSpend: 5,
            clv: value.clv,
            next12Months: value.clv,
            tier: tier.name,
            tierIndex: value.tierIndex,
            tierColor: tier.color,
            tierForeground: tierForeground(tier),
            rank: value.rank,
            flags: [],
            explanation: '',
            flagExplanations: [],
            scoredAt: '2026-03-01T00:00:00.000Z',
          },
        }
      : {}),
    ...extra,
  };
}

/** CLV 50, 20, 10, 8, 5, 3, 2, 1, 1, 0 (total 100): 1 Platinum, 1 Gold, 6 Iron, 2 Lead. */
export const CLVS = [50, 20, 10, 8, 5, 3, 2, 1, 1, 0];
const TIER_OF = [0, 1, 2, 2, 2, 2, 2, 2, 3, 3];
const P_ALIVE = [0.95, 0.8, 0.55, 0.5, 0.45, 0.3, 0.2, 0.1, 0.05, 1];

export function smallBase(): CustomerWithValue[] {
  return CLVS.map((clv, i) =>
    customer(String(i + 1), { clv, tierIndex: TIER_OF[i]!, pAlive: P_ALIVE[i]!, rank: clv > 0 ? i + 1 : 0 }),
  );
}

export function modelRun(holdout: Record<string, unknown> = {}, overrides: Partial<ModelRunRecord> = {}): ModelRunRecord {
  return {
    id: 2,
    at: '2026-03-01T00:00:00.000Z',
    model: 'pareto-nbd',
    params: {},
    logLikelihood: -1,
    converged: true,
    settings: { ...DEFAULT_SCORING_SETTINGS },
    customers: 10,
    customerEquity: 100,
    tierCounts: [1, 1, 6, 2],
    holdout: {
      sentence: 'predicted 1,820 repeat transactions in the holdout, actual 1,882 (−3.3%)',
      table: [
        { label: '0', x: 0, customers: 6, actual: 0.2, predicted: 0.25 },
        { label: '1', x: 1, customers: 3, actual: 1, predicted: 0.9 },
        { label: '7+', x: 7, customers: 1, actual: 5, predicted: 4.5 },
      ],
      actualTotal: 1882,
      predictedTotal: 1820,
      aggregateError: -0.033,
      tableMape: 0.118,
      tracking: { predicted: [1, 3, 6, 10, 15, 21], actual: [1, 2, 6, 11, 16, 20] },
      choice: { sentence: 'Pareto/NBD predicts the holdout best (RMSE 1.603 vs 1.607 MBG/NBD, 1.608 BG/NBD).', candidates: [] },
      previousEquity: 80,
      notes: [],
      unit: 'week',
      ...holdout,
    },
    ...overrides,
  };
}
