import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CentricDb } from '~/lib/db/db';
import { readByEmail } from '~/lib/db/email-read';
import { withValue } from '~/lib/db/values';
import { expandValue } from '~/lib/tiers/value-view';
import { loadSampleData } from '~/lib/sample/install';
import { DEFAULT_SCORING_SETTINGS } from '~/lib/scoring/settings';
import { scoreStore } from '~/lib/scoring/store';
import { readBundledSample } from '../../helpers/sample';

let db: CentricDb;
let n = 0;
beforeEach(async () => {
  db = new CentricDb(`centric-email-read-${++n}`);
  await loadSampleData(db, readBundledSample());
});
afterEach(async () => {
  await db.delete();
});

describe('the lookup hot path (a customer by email in one raw read)', () => {
  it('reads the same customer, run and value as the general path', async () => {
    await scoreStore(db, DEFAULT_SCORING_SETTINGS);
    const customers = await db.customers.limit(40).toArray();
    const run = await db.modelRuns.orderBy('at').last();
    for (const stored of customers) {
      const read = await readByEmail(db, stored.emails[0]!);
      expect(read).toBeTruthy();
      expect(read!.customer).toEqual(stored);
      expect(read!.run).toEqual(run);
      const general = await withValue(db, stored);
      expect(JSON.parse(JSON.stringify(expandValue(read!.value!, read!.run)))).toEqual(JSON.parse(JSON.stringify(general.value)));
    }
  });

  it('answers undefined for an unknown email, and a customer without a value before any scoring', async () => {
    expect(await readByEmail(db, 'nobody@nowhere.example')).toBeUndefined();
    const stored = (await db.customers.limit(1).toArray())[0]!;
    const read = await readByEmail(db, stored.emails[0]!);
    expect(read).toMatchObject({ customer: stored, run: undefined, value: undefined });
  });

  it('opens the database when it is closed', async () => {
    const email = (await db.customers.limit(1).toArray())[0]!.emails[0]!;
    db.close();
    const reopened = new CentricDb(db.name);
    expect((await readByEmail(reopened, email))?.customer.emails).toContain(email);
    reopened.close();
  });
});
