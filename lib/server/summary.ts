/**
 * The team's base in one answer (GET /v1/scores/summary; the extension's dashboard shows it as "Team
 * base, as of …"): the current run's customer count, customer equity (the sum of CLV), and each tier's
 * customers and value — added up by the database from the scores table (the tier is in the stored
 * score, the CLV in its own column), so no customer row leaves it. Any token may read it.
 */
import type { ScoresSummary } from '../team/values-summary';
import type { Sql } from './database';
import { currentRun } from './scores';

export async function scoresSummary(db: Sql): Promise<ScoresSummary> {
  const run = await currentRun(db);
  if (!run) return { run: null, customers: 0, valued: 0, equity: 0, tiers: [] };
  const { rows } = await db.query<{ tier: string; customers: string | number; valued: string | number; value: string | number | null }>(
    `SELECT score->>'tier' AS tier, count(*) AS customers, count(clv) AS valued, sum(clv) AS value
       FROM scores WHERE run_id = $1 GROUP BY 1 ORDER BY sum(clv) DESC NULLS LAST, 1`,
    [run.id],
  );
  const tiers = rows.map((r) => ({ tier: r.tier ?? '', customers: Number(r.customers), valued: Number(r.valued), value: r.value === null ? 0 : Number(r.value) }));
  const sum = (pick: (t: (typeof tiers)[number]) => number) => tiers.reduce((s, t) => s + pick(t), 0);
  return {
    run: { id: run.id, at: run.at, source: run.source, uploadedBy: run.uploadedBy },
    customers: sum((t) => t.customers),
    valued: sum((t) => t.valued),
    equity: sum((t) => t.value),
    tiers: tiers.map(({ tier, customers, value }) => ({ tier, customers, value })),
  };
}
