import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CentricDb } from '~/lib/db/db';
import { withValues } from '~/lib/db/values';
import { lookupBatch } from '~/lib/lookup/batch';
import { isLookupBatchResult } from '~/lib/messages/guards';
import { handleRequest, RefusedMessage } from '~/lib/messages/handler';
import { lookupBatchResultSchema, type BatchAnswer } from '~/lib/messages/schema';
import { ensureSampleData } from '~/lib/sample/install';
import { readBundledSample } from '../../helpers/sample';
import { lookup } from '~/lib/lookup/lookup';
import { makeRule } from '../rules/helpers';

const OWN = 'centric';
let db: CentricDb;
let n = 0;
beforeEach(async () => {
  db = new CentricDb(`centric-batch-${++n}`);
  await ensureSampleData(db, async () => readBundledSample());
});
afterEach(async () => {
  await db.delete();
});
const ask = (message: unknown) => handleRequest(db, message, { id: OWN, url: 'https://app.hubspot.com/contacts/1/objects/0-1/views/all/list' }, OWN);
const found = (a: BatchAnswer | undefined) => (a?.status === 'found' ? a : undefined);

describe('batch lookup for list views', () => {
  it('answers each identity in order, with the same tier, CLV and treatment as a single lookup', async () => {
    const identities = [
      { host: 'hubspot', email: 'GAEL.OKAFOR.5@northwind.example', name: 'Gael Okafor', hostRecordId: '789', recordType: 'contact' },
      { host: 'hubspot', email: 'nobody.here@gmail.com', name: 'Nobody Here' },
      { host: 'hubspot', email: 'carmen.vasquez.1@harborpine.example' },
    ];
    const answer = await ask({ type: 'lookup-batch', identities });
    expect(lookupBatchResultSchema.safeParse(answer).success).toBe(true);
    expect(isLookupBatchResult(answer)).toBe(true);
    if (!answer || !('answers' in answer)) throw new Error('no answers');
    expect(answer.answers.map((a) => a.status)).toEqual(['found', 'not-found', 'found']);
    const gael = found(answer.answers[0])!;
    const [stored] = await withValues(db, [(await db.customers.get('5'))!]);
    expect(gael).toMatchObject({ id: '5', name: 'Gael Okafor', matchedBy: 'email' });
    expect(gael.value).toEqual({ tier: stored!.value!.tier, tierColor: stored!.value!.tierColor, tierForeground: stored!.value!.tierForeground, clv: stored!.value!.clv, horizonMonths: 12, pAlive: stored!.value!.pAlive, flags: stored!.value!.flags, currency: 'USD', locale: 'en-US' });
    const single = await handleRequest(db, { type: 'lookup', identity: identities[0] }, { id: OWN, url: 'https://app.hubspot.com/x' }, OWN);
    expect(single && 'customer' in single && single.customer.treatment?.title).toBe(gael.treatment?.title);
    expect(found(answer.answers[2])?.id).toBe('1');
  });

  it('matches a name alone only when exactly one customer has it', async () => {
    const answers = await lookupBatch(db, [
      { host: 'zendesk', name: 'hana mendes', hostRecordId: '3', recordType: 'ticket' },
      { host: 'zendesk', name: 'Kaia Nakamura', hostRecordId: '1', recordType: 'ticket' },
      { host: 'zendesk', name: 'No Such Person' },
    ]);
    expect(answers[0]).toMatchObject({ status: 'found', id: '28', matchedBy: 'name' });
    const kaias = await db.customers.where('name').equals('Kaia Nakamura').count();
    expect(kaias).toBeGreaterThan(1);
    expect(answers[1]).toEqual({ status: 'not-found', sameName: kaias });
    expect(answers[2]).toEqual({ status: 'not-found' });
  });

  it('adds up an account for a company row, never for a person whose email is unknown', async () => {
    const answers = await lookupBatch(db, [
      { host: 'hubspot', company: 'Harbor & Pine', domain: 'harborpine.example', recordType: 'company', hostRecordId: '31' },
      { host: 'hubspot', email: 'unknown.person@harborpine.example', name: 'Unknown Person', domain: 'harborpine.example' },
      { host: 'hubspot', company: 'Mail', domain: 'gmail.com', recordType: 'company' },
    ]);
    const all = await withValues(db, await db.customers.where('domain').equals('harborpine.example').toArray());
    const account = found(answers[0])!;
    expect(account).toMatchObject({ id: 'domain:harborpine.example', matchedBy: 'domain', customers: all.length });
    expect(account.value!.clv).toBeCloseTo(all.reduce((s, c) => s + (c.value?.clv ?? 0), 0), 6);
    expect(answers[1]).toEqual({ status: 'not-found' });
    expect(answers[2]).toEqual({ status: 'not-found' });
  });

  it('a company row’s chip recommends what its sidebar does, under rules on the account’s sums (was: the best customer’s)', async () => {
    const all = await db.customers.where('domain').equals('harborpine.example').toArray();
    expect(all.length).toBeGreaterThan(1);
    const spent = all.reduce((s, c) => s + c.facts.totalSpent, 0);
    const most = Math.max(...all.map((c) => c.facts.totalSpent));
    // A threshold the account reaches and no single customer of it does.
    const threshold = (spent + most) / 2;
    const rules = [
      makeRule('big-account', [{ kind: 'metric', metric: 'totalSpent', op: '>=', value: threshold }], { order: 1 }),
      makeRule('many-orders', [{ kind: 'metric', metric: 'frequency', op: '>=', value: all.reduce((s, c) => s + c.facts.orders, 0) - 1 }], { order: 2 }),
    ];
    const identity = { host: 'hubspot', company: 'Harbor & Pine', domain: 'harborpine.example', recordType: 'company', hostRecordId: '31' };
    const [chip] = await lookupBatch(db, [identity], { rules });
    const sidebar = await lookup(db, identity, { rules });
    expect(sidebar.status === 'found' && sidebar.customer.treatment?.title).toBe('Treatment big-account');
    expect(found(chip)?.treatment?.title).toBe('Treatment big-account');
    // Without the first rule, the account's order count still decides, the same in both.
    const [chip2] = await lookupBatch(db, [identity], { rules: rules.slice(1) });
    const sidebar2 = await lookup(db, identity, { rules: rules.slice(1) });
    expect(sidebar2.status === 'found' && sidebar2.customer.treatment?.title).toBe('Treatment many-orders');
    expect(found(chip2)?.treatment?.title).toBe('Treatment many-orders');
  });

  it('adds up the same customers of a large account as the sidebar (was: at most 500 in a chip, 5,000 in the sidebar)', async () => {
    const template = (await db.customers.get('5'))!;
    await db.customers.bulkAdd(
      Array.from({ length: 620 }, (_, i) => ({ ...template, id: `bigco-${i}`, name: `Person ${i}`, emails: [`p${i}@bigco.example`], domain: 'bigco.example', hostIds: [], company: 'BigCo' })),
    );
    const identity = { host: 'hubspot', company: 'BigCo', domain: 'bigco.example', recordType: 'company' };
    const [chip] = await lookupBatch(db, [identity]);
    const sidebar = await lookup(db, identity);
    expect(found(chip)?.customers).toBe(620);
    expect(sidebar.status === 'found' && sidebar.customer.account?.customers).toBe(620);
    // Unscored (no model run covers them): no value in either, rather than a partial sum in one.
    expect(found(chip)?.value).toBeUndefined();
    expect(sidebar.status === 'found' && sidebar.customer.value).toBeUndefined();
  });

  it('finds a linked host record, and reads the store in one transaction', async () => {
    await ask({ type: 'link', identity: { host: 'zendesk', hostRecordId: '77', name: 'Kaia Nakamura' }, customerId: '1901' });
    const spy = vi.spyOn(db, 'transaction');
    const answers = await lookupBatch(db, [
      { host: 'zendesk', hostRecordId: '77', recordType: 'ticket', name: 'Kaia Nakamura' },
      { host: 'zendesk', hostRecordId: '78', recordType: 'ticket', name: 'Kaia Nakamura' },
    ]);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(answers[0]).toMatchObject({ status: 'found', id: '1901', matchedBy: 'host-record' });
    expect(answers[1]).toMatchObject({ status: 'not-found' });
  });

  it('refuses more than 200 identities and malformed ones', async () => {
    const many = Array.from({ length: 201 }, (_, i) => ({ host: 'hubspot', email: `p${i}@x.example` }));
    await expect(ask({ type: 'lookup-batch', identities: many })).rejects.toBeInstanceOf(RefusedMessage);
    await expect(ask({ type: 'lookup-batch', identities: [{ email: 'a@b.example' }] })).rejects.toBeInstanceOf(RefusedMessage);
    await expect(lookupBatch(db, many)).rejects.toThrow('At most 200 identities per batch, got 201.');
    expect(await ask({ type: 'lookup-batch', identities: [] })).toEqual({ status: 'ok', answers: [] });
  });

  it('answers 200 identities (one batch; its speed is in npm run bench)', async () => {
    const customers = await db.customers.limit(200).toArray();
    const answers = await lookupBatch(db, customers.map((c) => ({ host: 'hubspot', email: c.emails[0] })));
    expect(answers).toHaveLength(200);
    expect(answers.every((a) => a.status === 'found')).toBe(true);
  });

  it('the content script guard rejects colours that are not hex and non-finite numbers', () => {
    const ok = { status: 'ok', answers: [{ status: 'found', id: '1', name: 'A', matchedBy: 'email', value: { tier: 'Gold', tierColor: '#aabbcc', tierForeground: '#000000', clv: 1, pAlive: 0.5, flags: [] } }] };
    expect(isLookupBatchResult(ok)).toBe(true);
    const bad = structuredClone(ok);
    bad.answers[0]!.value.tierColor = 'red;background:url(x)';
    expect(isLookupBatchResult(bad)).toBe(false);
    const nan = structuredClone(ok);
    nan.answers[0]!.value.clv = Number.NaN;
    expect(isLookupBatchResult(nan)).toBe(false);
  });
});

describe('loading the list chips into a tab', () => {
  it('injects only for a content script in a tab, and says why when it cannot', async () => {
    const calls: [number, number][] = [];
    const injectListChips = async (tabId: number, frameId: number) => void calls.push([tabId, frameId]);
    const message = { type: 'load-list-chips' };
    expect(await handleRequest(db, message, { id: OWN, tab: { id: 7 }, frameId: 3 }, OWN, { injectListChips })).toEqual({ ok: true, message: 'loaded' });
    expect(calls).toEqual([[7, 3]]);
    await expect(handleRequest(db, message, { id: OWN, url: 'chrome-extension://centric/popup.html' }, OWN, { injectListChips })).rejects.toBeInstanceOf(RefusedMessage);
    const failing = async () => {
      throw new Error('Cannot access contents of the page');
    };
    expect(await handleRequest(db, message, { id: OWN, tab: { id: 7 } }, OWN, { injectListChips: failing })).toEqual({
      ok: false,
      message: 'The list chips could not be loaded: Cannot access contents of the page',
    });
  });
});
