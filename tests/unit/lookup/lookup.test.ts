import { withValues } from '~/lib/db/values';
import { lookupBatch } from '~/lib/lookup/batch';
import { chipDescription } from '~/lib/lists/rank';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CentricDb } from '~/lib/db/db';
import { handleRequest } from '~/lib/messages/handler';
import { ensureSampleData } from '~/lib/sample/install';
import { readBundledSample } from '../../helpers/sample';

const OWN = 'centric';
let db: CentricDb;
let n = 0;
beforeEach(async () => {
  db = new CentricDb(`centric-lookup-${++n}`);
  await ensureSampleData(db, async () => readBundledSample());
});
afterEach(async () => {
  await db.delete();
});
const ask = (message: unknown) => handleRequest(db, message, { id: OWN }, OWN);

describe('lookup, search and link through the background', () => {
  it('adds up an account from the company domain, with its best customer tier and a treatment', async () => {
    const answer = await ask({ type: 'lookup', identity: { host: 'hubspot', domain: 'harborpine.example', recordType: 'company' } });
    expect(answer).toMatchObject({ status: 'found', customer: { matchedBy: 'domain', account: { domain: 'harborpine.example' } } });
    if (answer && 'customer' in answer) {
      const all = await withValues(db, await db.customers.where('domain').equals('harborpine.example').toArray());
      expect(answer.customer.account!.customers).toBe(all.length);
      expect(answer.customer.value!.clv).toBeCloseTo(all.reduce((s, c) => s + c.value!.clv, 0), 6);
      expect(answer.customer.value!.explanation).toMatch(/^Account: [\d,]+ customers at harborpine\.example together hold \$[\d,]+ of predicted value/);
      expect(answer.customer.treatment?.title).toBeTruthy();
    }
  });

  it('carries the run’s display currency and locale to the sidebar’s view (was: always USD), as the tier explanation does', async () => {
    // The team scores in euros, written the German way: the run records it with its tier settings.
    await db.modelRuns.toCollection().modify((run) => {
      const tiers = run.settings.tiers as { display: Record<string, unknown> };
      run.settings = { ...run.settings, tiers: { ...tiers, display: { ...tiers.display, currency: 'EUR', locale: 'de-DE' } } };
      run.at = '2026-12-07T00:00:00.000Z'; // a run is parsed once per (id, time)
    });
    const person = await ask({ type: 'lookup', identity: { host: 'zendesk', email: 'gael.okafor.5@northwind.example' } });
    expect(person).toMatchObject({ status: 'found', customer: { currency: 'EUR', locale: 'de-DE' } });
    if (person && 'customer' in person) expect(person.customer.value!.explanation).toMatch(/\d\s€/);
    const account = await ask({ type: 'lookup', identity: { host: 'hubspot', domain: 'harborpine.example', recordType: 'company' } });
    expect(account).toMatchObject({ status: 'found', customer: { currency: 'EUR', locale: 'de-DE' } });
    if (account && 'customer' in account) expect(account.customer.value!.explanation).toMatch(/together hold [\d.]+\s€ of predicted value/);
    // The list chips too.
    const [chip] = await lookupBatch(db, [{ host: 'zendesk', email: 'gael.okafor.5@northwind.example' }]);
    expect(chip).toMatchObject({ status: 'found', value: { currency: 'EUR', locale: 'de-DE' } });
    expect(chipDescription(chip!)).toMatch(/12-month value [\d.]+\s€/);
  });

  it('finds customers by name, email or id for the link search', async () => {
    const teo = await db.customers.get('1981');
    const byName = (await ask({ type: 'search', query: teo!.name.slice(0, 5) })) as { results: { id: string }[] };
    expect(byName.results.map((r) => r.id)).toContain('1981');
    const byEmail = (await ask({ type: 'search', query: teo!.emails[0]!.toUpperCase() })) as { results: { id: string }[] };
    expect(byEmail.results[0]?.id).toBe('1981');
    expect(await ask({ type: 'search', query: 'x' })).toEqual({ results: [] });
  });

  it('remembers a link for the host record, and forgets it on unlink', async () => {
    const identity = { host: 'zendesk', hostRecordId: '4242', email: 'unknown.person@gmail.com', name: 'Someone' };
    expect(await ask({ type: 'lookup', identity })).toMatchObject({ status: 'not-found' });
    expect(await ask({ type: 'link', identity, customerId: '1981' })).toMatchObject({
      status: 'found', customer: { id: '1981', matchedBy: 'host-record' },
    });
    expect(await ask({ type: 'lookup', identity })).toMatchObject({ status: 'found', customer: { id: '1981' } });
    // Linking the record to someone else moves the link.
    await ask({ type: 'link', identity, customerId: '1' });
    expect((await db.customers.get('1981'))!.hostIds).not.toContain('zendesk:4242');
    expect(await ask({ type: 'link', identity, customerId: null })).toMatchObject({ status: 'not-found' });
    expect(await ask({ type: 'link', identity, customerId: 'no-such-id' })).toMatchObject({ status: 'error' });
    expect(await ask({ type: 'link', identity: { host: 'zendesk' }, customerId: '1' })).toMatchObject({ status: 'error' });
  });
});
