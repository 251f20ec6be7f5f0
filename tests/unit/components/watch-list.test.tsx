// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { fakeBrowser } from 'wxt/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readWatchList, WatchList } from '~/components/popup/WatchList';
import { CentricDb } from '~/lib/db/db';
import { latestSnapshots } from '~/lib/db/snapshots';
import { loadSampleData } from '~/lib/sample/install';
import { DEFAULT_SCORING_SETTINGS } from '~/lib/scoring/settings';
import { scoreStore } from '~/lib/scoring/store';
import { FLAG_AT_RISK } from '~/lib/tiers/assign';
import { readBundledSample } from '../../helpers/sample';

let db: CentricDb;
beforeAll(async () => {
  db = new CentricDb('centric-popup-watch-list');
  await loadSampleData(db, readBundledSample());
});
afterAll(async () => {
  await db.delete();
});

describe('popup watch list', () => {
  it('asks for a scoring before there is one', async () => {
    expect(await readWatchList(db)).toBeNull();
  });

  it('lists the high-value customers at risk by value, with names, and opens their history', async () => {
    await scoreStore(db, { ...DEFAULT_SCORING_SETTINGS, model: 'bgnbd' });
    const { current } = await latestSnapshots(db);
    const atRisk = current!.ids.filter((_, i) => (current!.flags[i] as number) & FLAG_AT_RISK);
    expect(atRisk.length).toBeGreaterThan(5);
    const list = (await readWatchList(db))!;
    expect(list.total).toBe(atRisk.length);
    expect(list.rows).toHaveLength(5);
    const values = list.rows.map((r) => Number(r.value.replace(/[^\d.]/g, '')));
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const first = await db.customers.get(list.rows[0]!.id);
    expect(list.rows[0]!.name).toBe(first!.name);
    expect(['Platinum', 'Gold']).toContain(list.rows[0]!.tier);

    const create = vi.spyOn(fakeBrowser.tabs, 'create').mockResolvedValue({} as never);
    const root = document.createElement('div');
    document.body.append(root);
    await act(async () => {
      render(<WatchList open={() => db} />, root);
    });
    await vi.waitFor(() => expect(root.querySelectorAll('li')).toHaveLength(5));
    expect(root.textContent).toContain(`${atRisk.length} high-value customers are at risk; the 5 worth most:`);
    const button = root.querySelector('li button') as HTMLButtonElement;
    expect(button.textContent).toBe(list.rows[0]!.name);
    await act(async () => button.click());
    expect(create).toHaveBeenCalledWith({ url: expect.stringContaining(`/purchases.html?customer=${encodeURIComponent(list.rows[0]!.id)}`) });
    await act(async () => (root.querySelector('[data-testid="open-report"]') as HTMLButtonElement).click());
    expect(create).toHaveBeenLastCalledWith({ url: expect.stringContaining('/report.html') });
    render(null, root);
  });
});
