/**
 * What the team service benchmark's processes (tests/bench/serve/*.ts) say to it over IPC, and the
 * benchmark's side: fork a process, wait for a message of a type, ask and wait for the answer.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Usage {
  /** Resident memory now, bytes. */
  rss: number;
  /** Peak resident memory of the process so far, bytes. */
  maxRss: number;
  /** CPU time used so far (user + system), seconds. */
  cpuSeconds: number;
}

/** Latency figures of one load phase (seconds) and its counts. */
export interface PhaseResult {
  requests: number;
  errors: number;
  /** First few distinct error descriptions (status codes, network errors). */
  errorSamples: string[];
  /** Seconds measured (after the warm-up). */
  seconds: number;
  p50: number;
  p95: number;
  p99: number;
  /** CPU time the load generator used in the measured part, seconds. */
  cpuSeconds: number;
}

export type FromChild =
  | { type: 'ready'; address: string; tokens?: { manager: string; agent: string } }
  | ({ type: 'usage' } & Usage)
  | { type: 'phase'; result: PhaseResult }
  | { type: 'failed'; message: string };

/** This process's memory and CPU time. */
export function usage(): Usage {
  const cpu = process.cpuUsage();
  return { rss: process.memoryUsage().rss, maxRss: process.resourceUsage().maxRSS * 1024, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** Resolves with the child's next message of `type`; rejects when it fails, exits or says "failed". */
export function next<T extends FromChild['type']>(child: ChildProcess, type: T, what: string): Promise<Extract<FromChild, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromChild) => {
      if (message.type === 'failed') finish(() => reject(new Error(`${what}: ${message.message}`)));
      else if (message.type === type) finish(() => resolve(message as Extract<FromChild, { type: T }>));
    };
    const onExit = (code: number | null, signal: string | null) => finish(() => reject(new Error(`${what} ended (exit ${code ?? signal}) before answering; see its messages above.`)));
    const finish = (then: () => void) => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      then();
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Forks a TypeScript file of this directory (through tsx) with IPC; its output goes to ours (standard error). */
export function forkTs(file: URL, args: readonly string[], heapMB = 4096): ChildProcess {
  return fork(fileURLToPath(file), [...args], { execArgv: ['--import', 'tsx', `--max-old-space-size=${heapMB}`], stdio: ['ignore', 2, 2, 'ipc'] });
}

/** Asks a child for its memory and CPU time. */
export async function usageOf(child: ChildProcess, what: string): Promise<Usage> {
  const answer = next(child, 'usage', what);
  child.send({ type: 'usage' });
  return answer;
}
