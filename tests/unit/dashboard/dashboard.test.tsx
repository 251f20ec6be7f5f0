// @vitest-environment happy-dom
import { putCustomers, withValues } from '~/lib/db/values';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Dashboard } from '~/components/options/dashboard/Dashboard';
import { scoresToCsv } from '~/lib/dashboard/export';
import { CentricDb } from '~/lib/db/db';
import { customer, modelRun, smallBase } from './base';

// Chart.js is replaced by a recorder: the tests check what would be drawn, not the pixels.
const charts = vi.hoisted(() => ({ created: [] as { type: string; destroyed: boolean }[] }));
vi.mock('~/lib/pages/chart-runtime', () => ({
  Chart: class {
    record: { type: string; destroyed: boolean };
    constructor(_context: unknown, config: { type: string }) {
      this.record = { type: config.type, destroyed: false };
      charts.created.push(this.record);
    }
    destroy() {
      this.record.destroyed = true;
    }
  },
}));

let db: CentricDb;
let n = 0;
beforeEach(() => {
  db = new CentricDb(`centric-dashboard-ui-${++n}`);
  charts.created.length = 0;
});
afterEach(async () => {
  document.body.innerHTML = '';
  vi.restoreAllMocks();
  await db.delete();
});

async function mount() {
  const root = document.createElement('div');
  document.body.append(root);
  await act(() => render(<Dashboard db={db} />, root));
  for (let i = 0; i < 100 && root.querySelector('[data-state="loading"]'); i++) {
    await act(() => new Promise((resolve) => setTimeout(resolve, 5)));
  }
  const get = (id: string) => root.querySelector(`[data-testid="${id}"]`);
  return { root, get };
}

async function scoredStore() {
  const customers = smallBase();
  customers[0] = { ...customers[0]!, name: 'Ana Li', company: 'Acme Books', emails: ['ana@acme.example'] };
  customers[2] = { ...customers[2]!, name: 'Bob Acme' };
  await putCustomers(db, [...customers, customer('new', null, { name: 'Zed New' })]);
  await db.modelRuns.add(modelRun({}, { id: undefined, at: '2026-02-01T00:00:00.000Z', customerEquity: 80 }));
  await db.modelRuns.add(modelRun({}, { id: undefined }));
}

const rowIds = (root: Element) => [...root.querySelectorAll('[data-testid="customer-table"] tbody tr')].map((tr) => tr.getAttribute('data-id'));

async function type(input: HTMLInputElement, text: string) {
  await act(() => {
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('value dashboard', () => {
  it('says clearly when nothing has been scored yet', async () => {
    await putCustomers(db, smallBase().map((c) => ({ ...c, value: undefined })));
    const { root, get } = await mount();
    expect(get('dashboard')?.getAttribute('data-state')).toBe('not-scored');
    expect(get('dashboard-not-scored')?.textContent).toContain('Not scored yet: 10 customers are in the store, but no scoring has run.');
    expect(get('equity')).toBeNull();
    expect(root.querySelector('canvas')).toBeNull();
  });

  it('shows equity, concentration, tiers, P(alive) and trust with their readings', async () => {
    await scoredStore();
    const { root, get } = await mount();
    expect(get('dashboard')?.getAttribute('data-state')).toBe('ready');
    expect(get('equity')?.textContent).toBe('$100');
    expect(get('equity-change')?.textContent).toBe('+$20 (+25.0%) since the previous scoring');
    expect(get('concentration-reading')?.textContent).toBe('The top 10% of customers (Platinum) hold 50% of the value; the top 20% hold 70%.');
    expect(get('palive-reading')?.textContent).toBe('50% of customers are more likely gone than alive (P(alive) < 50%).');
    expect(get('trust-reading')?.textContent).toMatch(/^Holdout check: .*predicted 1,820 repeat transactions in the holdout, actual 1,882 \(−3\.3%\)\./);
    const tierRows = [...get('tier-table')!.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(tierRows).toEqual([
      ['Platinum', '1 (10%)', '$50', '50%'],
      ['Gold', '1 (10%)', '$20', '20%'],
      ['Iron', '6 (60%)', '$29', '29%'],
      ['Lead', '2 (20%)', '$1.00', '1%'],
    ]);
    const holdoutRows = [...get('holdout-table')!.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(holdoutRows[0]).toEqual(['0', '6', '0.20', '0.25']);
    expect(holdoutRows.map((r) => r[0])).toEqual(['0', '1', '7+']);
    expect(root.textContent).toContain('1 customer added since then has no score yet');
    // Every chart is an image with a name, and its reading is on the page as text.
    const canvases = [...root.querySelectorAll('canvas')];
    expect(canvases).toHaveLength(4);
    expect(canvases.every((c) => c.getAttribute('role') === 'img' && (c.getAttribute('aria-label') ?? '').length > 20)).toBe(true);
    // Without a canvas context (as here), Chart.js is not even loaded.
    expect(charts.created).toHaveLength(0);
  });

  it('draws the four charts with Chart.js once it has loaded, and removes them on unmount', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({} as unknown as CanvasRenderingContext2D);
    await scoredStore();
    const { root } = await mount();
    for (let i = 0; i < 50 && charts.created.length < 4; i++) await act(() => new Promise((resolve) => setTimeout(resolve, 5)));
    expect(charts.created.map((c) => c.type).sort()).toEqual(['bar', 'bar', 'line', 'line']);
    await act(() => render(null, root));
    expect(charts.created.every((c) => c.destroyed)).toBe(true);
  });

  it('searches and sorts the customer table, with aria-sort on the headers', async () => {
    await scoredStore();
    const { root, get } = await mount();
    expect(rowIds(root)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', 'new']);
    const header = (column: string) => root.querySelector(`button[data-column="${column}"]`)!.closest('th')!;
    expect(header('clv').getAttribute('aria-sort')).toBe('descending');
    expect(header('name').getAttribute('aria-sort')).toBe('none');

    const search = get('customer-search') as HTMLInputElement;
    await type(search, 'ACME');
    expect(rowIds(root)).toEqual(['1', '3']);
    expect(get('customer-status')?.textContent).toBe('Showing 1–2 of 2 customers matching “ACME”.');

    await act(() => root.querySelector<HTMLButtonElement>('button[data-column="name"]')!.click());
    expect(header('name').getAttribute('aria-sort')).toBe('ascending');
    expect(header('clv').getAttribute('aria-sort')).toBe('none');
    expect(rowIds(root)).toEqual(['1', '3']);
    await act(() => root.querySelector<HTMLButtonElement>('button[data-column="name"]')!.click());
    expect(header('name').getAttribute('aria-sort')).toBe('descending');
    expect(rowIds(root)).toEqual(['3', '1']);

    await type(search, 'nobody');
    expect(rowIds(root)).toEqual([]);
    expect(get('customer-status')?.textContent).toBe('No customer matches “nobody”.');
    await type(search, '');
    expect(rowIds(root)).toHaveLength(11);
    const first = root.querySelector('[data-testid="customer-table"] tbody tr')!;
    expect(first.textContent).toContain('Zed New');
    expect(first.textContent).toContain('Not scored');
  });

  it('exports the scores as the CSV of centric score', async () => {
    await scoredStore();
    const { get } = await mount();
    let saved: Blob | null = null;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      saved = blob as Blob;
      return 'blob:scores';
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    await act(() => (get('export-scores') as HTMLButtonElement).click());
    expect(click).toHaveBeenCalledOnce();
    expect((click.mock.contexts[0] as HTMLAnchorElement).download).toBe('centric-scores-2026-03-01.csv');
    expect(await saved!.text()).toBe(scoresToCsv(await withValues(db, await db.customers.toArray())));
  });
});
