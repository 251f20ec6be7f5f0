import './dashboard.css';
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { MODEL_LABELS } from '~/lib/clv/auto';
import type { ModelName } from '~/lib/clv/model';
import { buildDashboard, type DashboardData } from '~/lib/dashboard/dashboard';
import { capitalized, countText, type DisplayFormat, moneyText, percentText } from '~/lib/dashboard/format';
import type { CentricDb } from '~/lib/db/db';
import type { CustomerWithValue } from '~/lib/db/records';
import { withValues } from '~/lib/db/values';
import { formatDate } from '~/lib/format/display';
import { ChartCanvas } from './ChartCanvas';
import { concentrationChart, pAliveChart, tierChart, trackingChart } from '~/lib/pages/dashboard-charts';
import { CustomerTable } from './CustomerTable';
import { TeamBase } from './TeamBase';
import { SampleMarker } from '~/components/SampleMarker';
import { isSampleLoaded } from '~/lib/sample/install';

type View =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'not-scored'; customers: number }
  | { kind: 'ready'; data: DashboardData; customers: CustomerWithValue[] };

/** Reads the customers and the latest two model runs, and computes what the dashboard shows. */
async function loadView(db: CentricDb): Promise<View> {
  const [stored, runs] = await Promise.all([db.customers.toArray(), db.modelRuns.orderBy('at').reverse().limit(2).toArray()]);
  const customers = await withValues(db, stored);
  const [latest, previous] = runs;
  if (!latest) return { kind: 'not-scored', customers: customers.length };
  return { kind: 'ready', data: buildDashboard(customers, latest, previous ?? null), customers };
}

function modelLabel(model: string): string {
  return MODEL_LABELS[model as ModelName] ?? model;
}

function EquityCard({ data }: { data: DashboardData }) {
  const { equity, display } = data;
  const direction = equity.change === null || Math.round(equity.change) === 0 ? 'same' : equity.change > 0 ? 'up' : 'down';
  return (
    <section class="card dash-card" aria-labelledby="equity-title">
      <h3 id="equity-title">Customer equity</h3>
      <p class="big-number" data-testid="equity">
        {moneyText(equity.equity, display)}
      </p>
      <p class={`change ${direction}`} data-testid="equity-change">
        {equity.changeText}
      </p>
      <p class="reading">{equity.reading}</p>
      <dl class="stats equity-facts">
        <div>
          <dt>Per customer, on average</dt>
          <dd>{moneyText(equity.customers > 0 ? equity.equity / equity.customers : 0, display)}</dd>
        </div>
        <div>
          <dt>Model</dt>
          <dd>{modelLabel(data.run.model)}</dd>
        </div>
        <div>
          <dt>Scored</dt>
          <dd>{formatDate(data.run.at)}</dd>
        </div>
      </dl>
    </section>
  );
}

function ConcentrationCard({ data }: { data: DashboardData }) {
  const { concentration } = data;
  return (
    <section class="card dash-card" aria-labelledby="concentration-title">
      <h3 id="concentration-title">Value concentration</h3>
      <p class="reading" data-testid="concentration-reading">
        {concentration.reading}
      </p>
      <ChartCanvas
        label="Share of total predicted value held by the top percent of customers, with the tier boundaries marked"
        fallback={concentration.reading}
        build={(theme) => concentrationChart(concentration, theme)}
      />
      <ul class="markers">
        {concentration.boundaries.map((b) => (
          <li key={b.tier.index}>
            <span class="swatch" style={{ background: b.tier.color }} aria-hidden="true" />
            {b.tier.name} and above: the top {percentText(b.customersPercent / 100)} of customers hold {percentText(b.valueShare)} of the value
          </li>
        ))}
      </ul>
    </section>
  );
}

function TiersCard({ data }: { data: DashboardData }) {
  const { tiers, display } = data;
  return (
    <section class="card dash-card" aria-labelledby="tiers-title">
      <h3 id="tiers-title">Tiers</h3>
      <p class="reading" data-testid="tier-reading">
        {tiers.reading}
      </p>
      <ChartCanvas
        label="Share of customers and share of value per tier"
        fallback={tiers.reading}
        build={(theme) => tierChart(tiers, theme, display)}
        height={200}
      />
      <table class="data-table" data-testid="tier-table">
        <caption class="visually-hidden">Customers and predicted value per tier</caption>
        <thead>
          <tr>
            <th scope="col">Tier</th>
            <th scope="col" class="numeric">Customers</th>
            <th scope="col" class="numeric">Value</th>
            <th scope="col" class="numeric">Share of value</th>
          </tr>
        </thead>
        <tbody>
          {tiers.rows.map((r) => (
            <tr key={r.index}>
              <th scope="row">
                <span class="tier-badge" style={{ background: r.color, color: r.foreground }}>
                  {r.name}
                </span>
              </th>
              <td class="numeric">
                {countText(r.customers, display)} <span class="muted">({percentText(r.customerShare)})</span>
              </td>
              <td class="numeric">{moneyText(r.value, display)}</td>
              <td class="numeric">{percentText(r.valueShare)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function PAliveCard({ data }: { data: DashboardData }) {
  const { pAlive, display } = data;
  return (
    <section class="card dash-card" aria-labelledby="palive-title">
      <h3 id="palive-title">P(alive)</h3>
      <p class="reading" data-testid="palive-reading">
        {pAlive.reading}
      </p>
      <ChartCanvas
        label="Customers by their probability of still being active, P(alive), in ten bins"
        fallback={pAlive.reading}
        build={(theme) => pAliveChart(pAlive, theme, display)}
        height={200}
      />
      <details>
        <summary>As a table</summary>
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">P(alive)</th>
              <th scope="col" class="numeric">Customers</th>
              <th scope="col" class="numeric">Share</th>
            </tr>
          </thead>
          <tbody>
            {pAlive.bins.map((b) => (
              <tr key={b.label}>
                <th scope="row">{b.label}</th>
                <td class="numeric">{countText(b.customers, display)}</td>
                <td class="numeric">{percentText(b.share)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

const mean = (v: number) => v.toFixed(2);

function TrustCard({ data }: { data: DashboardData }) {
  const { trust, display } = data;
  return (
    <section class="card dash-card trust" aria-labelledby="trust-title">
      <h3 id="trust-title">Model trust</h3>
      <p class="reading" data-testid="trust-reading">
        {trust.reading}
      </p>
      {trust.table.length > 0 && (
        <table class="data-table" data-testid="holdout-table">
          <caption>Holdout transactions per customer, actual and predicted, by repeat purchases before the holdout</caption>
          <thead>
            <tr>
              <th scope="col">Repeat purchases before the holdout</th>
              <th scope="col" class="numeric">Customers</th>
              <th scope="col" class="numeric">Actual, per customer</th>
              <th scope="col" class="numeric">Predicted, per customer</th>
            </tr>
          </thead>
          <tbody>
            {trust.table.map((r) => (
              <tr key={r.label}>
                <th scope="row">{r.label}</th>
                <td class="numeric">{countText(r.customers, display)}</td>
                <td class="numeric">{mean(r.actual)}</td>
                <td class="numeric">{mean(r.predicted)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {trust.tracking.length > 0 && (
        <>
          <ChartCanvas
            label={`Cumulative repeat transactions per ${trust.unit}, actual against predicted by the model${trust.holdoutStartPeriod ? `; the holdout starts in ${trust.unit} ${trust.holdoutStartPeriod}` : ''}`}
            fallback={trust.reading}
            build={(theme) => trackingChart(trust, theme, display)}
            height={260}
          />
          <details>
            <summary>Tracking as a table</summary>
            <div class="table-scroll">
              <table class="data-table">
                <thead>
                  <tr>
                    <th scope="col">{capitalized(trust.unit)}</th>
                    <th scope="col" class="numeric">Actual (cumulative)</th>
                    <th scope="col" class="numeric">Predicted (cumulative)</th>
                  </tr>
                </thead>
                <tbody>
                  {trust.tracking.map((p) => (
                    <tr key={p.period} class={trust.holdoutStartPeriod !== null && p.period >= trust.holdoutStartPeriod ? 'holdout' : undefined}>
                      <th scope="row">
                        {p.period}
                        {p.period === trust.holdoutStartPeriod ? ' (holdout starts)' : ''}
                      </th>
                      <td class="numeric">{p.actual === null ? '—' : countText(p.actual, display)}</td>
                      <td class="numeric">{countText(p.predicted, display)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}

function Heading() {
  return (
    <h2 id="dashboard-title" class="dashboard-title">
      Customer value
    </h2>
  );
}

function scoredLine(data: DashboardData, display: DisplayFormat): string {
  const base = `Scored ${formatDate(data.run.at)} with ${modelLabel(data.run.model)}, ${countText(data.scored, display)} customers.`;
  if (data.unscored === 0) return base;
  const one = data.unscored === 1;
  return `${base} ${countText(data.unscored, display)} customer${one ? '' : 's'} added since then ${one ? 'has' : 'have'} no score yet: score again to include ${one ? 'this customer' : 'them'}.`;
}

/**
 * The value dashboard of the options page: customer equity, value concentration, tiers, P(alive),
 * model trust and the customer table, from the latest scoring run. Reads the store once when
 * mounted (remount it, e.g. with a `key`, after the store changes).
 */
export function Dashboard({ db }: { db: CentricDb }) {
  const view = useSignal<View>({ kind: 'loading' });
  const sample = useSignal(false);
  useEffect(() => {
    // The marker and the figures appear together: both read before the view is shown.
    Promise.all([loadView(db), isSampleLoaded(db)])
      .then(([v, loaded]) => ((sample.value = loaded), (view.value = v)))
      .catch((error: unknown) => (view.value = { kind: 'error', message: `The dashboard could not read the store: ${String((error as Error)?.message ?? error)}` }));
  }, []);

  const v = view.value;
  if (v.kind !== 'ready') {
    return (
      <section class="dashboard" aria-labelledby="dashboard-title" data-testid="dashboard" data-state={v.kind}>
        <div class="card">
          <Heading />
          {sample.value && <SampleMarker />}
          <TeamBase />
          {v.kind === 'loading' && (
            <p class="muted" role="status">
              Reading the store…
            </p>
          )}
          {v.kind === 'error' && (
            <p class="notice error" role="alert">
              {v.message}
            </p>
          )}
          {v.kind === 'not-scored' && (
            <p data-testid="dashboard-not-scored">
              {v.customers > 0
                ? `Not scored yet: ${countText(v.customers)} customers are in the store, but no scoring has run. Score them (see Scoring) to see customer equity, how value is concentrated, the tiers, P(alive) and how far to trust the model.`
                : 'Not scored yet: there are no customers in the store. Import your transactions (or load the sample) and score them to see customer equity, tiers and how far to trust the model.'}
            </p>
          )}
        </div>
      </section>
    );
  }

  const { data, customers } = v;
  return (
    <section class="dashboard" aria-labelledby="dashboard-title" data-testid="dashboard" data-state="ready">
      <header class="dashboard-head">
        <Heading />
        {sample.value && <SampleMarker />}
        <p class="muted">{scoredLine(data, data.display)}</p>
      </header>
      <TeamBase />
      <div class="dash-grid">
        <EquityCard data={data} />
        <ConcentrationCard data={data} />
        <TiersCard data={data} />
        <PAliveCard data={data} />
      </div>
      <TrustCard data={data} />
      <CustomerTable customers={customers} display={data.display} fileDate={data.run.at.slice(0, 10)} />
    </section>
  );
}
