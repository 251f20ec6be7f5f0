/**
 * The load generator of the team service benchmark (tests/bench/serve.bench.ts), in its own process
 * so it does not share an event loop with the benchmark's bookkeeping or with a server: `concurrency`
 * clients, each sending its next request when the previous answer has been read in full, over
 * keep-alive connections (node:http Agent, one socket per client), for `seconds` after a warm-up
 * whose answers are not counted. Any answer but 200, or a network error, is an error. It reports the
 * latency percentiles, counts and its own CPU time (to show it was not the bottleneck).
 *
 * Forked with IPC; each "phase" message runs one phase and answers { type: "phase", result }.
 */
import { Agent, request } from 'node:http';
import type { FromChild, PhaseResult } from './ipc';

export interface Phase {
  type: 'phase';
  /** http://127.0.0.1:port */
  base: string;
  method: 'GET' | 'POST';
  /** Paths, taken in turn (a client takes the next one for each request). */
  paths: string[];
  /** Bodies (POST), taken in turn with the paths. */
  bodies?: string[];
  headers: Record<string, string>;
  concurrency: number;
  warmupSeconds: number;
  seconds: number;
}

const send = (message: FromChild) => process.send?.(message);

/** The q-quantile of sorted values (nearest rank). */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

async function run(phase: Phase): Promise<PhaseResult> {
  const url = new URL(phase.base);
  const agent = new Agent({ keepAlive: true, maxSockets: phase.concurrency });
  const latencies: number[] = [];
  const errorSamples = new Set<string>();
  let errors = 0;
  let turn = 0;
  const start = performance.now();
  const measureFrom = start + phase.warmupSeconds * 1000;
  const end = measureFrom + phase.seconds * 1000;
  let cpuAtMeasure: NodeJS.CpuUsage | undefined;

  const one = () =>
    new Promise<void>((resolve) => {
      const k = turn++;
      const path = phase.paths[k % phase.paths.length] as string;
      const body = phase.bodies?.[k % phase.bodies.length];
      const sent = performance.now();
      const failed = (why: string) => {
        if (sent >= measureFrom) {
          errors++;
          if (errorSamples.size < 5) errorSamples.add(why);
        }
        resolve();
      };
      const req = request(
        { agent, host: url.hostname, port: url.port, path, method: phase.method, headers: body === undefined ? phase.headers : { ...phase.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.on('data', () => {});
          res.on('error', (error) => failed(error.message));
          res.on('end', () => {
            if (res.statusCode !== 200) return failed(`HTTP ${res.statusCode}`);
            if (sent >= measureFrom) latencies.push(performance.now() - sent);
            resolve();
          });
        },
      );
      req.on('error', (error) => failed(error.message));
      req.end(body);
    });

  const client = async () => {
    for (;;) {
      const now = performance.now();
      if (now >= end) return;
      if (now >= measureFrom && !cpuAtMeasure) cpuAtMeasure = process.cpuUsage();
      await one();
    }
  };
  await Promise.all(Array.from({ length: phase.concurrency }, client));
  const measured = (performance.now() - measureFrom) / 1000;
  const cpu = process.cpuUsage(cpuAtMeasure);
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    errors,
    errorSamples: [...errorSamples],
    seconds: measured,
    p50: quantile(sorted, 0.5) / 1000,
    p95: quantile(sorted, 0.95) / 1000,
    p99: quantile(sorted, 0.99) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

process.on('message', (message: Phase | { type: 'stop' }) => {
  if (message.type === 'stop') process.exit(0);
  else run(message).then(
    (result) => send({ type: 'phase', result }),
    (error: Error) => send({ type: 'failed', message: error.message }),
  );
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', address: '' });
