// @vitest-environment happy-dom
import { act } from 'preact/test-utils';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { saveRules } from '~/lib/settings/rules';
import { CentricDb } from '~/lib/db/db';
import type { CustomerWithValue } from '~/lib/db/records';
import { withValues } from '~/lib/db/values';
import { DEFAULT_RULES } from '~/lib/rules/defaults';
import { RuleSchema } from '~/lib/rules/schema';
import { loadSampleData } from '~/lib/sample/install';
import { DEFAULT_SCORING_SETTINGS } from '~/lib/scoring/settings';
import { scoreStore } from '~/lib/scoring/store';
import { readBundledSample } from '../../../helpers/sample';
import { choose, click, mountSection, press, type, until } from './helpers';

// The bundled CDNOW sample (2,357 customers), scored as the options page would.
let db: CentricDb;
let customers: CustomerWithValue[];
beforeAll(async () => {
  db = new CentricDb('centric-treatments-tester-sample');
  await loadSampleData(db, readBundledSample());
  await scoreStore(db, DEFAULT_SCORING_SETTINGS, { now: () => new Date('2026-03-01T00:00:00Z') });
  customers = await withValues(db, await db.customers.toArray());
});
afterAll(async () => {
  await db.delete();
});

let unmount: () => void = () => {};
beforeEach(() => fakeBrowser.reset());
afterEach(() => {
  unmount();
  document.body.innerHTML = '';
});

async function mount() {
  const section = await mountSection(db);
  unmount = section.unmount;
  return section;
}

/** The first customer with this tier and exactly these flags, with a unique email. */
function find(tier: string, flags: string[]): CustomerWithValue {
  const found = customers.find(
    (c) => c.value?.tier === tier && c.value.flags.join() === flags.join() && customers.filter((o) => o.emails[0] === c.emails[0]).length === 1,
  );
  if (!found) throw new Error(`No ${tier} customer with flags [${flags.join()}] in the sample`);
  return found;
}

async function pickByEmail(section: Awaited<ReturnType<typeof mount>>, customer: CustomerWithValue) {
  const search = section.get<HTMLInputElement>('rule-test-search')!;
  await type(search, customer.emails[0]!);
  await until(() => section.all('rule-test-option').length > 0, 'the search results');
  const option = section.all('rule-test-option').find((o) => o.textContent?.includes(customer.emails[0]!))!;
  await act(() => void option.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true })));
  await until(() => section.get('rule-test-result')?.textContent?.includes(customer.name) === true, 'the test result');
}

const lines = (el: HTMLElement | null) => [...(el?.querySelectorAll('li') ?? [])].map((li) => [li.getAttribute('data-matched'), li.textContent]);

describe('test against a customer', () => {
  it('shows the rule that fires for a scored Platinum customer, why, and what else matches', async () => {
    const platinum = find('Platinum', []);
    const section = await mount();
    await pickByEmail(section, platinum);
    const { get } = section;
    expect(get('rule-test-fired')?.textContent).toBe('Platinum: white-glove service');
    expect(get('rule-test-title')?.textContent).toBe('White-glove service');
    expect(lines(get('rule-test-trace'))).toEqual([
      ['true', '✓Matched: All of these — yes (1 of 1 match)'],
      ['true', '✓Matched: Tier is Platinum — yes (Platinum)'],
    ]);
    expect([...get('rule-test-others')!.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['Everyone else: standard service — Standard service']);
    // The rules that do not match say why, each condition marked.
    const whyNot = get('rule-test-result')!.querySelector('details')!;
    expect(whyNot.querySelector('summary')?.textContent).toBe('Why the other 4 rules do not match');
    expect(whyNot.textContent).toContain('Not matched: Customer is at risk — no');
  });

  it('fires the at-risk rule for a valuable customer at risk, with the top-tier rule as another match', async () => {
    const atRisk = customers.find((c) => c.value?.tier === 'Platinum' && c.value.flags.includes('at-risk'))
      ?? find('Gold', ['at-risk']);
    const section = await mount();
    await pickByEmail(section, atRisk);
    expect(section.get('rule-test-fired')?.textContent).toBe('Platinum or Gold at risk: personal save');
    expect(lines(section.get('rule-test-trace'))).toEqual([
      ['true', '✓Matched: All of these — yes (2 of 2 match)'],
      ['true', `✓Matched: Tier is Platinum or Gold — yes (${atRisk.value!.tier})`],
      ['true', '✓Matched: Customer is at risk — yes'],
    ]);
    expect(section.get('rule-test-others')?.textContent).toContain('Everyone else: standard service');
  });

  it('follows the rules as they are now: a rule turned off no longer fires', async () => {
    const platinum = find('Platinum', []);
    const section = await mount();
    await pickByEmail(section, platinum);
    await click(section.get('rule-toggle', section.item('top-tier')));
    expect(section.get('rule-test-fired')?.textContent).toBe('Everyone else: standard service');
    expect(section.get('rule-test-result')?.textContent).toContain('1 rule is off and was not tried.');
  });

  it('tests site conditions as if on the chosen site', async () => {
    const onZendesk = RuleSchema.parse({
      id: 'zendesk-only',
      name: 'Zendesk tickets',
      order: 1,
      conditions: { kind: 'all', conditions: [{ kind: 'site', hosts: ['zendesk'] }] },
      treatment: { title: 'Zendesk flow', color: '#1d4ed8' },
    });
    await saveRules([onZendesk, ...DEFAULT_RULES]);
    const platinum = find('Platinum', []);
    const section = await mount();
    await pickByEmail(section, platinum);
    expect(section.get('rule-test-fired')?.textContent).toBe('Platinum: white-glove service');
    await choose(section.get('rule-test-site'), 'zendesk');
    expect(section.get('rule-test-fired')?.textContent).toBe('Zendesk tickets');
    expect(lines(section.get('rule-test-trace'))[1]).toEqual(['true', '✓Matched: Site is zendesk — yes (zendesk)']);
  });

  it('is a combobox: two letters search, arrow keys move through the listbox, Enter picks, Escape closes', async () => {
    const section = await mount();
    const { get, all } = section;
    const search = get<HTMLInputElement>('rule-test-search')!;
    expect(search.getAttribute('role')).toBe('combobox');
    expect(search.getAttribute('aria-controls')).toBe(get('rule-test-options')!.id);
    await type(search, 'a');
    expect(all('rule-test-option')).toHaveLength(0);
    expect(search.getAttribute('aria-expanded')).toBe('false');

    const prefix = customers[0]!.name.slice(0, 3);
    await type(search, prefix);
    await until(() => all('rule-test-option').length > 1, 'several results');
    const options = all('rule-test-option');
    expect(get('rule-test-options')!.getAttribute('role')).toBe('listbox');
    expect(options.map((o) => o.getAttribute('aria-selected'))).toEqual(options.map((_, i) => String(i === 0)));
    await press(search, 'ArrowDown');
    expect(search.getAttribute('aria-activedescendant')).toBe(all('rule-test-option')[1]!.id);
    expect(all('rule-test-option')[1]!.getAttribute('aria-selected')).toBe('true');
    await press(search, 'ArrowUp');
    await press(search, 'ArrowUp');
    // Wraps round to the last.
    expect(search.getAttribute('aria-activedescendant')).toBe(all('rule-test-option').at(-1)!.id);
    await press(search, 'Escape');
    expect(search.getAttribute('aria-expanded')).toBe('false');
    await press(search, 'ArrowDown');
    expect(search.getAttribute('aria-expanded')).toBe('true');
    const chosen = all('rule-test-option').at(-1)!.querySelector('.tester-option-name')!.textContent!;
    await press(search, 'Enter');
    await until(() => get('rule-test-result') !== null, 'the result');
    expect(search.value).toBe(chosen);
    expect(get('rule-test-result')!.textContent).toContain(chosen);
    expect(get('rule-test-fired') ?? get('rule-test-none')).not.toBeNull();
  });
});
