import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CentricDb } from '~/lib/db/db';
import { handleRequest } from '~/lib/messages/handler';
import { ensureSampleData } from '~/lib/sample/install';
import { readBundledSample } from '../../helpers/sample';

const OWN_ID = 'centric-test-id';
let db: CentricDb;
let dbCount = 0;

beforeEach(async () => {
  db = new CentricDb(`centric-test-${++dbCount}`);
  await ensureSampleData(db, async () => readBundledSample(), () => new Date('2026-01-02T03:04:05Z'));
});
afterEach(async () => {
  await db.delete();
});

const ask = (message: unknown, senderId = OWN_ID) => handleRequest(db, message, { id: senderId }, OWN_ID);

describe('background message handler', () => {
  it('finds a customer by email, whatever its case', async () => {
    const answer = await ask({ type: 'lookup', identity: { host: 'demo', email: 'KAIA.Nakamura.1901@willowlane.example' } });
    expect(answer).toMatchObject({
      status: 'found',
      customer: {
        id: '1901',
        name: 'Kaia Nakamura',
        facts: { orders: 56, totalSpent: 6552.7, firstPurchase: '1997-03-09', lastPurchase: '1997-04-11' },
        source: 'sample',
        asOf: '2026-01-02T03:04:05.000Z',
      },
    });
  });

  it('answers not-found for an unknown customer', async () => {
    expect(await ask({ type: 'lookup', identity: { host: 'demo', email: 'nobody@nowhere.example' } })).toEqual({
      status: 'not-found',
      suggestions: [],
    });
  });

  it('refuses messages from another extension and malformed messages', async () => {
    await expect(ask({ type: 'status' }, 'someone-else')).rejects.toThrow(/outside this extension/);
    await expect(ask({ type: 'lookup', identity: { email: 'a@b.c' } })).rejects.toThrow(/malformed/);
    await expect(ask({ type: 'drop-database' })).rejects.toThrow(/malformed/);
    await expect(ask({ type: 'lookup', identity: { host: 'x', name: 'n'.repeat(5000) } })).rejects.toThrow(/malformed/);
  });

  it('reports the store status', async () => {
    expect(await ask({ type: 'status' })).toEqual({
      customers: 2357,
      sampleLoaded: true,
      asOf: '2026-01-02T03:04:05.000Z',
    });
  });

  it('loads the sample once, and never over existing data', async () => {
    expect(await ensureSampleData(db, async () => readBundledSample())).toBe('present');
    const other = new CentricDb(`centric-test-other-${dbCount}`);
    await other.customers.put({
      id: 'x', name: 'X', emails: ['x@x.example'], hostIds: [], facts: { orders: 1, totalSpent: 1, firstPurchase: '2020-01-01', lastPurchase: '2020-01-01' },
      source: 'local', importedAt: '2020-01-01T00:00:00Z',
    });
    expect(await ensureSampleData(other, async () => readBundledSample())).toBe('present');
    expect(await other.customers.count()).toBe(1);
    await other.delete();
  });

  it('leaves the store empty when the sample is malformed (all or nothing)', async () => {
    const fresh = new CentricDb(`centric-test-fresh-${dbCount}`);
    const { customersCsv } = readBundledSample();
    await expect(
      ensureSampleData(fresh, async () => ({ customersCsv, transactionsCsv: 'customer_id,date,amount\n1,1997-01-01,oops\n' })),
    ).rejects.toThrow(/line 2/);
    expect(await fresh.customers.count()).toBe(0);
    await fresh.delete();
  });
});
