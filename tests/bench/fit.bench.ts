/**
 * Fitting benchmarks: BG/NBD on CDNOW, BG/NBD on 1,000,000 simulated customers (compress + fit,
 * time and memory), Pareto/NBD on CDNOW and on 100,000 simulated customers.
 */
import { bgnbd } from '../../lib/clv/bgnbd';
import { compressRfm, toHistogram } from '../../lib/clv/histogram';
import { toRfmData } from '../../lib/clv/model';
import { paretoNbd } from '../../lib/clv/paretonbd';
import { readSimpleCsv } from '../helpers/datasets';
import { type Benchmark, median, seconds, simulateBgnbd, simulateParetoNbd, withMemory } from './harness';

function cdnow() {
  return toRfmData(readSimpleCsv('btyd_cdnowSummary_cbs.csv').map((r) => ({ x: Number(r.x), tx: Number(r['t.x']), T: Number(r['T.cal']) })));
}

function fmt(params: Record<string, number>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k} ${v.toPrecision(4)}`)
    .join(', ');
}

export const benchmarks: Benchmark[] = [
  {
    name: 'BG/NBD fit, CDNOW (2,357 customers; compress + fit, median of 15)',
    target: 0.005,
    reference: { seconds: 0.1, label: 'lifetimes 0.10 s' },
    run() {
      const data = cdnow();
      let fit = bgnbd.fit(toHistogram(data));
      for (let i = 0; i < 3; i++) fit = bgnbd.fit(toHistogram(data)); // warm-up
      const times = Array.from({ length: 15 }, () => seconds(() => void (fit = bgnbd.fit(toHistogram(data)))));
      return { value: median(times), unit: 's', detail: `LL ${fit.logLikelihood.toFixed(3)}, ${fit.rows} rows` };
    },
  },
  {
    name: 'Pareto/NBD fit, CDNOW (2,357 customers; compress + fit, median of 7)',
    target: Number.NaN,
    reference: { seconds: 0.47, label: 'lifetimes 0.47 s' },
    run() {
      const data = cdnow();
      let fit = paretoNbd.fit(toHistogram(data));
      const times = Array.from({ length: 7 }, () => seconds(() => void (fit = paretoNbd.fit(toHistogram(data)))));
      return { value: median(times), unit: 's', detail: `LL ${fit.logLikelihood.toFixed(3)}` };
    },
  },
  {
    name: 'BG/NBD fit, 1,000,000 simulated customers (compress + fit)',
    target: 1,
    memoryTargetMB: 200,
    reference: { seconds: 17, memoryMB: 495, label: 'lifetimes 17 s, 495 MB' },
    run() {
      const data = simulateBgnbd(1_000_000, 11);
      // Warm the code paths on a small sample so the measurement is the steady state.
      bgnbd.fit(compressRfm({ x: data.x.subarray(0, 20000), tx: data.tx.subarray(0, 20000), T: data.T.subarray(0, 20000) }).data);
      let rows = 0;
      let compressSeconds = 0;
      const m = withMemory(() => {
        const start = performance.now();
        const hist = compressRfm(data).data;
        compressSeconds = (performance.now() - start) / 1000;
        rows = hist.x.length;
        return bgnbd.fit(hist);
      });
      return {
        value: m.seconds,
        unit: 's',
        memoryMB: m.memoryMB,
        detail: `${rows.toLocaleString('en-US')} distinct rows, compress ${(compressSeconds * 1000).toFixed(0)} ms; ${fmt(m.result.params)}`,
      };
    },
  },
  {
    name: 'Pareto/NBD fit, 100,000 simulated customers (compress + fit)',
    target: 1,
    reference: { seconds: 53, label: 'lifetimes 53 s' },
    run() {
      const data = simulateParetoNbd(100_000, 12);
      paretoNbd.fit(compressRfm({ x: data.x.subarray(0, 5000), tx: data.tx.subarray(0, 5000), T: data.T.subarray(0, 5000) }).data);
      let rows = 0;
      const m = withMemory(() => {
        const hist = compressRfm(data).data;
        rows = hist.x.length;
        return paretoNbd.fit(hist);
      });
      return { value: m.seconds, unit: 's', memoryMB: m.memoryMB, detail: `${rows.toLocaleString('en-US')} distinct rows; ${fmt(m.result.params)}` };
    },
  },
];
