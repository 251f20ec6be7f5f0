/**
 * The customer-equity report page (report.html): the figures of lib/equity/report.ts for the latest
 * scoring, with print-readable charts, and exports as CSV, PNG and PDF (the page painted on a canvas,
 * lib/pages/report-paint.ts; the PDF by lib/equity/pdf.ts). Reads the `centric` database directly
 * (an extension page may).
 */
import { equityNote } from '~/lib/labels/value';
import { useSignal } from '@preact/signals';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { countText, moneyText, percentText, signedMoneyText } from '~/lib/dashboard/format';
import type { CentricDb } from '~/lib/db/db';
import type { ImportRunRecord, ModelRunRecord } from '~/lib/db/records';
import { latestSnapshots } from '~/lib/db/snapshots';
import type { CohortPeriod } from '~/lib/equity/cohorts';
import { buildPdf } from '~/lib/equity/pdf';
import { buildReport, reportCsv, type ReportData } from '~/lib/equity/report';
import type { RunSnapshot } from '~/lib/equity/snapshot';
import { bridgeSentence, changeText, concentrationText, equityText, movesSentence, newCustomerHeadline, newCustomerSentence, provenanceLines } from '~/lib/equity/words';
import { canvasBlob, download } from '../../lib/pages/download';
import { paintReport } from '../../lib/pages/report-paint';
import { bridgeChart, cohortChart, repeatByCohortChart, tierEquityChart } from '../../lib/pages/report-charts';
import { ReportChart } from './ReportChart';
import { SampleMarker } from '~/components/SampleMarker';
import { isSampleLoaded } from '~/lib/sample/install';

interface Loaded {
  run: ModelRunRecord & { id: number };
  snapshot: RunSnapshot;
  previousRun: (ModelRunRecord & { id: number }) | null;
  previousSnapshot: RunSnapshot | null;
  imports: ImportRunRecord[];
  names: Map<string, string>;
  /** The data is the bundled sample (lib/sample/install.ts). */
  sample: boolean;
}

type View = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'empty'; message: string } | { kind: 'ready'; loaded: Loaded };

async function load(db: CentricDb): Promise<View> {
  const runs = (await db.modelRuns.orderBy('at').reverse().limit(3).toArray()) as (ModelRunRecord & { id: number })[];
  const run = runs[0];
  if (!run) return { kind: 'empty', message: 'Nothing has been scored yet. Score your customers in Options → Scoring, then open the report again.' };
  const { current, previous } = await latestSnapshots(db);
  if (!current || current.modelRunId !== run.id) {
    return { kind: 'empty', message: 'The latest scoring has no snapshot for the report (it was made by an older version). Score again in Options → Scoring.' };
  }
  const previousRun = previous ? ((await db.modelRuns.get(previous.modelRunId)) as (ModelRunRecord & { id: number }) | undefined) ?? null : null;
  const imports = await db.importRuns.toArray();
  // Names for the lists: the report is built once without them to learn which customers it lists.
  const draft = buildReport({ run, snapshot: current, previousRun, previousSnapshot: previous, imports });
  const ids = new Set(draft.watchList.map((w) => w.id));
  if ('bridge' in draft.changes) for (const c of [...draft.changes.topUp, ...draft.changes.topDown, ...draft.changes.becameAtRisk]) ids.add(c.id);
  const customers = await db.customers.bulkGet([...ids]);
  const names = new Map(customers.flatMap((c) => (c ? [[c.id, c.name || c.id] as [string, string]] : [])));
  const sample = await isSampleLoaded(db);
  return { kind: 'ready', loaded: { run, snapshot: current, previousRun, previousSnapshot: previous, imports, names, sample } };
}

const stamp = (report: ReportData) => report.provenance.runAt.slice(0, 10);

export function ReportPage({ db }: { db: CentricDb }) {
  const view = useSignal<View>({ kind: 'loading' });
  const period = useSignal<CohortPeriod>('quarter');
  const status = useSignal<string>('');
  const charts = useRef<{ tiers: HTMLCanvasElement | null; bridge: HTMLCanvasElement | null; cohorts: HTMLCanvasElement | null; repeat: HTMLCanvasElement | null }>({ tiers: null, bridge: null, cohorts: null, repeat: null });

  useEffect(() => {
    load(db)
      .then((v) => (view.value = v))
      .catch((error: unknown) => (view.value = { kind: 'error', message: `The report could not be read from the store: ${(error as Error).message}` }));
  }, []);

  const v = view.value;
  const report = useMemo(() => (v.kind === 'ready' ? buildReport({ ...v.loaded, period: period.value }) : null), [v, period.value]);
  const configs = useMemo(() => (report ? { tiers: tierEquityChart(report), bridge: bridgeChart(report), cohorts: cohortChart(report), repeat: repeatByCohortChart(report) } : null), [report]);

  if (v.kind === 'loading') return <p class="report-note" role="status">Reading the latest scoring…</p>;
  if (v.kind === 'error') return <p class="report-note error" role="alert">{v.message}</p>;
  if (v.kind === 'empty' || !report || !configs) return <p class="report-note" role="status">{v.kind === 'empty' ? v.message : ''}</p>;
  const d = report.display;

  const exportCsv = () => {
    download(new Blob([reportCsv(report)], { type: 'text/csv;charset=utf-8' }), `centric-customer-equity-${stamp(report)}.csv`);
    status.value = 'CSV saved.';
  };
  const exportImage = async (kind: 'png' | 'pdf') => {
    try {
      status.value = `Preparing the ${kind.toUpperCase()}…`;
      const painted = paintReport(report, charts.current);
      if (kind === 'png') {
        download(await canvasBlob(painted.canvas, 'image/png'), `centric-customer-equity-${stamp(report)}.png`);
      } else {
        const jpeg = new Uint8Array(await (await canvasBlob(painted.canvas, 'image/jpeg', 0.92)).arrayBuffer());
        const pdf = buildPdf({ jpeg, width: painted.canvas.width, height: painted.canvas.height, texts: painted.texts, title: `${report.title}, ${stamp(report)}`, created: new Date(report.generatedAt) });
        download(new Blob([pdf], { type: 'application/pdf' }), `centric-customer-equity-${stamp(report)}.pdf`);
      }
      status.value = `${kind.toUpperCase()} saved.`;
    } catch (error) {
      status.value = `The ${kind.toUpperCase()} could not be made: ${(error as Error).message}`;
    }
  };

  const changes = 'bridge' in report.changes ? report.changes : null;
  return (
    <main class="report" aria-labelledby="report-title">
      <header class="report-head">
        <h1 id="report-title">{report.title}</h1>
        {v.loaded.sample && <SampleMarker />}
        <div class="report-actions no-print" role="group" aria-label="Export the report">
          <button type="button" onClick={exportCsv}>Export CSV</button>
          <button type="button" onClick={() => void exportImage('png')}>Export PNG</button>
          <button type="button" onClick={() => void exportImage('pdf')}>Export PDF</button>
          <button type="button" onClick={() => window.print()}>Print</button>
        </div>
        <p class="report-status no-print" role="status" aria-live="polite" data-testid="report-status">{status.value}</p>
        {provenanceLines(report).map((line) => (
          <p class="provenance">{line}</p>
        ))}
      </header>

      <section class="figures" aria-label="Key figures">
        <div class="figure">
          <h2>Customer equity</h2>
          <p class="big" data-testid="report-equity">{equityText(report)}</p>
          <p class="note" data-testid="report-change">{changeText(report)}</p>
          <p class="note" data-testid="report-equity-basis">{equityNote(report.provenance.horizonMonths ?? undefined)}</p>
        </div>
        <div class="figure">
          <h2>Per customer</h2>
          <p class="big">{moneyText(report.equity.perCustomer, d)}</p>
          <p class="note">{countText(report.provenance.scoredCustomers, d)} customers scored</p>
        </div>
        <div class="figure">
          <h2>Most to pay for a new customer</h2>
          <p class="big" data-testid="report-new-customer">{newCustomerHeadline(report)}</p>
          <p class="note">like your average one</p>
        </div>
      </section>
      <p>{concentrationText(report)}</p>
      <p data-testid="report-new-customer-sentence">{newCustomerSentence(report)}</p>

      <section aria-labelledby="tiers-title">
        <h2 id="tiers-title">Tiers: who to acquire more of</h2>
        <div class="split">
          <table class="data-table">
            <caption>Customer equity per tier, and the first purchase of the tier's customers</caption>
            <thead>
              <tr>
                <th scope="col">Tier</th>
                <th scope="col" class="numeric">Customers</th>
                <th scope="col" class="numeric">Equity</th>
                <th scope="col" class="numeric">Share</th>
                <th scope="col" class="numeric">Mean value</th>
                <th scope="col" class="numeric">First order (quartiles)</th>
                <th scope="col">Acquired</th>
                <th scope="col" class="numeric">Bought again</th>
              </tr>
            </thead>
            <tbody>
              {report.tiers.map((t) => (
                <tr>
                  <th scope="row">{t.name}</th>
                  <td class="numeric">{countText(t.customers, d)}</td>
                  <td class="numeric">{moneyText(t.equity, d)}</td>
                  <td class="numeric">{percentText(t.share)}</td>
                  <td class="numeric">{moneyText(t.meanClv, d)}</td>
                  <td class="numeric">{t.firstOrder ? `${moneyText(t.firstOrder.p25, d)} · ${moneyText(t.firstOrder.median, d)} · ${moneyText(t.firstOrder.p75, d)}` : '—'}</td>
                  <td>{t.acquiredFrom ? `${t.acquiredFrom} to ${t.acquiredTo}` : '—'}</td>
                  <td class="numeric">{percentText(t.repeatShare)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ReportChart config={configs.tiers} width={460} height={240} label="Customer equity per tier" fallback={report.tiers.map((t) => `${t.name}: ${moneyText(t.equity, d)}`).join('; ')} onDrawn={(c) => (charts.current.tiers = c)} />
        </div>
        <p class="note">{report.channelNote}</p>
      </section>

      <section aria-labelledby="changes-title">
        <h2 id="changes-title">Changes since the last scoring</h2>
        <div class="split">
          <div>
            <p data-testid="report-bridge">{bridgeSentence(report)}</p>
            {changes && <p data-testid="report-moves">{movesSentence(report)}</p>}
          </div>
          {configs.bridge && (
            <ReportChart config={configs.bridge} width={520} height={260} label="Customer equity before, each part of the change, and now" fallback={bridgeSentence(report)} onDrawn={(c) => (charts.current.bridge = c)} />
          )}
        </div>
        {changes && changes.becameAtRisk.length > 0 && (
          <CustomerList title="High-value customers who became at risk" rows={changes.becameAtRisk.map((c) => ({ id: c.id, value: c.clvNow, note: `P(alive) ${percentText(c.pAliveNow)}` }))} names={v.loaded.names} report={report} />
        )}
        {changes && changes.topDown.length > 0 && (
          <CustomerList title="Moved down a tier (largest changes)" rows={changes.topDown.slice(0, 10).map((c) => ({ id: c.id, value: c.clvNow, note: `${tierName(report, c.tierBefore)} → ${tierName(report, c.tierNow)}, ${signedMoneyText(c.clvNow - c.clvBefore, d)}` }))} names={v.loaded.names} report={report} />
        )}
        {changes && changes.topUp.length > 0 && (
          <CustomerList title="Moved up a tier (largest changes)" rows={changes.topUp.slice(0, 10).map((c) => ({ id: c.id, value: c.clvNow, note: `${tierName(report, c.tierBefore)} → ${tierName(report, c.tierNow)}, ${signedMoneyText(c.clvNow - c.clvBefore, d)}` }))} names={v.loaded.names} report={report} />
        )}
      </section>

      <section aria-labelledby="watch-title">
        <h2 id="watch-title">Watch list: high-value customers at risk</h2>
        {report.watchList.length === 0 ? (
          <p>No high-value customer is at risk in this scoring.</p>
        ) : (
          <CustomerList title={`${report.watchList.length} highest by value`} rows={report.watchList.map((w) => ({ id: w.id, value: w.clv, note: `${w.tier}, P(alive) ${percentText(w.pAlive)}` }))} names={v.loaded.names} report={report} />
        )}
      </section>

      <section aria-labelledby="cohorts-title">
        <h2 id="cohorts-title">Customer equity by acquisition cohort</h2>
        <p class="no-print">
          <label>
            Cohorts by{' '}
            <select value={period.value} onChange={(e) => (period.value = (e.currentTarget as HTMLSelectElement).value as CohortPeriod)}>
              <option value="month">month</option>
              <option value="quarter">quarter</option>
            </select>
          </label>
        </p>
        <div class="split">
          <table class="data-table" data-testid="report-cohorts">
            <caption>Customers by the {report.cohorts.period} of their first purchase</caption>
            <thead>
              <tr>
                <th scope="col">Cohort</th>
                <th scope="col" class="numeric">Customers</th>
                <th scope="col" class="numeric">Repeat transactions</th>
                <th scope="col" class="numeric">Revenue so far</th>
                <th scope="col" class="numeric">Expected active</th>
                <th scope="col" class="numeric">Customer equity</th>
              </tr>
            </thead>
            <tbody>
              {report.cohorts.rows.map((r) => (
                <tr>
                  <th scope="row">{r.label}</th>
                  <td class="numeric">{countText(r.customers, d)}</td>
                  <td class="numeric">{countText(r.repeatTransactions, d)}</td>
                  <td class="numeric">{moneyText(r.revenue, d)}</td>
                  <td class="numeric">{countText(r.expectedActive, d)}</td>
                  <td class="numeric">{moneyText(r.equity, d)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total</th>
                <td class="numeric">{countText(report.cohorts.total.customers, d)}</td>
                <td class="numeric">{countText(report.cohorts.total.repeatTransactions, d)}</td>
                <td class="numeric">{moneyText(report.cohorts.total.revenue, d)}</td>
                <td class="numeric">{countText(report.cohorts.total.expectedActive, d)}</td>
                <td class="numeric">{moneyText(report.cohorts.total.equity, d)}</td>
              </tr>
            </tfoot>
          </table>
          <ReportChart config={configs.cohorts} width={520} height={260} label="Revenue so far and expected customer equity per acquisition cohort" fallback={report.cohorts.rows.map((r) => `${r.label}: ${moneyText(r.equity, d)}`).join('; ')} onDrawn={(c) => (charts.current.cohorts = c)} />
        </div>
        {configs.repeat && (
          <ReportChart
            config={configs.repeat}
            width={1000}
            height={280}
            label={`Repeat transactions per calendar ${report.cohorts.period}, stacked by acquisition cohort`}
            fallback="The CSV export has the repeat transactions of each cohort in each period."
            onDrawn={(c) => (charts.current.repeat = c)}
          />
        )}
      </section>

      <section aria-labelledby="trust-title">
        <h2 id="trust-title">How far to trust the model</h2>
        <p data-testid="report-accuracy">{report.accuracy.reading}</p>
      </section>
    </main>
  );
}

function tierName(report: ReportData, index: number): string {
  return report.display.tiers[index]?.name ?? `Tier ${index + 1}`;
}

function CustomerList({ title, rows, names, report }: { title: string; rows: { id: string; value: number; note: string }[]; names: Map<string, string>; report: ReportData }) {
  return (
    <table class="data-table customer-list">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">Customer</th>
          <th scope="col" class="numeric">Value now</th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>
            <th scope="row">
              <a href={`/purchases.html?customer=${encodeURIComponent(r.id)}`} target="_blank" rel="noopener">
                {names.get(r.id) ?? r.id}
              </a>
            </th>
            <td class="numeric">{moneyText(r.value, report.display)}</td>
            <td>{r.note}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
