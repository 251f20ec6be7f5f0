import type { ChartConfiguration } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import { type ChartTheme, readChartTheme } from '~/lib/pages/dashboard-charts';

/** Any chart configuration built by charts.ts. */
export type AnyChartConfiguration = ChartConfiguration<any, any, any>;

let runtime: Promise<typeof import('~/lib/pages/chart-runtime')> | null = null;

/** Loads Chart.js once, on first use. */
function loadChartJs(): Promise<typeof import('~/lib/pages/chart-runtime')> {
  runtime ??= import('~/lib/pages/chart-runtime');
  return runtime;
}

/** The 2D context of a canvas, or null where there is none (a DOM without canvas support, as in tests). */
function contextOf(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  try {
    return canvas.getContext('2d');
  } catch {
    return null;
  }
}

/**
 * A Chart.js chart, drawn after Chart.js has loaded and redrawn when the colour scheme changes.
 * The canvas is an image with `label` as its accessible name; `fallback` is its text content. Where
 * there is no canvas context, nothing is drawn and the text alternatives around the chart stand in.
 */
export function ChartCanvas({ label, fallback, build, height = 240 }: { label: string; fallback: string; build: (theme: ChartTheme) => AnyChartConfiguration; height?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const latestBuild = useRef(build);
  latestBuild.current = build;

  useEffect(() => {
    let chart: { destroy(): void } | null = null;
    let stopped = false;
    const draw = async () => {
      const element = canvas.current;
      const context = element ? contextOf(element) : null;
      if (!element || !context) return;
      const { Chart } = await loadChartJs();
      if (stopped) return;
      chart?.destroy();
      chart = new Chart(context, latestBuild.current(readChartTheme(element)));
    };
    const redraw = () => {
      draw().catch((error: unknown) => console.warn('Centric: a dashboard chart could not be drawn.', error));
    };
    redraw();
    const scheme = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
    scheme?.addEventListener('change', redraw);
    return () => {
      stopped = true;
      scheme?.removeEventListener('change', redraw);
      chart?.destroy();
    };
  }, []);

  return (
    <div class="chart-box" style={{ height: `${height}px` }}>
      <canvas ref={canvas} role="img" aria-label={label}>
        {fallback}
      </canvas>
    </div>
  );
}
