/**
 * When several sources know a customer, which one the sidebar shows, and how it says where the value
 * comes from ("From Acme warehouse API, as of 12 Mar 10:42").
 *
 * The rule (chooseScore):
 * 1. Sources are taken in precedence order (effectivePrecedence of the configuration); a candidate
 *    without a score (not known, not asked) does not count.
 * 2. The first source whose value is usable wins: fresh, or stale (within the stale period the manager
 *    set, being refreshed in the background). A stale value from a higher source beats a fresh one from
 *    a lower source: the manager said that source is preferred, and stale values are ones they accept.
 * 3. Only when no source has a usable value, the first source with an expired value whose refresh
 *    failed is shown (marked "as of", `fallback: true`): an old value beats nothing, but it is older
 *    than its source's manager accepts, so a lower source's usable value beats it.
 */
import { LOCAL_SOURCE_ID, type Source } from './config';

/** One source's value for the customer. */
export interface ScoreCandidate<S = unknown> {
  sourceId: string;
  /** The value; null or undefined = this source has none for the customer. */
  score: S | null | undefined;
  /** When the value was fetched or computed (ms since the epoch). */
  asOf: number;
  /** Past its fresh time, being refreshed in the background. */
  stale: boolean;
  /** Past its stale period too, and the refresh failed: shown only when nothing better exists. */
  expired?: boolean;
}

/** The chosen candidate; `fallback` when it is an expired value shown because nothing better exists. */
export type ChosenScore<S> = ScoreCandidate<S> & { score: S; fallback: boolean };

/** The value to show (see the rule at the top of this file), or undefined when no source has one. */
export function chooseScore<S>(candidates: readonly ScoreCandidate<S>[], precedence: readonly string[]): ChosenScore<S> | undefined {
  const ranked: ScoreCandidate<S>[] = [];
  for (const id of precedence) {
    for (const candidate of candidates) {
      if (candidate.sourceId === id && candidate.score !== null && candidate.score !== undefined) ranked.push(candidate);
    }
  }
  const usable = ranked.find((c) => !c.expired);
  if (usable) return { ...usable, score: usable.score as S, fallback: false };
  const old = ranked[0];
  return old ? { ...old, score: old.score as S, fallback: true } : undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "12 Mar 10:42" in local time; with the year when it is not the year of `now`: "12 Mar 2024 10:42". */
export function asOfText(time: number, now?: number): string {
  const d = new Date(time);
  if (Number.isNaN(d.getTime())) return 'an unknown time';
  const year = now !== undefined && new Date(now).getFullYear() !== d.getFullYear() ? ` ${d.getFullYear()}` : '';
  const hh = String(d.getHours()).padStart(2, '0');
  const mm = String(d.getMinutes()).padStart(2, '0');
  return `${d.getDate()} ${MONTHS[d.getMonth()]}${year} ${hh}:${mm}`;
}

/** The name of a source as the sidebar says it. */
export function sourceName(source: Pick<Source, 'name'> | typeof LOCAL_SOURCE_ID): string {
  return source === LOCAL_SOURCE_ID ? 'the scores in this browser' : source.name;
}

/**
 * Where a team value comes from (issue 19): "Team value, as of 12 Mar 10:42"; "(could not refresh)"
 * is added for a fallback value (expired, and the service could not be reached).
 */
export function teamLabel(asOf: number, options: { now?: number; fallback?: boolean } = {}): string {
  return `Team value, as of ${asOfText(asOf, options.now)}${options.fallback ? ' (could not refresh)' : ''}`;
}

/**
 * Where the shown value comes from, for the sidebar: "From Acme warehouse API, as of 12 Mar 10:42";
 * "(could not refresh)" is added for a fallback value (expired, refresh failed).
 */
export function sourceLabel(
  source: Pick<Source, 'name'> | typeof LOCAL_SOURCE_ID,
  asOf?: number,
  options: { now?: number; fallback?: boolean } = {},
): string {
  const when = asOf !== undefined ? `, as of ${asOfText(asOf, options.now)}` : '';
  return `From ${sourceName(source)}${when}${options.fallback ? ' (could not refresh)' : ''}`;
}
