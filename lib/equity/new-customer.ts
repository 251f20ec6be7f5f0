/**
 * What a newly acquired customer is worth, from a scoring run's fitted models: the most a firm
 * should pay to acquire a customer like its average one.
 *
 *   repeat value = margin × E[M] × Σ_i (E[X(t_i)] − E[X(t_{i−1})]) / (1 + d_step)^{s_i}
 *
 * E[X(t)]: the model's expected repeat transactions of a customer just acquired (BG/NBD: Fader,
 * Hardie & Lee 2005, eq. 7; Pareto/NBD: Schmittlein et al. 1987; MBG/NBD: Batislam et al. 2007),
 * over the run's horizon, on the same monthly discounting grid as every customer's CLV (lib/clv/clv.ts
 * planClv). E[M]: the Gamma-Gamma population mean spend per repeat transaction p·γ/(q−1) (Fader &
 * Hardie 2013), or the mean repeat spend when the run used it. The first order itself is paid at
 * acquisition, undiscounted: its margin (margin × the mean first-order value) is added to give the
 * value at acquisition, the ceiling on acquisition cost.
 *
 * The most to pay is the value over the customer's whole life, not over the scoring horizon:
 *   value at acquisition = margin × first order + margin × E[M] × DERT(new customer)
 * with DERT the discounted expected repeat transactions over the rest of the customer's life
 * (lib/clv/lifetime.ts, the history x = 0, t_x = 0, T = 0 of a customer just acquired). The horizon
 * figures are kept beside it for the report's table. The report's headline and its sentence are built
 * from these same fields (lib/equity/words.ts), so they always say the same amount (issue 16).
 */
import { TRANSACTION_MODELS, isTransactionModelName, MODEL_LABELS } from '../clv/auto';
import { planClv } from '../clv/clv';
import { ClvError } from '../clv/errors';
import { discountedResidualTransactions } from '../clv/lifetime';
import type { Params } from '../clv/model';
import { isTimeUnit, type TimeUnit } from '../clv/time';

/** How the run estimated spend per transaction. */
export type RunSpend = { model: 'gamma-gamma'; params: { p: number; q: number; gamma: number } } | { model: 'mean'; mean: number };

export interface NewCustomerInput {
  model: string;
  params: Params;
  spend: RunSpend;
  unit: TimeUnit;
  horizonMonths: number;
  annualDiscountRate: number;
  margin: number;
  /** Mean first-order value of the customers scored (null when unknown). */
  meanFirstOrder: number | null;
}

export interface NewCustomerValue {
  modelLabel: string;
  /** Expected repeat transactions over the horizon (undiscounted) and discounted. */
  expectedRepeatTransactions: number;
  discountedRepeatTransactions: number;
  /** Expected spend per repeat transaction and where it came from. */
  spendPerTransaction: number;
  spendSource: string;
  /** margin × spend × discounted repeat transactions over the horizon. */
  repeatValue: number;
  /** Discounted expected repeat transactions over the customer's whole life (DERT). */
  lifetimeRepeatTransactions: number;
  /** margin × spend × lifetimeRepeatTransactions: the new customer's lifetime value, first order aside. */
  lifetimeRepeatValue: number;
  /** margin × mean first order (null when the first orders are unknown). */
  firstOrderMargin: number | null;
  /** firstOrderMargin + lifetimeRepeatValue: the most to pay to acquire an average customer. */
  valueAtAcquisition: number;
  horizonMonths: number;
  annualDiscountRate: number;
  margin: number;
}

/** Spend per repeat transaction of a customer with no history: p·γ/(q−1), guarded (q ≤ 1 has no mean). */
export function newCustomerSpend(spend: RunSpend): { value: number; source: string } {
  if (spend.model === 'mean') {
    if (!(Number.isFinite(spend.mean) && spend.mean >= 0)) throw new ClvError('invalid-params', `The run's mean spend is not a usable amount (${String(spend.mean)}).`);
    return { value: spend.mean, source: 'the mean repeat purchase' };
  }
  const { p, q, gamma } = spend.params;
  if (!(p > 0 && gamma > 0 && Number.isFinite(p) && Number.isFinite(gamma))) {
    throw new ClvError('invalid-params', `The run's Gamma-Gamma parameters are not usable (p ${String(p)}, γ ${String(gamma)}).`);
  }
  if (!(q > 1) || !Number.isFinite(q)) {
    throw new ClvError('invalid-params', `The Gamma-Gamma model has no mean spend when q ≤ 1 (q = ${String(q)}), so a new customer's spend cannot be predicted.`);
  }
  // In log space: ln p + ln γ − ln(q − 1).
  const value = Math.exp(Math.log(p) + Math.log(gamma) - Math.log(q - 1));
  return { value, source: 'the Gamma-Gamma population mean p·γ/(q−1)' };
}

/**
 * Discounted and undiscounted expected repeat transactions of a new customer over the plan's horizon,
 * and `lifetime`: the discounted ones over the customer's whole life (DERT of the history 0, 0, 0).
 */
export function newCustomerTransactions(
  model: string,
  params: Params,
  options: { unit: TimeUnit; horizonMonths: number; annualDiscountRate: number },
): { expected: number; discounted: number; lifetime: number } {
  if (!isTransactionModelName(model)) throw new ClvError('unsupported', `A new customer's value needs a transaction model (got "${model}").`);
  if (!isTimeUnit(options.unit)) throw new ClvError('invalid-input', `Unknown time unit "${String(options.unit)}".`);
  const m = TRANSACTION_MODELS[model];
  const plan = planClv({ modelUnit: options.unit, horizon: { value: options.horizonMonths, unit: 'month' }, annualDiscountRate: options.annualDiscountRate });
  let previous = 0;
  let discounted = 0;
  for (let i = 0; i < plan.times.length; i++) {
    const current = m.expectedTransactionsNew(params, plan.times[i] as number);
    if (!Number.isFinite(current)) throw new ClvError('numeric', `Could not compute a new customer's expected transactions at ${plan.times[i]} ${options.unit}s.`);
    discounted += Math.max(0, current - previous) * (plan.discount[i] as number);
    previous = Math.max(previous, current);
  }
  const lifetime = discountedResidualTransactions(m as never, params as never, { x: 0, tx: 0, T: 0 }, options.annualDiscountRate, options.unit);
  return { expected: previous, discounted, lifetime };
}

/** The value of a newly acquired customer (throws ClvError with the reason when it cannot be computed). */
export function newCustomerValue(input: NewCustomerInput): NewCustomerValue {
  const tx = newCustomerTransactions(input.model, input.params, input);
  const spend = newCustomerSpend(input.spend);
  if (!(input.margin > 0 && input.margin <= 1)) throw new ClvError('invalid-input', `The margin must be above 0 and at most 1 (got ${String(input.margin)}).`);
  const repeatValue = input.margin * spend.value * tx.discounted;
  const lifetimeRepeatTransactions = tx.lifetime;
  const lifetimeRepeatValue = input.margin * spend.value * lifetimeRepeatTransactions;
  const firstOrderMargin = input.meanFirstOrder !== null && Number.isFinite(input.meanFirstOrder) ? input.margin * input.meanFirstOrder : null;
  const valueAtAcquisition = lifetimeRepeatValue + (firstOrderMargin ?? 0);
  if (!Number.isFinite(valueAtAcquisition)) throw new ClvError('numeric', "Could not compute a new customer's value: the result was not a finite number.");
  return {
    modelLabel: MODEL_LABELS[input.model as keyof typeof MODEL_LABELS] ?? input.model,
    expectedRepeatTransactions: tx.expected,
    discountedRepeatTransactions: tx.discounted,
    spendPerTransaction: spend.value,
    spendSource: spend.source,
    repeatValue,
    lifetimeRepeatTransactions,
    lifetimeRepeatValue,
    firstOrderMargin,
    valueAtAcquisition,
    horizonMonths: input.horizonMonths,
    annualDiscountRate: input.annualDiscountRate,
    margin: input.margin,
  };
}
