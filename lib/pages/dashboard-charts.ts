/**
 * Chart.js configurations of the dashboard's charts, built from the pure dashboard data and the
 * page's colours (CSS variables of components/page.css, so light and dark mode both read well).
 * Type imports only: Chart.js itself is loaded lazily by ChartCanvas.
 */
import type { Chart, ChartConfiguration, Plugin, TooltipItem } from 'chart.js';
import type { ConcentrationCurve } from '~/lib/dashboard/concentration';
import { capitalized, countText, type DisplayFormat, moneyText, percentText } from '~/lib/dashboard/format';
import type { PAliveHistogram } from '~/lib/dashboard/palive';
import type { TierDistribution } from '~/lib/dashboard/tiers';
import type { TrustView } from '~/lib/dashboard/trust';

/** The page colours a chart uses. */
export interface ChartTheme {
  text: string;
  muted: string;
  grid: string;
  accent: string;
  second: string;
  surface: string;
}

const FALLBACK_THEME: ChartTheme = { text: '#1b1f24', muted: '#57606a', grid: '#d8dee4', accent: '#0b6e4f', second: '#1f6feb', surface: '#ffffff' };

/** The colours in effect for an element (its page's CSS variables), with light-mode fallbacks. */
export function readChartTheme(element: Element): ChartTheme {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--c-fg', FALLBACK_THEME.text),
    muted: read('--c-muted', FALLBACK_THEME.muted),
    grid: read('--c-line', FALLBACK_THEME.grid),
    accent: read('--c-accent', FALLBACK_THEME.accent),
    second: read('--c-focus', FALLBACK_THEME.second),
    surface: read('--c-surface', FALLBACK_THEME.surface),
  };
}

/** A colour with transparency, e.g. for filled areas: "#0b6e4f" at 0.2. */
function translucent(color: string, alpha: number): string {
  return /^#[0-9a-f]{6}$/i.test(color) ? `${color}${Math.round(alpha * 255).toString(16).padStart(2, '0')}` : color;
}

function axis(theme: ChartTheme, title: string) {
  return {
    title: { display: true, text: title, color: theme.muted },
    ticks: { color: theme.muted },
    grid: { color: theme.grid },
    border: { color: theme.grid },
  };
}

function common(theme: ChartTheme) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    color: theme.text,
    plugins: { legend: { labels: { color: theme.text, boxWidth: 14 } } },
  };
}

type XY = { x: number; y: number };

/** Share of value held by the top x% of customers, the line of equal value, and the tier boundaries. */
export function concentrationChart(curve: ConcentrationCurve, theme: ChartTheme): ChartConfiguration<'line', XY[]> {
  const base = common(theme);
  return {
    type: 'line',
    data: {
      datasets: [
        {
          label: 'Share of value',
          data: curve.points.map((p) => ({ x: p.customersPercent, y: p.valueShare * 100 })),
          borderColor: theme.accent,
          backgroundColor: translucent(theme.accent, 0.15),
          fill: 'origin',
          pointRadius: 0,
          borderWidth: 2,
        },
        {
          label: 'If every customer were worth the same',
          data: [
            { x: 0, y: 0 },
            { x: 100, y: 100 },
          ],
          borderColor: theme.muted,
          borderDash: [5, 4],
          borderWidth: 1,
          pointRadius: 0,
        },
        {
          label: 'Tier boundaries',
          data: curve.boundaries.map((b) => ({ x: b.customersPercent, y: b.valueShare * 100 })),
          showLine: false,
          pointRadius: 6,
          pointHoverRadius: 8,
          pointBackgroundColor: curve.boundaries.map((b) => b.tier.color),
          pointBorderColor: theme.text,
          pointBorderWidth: 1.5,
          borderColor: theme.text,
          backgroundColor: theme.surface,
        },
      ],
    },
    options: {
      ...base,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: { ...axis(theme, 'Top % of customers, by predicted value'), type: 'linear', min: 0, max: 100, ticks: { color: theme.muted, callback: (v) => `${v}%` } },
        y: { ...axis(theme, 'Share of total value'), min: 0, max: 100, ticks: { color: theme.muted, callback: (v) => `${v}%` } },
      },
      plugins: {
        ...base.plugins,
        tooltip: {
          callbacks: {
            title: () => '',
            label: (item: TooltipItem<'line'>) => {
              const boundary = item.datasetIndex === 2 ? curve.boundaries[item.dataIndex] : undefined;
              const top = percentText((item.parsed.x ?? 0) / 100);
              const share = percentText((item.parsed.y ?? 0) / 100);
              if (boundary) return `${boundary.tier.name} and above: the top ${top} hold ${share} of the value`;
              if (item.datasetIndex === 1) return '';
              return `The top ${top} hold ${share} of the value`;
            },
          },
        },
      },
    },
  };
}

/** Share of customers and share of value per tier, side by side. */
export function tierChart(tiers: TierDistribution, theme: ChartTheme, display: DisplayFormat): ChartConfiguration<'bar', number[], string> {
  const base = common(theme);
  return {
    type: 'bar',
    data: {
      labels: tiers.rows.map((r) => r.name),
      datasets: [
        {
          label: 'Share of customers',
          data: tiers.rows.map((r) => r.customerShare * 100),
          backgroundColor: translucent(theme.muted, 0.45),
          borderColor: theme.muted,
          borderWidth: 1,
        },
        {
          label: 'Share of value',
          data: tiers.rows.map((r) => r.valueShare * 100),
          backgroundColor: tiers.rows.map((r) => r.color),
          borderColor: theme.text,
          borderWidth: 1,
        },
      ],
    },
    options: {
      ...base,
      scales: {
        x: { ...axis(theme, 'Tier'), grid: { display: false } },
        y: { ...axis(theme, '% of all'), min: 0, max: 100, ticks: { color: theme.muted, callback: (v) => `${v}%` } },
      },
      plugins: {
        ...base.plugins,
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'bar'>) => {
              const row = tiers.rows[item.dataIndex];
              if (!row) return '';
              return item.datasetIndex === 0
                ? `${countText(row.customers, display)} customers (${percentText(row.customerShare)})`
                : `${moneyText(row.value, display)} (${percentText(row.valueShare)} of the value)`;
            },
          },
        },
      },
    },
  };
}

/** Customers per P(alive) bin. */
export function pAliveChart(histogram: PAliveHistogram, theme: ChartTheme, display: DisplayFormat): ChartConfiguration<'bar', number[], string> {
  const base = common(theme);
  return {
    type: 'bar',
    data: {
      labels: histogram.bins.map((b) => b.label),
      datasets: [
        {
          label: 'Customers',
          data: histogram.bins.map((b) => b.customers),
          backgroundColor: histogram.bins.map((b) => (b.to <= 0.5 ? translucent(theme.muted, 0.6) : theme.accent)),
          borderWidth: 0,
        },
      ],
    },
    options: {
      ...base,
      scales: {
        x: { ...axis(theme, 'P(alive)'), grid: { display: false } },
        y: { ...axis(theme, 'Customers'), beginAtZero: true },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'bar'>) => {
              const bin = histogram.bins[item.dataIndex];
              return bin ? `${countText(bin.customers, display)} customers (${percentText(bin.share)})` : '';
            },
          },
        },
      },
    },
  };
}

/** A dashed vertical line where the holdout starts, labelled. */
function holdoutLine(startIndex: number, theme: ChartTheme): Plugin<'line'> {
  return {
    id: 'centricHoldoutLine',
    afterDatasetsDraw(chart: Chart<'line'>) {
      const x = chart.scales.x;
      if (!x || startIndex <= 0) return;
      const position = (x.getPixelForValue(startIndex - 1) + x.getPixelForValue(startIndex)) / 2;
      const { top, bottom } = chart.chartArea;
      const ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = theme.muted;
      ctx.setLineDash([4, 4]);
      ctx.beginPath();
      ctx.moveTo(position, top);
      ctx.lineTo(position, bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = theme.muted;
      ctx.font = '12px system-ui, sans-serif';
      ctx.fillText('holdout →', position + 4, top + 12);
      ctx.restore();
    },
  };
}

/** Cumulative repeat transactions, actual against predicted, with the start of the holdout marked. */
export function trackingChart(trust: TrustView, theme: ChartTheme, display: DisplayFormat): ChartConfiguration<'line', (number | null)[], string> {
  const base = common(theme);
  const unit = trust.unit;
  return {
    type: 'line',
    data: {
      labels: trust.tracking.map((p) => String(p.period)),
      datasets: [
        {
          label: 'Actual',
          data: trust.tracking.map((p) => p.actual),
          borderColor: theme.accent,
          backgroundColor: theme.accent,
          borderWidth: 2,
          pointRadius: 0,
        },
        {
          label: 'Predicted by the model',
          data: trust.tracking.map((p) => p.predicted),
          borderColor: theme.second,
          backgroundColor: theme.second,
          borderDash: [6, 4],
          borderWidth: 2,
          pointRadius: 0,
        },
      ],
    },
    options: {
      ...base,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { ...axis(theme, capitalized(unit)), ticks: { color: theme.muted, maxTicksLimit: 14 } },
        y: { ...axis(theme, 'Cumulative repeat transactions'), beginAtZero: true },
      },
      plugins: {
        ...base.plugins,
        tooltip: {
          callbacks: {
            title: (items: TooltipItem<'line'>[]) => `${unit} ${items[0]?.label ?? ''}`,
            label: (item: TooltipItem<'line'>) => `${item.dataset.label ?? ''}: ${countText(item.parsed.y ?? 0, display)}`,
          },
        },
      },
    },
    plugins: trust.holdoutStartPeriod ? [holdoutLine(trust.holdoutStartPeriod - 1, theme)] : [],
  };
}
