/**
 * Time units, calendar dates and horizons for the value engine.
 *
 * Every model works in one time unit (the unit its data was summarised in: CDNOW is in weeks).
 * Anything a person types ("12 months", "90 days") is converted to that unit here, by the length
 * of the units in days — never by "30 units a month", the trap one popular library fell into
 * (a weekly model then projected 30 weeks per "month"). A month is 365.25 / 12 = 30.4375 days,
 * i.e. 4.348 weeks.
 *
 * Dates are plain calendar days: "2024-03-31", "20240331" or an ISO timestamp all become an
 * integer day number (days since 1970-01-01) computed arithmetically from the written
 * year/month/day, so the result never depends on the machine's timezone.
 */
import { ClvError } from './errors';

export type TimeUnit = 'day' | 'week' | 'month';

/** The time units in a stable order (for menus and validation). */
export const TIME_UNITS: readonly TimeUnit[] = ['day', 'week', 'month'];

/** Length of each unit in days. A month is an average Gregorian month, 365.25 / 12 days. */
export const DAYS_PER: Readonly<Record<TimeUnit, number>> = Object.freeze({
  day: 1,
  week: 7,
  month: 365.25 / 12,
});

/** Days in an average (Julian) year, the base of the annual discount-rate convention. */
export const DAYS_PER_YEAR = 365.25;

/** A span of time as a person states it, e.g. { value: 12, unit: 'month' }. */
export interface Horizon {
  value: number;
  unit: TimeUnit;
}

/** True when `unit` is one of the supported time units. */
export function isTimeUnit(unit: unknown): unit is TimeUnit {
  return unit === 'day' || unit === 'week' || unit === 'month';
}

function assertUnit(unit: unknown, what: string): asserts unit is TimeUnit {
  if (!isTimeUnit(unit)) {
    throw new ClvError('invalid-input', `Unknown time unit for ${what}: "${String(unit)}" (use day, week or month).`, {
      field: what,
      value: String(unit),
    });
  }
}

/** Converts a duration from one unit to another by the units' length in days (12 months -> 52.18 weeks). */
export function convert(value: number, from: TimeUnit, to: TimeUnit): number {
  assertUnit(from, 'the source unit');
  assertUnit(to, 'the target unit');
  if (!Number.isFinite(value)) {
    throw new ClvError('invalid-input', `Cannot convert a duration that is not a finite number (${String(value)}).`, {
      value: String(value),
    });
  }
  if (from === to) return value;
  return (value * DAYS_PER[from]) / DAYS_PER[to];
}

/** A horizon expressed in the model's unit, e.g. horizonInUnit({value: 12, unit: 'month'}, 'week') = 52.18. */
export function horizonInUnit(horizon: Horizon, modelUnit: TimeUnit): number {
  assertHorizon(horizon);
  return convert(horizon.value, horizon.unit, modelUnit);
}

/** Throws ClvError('invalid-input') unless the horizon is a finite, non-negative amount of a known unit. */
export function assertHorizon(horizon: Horizon): void {
  assertUnit(horizon?.unit, 'the horizon');
  if (!Number.isFinite(horizon.value) || horizon.value < 0) {
    throw new ClvError('invalid-input', `A horizon must be a finite number of ${horizon.unit}s, 0 or more (got ${String(horizon.value)}).`, {
      field: 'horizon',
      value: String(horizon.value),
    });
  }
}

/**
 * The end times of the steps that cover a horizon, in the model's unit: full steps of `step`,
 * and a last partial step when the horizon is not a whole number of steps.
 * Example: 12 months in a weekly model with monthly steps -> [4.348, 8.696, …, 52.18].
 * Returns `stepIndex` too: the end of each step in step units (1, 2, …, and e.g. 2.5 for a half step),
 * which is the exponent of the per-step discount factor.
 */
export function stepTimes(horizon: Horizon, step: TimeUnit, modelUnit: TimeUnit): { times: Float64Array; stepIndex: Float64Array } {
  assertHorizon(horizon);
  assertUnit(step, 'the step');
  assertUnit(modelUnit, 'the model');
  const inSteps = convert(horizon.value, horizon.unit, step);
  // Tolerate float noise: 12 months in months is exactly 12 steps, not 12 plus a sliver.
  const whole = Math.floor(inSteps + 1e-9);
  const hasPartial = inSteps - whole > 1e-9;
  const count = whole + (hasPartial ? 1 : 0);
  const times = new Float64Array(count);
  const stepIndex = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const s = i < whole ? i + 1 : inSteps;
    stepIndex[i] = s;
    times[i] = convert(s, step, modelUnit);
  }
  return { times, stepIndex };
}

/**
 * The discount rate per period of `unit` equivalent to an annual rate (compounded once a year):
 * (1 + annual)^(days in the unit / 365.25) − 1. A 10 % annual rate is 0.797 % a month, 0.183 % a week.
 */
export function periodRate(annualRate: number, unit: TimeUnit): number {
  assertUnit(unit, 'the discount period');
  if (!Number.isFinite(annualRate) || annualRate <= -1) {
    throw new ClvError('invalid-input', `The annual discount rate must be a finite number above −100 % (got ${String(annualRate)}).`, {
      field: 'discountRate',
      value: String(annualRate),
    });
  }
  return Math.expm1(Math.log1p(annualRate) * (DAYS_PER[unit] / DAYS_PER_YEAR));
}

/** The factor 1 / (1 + annual)^(days / 365.25) that discounts a value received `days` from now. */
export function discountFactor(annualRate: number, days: number): number {
  if (!Number.isFinite(annualRate) || annualRate <= -1) {
    throw new ClvError('invalid-input', `The annual discount rate must be a finite number above −100 % (got ${String(annualRate)}).`, {
      field: 'discountRate',
      value: String(annualRate),
    });
  }
  return Math.exp(-Math.log1p(annualRate) * (days / DAYS_PER_YEAR));
}

// ---------------------------------------------------------------------------------------------
// Calendar days

/**
 * Days since 1970-01-01 of a proleptic Gregorian date, by integer arithmetic (no Date object, so no
 * timezone can shift it). Month 1..12. Valid for any year.
 */
export function dayNumberFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400; // [0, 399]
  const mp = (month + 9) % 12; // March = 0
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1; // [0, 365]
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy; // [0, 146096]
  return era * 146097 + doe - 719468;
}

/** The calendar date of a day number (inverse of dayNumberFromCivil). */
export function civilFromDayNumber(dayNumber: number): { year: number; month: number; day: number } {
  const z = Math.floor(dayNumber) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const DATE_PATTERN = /^\s*(\d{4})(?:-(\d{2})-(\d{2})|(\d{2})(\d{2}))(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?\s*$/;

/**
 * Parses a date to a UTC day number (days since 1970-01-01), or returns null when it is not one.
 * Accepts "YYYY-MM-DD", "YYYYMMDD" and ISO timestamps ("2024-03-31T23:30:00+02:00"). A timestamp
 * counts on the calendar day written in it: the time and the offset are ignored, so an order placed
 * late in the evening in its own timezone stays on that day whatever the machine's timezone is.
 */
export function tryParseDay(text: string): number | null {
  const match = DATE_PATTERN.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2] ?? match[4]);
  const day = Number(match[3] ?? match[5]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return dayNumberFromCivil(year, month, day);
}

/** Like tryParseDay, but throws ClvError('invalid-input') naming the text (and the row, when given). */
export function parseDay(text: string, row?: number): number {
  const value = tryParseDay(text);
  if (value === null) {
    const where = row === undefined ? '' : ` in row ${row}`;
    throw new ClvError('invalid-input', `"${text}"${where} is not a date (use YYYY-MM-DD or YYYYMMDD).`, {
      value: text,
      ...(row === undefined ? {} : { row }),
    });
  }
  return value;
}

/** Formats a day number as "YYYY-MM-DD". */
export function formatDay(dayNumber: number): string {
  const { year, month, day } = civilFromDayNumber(dayNumber);
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** The time between two day numbers in `unit` (positive when `to` is later). */
export function elapsed(fromDay: number, toDay: number, unit: TimeUnit): number {
  return convert(toDay - fromDay, 'day', unit);
}
