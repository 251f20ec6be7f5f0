import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { countText, moneyText, percentText } from '~/lib/dashboard/format';
import { formatDate } from '~/lib/format/display';
import { keptTeamBase, refreshTeamBase } from '~/lib/pages/team-base';
import { asOfText } from '~/lib/sources/precedence';
import type { TeamBase as Base } from '~/lib/team/values-summary';

type State =
  | { kind: 'hidden' }
  | { kind: 'loading'; url: string }
  | { kind: 'shown'; base: Base; problem?: string }
  | { kind: 'failed'; url: string; message: string };

/**
 * "Team base, as of …" at the top of the dashboard when a team connection exists (issue 19): the team's
 * current scores summed up by the service — customers, customer equity, each tier's customers and value
 * — read when the dashboard opens, shown at once from the copy kept last time, and from that copy
 * ("could not refresh") when the service cannot be reached. Nothing shows when not connected.
 */
export function TeamBase() {
  const state = useSignal<State>({ kind: 'hidden' });
  useEffect(() => {
    let live = true;
    void keptTeamBase().then(async ({ connection, kept }) => {
      if (!connection || !live) return;
      state.value = kept ? { kind: 'shown', base: kept } : { kind: 'loading', url: connection.url };
      const fresh = await refreshTeamBase(connection);
      if (!live) return;
      if (fresh.ok) state.value = { kind: 'shown', base: fresh.base };
      else state.value = kept ? { kind: 'shown', base: kept, problem: fresh.message } : { kind: 'failed', url: connection.url, message: fresh.message };
    });
    return () => void (live = false);
  }, []);

  const s = state.value;
  if (s.kind === 'hidden') return null;
  return (
    <section class="card dash-card team-base" aria-labelledby="team-base-title" data-testid="team-base" data-state={s.kind}>
      <h3 id="team-base-title">{s.kind === 'shown' ? `Team base, as of ${asOfText(s.base.fetchedAt, Date.now())}` : 'Team base'}</h3>
      {s.kind === 'loading' && (
        <p class="muted" role="status">
          Asking the team service at {s.url}…
        </p>
      )}
      {s.kind === 'failed' && (
        <p class="notice error" role="alert" data-testid="team-base-problem">
          The team’s base could not be read: {s.message}
        </p>
      )}
      {s.kind === 'shown' && <Figures base={s.base} problem={s.problem} />}
    </section>
  );
}

function Figures({ base, problem }: { base: Base; problem: string | undefined }) {
  const { summary } = base;
  const run = summary.run;
  return (
    <>
      {problem && (
        <p class="notice" role="note" data-testid="team-base-problem">
          Could not refresh, showing the copy read {asOfText(base.fetchedAt, Date.now())}: {problem}
        </p>
      )}
      {!run ? (
        <p data-testid="team-base-empty">The team service holds no scores yet: a manager uploads the team’s score file (PUT /v1/scores).</p>
      ) : (
        <>
          <p class="big-number" data-testid="team-equity">
            {moneyText(summary.equity)}
          </p>
          <p class="reading" data-testid="team-base-reading">
            Customer equity of the team’s {countText(summary.customers)} customers
            {summary.valued < summary.customers ? ` (${countText(summary.customers - summary.valued)} with a tier but no value)` : ''}. Scores uploaded {formatDate(run.at)} from {run.source}
            {run.uploadedBy ? ` by ${run.uploadedBy}` : ''}.
          </p>
          <table class="team-tiers" data-testid="team-tiers">
            <thead>
              <tr>
                <th scope="col">Tier</th>
                <th scope="col">Customers</th>
                <th scope="col">Value</th>
                <th scope="col">Share of value</th>
              </tr>
            </thead>
            <tbody>
              {summary.tiers.map((t) => (
                <tr key={t.tier} data-testid="team-tier" data-tier={t.tier}>
                  <th scope="row">{t.tier || '(no tier)'}</th>
                  <td>{countText(t.customers)}</td>
                  <td>{moneyText(t.value)}</td>
                  <td>{summary.equity > 0 ? percentText(t.value / summary.equity) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
