import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { ask } from '~/lib/messages/client';
import type { HistoryResult } from '~/lib/messages/schema';

/**
 * The purchase history page's content: its main landmark and heading (the page is shown in a frame
 * inside the sidebar, whose own heading says whose history it is, so the heading is for screen
 * readers), and the chart.
 */
export function HistoryChart({ customerId }: { customerId: string }) {
  return (
    <main>
      <h1 class="visually-hidden">Purchase history</h1>
      <HistoryBody customerId={customerId} />
    </main>
  );
}

/** Orders per month so far (bars) and the model's expected orders per month for the next year (line). */
function HistoryBody({ customerId }: { customerId: string }) {
  const history = useSignal<HistoryResult | undefined>(undefined);
  const error = useSignal<string | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    ask({ type: 'history', customerId })
      .then((h) => (history.value = h))
      .catch((e: unknown) => (error.value = (e as Error).message));
  }, [customerId]);

  useEffect(() => {
    const h = history.value;
    const context = canvas.current?.getContext('2d');
    if (!h || !context) return;
    let chart: { destroy(): void } | undefined;
    let cancelled = false;
    void import('chart.js/auto').then(({ default: Chart }) => {
      if (cancelled) return;
      const labels = [...h.months.map((m) => m.month), ...h.forecast.map((f) => f.month)];
      const dark = matchMedia('(prefers-color-scheme: dark)').matches;
      const ink = dark ? '#e6edf3' : '#1b1f24';
      chart = new Chart(context, {
        data: {
          labels,
          datasets: [
            { type: 'bar', label: 'Orders', data: [...h.months.map((m) => m.orders), ...h.forecast.map(() => null)], backgroundColor: dark ? '#3fb68b' : '#0b6e4f' },
            {
              type: 'line',
              label: 'Expected (forecast)',
              data: [...h.months.map(() => null), ...h.forecast.map((f) => Number(f.expected.toFixed(3)))],
              borderColor: dark ? '#58a6ff' : '#1f6feb',
              borderDash: [5, 4],
              pointRadius: 0,
            },
          ],
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          plugins: { legend: { labels: { color: ink, boxWidth: 10 } } },
          scales: { x: { ticks: { color: ink, maxTicksLimit: 6 } }, y: { beginAtZero: true, ticks: { color: ink } } },
        },
      });
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [history.value]);

  const h = history.value;
  if (error.value) return <p role="alert">{error.value}</p>;
  if (h === undefined) return <p>Loading the history…</p>;
  if (h === null) return <p>No purchase history for this customer.</p>;
  const ordered = h.months.reduce((s, m) => s + m.orders, 0);
  const expected = h.forecast.reduce((s, f) => s + f.expected, 0);
  return (
    <div class="history" data-testid="history">
      <canvas ref={canvas} role="img" aria-label={`Orders per month: ${ordered} so far; about ${expected.toFixed(1)} expected in the next 12 months.`} />
      <p data-testid="history-summary">
        {ordered} orders over {h.months.length} months
        {h.forecast.length > 0 ? `; about ${expected.toFixed(1)} expected in the next 12 months (${h.model}).` : '.'}
      </p>
    </div>
  );
}
