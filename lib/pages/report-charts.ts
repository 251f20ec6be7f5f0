/**
 * Chart.js configurations of the customer-equity report, in fixed print colours (the report is a
 * document: dark text on white in every colour scheme, so the screen, the print, the PNG and the PDF
 * look the same). Type imports only.
 */
import type { ChartConfiguration } from 'chart.js';
import { moneyText, type DisplayFormat } from '~/lib/dashboard/format';
import type { ReportData } from '~/lib/equity/report';

export const PRINT = { text: '#111827', muted: '#4b5563', grid: '#d1d5db', up: '#15803d', down: '#b91c1c', total: '#1e3a8a', second: '#0f766e' };

function axis(title: string, money?: DisplayFormat) {
  return {
    title: { display: true, text: title, color: PRINT.muted, font: { size: 12 } },
    ticks: { color: PRINT.text, font: { size: 12 }, ...(money ? { callback: (v: string | number) => moneyText(Number(v), money) } : {}) },
    grid: { color: PRINT.grid },
    border: { color: PRINT.grid },
  };
}

const base = { responsive: false, maintainAspectRatio: false, animation: false as const, devicePixelRatio: 2, color: PRINT.text };

/** Customer equity per tier, in the tiers' colours. */
export function tierEquityChart(report: ReportData): ChartConfiguration<'bar', number[], string> {
  return {
    type: 'bar',
    data: {
      labels: report.tiers.map((t) => t.name),
      datasets: [{ label: 'Customer equity', data: report.tiers.map((t) => t.equity), backgroundColor: report.tiers.map((t) => t.color), borderColor: PRINT.text, borderWidth: 1 }],
    },
    options: { ...base, plugins: { legend: { display: false } }, scales: { x: axis('Tier'), y: { ...axis('Customer equity', report.display), beginAtZero: true } } },
  };
}

/** The equity bridge as a waterfall: before, each part, now. */
export function bridgeChart(report: ReportData): ChartConfiguration<'bar', [number, number][], string> | null {
  if (!('bridge' in report.changes)) return null;
  const b = report.changes.bridge;
  const parts: [string, number][] = [
    ['New customers', b.newCustomers.value],
    ['Lost customers', b.lostCustomers.value],
    ['Repeat buyers', b.repeatBuyers.value],
    ['No new purchase', b.quietCustomers.value],
  ];
  const data: [number, number][] = [[0, b.previous]];
  const colors = [PRINT.total];
  let level = b.previous;
  for (const [, v] of parts) {
    data.push([level, level + v]);
    colors.push(v >= 0 ? PRINT.up : PRINT.down);
    level += v;
  }
  data.push([0, b.current]);
  colors.push(PRINT.total);
  return {
    type: 'bar',
    data: { labels: ['Before', ...parts.map((p) => p[0]), 'Now'], datasets: [{ label: 'Customer equity', data, backgroundColor: colors }] },
    options: { ...base, plugins: { legend: { display: false } }, scales: { x: axis('Change in customer equity since the last scoring'), y: { ...axis('Customer equity', report.display), beginAtZero: true } } },
  };
}

/** Per acquisition cohort: revenue so far and the equity expected from them. */
export function cohortChart(report: ReportData): ChartConfiguration<'bar', number[], string> {
  const rows = report.cohorts.rows;
  return {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.label),
      datasets: [
        { label: 'Revenue so far', data: rows.map((r) => r.revenue), backgroundColor: PRINT.second },
        { label: 'Customer equity (expected)', data: rows.map((r) => r.equity), backgroundColor: PRINT.total },
      ],
    },
    options: {
      ...base,
      plugins: { legend: { labels: { color: PRINT.text, boxWidth: 14, font: { size: 12 } } } },
      scales: { x: axis(`Acquisition ${report.cohorts.period}`), y: { ...axis('Amount', report.display), beginAtZero: true } },
    },
  };
}

const COHORT_COLORS = ['#1e3a8a', '#0f766e', '#b45309', '#7c3aed', '#be123c', '#15803d', '#0369a1', '#a16207', '#4338ca', '#9d174d', '#166534', '#334155'];

/** Repeat transactions per calendar period, stacked by acquisition cohort (the "C3" chart). */
export function repeatByCohortChart(report: ReportData): ChartConfiguration<'bar', number[], string> | null {
  const c = report.cohorts;
  if (!c.byPeriod || c.rows.length === 0) return null;
  return {
    type: 'bar',
    data: {
      labels: c.byPeriod.periods,
      datasets: c.rows.map((r, i) => ({ label: r.label, data: c.byPeriod!.counts[i]!, backgroundColor: COHORT_COLORS[i % COHORT_COLORS.length]!, stack: 'cohorts' })),
    },
    options: {
      ...base,
      plugins: { legend: { display: c.rows.length <= 12, labels: { color: PRINT.text, boxWidth: 12, font: { size: 11 } } } },
      scales: { x: { ...axis(`Calendar ${c.period}`), stacked: true }, y: { ...axis('Repeat transactions, by acquisition cohort'), stacked: true, beginAtZero: true } },
    },
  };
}
