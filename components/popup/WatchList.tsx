/**
 * The popup's watch list: the high-value customers at risk in the latest scoring (the at-risk flag,
 * by value), each opening their purchase history; and the way to the customer-equity report.
 * Reads the latest run's snapshot from the `centric` database (an extension page may open it).
 */
import { horizonValueShort } from '~/lib/labels/value';
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { moneyText, percentText } from '~/lib/dashboard/format';
import { runDisplay } from '~/lib/dashboard/run';
import type { CentricDb } from '~/lib/db/db';
import { latestSnapshots } from '~/lib/db/snapshots';
import { watchList } from '~/lib/equity/changes';

export interface WatchRow {
  id: string;
  name: string;
  tier: string;
  value: string;
  pAlive: string;
}

/** The watch list of the latest scoring (null when nothing is scored). */
export async function readWatchList(db: CentricDb, limit = 5): Promise<{ rows: WatchRow[]; total: number } | null> {
  const run = await db.modelRuns.orderBy('at').last();
  const { current } = await latestSnapshots(db);
  if (!run || !current || current.modelRunId !== run.id) return null;
  const display = runDisplay(run, []);
  const all = watchList(current, Number.POSITIVE_INFINITY);
  const shown = all.slice(0, limit);
  const customers = await db.customers.bulkGet(shown.map((w) => w.id));
  return {
    total: all.length,
    rows: shown.map((w, i) => ({
      id: w.id,
      name: customers[i]?.name || w.id,
      tier: display.tiers[w.tier]?.name ?? `Tier ${w.tier + 1}`,
      value: `${horizonValueShort(display.horizonMonths ?? undefined)} ${moneyText(w.clv, display)}`,
      pAlive: percentText(w.pAlive),
    })),
  };
}

export function WatchList({ open }: { open: () => CentricDb }) {
  const state = useSignal<{ rows: WatchRow[]; total: number } | null | 'loading' | { error: string }>('loading');
  useEffect(() => {
    readWatchList(open())
      .then((list) => (state.value = list))
      .catch((error: unknown) => (state.value = { error: `The watch list could not be read: ${(error as Error).message}` }));
  }, []);
  const s = state.value;
  const openTab = (path: string) => void browser.tabs.create({ url: browser.runtime.getURL(path as '/report.html') });
  return (
    <section class="watch-list" aria-labelledby="watch-title" data-testid="watch-list">
      <h2 id="watch-title">Watch list</h2>
      {s === 'loading' && <p>Reading the latest scoring…</p>}
      {s === null && <p>Score your customers to see the high-value customers at risk.</p>}
      {s !== null && s !== 'loading' && 'error' in s && <p role="alert">{s.error}</p>}
      {s !== null && s !== 'loading' && 'rows' in s && (
        <>
          <p>
            {s.total === 0 ? 'No high-value customer is at risk.' : `${s.total} high-value customer${s.total === 1 ? ' is' : 's are'} at risk${s.total > s.rows.length ? `; the ${s.rows.length} worth most` : ''}:`}
          </p>
          <ul>
            {s.rows.map((r) => (
              <li>
                <button type="button" class="link" onClick={() => openTab(`/purchases.html?customer=${encodeURIComponent(r.id)}`)} aria-label={`${r.name}, ${r.tier}, ${r.value}, P(alive) ${r.pAlive}: open the purchase history`}>
                  {r.name}
                </button>{' '}
                <span class="watch-detail">
                  {r.tier} · {r.value} · P(alive) {r.pAlive}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        <button type="button" class="button secondary" data-testid="open-report" onClick={() => openTab('/report.html')}>
          Customer equity report
        </button>
      </p>
    </section>
  );
}
