// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ScoringSection } from '~/components/options/ScoringSection';
import { CentricDb } from '~/lib/db/db';
import { loadSampleData } from '~/lib/sample/install';
import { overallFraction, SCORING_STAGES } from '~/lib/scoring/progress';
import type { FromScoreWorker, ToScoreWorker } from '~/lib/scoring/protocol';
import { DEFAULT_SCORING_SETTINGS } from '~/lib/scoring/settings';
import { scoreStore } from '~/lib/scoring/store';
import { readBundledSample } from '../../../helpers/sample';

/** A scoring worker the test speaks for: it records what the page sends and whether it was stopped. */
class FakeWorker {
  onmessage: ((event: MessageEvent<FromScoreWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  sent: ToScoreWorker[] = [];
  terminated = false;
  postMessage(message: ToScoreWorker) {
    this.sent.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  say(message: FromScoreWorker) {
    this.onmessage?.({ data: message } as MessageEvent<FromScoreWorker>);
  }
}

let db: CentricDb;
let previousRunId: number;
let workers: FakeWorker[];
let root: HTMLElement;
const onScored = vi.fn();

beforeAll(async () => {
  db = new CentricDb('centric-scoring-section');
  await loadSampleData(db, readBundledSample());
  previousRunId = (await scoreStore(db, { ...DEFAULT_SCORING_SETTINGS, model: 'bgnbd' })).modelRunId;
});
afterAll(async () => {
  await db.delete();
});
beforeEach(() => {
  workers = [];
  onScored.mockReset();
  root?.remove();
  root = document.createElement('div');
  document.body.append(root);
});

const q = (testId: string) => root.querySelector(`[data-testid="${testId}"]`) as HTMLElement | null;

async function mount(dataVersion = 0) {
  const createWorker = () => {
    const w = new FakeWorker();
    workers.push(w);
    return w as unknown as Worker;
  };
  await act(async () => {
    render(<ScoringSection db={db} createWorker={createWorker} dataVersion={dataVersion} onScored={onScored} />, root);
  });
  await vi.waitFor(() => expect(q('last-scoring')?.textContent).toMatch(/^Last scored/));
  return createWorker;
}

async function say(message: FromScoreWorker, worker = workers.at(-1)!) {
  await act(async () => worker.say(message));
}

describe('scoring progress and cancel in the options page', () => {
  it('shows the stages, the stage in words and the worker’s fraction on an ARIA progress bar', async () => {
    await mount();
    await act(async () => q('score-now')!.click());
    expect(workers).toHaveLength(1);
    expect(workers[0]!.sent[0]!.type).toBe('score');
    const bar = () => q('scoring-progressbar')!;
    expect(bar().getAttribute('role')).toBe('progressbar');
    expect(bar().getAttribute('aria-valuemin')).toBe('0');
    expect(bar().getAttribute('aria-valuemax')).toBe('100');
    expect(bar().getAttribute('aria-valuenow')).toBe('0');
    expect(q('scoring-stage')!.textContent).toContain('Step 1 of 8: Reading the store');

    await say({ type: 'progress', stage: 'read', fraction: 0.9 });
    const afterRead = Number(bar().getAttribute('aria-valuenow'));
    expect(afterRead).toBe(Math.round(overallFraction('read', 0.9) * 100));
    expect(afterRead).toBeGreaterThan(0);

    await say({ type: 'progress', stage: 'holdout', fraction: 0 });
    expect(Number(bar().getAttribute('aria-valuenow'))).toBe(Math.round(overallFraction('holdout', 0) * 100));
    expect(q('scoring-stage')!.textContent).toContain('Step 3 of 8: Judging the models on the holdout');
    expect(bar().getAttribute('aria-valuetext')).toContain('Judging the models on the holdout');
    expect(q('scoring-stage-read')!.dataset.state).toBe('done');
    expect(q('scoring-stage-summarise')!.dataset.state).toBe('done');
    expect(q('scoring-stage-holdout')!.dataset.state).toBe('current');
    expect(q('scoring-stage-holdout')!.getAttribute('aria-current')).toBe('step');
    expect(q('scoring-stage-write')!.dataset.state).toBe('todo');

    await say({ type: 'progress', stage: 'write', fraction: 0 });
    expect(q('scoring-stage')!.textContent).toContain('Step 8 of 8: Writing the scores');
    await say({ type: 'done', result: { modelRunId: previousRunId, customers: 2357, model: 'bgnbd', customerEquity: 1000, notes: [] }, milliseconds: 1200 });
    expect(q('scoring-progress')).toBeNull();
    expect(q('scoring-done')!.textContent).toContain('Scored 2,357 customers with bgnbd');
    expect(workers[0]!.terminated).toBe(true);
    expect(onScored).toHaveBeenCalledTimes(1);
  });

  it('cancels: the worker is stopped, nothing is written, the previous run stays the latest, late messages are ignored', async () => {
    const runsBefore = await db.modelRuns.count();
    await mount();
    await act(async () => q('score-now')!.click());
    await say({ type: 'progress', stage: 'score', fraction: 0 });
    expect((q('score-now') as HTMLButtonElement).disabled).toBe(true);
    await act(async () => q('scoring-cancel')!.click());
    await vi.waitFor(() => expect(q('scoring-cancelled')!.textContent).toMatch(/^Scoring cancelled\. Nothing was written: the scores from .+ are unchanged\.$/));
    expect(workers[0]!.terminated).toBe(true);
    expect(q('scoring-progress')).toBeNull();
    expect(await db.modelRuns.count()).toBe(runsBefore);
    expect((await db.modelRuns.orderBy('at').last())!.id).toBe(previousRunId);

    // The stopped worker's last words change nothing.
    await say({ type: 'done', result: { modelRunId: 999, customers: 1, model: 'bgnbd', customerEquity: 1, notes: [] }, milliseconds: 1 }, workers[0]);
    expect(q('scoring-done')).toBeNull();
    expect(q('scoring-cancelled')).not.toBeNull();
    expect(onScored).not.toHaveBeenCalled();
    expect((q('score-now') as HTMLButtonElement).disabled).toBe(false);
  });

  it('says so when the run had already committed before Cancel, and keeps it', async () => {
    await mount();
    await act(async () => q('score-now')!.click());
    await say({ type: 'progress', stage: 'write', fraction: 0 });
    // The worker's transaction committed just before the person pressed Cancel.
    const committed = await scoreStore(db, { ...DEFAULT_SCORING_SETTINGS, model: 'bgnbd' }, { now: () => new Date(Date.now() + 60_000) });
    await act(async () => q('scoring-cancel')!.click());
    await vi.waitFor(() => expect(q('scoring-done')!.textContent).toBe('Scoring had already finished writing when it was cancelled: the new scores are kept.'));
    expect(onScored).toHaveBeenCalledTimes(1);
    expect((await db.modelRuns.orderBy('at').last())!.id).toBe(committed.modelRunId);
    previousRunId = committed.modelRunId;
  });

  it('shows the progress when saving settings re-scores and when new data arrives', async () => {
    await mount();
    const margin = root.querySelector('[data-testid="setting-margin"]') as HTMLInputElement;
    await act(async () => {
      margin.value = '40';
      margin.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await act(async () => (q('scoring-settings') as HTMLFormElement).requestSubmit());
    await vi.waitFor(() => expect(q('scoring-progressbar')).not.toBeNull());
    expect(workers.at(-1)!.sent[0]).toMatchObject({ type: 'score', settings: { margin: 0.4 } });
    await act(async () => q('scoring-cancel')!.click());
    await vi.waitFor(() => expect(q('scoring-cancelled')).not.toBeNull());

    // An import bumps dataVersion: scoring starts by itself, with its progress.
    const createWorker = () => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    };
    const before = workers.length;
    await act(async () => {
      render(<ScoringSection db={db} createWorker={createWorker} dataVersion={1} onScored={onScored} />, root);
    });
    await vi.waitFor(() => expect(workers.length).toBe(before + 1));
    expect(q('scoring-progressbar')!.getAttribute('aria-valuenow')).toBe('0');
  });
});

describe('scoring stages as one fraction', () => {
  it('rises through the stages from 0 to 1', () => {
    const points = SCORING_STAGES.flatMap((s) => [overallFraction(s, 0), overallFraction(s, 0.5), overallFraction(s, 1)]);
    expect(points[0]).toBe(0);
    expect(points.at(-1)).toBeCloseTo(1, 10);
    for (let i = 1; i < points.length; i++) expect(points[i]!).toBeGreaterThanOrEqual(points[i - 1]!);
    expect(overallFraction('nonsense', 0.5)).toBe(0);
  });
});

describe('the display currency and locale (issue 18: one setting for every amount)', () => {
  const type = async (testId: string, value: string) => {
    const input = q(testId) as HTMLInputElement;
    await act(async () => {
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
  };

  it('previews the amounts, refuses a language tag the browser does not know, and scores with the new setting', async () => {
    await mount();
    expect(q('money-preview')!.textContent).toBe('For example: $1,234,568 and $3.40');
    await type('setting-currency', 'eur');
    await type('setting-locale', 'de-DE');
    expect(q('money-preview')!.textContent!.replace(/\s/g, ' ')).toBe('For example: 1.234.568 € and 3,40 €');
    await type('setting-locale', 'not a tag');
    const before = workers.length;
    await act(async () => (q('scoring-settings') as HTMLFormElement).requestSubmit());
    await vi.waitFor(() => expect(q('settings-problems')?.textContent).toMatch(/language tag this browser knows/));
    expect(workers.length).toBe(before); // nothing scored with a setting that does not parse
    await type('setting-locale', 'de-DE');
    await act(async () => (q('scoring-settings') as HTMLFormElement).requestSubmit());
    await vi.waitFor(() => expect(workers.length).toBe(before + 1));
    expect(workers.at(-1)!.sent[0]).toMatchObject({ type: 'score', settings: { tiers: { display: { currency: 'EUR', locale: 'de-DE' } } } });
  });
});
