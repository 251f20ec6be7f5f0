import { afterEach, describe, expect, it, vi } from 'vitest';
import { CentricDb } from '~/lib/db/db';
import { changesLookups, onStoreChanged } from '~/lib/db/store-changes';

describe('which database changes may change a lookup', () => {
  it('every table of the centric database but the remote answers’ cache', () => {
    expect(changesLookups({ 'idb://centric/customers/emails': {} })).toBe(true);
    expect(changesLookups({ 'idb://centric/valueBuckets/': {} })).toBe(true);
    expect(changesLookups({ 'idb://centric/meta/:dels': {} })).toBe(true);
    expect(changesLookups({ 'idb://centric/lookupCache/': {}, 'idb://centric/lookupCache/:dels': {} })).toBe(false);
    expect(changesLookups({ 'idb://other/customers/': {} })).toBe(false);
    expect(changesLookups({ all: {} })).toBe(true); // Dexie's "everything may have changed"
    expect(changesLookups({})).toBe(false);
  });
});

describe('onStoreChanged', () => {
  let db: CentricDb | undefined;
  afterEach(async () => {
    await db?.delete();
  });

  it('is called after a write through Dexie, not after a write to the remote answers’ cache, and stops when asked', async () => {
    db = new CentricDb('centric-store-changes');
    await db.open(); // creating the tables is a change too: before listening
    const listener = vi.fn();
    const stop = onStoreChanged(listener, 'centric-store-changes');
    await db.lookupCache.put({ key: 'k', value: {}, fetchedAt: '2026-01-01T00:00:00Z', expiresAt: '2026-01-02T00:00:00Z' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(listener).not.toHaveBeenCalled();
    await db.meta.put({ key: 'test', value: 1 } as never);
    await vi.waitFor(() => expect(listener).toHaveBeenCalledTimes(1));
    stop();
    await db.meta.put({ key: 'test', value: 2 } as never);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
