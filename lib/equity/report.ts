/**
 * The one-page customer-equity report as one plain object, and its CSV: customer equity and its
 * concentration, tiers with their first-purchase profile, the value of a new customer, what changed
 * since the last scoring, cohorts, the model's holdout accuracy in words, and the provenance (when,
 * from which data). The report page renders it; the CSV carries the same numbers.
 */
import { isTransactionModelName, MODEL_LABELS } from '../clv/auto';
import { ClvError } from '../clv/errors';
import { isTimeUnit } from '../clv/time';
import { csvText } from '../csv/write';
import type { ImportRunRecord, ModelRunRecord } from '../db/records';
import { percentText } from '../dashboard/format';
import { runDisplay, runHoldout, type RunDisplay, type TierLegend } from '../dashboard/run';
import { trustView } from '../dashboard/trust';
import { runChanges, watchList, type RunChanges } from './changes';
import { cohorts, type CohortPeriod, type Cohorts } from './cohorts';
import { newCustomerValue, type NewCustomerValue } from './new-customer';
import { meanFirstOrder, NO_CHANNEL_NOTE, tierProfiles, type TierProfile } from './profile';
import { NOT_SCORED, type RunSnapshot } from './snapshot';
import { Sum, sumOf } from './sum';

export interface ReportInput {
  run: ModelRunRecord & { id: number };
  snapshot: RunSnapshot;
  previousRun?: (ModelRunRecord & { id: number }) | null;
  previousSnapshot?: RunSnapshot | null;
  imports: readonly ImportRunRecord[];
  /** Customer names by id, for the lists (ids are shown when a name is missing). */
  names?: ReadonlyMap<string, string>;
  period?: CohortPeriod;
  now?: Date;
}

export interface TierRow extends TierProfile {
  name: string;
  color: string;
  foreground: string;
  equity: number;
  /** Share of customer equity. */
  share: number;
}

export interface ReportData {
  title: string;
  generatedAt: string;
  provenance: {
    runId: number;
    runAt: string;
    dataEnd: string | null;
    model: string;
    customers: number;
    scoredCustomers: number;
    transactions: number;
    /** Committed imports, oldest first: file names and when. */
    imports: { fileName: string; kind: string; at: string; rows: number }[];
    horizonMonths: number | null;
    annualDiscountRate: number | null;
    margin: number | null;
    unit: string;
  };
  display: RunDisplay;
  equity: { total: number; perCustomer: number; previous: number | null; change: number | null };
  /** Share of equity held by the top 1 %, 5 %, 10 % and 20 % of customers by value. */
  concentration: { topPercent: number; share: number }[];
  tiers: TierRow[];
  channelNote: string;
  newCustomer: { value: NewCustomerValue; meanFirstOrder: number | null } | { error: string };
  changes: RunChanges | { reason: string };
  watchList: { id: string; name: string; tier: string; clv: number; pAlive: number }[];
  cohorts: Cohorts;
  accuracy: { judged: boolean; reading: string };
  notes: string[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function concentration(clv: Float64Array): { topPercent: number; share: number }[] {
  const values = Float64Array.from(clv).filter((v) => v > 0).sort().reverse();
  const total = sumOf(values);
  return [1, 5, 10, 20].map((topPercent) => {
    const k = Math.ceil((values.length * topPercent) / 100 - 1e-9);
    const s = new Sum();
    for (let i = 0; i < k; i++) s.add(values[i] as number);
    return { topPercent, share: total > 0 ? s.value / total : 0 };
  });
}

function newCustomer(run: ModelRunRecord, snapshot: RunSnapshot): ReportData['newCustomer'] {
  const s = run.settings;
  const unit = s.unit;
  const horizonMonths = num(s.horizonMonths);
  const annualDiscountRate = num(s.annualDiscountRate);
  const margin = num(s.margin);
  if (!run.spend) return { error: 'This scoring run did not record its spend model. Score again to see the value of a new customer.' };
  if (!isTransactionModelName(run.model)) return { error: `The value of a new customer needs a transaction model (the run used ${run.model}).` };
  if (!isTimeUnit(unit) || horizonMonths === null || annualDiscountRate === null || margin === null) {
    return { error: 'This scoring run did not record its horizon, discount rate or margin. Score again to see the value of a new customer.' };
  }
  const first = meanFirstOrder(snapshot);
  try {
    return { value: newCustomerValue({ model: run.model, params: run.params, spend: run.spend, unit, horizonMonths, annualDiscountRate, margin, meanFirstOrder: first }), meanFirstOrder: first };
  } catch (error) {
    if (error instanceof ClvError) return { error: error.message };
    throw error;
  }
}

/** The report's figures. */
export function buildReport(input: ReportInput): ReportData {
  const { run, snapshot } = input;
  const display = runDisplay(run, []);
  const legend = (i: number): TierLegend => display.tiers[i] ?? { index: i, name: `Tier ${i + 1}`, color: '#64748b', foreground: '#ffffff' };
  const names = input.names ?? new Map<string, string>();
  const total = sumOf(snapshot.clv);
  let scored = 0;
  const tierEquity = new Map<number, Sum>();
  for (let i = 0; i < snapshot.ids.length; i++) {
    const t = snapshot.tier[i] as number;
    if (t === NOT_SCORED) continue;
    scored++;
    let s = tierEquity.get(t);
    if (!s) tierEquity.set(t, (s = new Sum()));
    s.add(snapshot.clv[i] as number);
  }
  const tiers: TierRow[] = tierProfiles(snapshot).map((p) => {
    const equity = tierEquity.get(p.tier)?.value ?? 0;
    const l = legend(p.tier);
    return { ...p, name: l.name, color: l.color, foreground: l.foreground, equity, share: total > 0 ? equity / total : 0 };
  });
  const previousSnapshot = input.previousSnapshot ?? null;
  const previousEquity = previousSnapshot ? sumOf(previousSnapshot.clv) : (num(runHoldout(run).previousEquity) ?? input.previousRun?.customerEquity ?? null);
  let changes: ReportData['changes'];
  if (previousSnapshot && previousSnapshot.modelRunId < snapshot.modelRunId) changes = runChanges(previousSnapshot, snapshot);
  else changes = { reason: 'This is the first scoring kept for comparison: changes appear after the next scoring.' };
  const holdout = runHoldout(run);
  const trust = trustView(holdout, display.holdoutShare);
  const committed = input.imports.filter((r) => r.status === 'committed').sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1));
  const s = run.settings;
  return {
    title: 'Customer equity report',
    generatedAt: (input.now ?? new Date()).toISOString(),
    provenance: {
      runId: run.id,
      runAt: run.at,
      dataEnd: run.dataEnd ?? null,
      model: MODEL_LABELS[run.model as keyof typeof MODEL_LABELS] ?? run.model,
      customers: snapshot.ids.length,
      scoredCustomers: scored,
      transactions: snapshot.transactions,
      imports: committed.map((r) => ({ fileName: r.fileName, kind: r.kind, at: r.finishedAt ?? r.startedAt, rows: r.accepted })),
      horizonMonths: num(s.horizonMonths),
      annualDiscountRate: num(s.annualDiscountRate),
      margin: num(s.margin),
      unit: display.unit,
    },
    display,
    equity: { total, perCustomer: scored > 0 ? total / scored : 0, previous: previousEquity, change: previousEquity === null ? null : total - previousEquity },
    concentration: concentration(snapshot.clv),
    tiers,
    channelNote: NO_CHANNEL_NOTE,
    newCustomer: newCustomer(run, snapshot),
    changes,
    watchList: watchList(snapshot, 20).map((w) => ({ id: w.id, name: names.get(w.id) ?? w.id, tier: legend(w.tier).name, clv: w.clv, pAlive: w.pAlive })),
    cohorts: cohorts(snapshot, input.period ?? 'quarter'),
    accuracy: { judged: trust.judged, reading: trust.reading },
    notes: holdout.notes,
  };
}

/** A number cell of the CSV (written as a number; empty when unknown or not finite). */
const n = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

/**
 * The report as CSV: sections one after another, each a header row and its rows, separated by a
 * blank line, the first naming the report, its date and the data it was computed from.
 */
export function reportCsv(report: ReportData): string {
  const p = report.provenance;
  const sections: string[] = [];
  sections.push(
    csvText(['item', 'value'], [
      ['report', report.title],
      ['generated at', report.generatedAt],
      ['scored at', p.runAt],
      ['data end', p.dataEnd ?? ''],
      ['model', p.model],
      ['customers', n(p.customers)],
      ['scored customers', n(p.scoredCustomers)],
      ['transactions', n(p.transactions)],
      ['horizon (months)', n(p.horizonMonths)],
      ['annual discount rate', n(p.annualDiscountRate)],
      ['margin', n(p.margin)],
      ['currency', report.display.currency],
      ...p.imports.map((i) => [`import (${i.kind})`, `${i.fileName} (${i.rows} rows, ${i.at})`]),
      ['customer equity', n(report.equity.total)],
      ['equity per customer', n(report.equity.perCustomer)],
      ['previous customer equity', n(report.equity.previous)],
      ['change in customer equity', n(report.equity.change)],
      ...report.concentration.map((c) => [`share of equity, top ${c.topPercent}% of customers`, n(c.share)]),
      ...('value' in report.newCustomer
        ? [
            ['new customer: value at acquisition (most to pay)', n(report.newCustomer.value.valueAtAcquisition)],
            ['new customer: lifetime repeat value (discounted)', n(report.newCustomer.value.lifetimeRepeatValue)],
            ['new customer: lifetime repeat transactions (discounted)', n(report.newCustomer.value.lifetimeRepeatTransactions)],
            ['new customer: discounted repeat value over the horizon', n(report.newCustomer.value.repeatValue)],
            ['new customer: first order margin', n(report.newCustomer.value.firstOrderMargin)],
            ['new customer: expected repeat transactions', n(report.newCustomer.value.expectedRepeatTransactions)],
            ['new customer: spend per transaction', n(report.newCustomer.value.spendPerTransaction)],
          ]
        : [['new customer', report.newCustomer.error]]),
      ['holdout accuracy', report.accuracy.reading],
    ]),
  );
  sections.push(
    csvText(
      ['tier', 'customers', 'equity', 'share of equity', 'mean value', 'first order p25', 'first order median', 'first order p75', 'first order mean', 'acquired from', 'acquired to', 'share with repeat purchases'],
      report.tiers.map((t) => [t.name, n(t.customers), n(t.equity), n(t.share), n(t.meanClv), n(t.firstOrder?.p25), n(t.firstOrder?.median), n(t.firstOrder?.p75), n(t.firstOrder?.mean), t.acquiredFrom ?? '', t.acquiredTo ?? '', n(t.repeatShare)]),
    ),
  );
  if ('bridge' in report.changes) {
    const b = report.changes.bridge;
    sections.push(
      csvText(['equity bridge', 'customers', 'value'], [
        ['previous equity', '', n(b.previous)],
        ['new customers', n(b.newCustomers.customers), n(b.newCustomers.value)],
        ['lost customers', n(b.lostCustomers.customers), n(b.lostCustomers.value)],
        ['repeat buyers (changed expectations)', n(b.repeatBuyers.customers), n(b.repeatBuyers.value)],
        ['no new purchase (changed expectations)', n(b.quietCustomers.customers), n(b.quietCustomers.value)],
        ['current equity', '', n(b.current)],
        ['moved up a tier', n(report.changes.movedUp), ''],
        ['moved down a tier', n(report.changes.movedDown), ''],
        ['high value, became at risk', n(report.changes.becameAtRiskCount), ''],
      ]),
    );
  }
  sections.push(
    csvText(['watch list: high value at risk', 'id', 'tier', 'value', 'P(alive)'], report.watchList.map((w) => [w.name, w.id, w.tier, n(w.clv), n(w.pAlive)])),
  );
  const c = report.cohorts;
  sections.push(
    csvText(
      [`cohort (${c.period})`, 'customers', 'repeat transactions', 'revenue', 'expected active', 'equity'],
      [
        ...c.rows.map((r) => [r.label, n(r.customers), n(r.repeatTransactions), n(r.revenue), n(r.expectedActive), n(r.equity)]),
        ['total', n(c.total.customers), n(c.total.repeatTransactions), n(c.total.revenue), n(c.total.expectedActive), n(c.total.equity)],
      ],
    ),
  );
  if (c.byPeriod) {
    sections.push(
      csvText(
        [`repeat transactions (rows: cohort; columns: ${c.period})`, ...c.byPeriod.periods],
        c.rows.map((r, i) => [r.label, ...c.byPeriod!.counts[i]!.map((v) => n(v))]),
      ),
    );
  }
  return sections.join('\n');
}

/** "Top 10% of customers hold 48% of customer equity." */
export function concentrationSentence(report: ReportData): string {
  const c = report.concentration.find((x) => x.topPercent === 10) ?? report.concentration[0];
  return c ? `The top ${c.topPercent}% of customers hold ${percentText(c.share)} of customer equity.` : '';
}
