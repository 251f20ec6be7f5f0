/**
 * Peak memory of an extension page, its dedicated workers and the background service worker, sampled
 * every 200 ms through the Chrome DevTools Protocol, plus the peak resident memory of the extension's
 * renderer process (read from /proc; page, workers and background share that process).
 *
 * The page is sampled on its own CDP session (Runtime.getHeapUsage). Workers are reached through
 * Target.setAutoAttach on that session in non-flat mode: Chromium attaches the page's dedicated
 * workers (and the extension's service worker) and we talk to each with Target.sendMessageToTarget.
 * V8 answers the inspector between JavaScript instructions, so a worker busy in a long loop is
 * still sampled.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';

/** One context's peak, in bytes: V8 heap in use, and V8 heap + ArrayBuffers + Blink's heap. */
export interface HeapPeak {
  label: string;
  url: string;
  jsHeap: number;
  total: number;
  samples: number;
}

interface HeapUsage {
  usedSize: number;
  totalSize: number;
  embedderHeapUsedSize?: number;
  backingStorageSize?: number;
}

interface ExceptionDetails {
  text: string;
  exception?: { description?: string };
}

const MB = 2 ** 20;
export const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;

function labelOf(type: string, url: string): string {
  if (type === 'service_worker') return 'background';
  const file = url.split('/').pop() ?? url;
  return file.replace(/-[\w-]{8}\.js$/, '').replace(/\.js$/, '');
}

/** Resident set size of a process in bytes, or 0 when it is gone. */
function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The extension renderer processes started (through Playwright) by this Node process. */
function extensionRenderers(): number[] {
  const parent = new Map<number, number>();
  const args = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      args.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8'));
    } catch {
      // The process ended while we looked.
    }
  }
  const descends = (pid: number) => {
    for (let p = parent.get(pid), hops = 0; p !== undefined && p > 1 && hops < 20; p = parent.get(p), hops++) if (p === process.pid) return true;
    return false;
  };
  return [...args].filter(([pid, cmd]) => cmd.includes('--type=renderer') && cmd.includes('--extension-process') && descends(pid)).map(([pid]) => pid);
}

export class MemorySampler {
  private readonly peaks = new Map<string, HeapPeak>();
  private readonly children = new Map<string, { type: string; url: string }>();
  private readonly pending = new Map<number, (usage: HeapUsage | null) => void>();
  private nextId = 1;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private rendererPeak = 0;
  private renderers: number[] = [];
  /** Why something could not be measured, for the report. */
  readonly problems: string[] = [];
  /** Uncaught exceptions in the workers and the background, first line each. */
  readonly exceptions: string[] = [];

  private constructor(
    private readonly page: Page,
    private readonly cdp: CDPSession,
  ) {}

  static async attach(page: Page): Promise<MemorySampler> {
    const cdp = await page.context().newCDPSession(page);
    const sampler = new MemorySampler(page, cdp);
    cdp.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string; url: string } }) => {
      sampler.children.set(e.sessionId, { type: e.targetInfo.type, url: e.targetInfo.url });
      // Runtime events carry the workers' uncaught exceptions (the page only sees "worker error").
      void cdp.send('Target.sendMessageToTarget', { sessionId: e.sessionId, message: JSON.stringify({ id: 0, method: 'Runtime.enable' }) }).catch(() => {});
    });
    cdp.on('Target.detachedFromTarget', (e: { sessionId: string }) => sampler.children.delete(e.sessionId));
    cdp.on('Target.receivedMessageFromTarget', (e: { sessionId: string; message: string }) => {
      const reply = JSON.parse(e.message) as { id?: number; result?: HeapUsage; method?: string; params?: { exceptionDetails?: ExceptionDetails } };
      if (reply.method === 'Runtime.exceptionThrown' && reply.params?.exceptionDetails) {
        const details = reply.params.exceptionDetails;
        const where = labelOf(sampler.children.get(e.sessionId)?.type ?? '', sampler.children.get(e.sessionId)?.url ?? '');
        sampler.exceptions.push(`${where}: ${details.exception?.description ?? details.text}`.split('\n')[0]!);
      }
      if (reply.id === undefined || reply.id === 0) return;
      sampler.pending.get(reply.id)?.(reply.result ?? null);
      sampler.pending.delete(reply.id);
    });
    try {
      await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    } catch (error) {
      sampler.problems.push(`workers could not be attached (${String(error).split('\n')[0]})`);
    }
    sampler.renderers = extensionRenderers();
    if (sampler.renderers.length === 0) sampler.problems.push('the extension renderer process was not found in /proc');
    return sampler;
  }

  private childHeap(sessionId: string): Promise<HeapUsage | null> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timeout = setTimeout(() => {
        this.pending.delete(id);
        resolve(null);
      }, 1000);
      this.pending.set(id, (usage) => {
        clearTimeout(timeout);
        resolve(usage);
      });
      this.cdp
        .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) })
        .catch(() => resolve(null));
    });
  }

  private record(key: string, label: string, url: string, usage: HeapUsage | null): void {
    if (!usage) return;
    const total = usage.usedSize + (usage.embedderHeapUsedSize ?? 0) + (usage.backingStorageSize ?? 0);
    const peak = this.peaks.get(key) ?? { label, url, jsHeap: 0, total: 0, samples: 0 };
    peak.jsHeap = Math.max(peak.jsHeap, usage.usedSize);
    peak.total = Math.max(peak.total, total);
    peak.samples++;
    this.peaks.set(key, peak);
  }

  private async sample(): Promise<void> {
    const page = this.cdp.send('Runtime.getHeapUsage').catch(() => null) as Promise<HeapUsage | null>;
    const children = [...this.children].map(async ([sessionId, { type, url }]) => this.record(sessionId, labelOf(type, url), url, await this.childHeap(sessionId)));
    this.record('page', 'page', this.page.url(), await page);
    await Promise.all(children);
    const rss = this.renderers.reduce((sum, pid) => sum + rssOf(pid), 0);
    this.rendererPeak = Math.max(this.rendererPeak, rss);
  }

  /** Starts sampling every `ms` milliseconds, with fresh peaks. */
  start(ms = 200): void {
    this.stopTimer();
    this.peaks.clear();
    this.rendererPeak = 0;
    this.renderers = extensionRenderers();
    const tick = () => {
      this.running = this.sample().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, ms);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Stops sampling (after one last sample) and returns the peaks since start(). */
  async stop(): Promise<{ contexts: HeapPeak[]; rendererRss: number }> {
    this.stopTimer();
    await this.running;
    await this.sample();
    return { contexts: [...this.peaks.values()], rendererRss: this.rendererPeak };
  }

  async detach(): Promise<void> {
    this.stopTimer();
    await this.running;
    await this.cdp.detach().catch(() => {});
  }
}

/** "page 12 MB, import-worker 480 MB (JS 300 MB), …" for the peaks of the given labels. */
export function describePeaks(peaks: { contexts: HeapPeak[]; rendererRss: number }, labels: string[]): string {
  const parts: string[] = [];
  for (const label of labels) {
    const matching = peaks.contexts.filter((p) => p.label === label);
    if (matching.length === 0) {
      parts.push(`${label} not measured`);
      continue;
    }
    const jsHeap = Math.max(...matching.map((p) => p.jsHeap));
    const total = Math.max(...matching.map((p) => p.total));
    parts.push(`${label} ${mb(jsHeap)} JS heap (${mb(total)} with buffers and DOM)`);
  }
  if (peaks.rendererRss > 0) parts.push(`extension process RSS ${mb(peaks.rendererRss)}`);
  return parts.join('; ');
}
