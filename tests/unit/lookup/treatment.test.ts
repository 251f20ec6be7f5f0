import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CentricDb } from '~/lib/db/db';
import { withValues } from '~/lib/db/values';
import { isLookupResult } from '~/lib/messages/guards';
import { handleRequest } from '~/lib/messages/handler';
import { lookupResultSchema, type LookupResult } from '~/lib/messages/schema';
import { recencyDays, ruleSubjectOf } from '~/lib/lookup/rule-subject';
import { DEFAULT_RULES } from '~/lib/rules/defaults';
import { RuleSchema, type Rule } from '~/lib/rules/schema';
import { ensureSampleData } from '~/lib/sample/install';
import { readBundledSample } from '../../helpers/sample';

const OWN = 'centric';
let db: CentricDb;
beforeAll(async () => {
  db = new CentricDb('centric-lookup-treatment');
  await ensureSampleData(db, async () => readBundledSample());
});
afterEach(() => {});

const ask = async (identity: Record<string, unknown>, rules: readonly Rule[], url = 'https://acme.zendesk.com/agent/tickets/1') => {
  const answer = (await handleRequest(db, { type: 'lookup', identity }, { id: OWN, url }, OWN, { rules: async () => rules })) as LookupResult;
  expect(lookupResultSchema.safeParse(answer).success).toBe(true);
  expect(isLookupResult(answer)).toBe(true);
  return answer.status === 'found' ? answer.customer : undefined;
};

/** The best customer of the sample, whoever they are (rank 1). */
async function topCustomer() {
  const all = await withValues(db, await db.customers.toArray());
  return all.find((c) => c.value?.rank === 1)!;
}

const rule = (patch: Partial<Record<string, unknown>>): Rule =>
  RuleSchema.parse({
    id: 'r',
    name: 'Rule',
    enabled: true,
    order: 1,
    conditions: { kind: 'all', conditions: [] },
    treatment: { title: 'Do this', color: '#1d4ed8' },
    ...patch,
  });

describe('the treatment in a lookup comes from the rules', () => {
  it('gives the top customer the default white-glove treatment, with why and the other matches', async () => {
    const top = await topCustomer();
    const view = await ask({ host: 'zendesk', email: top.emails[0] }, DEFAULT_RULES);
    expect(view?.value?.tier).toBe('Platinum');
    const t = view!.treatment!;
    expect(t.ruleId).toBe(top.value!.flags.includes('at-risk') ? 'high-value-at-risk' : 'top-tier');
    expect(t.why[0]).toMatchObject({ depth: 0, matched: true });
    expect(t.why.some((line) => /Tier is Platinum — yes/.test(line.text))).toBe(true);
    expect(t.otherMatches.map((m) => m.name)).toContain('Everyone else: standard service');
    expect(t.snippets[0]!.text).toContain(top.name.split(' ')[0]!);
  });

  it('follows the rules given: a disabled rule is skipped, the next one fires', async () => {
    const top = await topCustomer();
    const rules = [rule({ id: 'a', name: 'A', order: 1, enabled: false, treatment: { title: 'First', color: '#1d4ed8' } }), rule({ id: 'b', name: 'B', order: 2, treatment: { title: 'Second', color: '#1d4ed8' } })];
    expect((await ask({ host: 'zendesk', email: top.emails[0] }, rules))?.treatment?.title).toBe('Second');
    rules[0]!.enabled = true;
    expect((await ask({ host: 'zendesk', email: top.emails[0] }, rules))?.treatment?.title).toBe('First');
    expect((await ask({ host: 'zendesk', email: top.emails[0] }, []))?.treatment).toBeUndefined();
  });

  it('tests the site against the sender frame, not the page’s claims, and the host against the adapter', async () => {
    const top = await topCustomer();
    const bySite = [rule({ conditions: { kind: 'all', conditions: [{ kind: 'site', hosts: ['acme.zendesk.com'] }] } })];
    expect((await ask({ host: 'zendesk', email: top.emails[0] }, bySite))?.treatment?.title).toBe('Do this');
    expect((await ask({ host: 'zendesk', email: top.emails[0] }, bySite, 'https://other.zendesk.com/agent/tickets/1'))?.treatment).toBeUndefined();
    const byHost = [rule({ conditions: { kind: 'all', conditions: [{ kind: 'site', hosts: ['hubspot'] }] } })];
    expect((await ask({ host: 'hubspot', email: top.emails[0] }, byHost, 'https://app.hubspot.com/contacts/1'))?.treatment?.title).toBe('Do this');
    expect((await ask({ host: 'zendesk', email: top.emails[0] }, byHost))?.treatment).toBeUndefined();
  });

  it('renders link templates for the customer (a javascript: link never gets past the rule schema)', async () => {
    const top = await topCustomer();
    const rules = [
      rule({
        treatment: {
          title: 'Do this',
          color: '#1d4ed8',
          actions: { links: [{ label: 'CRM', url: 'https://crm.example.com/find?q={{email}}' }, { label: 'Mail', url: 'mailto:{{email}}' }] },
        },
      }),
    ];
    const t = (await ask({ host: 'zendesk', email: top.emails[0] }, rules))!.treatment!;
    expect(t.links).toEqual([
      { label: 'CRM', href: `https://crm.example.com/find?q=${encodeURIComponent(top.emails[0]!)}` },
      { label: 'Mail', href: `mailto:${top.emails[0]}` },
    ]);
    expect(() => rule({ treatment: { title: 'x', color: '#1d4ed8', actions: { links: [{ label: 'Bad', url: 'javascript:alert(1)' }] } } })).toThrow();
  });

  it('recommends a treatment for an account too, from the summed value', async () => {
    const rules = [rule({ conditions: { kind: 'all', conditions: [{ kind: 'field', field: 'domain', op: 'equals', text: 'harborpine.example' }] } })];
    const view = await ask({ host: 'hubspot', domain: 'harborpine.example', recordType: 'company' }, rules, 'https://app.hubspot.com/contacts/1/company/2');
    expect(view?.account?.domain).toBe('harborpine.example');
    expect(view?.treatment?.title).toBe('Do this');
  });
});

describe('the rule subject of a customer', () => {
  it('counts recency from the data end (old demo data is not 10,000 days ago)', async () => {
    expect(recencyDays('1998-06-01', '1998-06-30')).toBe(29);
    expect(recencyDays('', '1998-06-30')).toBeUndefined();
    expect(recencyDays('1998-06-01', undefined)).toBeUndefined();
    const top = await topCustomer();
    const subject = ruleSubjectOf(top, { host: 'zendesk', site: 'acme.zendesk.com' }, '1998-06-30');
    expect(subject).toMatchObject({ tier: 'Platinum', host: 'zendesk', site: 'acme.zendesk.com', clv: top.value!.clv, frequency: top.value!.x, totalSpent: top.facts.totalSpent });
    expect(subject.recencyDays).toBe(recencyDays(top.facts.lastPurchase, '1998-06-30'));
  });
});
