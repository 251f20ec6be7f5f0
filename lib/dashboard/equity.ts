/** Customer equity: the sum of every customer's predicted value (CLV), and how it moved since the previous scoring. */
import type { CustomerWithValue } from '../db/records';
import { countText, type DisplayFormat, moneyText, signedMoneyText, signedPercentText } from './format';

export interface EquitySummary {
  /** Sum of CLV over the scored customers. */
  equity: number;
  /** Scored customers. */
  customers: number;
  /** Equity at the previous scoring (null at the first). */
  previous: number | null;
  /** equity − previous (null at the first scoring). */
  change: number | null;
  /** change / previous (null at the first scoring or when the previous equity was 0). */
  changeShare: number | null;
  /** "+$1,204 (+3.9%) since the previous scoring" or "First scoring: nothing to compare with yet". */
  changeText: string;
  /** One line for a manager. */
  reading: string;
}

/** Sum of CLV over customers with a value (non-finite values count as 0). */
export function sumOfClv(customers: readonly CustomerWithValue[]): number {
  let sum = 0;
  for (const c of customers) {
    const clv = c.value?.clv;
    if (clv !== undefined && Number.isFinite(clv)) sum += clv;
  }
  return sum;
}

/**
 * Customer equity and its change since the previous scoring (`previousEquity` is what the run
 * recorded from the run before it). `horizonMonths` words the reading ("over 12 months").
 */
export function customerEquity(
  customers: readonly CustomerWithValue[],
  previousEquity: number | null,
  options: { display: DisplayFormat; horizonMonths?: number | null },
): EquitySummary {
  const { display } = options;
  const scored = customers.filter((c) => c.value !== undefined).length;
  const equity = sumOfClv(customers);
  const change = previousEquity === null ? null : equity - previousEquity;
  const changeShare = change === null || !(previousEquity !== null && previousEquity > 0) ? null : change / previousEquity;
  let changeText: string;
  if (change === null) changeText = 'First scoring: nothing to compare with yet';
  else if (changeShare === null) changeText = `${signedMoneyText(change, display)} since the previous scoring`;
  else changeText = `${signedMoneyText(change, display)} (${signedPercentText(changeShare)}) since the previous scoring`;

  const horizon = options.horizonMonths ? ` over the next ${countText(options.horizonMonths, display)} months, discounted` : '';
  const what = `Customer equity is ${moneyText(equity, display)}: the predicted value of ${countText(scored, display)} customers${horizon}`;
  let movement: string;
  if (change === null || previousEquity === null) movement = '.';
  else if (Math.round(change) === 0) movement = `, unchanged since the previous scoring.`;
  else {
    const direction = change > 0 ? 'up' : 'down';
    const share = changeShare === null ? '' : ` (${signedPercentText(changeShare)})`;
    movement = `, ${direction} ${moneyText(Math.abs(change), display)}${share} from ${moneyText(previousEquity, display)} at the previous scoring.`;
  }
  return { equity, customers: scored, previous: previousEquity, change, changeShare, changeText, reading: what + movement };
}
