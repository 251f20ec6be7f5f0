/**
 * The team's base as the service sums it up (GET /v1/scores/summary, lib/server/summary.ts) and as the
 * dashboard shows it ("Team base, as of …"): the shape both sides share, and the extension's reading
 * of an answer (never trusted whole: a wrong shape is refused in words, a number that is not finite
 * never reaches a page). Pure.
 */

/** One tier of the team's current run. */
export interface TierSummary {
  tier: string;
  customers: number;
  /** The sum of the tier's customers' CLV (customers without one count as nothing). */
  value: number;
}

/** GET /v1/scores/summary. */
export interface ScoresSummary {
  /** The current run: when it was stored, from which file, by whom; null before the first upload. */
  run: { id: number; at: string; source: string; uploadedBy: string | null } | null;
  /** Customers in the current run. */
  customers: number;
  /** Customers with a CLV (the others have a tier only). */
  valued: number;
  /** Customer equity: the sum of every customer's CLV. */
  equity: number;
  /** Most valuable tier first. */
  tiers: TierSummary[];
}

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The summary in an answer, or what is wrong with it. */
export function readScoresSummary(json: unknown): { ok: true; summary: ScoresSummary } | { ok: false; problem: string } {
  const bad = (what: string) => ({ ok: false as const, problem: `The team service’s summary is not in the expected shape (${what}): is the service up to date?` });
  if (typeof json !== 'object' || json === null) return bad('not an object');
  const j = json as Record<string, unknown>;
  if (!finite(j.customers) || !finite(j.valued) || !finite(j.equity)) return bad('customers, valued or equity is not a number');
  if (!Array.isArray(j.tiers)) return bad('tiers is not a list');
  const tiers: TierSummary[] = [];
  for (const [i, t] of j.tiers.entries()) {
    const tier = t as Record<string, unknown> | null;
    if (!tier || typeof tier.tier !== 'string' || !finite(tier.customers) || !finite(tier.value)) return bad(`tiers[${i}]`);
    tiers.push({ tier: tier.tier.slice(0, 40), customers: tier.customers, value: tier.value });
  }
  let run: ScoresSummary['run'] = null;
  if (j.run !== null && j.run !== undefined) {
    const r = j.run as Record<string, unknown>;
    if (!finite(r.id) || typeof r.at !== 'string' || Number.isNaN(Date.parse(r.at)) || typeof r.source !== 'string') return bad('run');
    run = { id: r.id, at: r.at, source: r.source.slice(0, 200), uploadedBy: typeof r.uploadedBy === 'string' ? r.uploadedBy.slice(0, 200) : null };
  }
  return { ok: true, summary: { run, customers: j.customers, valued: j.valued, equity: j.equity, tiers } };
}

/** The summary as the dashboard keeps it: which service, when it was read (ms since the epoch). */
export interface TeamBase {
  url: string;
  fetchedAt: number;
  summary: ScoresSummary;
}

/** A kept TeamBase as stored, or undefined when it is not one (whatever an older build or a hand edit left). */
export function teamBaseFrom(stored: unknown): TeamBase | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const { url, fetchedAt, summary } = stored as Record<string, unknown>;
  if (typeof url !== 'string' || !finite(fetchedAt)) return undefined;
  const read = readScoresSummary(summary);
  return read.ok ? { url, fetchedAt, summary: read.summary } : undefined;
}
