import type { ChartConfiguration } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

let runtime: Promise<typeof import('../../lib/pages/chart-runtime')> | null = null;

/**
 * A fixed-size chart in print colours. The same canvas is copied into the PNG and PDF exports, so
 * `onDrawn` hands it to the page once Chart.js has drawn it.
 */
export function ReportChart({ config, width, height, label, fallback, onDrawn }: {
  config: ChartConfiguration<any, any, any>;
  width: number;
  height: number;
  label: string;
  fallback: string;
  onDrawn: (canvas: HTMLCanvasElement | null) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let chart: { destroy(): void } | null = null;
    let stopped = false;
    (async () => {
      const element = canvas.current;
      let context: CanvasRenderingContext2D | null = null;
      try {
        context = element?.getContext('2d') ?? null;
      } catch {
        context = null;
      }
      if (!element || !context) return onDrawn(null);
      runtime ??= import('../../lib/pages/chart-runtime');
      const { Chart } = await runtime;
      if (stopped) return;
      element.width = width;
      element.height = height;
      chart = new Chart(context, config);
      onDrawn(element);
    })().catch((error: unknown) => {
      console.warn('Centric: a report chart could not be drawn.', error);
      onDrawn(null);
    });
    return () => {
      stopped = true;
      chart?.destroy();
    };
  }, [config]);
  return (
    <div class="report-chart" style={{ width: `${width}px`, maxWidth: '100%' }}>
      <canvas ref={canvas} role="img" aria-label={label} style={{ width: `${width}px`, height: `${height}px` }}>
        {fallback}
      </canvas>
    </div>
  );
}
