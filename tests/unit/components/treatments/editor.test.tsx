// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { CentricDb } from '~/lib/db/db';
import { DEFAULT_RULE_IDS, DEFAULT_RULES } from '~/lib/rules/defaults';
import { choose, click, mountSection, storedRules, type, until } from './helpers';

let db: CentricDb;
let n = 0;
let unmount: () => void = () => {};
beforeEach(() => {
  fakeBrowser.reset();
  db = new CentricDb(`centric-treatments-editor-${++n}`);
});
afterEach(async () => {
  unmount();
  document.body.innerHTML = '';
  await db.delete();
});

async function mount() {
  const section = await mountSection(db);
  unmount = section.unmount;
  return section;
}

/** The inline error shown for a field: the element its aria-describedby points to. */
function errorOf(field: HTMLElement): string | null {
  const ids = (field.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id.endsWith('-error'));
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ') || null;
}

describe('the rule editor', () => {
  it('shows an empty title and a bad colour next to their fields and keeps Save disabled until fixed', async () => {
    const { get, item } = await mount();
    await click(get('rule-edit', item('top-tier')));
    const editor = get('rule-editor')!;
    expect(editor.querySelector('h3')?.textContent).toBe('Edit rule: Platinum: white-glove service');
    expect(document.activeElement).toBe(get('rule-name', editor));
    const save = get<HTMLButtonElement>('rule-save', editor)!;
    expect(save.disabled).toBe(false);
    expect(get('rule-issues', editor)).toBeNull();

    const title = get('treatment-title', editor)!;
    await type(title, '   ');
    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(errorOf(title)).toBe('This cannot be empty.');
    expect(save.disabled).toBe(true);

    const color = get('treatment-color', editor)!;
    await type(color, '#12345');
    expect(color.getAttribute('aria-invalid')).toBe('true');
    expect(errorOf(color)).toBe('Use a hex colour such as #1e293b.');
    expect([...get('rule-issues', editor)!.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Treatment title: This cannot be empty.',
      'Colour: Use a hex colour such as #1e293b.',
    ]);
    expect(save.getAttribute('aria-describedby')).toBe(get('rule-issues', editor)!.id);
    // Other fields stay quiet.
    expect(get('rule-name', editor)!.getAttribute('aria-invalid')).toBeNull();

    await type(title, 'Named account manager');
    await type(color, '#1d4ed8');
    expect(title.getAttribute('aria-invalid')).toBeNull();
    expect(errorOf(title)).toBeNull();
    expect(save.disabled).toBe(false);
    await click(save);
    expect(get('rule-editor')).toBeNull();
    expect(document.activeElement).toBe(get('rule-edit', item('top-tier')));
    await until(async () => (await storedRules()) !== undefined, 'the save');
    const saved = (await storedRules())!.find((r) => r.id === 'top-tier')!;
    const original = DEFAULT_RULES.find((r) => r.id === 'top-tier')!;
    expect(saved.treatment).toEqual({ ...original.treatment, title: 'Named account manager', color: '#1d4ed8' });
    expect(item('top-tier').querySelector('.rule-treatment')?.textContent).toContain('Named account manager');
  });

  it('Cancel discards the changes and returns focus to the rule', async () => {
    const { get, item } = await mount();
    await click(get('rule-edit', item('new-customer')));
    await type(get('rule-name'), 'Something else');
    await click(get('rule-cancel'));
    expect(get('rule-editor')).toBeNull();
    expect(document.activeElement).toBe(get('rule-edit', item('new-customer')));
    expect(item('new-customer').querySelector('.rule-name')?.textContent).toBe('New customer: onboarding');
    expect(await storedRules()).toBeUndefined();
  });

  it('New rule: Cancel adds nothing and gives focus back to New rule', async () => {
    const { get, ids } = await mount();
    await click(get('new-rule'));
    expect(get<HTMLButtonElement>('new-rule')!.disabled).toBe(true);
    await type(get('rule-name'), 'Half-typed');
    await click(get('rule-cancel'));
    expect(get('rule-editor')).toBeNull();
    expect(document.activeElement).toBe(get('new-rule'));
    expect(ids()).toEqual([...DEFAULT_RULE_IDS]);
    expect(await storedRules()).toBeUndefined();
  });

  it('builds a new rule with nested conditions, P(alive) in percent, links, snippets and tags, and adds it at the end', async () => {
    const { get, all, ids, item } = await mount();
    await click(get('new-rule'));
    const editor = get('rule-editor')!;
    expect(editor.querySelector('h3')?.textContent).toBe('New rule');
    expect(document.activeElement).toBe(get('rule-name', editor));
    // Nothing typed yet: Save is disabled and says why, but no field is marked before it is touched.
    expect(get<HTMLButtonElement>('rule-save', editor)!.disabled).toBe(true);
    expect([...get('rule-issues', editor)!.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Name: This cannot be empty.',
      'Treatment title: This cannot be empty.',
    ]);
    expect(editor.querySelectorAll('[aria-invalid="true"]')).toHaveLength(0);

    await type(get('rule-name', editor), 'VIP accounts at risk');
    await type(get('rule-reason', editor), 'Big accounts that may leave get a call.');
    // Condition 1: P(alive) below 40 %.
    await click(get('condition-add', editor));
    await choose(get('condition-kind', editor), 'metric');
    await choose(get('condition-metric', editor), 'pAlive');
    await choose(editor.querySelector('[aria-label="Condition 1: comparison"]'), '<');
    const value = get('condition-value', editor)!;
    await type(value, '140');
    expect(errorOf(value)).toBe('Enter P(alive) as a percent from 0 to 100.');
    await type(value, '40');
    expect(errorOf(value)).toBeNull();
    // Condition 2: a group "any of": the company domain contains bigcorp, or the customer is not new.
    await click(get('condition-add-group', editor));
    const rows = () => all('condition-row', editor);
    const group = rows()[1]!;
    expect(group.getAttribute('data-kind')).toBe('any');
    await click(get('condition-add', group));
    await choose(get('condition-kind', rows()[2]!), 'field');
    await type(get('condition-text', rows()[2]!), 'bigcorp.com');
    await click(get('condition-add', rows()[1]!));
    await choose(get('condition-kind', rows()[3]!), 'not');
    const notRow = rows()[3]!;
    await choose(get('condition-kind', get('condition-row', notRow)!), 'flag');
    await choose(notRow.querySelector('[aria-label="Condition 2.2 (not): flag"]'), 'new');

    const t = get('rule-treatment', editor)!;
    await type(get('treatment-title', t), 'Call them');
    await choose(t.querySelector(`select[id$="treatment-priority"]`), 'urgent');
    await type(get('treatment-target-amount', t), '4');
    await choose(t.querySelector('[aria-label="Response target unit"]'), 'hours');
    await type(get('treatment-color', t), '#b91c1c');
    await type(get('treatment-guidance', t), 'Phone them today.');
    await click(get('link-add', t));
    const url = get('link-url', t)!;
    await type(t.querySelector('[id$="links-0-label"]'), 'CRM');
    await type(url, 'https://crm.example.com/?q={{mail}}');
    expect(errorOf(url)).toMatch(/^Unknown placeholder \{\{mail\}\}; use \{\{email\}\}, \{\{name\}\}/);
    await type(url, 'https://crm.example.com/?q={{email}}');
    expect(errorOf(url)).toBeNull();
    await click(get('snippet-add', t));
    await type(t.querySelector('[id$="snippets-0-label"]'), 'Call');
    await type(t.querySelector('[id$="snippets-0-text"]'), 'Hi {{firstName}}, I will call you today.');
    const tags = get('treatment-tags', t)!;
    await type(tags, 'vip, call me');
    expect(errorOf(tags)).toBe('“call me”: Write a tag as one word without commas, up to 40 characters, e.g. vip.');
    await type(tags, 'vip, call-today,');

    const save = get<HTMLButtonElement>('rule-save', editor)!;
    expect(get('rule-issues', editor)).toBeNull();
    expect(save.disabled).toBe(false);
    await click(save);
    expect(ids()).toEqual([...DEFAULT_RULE_IDS, 'vip-accounts-at-risk']);
    expect(document.activeElement).toBe(get('rule-edit', item('vip-accounts-at-risk')));
    await until(async () => (await storedRules())?.length === DEFAULT_RULE_IDS.length + 1, 'the save');
    const saved = (await storedRules())!.at(-1)!;
    const lastDefault = DEFAULT_RULES.at(-1)!;
    expect(saved).toEqual({
      id: 'vip-accounts-at-risk',
      name: 'VIP accounts at risk',
      enabled: true,
      order: lastDefault.order + 10,
      reason: 'Big accounts that may leave get a call.',
      conditions: {
        kind: 'all',
        conditions: [
          { kind: 'metric', metric: 'pAlive', op: '<', value: 0.4 },
          {
            kind: 'any',
            conditions: [
              { kind: 'field', field: 'domain', op: 'contains', text: 'bigcorp.com' },
              { kind: 'not', condition: { kind: 'flag', flag: 'new', present: true } },
            ],
          },
        ],
      },
      treatment: {
        title: 'Call them',
        guidance: 'Phone them today.',
        priority: 'urgent',
        responseTarget: { amount: 4, unit: 'hours' },
        actions: {
          links: [{ label: 'CRM', url: 'https://crm.example.com/?q={{email}}' }],
          snippets: [{ label: 'Call', text: 'Hi {{firstName}}, I will call you today.' }],
          tags: ['vip', 'call-today'],
        },
        color: '#b91c1c',
      },
    });
  });

  it('shows a stored P(alive) as a percent, checks tiers against the current tier names and site entries one by one', async () => {
    const { get, all, item } = await mount();
    await click(get('rule-edit', item('high-value-at-risk')));
    const editor = get('rule-editor')!;
    const tierRow = all('condition-row', editor)[0]!;
    const boxes = [...tierRow.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
    expect(boxes.map((b) => [b.closest('label')?.textContent, b.checked])).toEqual([
      ['Platinum', true],
      ['Gold', true],
      ['Iron', false],
      ['Lead', false],
    ]);
    await click(boxes[0]);
    await click(boxes[1]);
    expect(tierRow.querySelector('fieldset')?.getAttribute('aria-invalid')).toBe('true');
    expect(errorOf(tierRow.querySelector('fieldset')!)).toBe('Name at least one tier.');
    expect(get<HTMLButtonElement>('rule-save', editor)!.disabled).toBe(true);
    await click(boxes[2]);
    expect(get<HTMLButtonElement>('rule-save', editor)!.disabled).toBe(false);

    await choose(get('condition-kind', all('condition-row', editor)[1]!), 'site');
    const hosts = get('condition-hosts', editor)!;
    await type(hosts, 'zendesk, https://acme.example.com/x');
    expect(errorOf(hosts)).toMatch(/^“https:\/\/acme\.example\.com\/x”: Write a site id such as zendesk/);
    await type(hosts, 'zendesk, acme.example.com');
    expect(errorOf(hosts)).toBeNull();

    await choose(get('condition-kind', all('condition-row', editor)[1]!), 'metric');
    await choose(get('condition-metric', editor), 'pAlive');
    await type(get('condition-value', editor), '12.5');
    await click(get('rule-save', editor));
    await until(async () => (await storedRules()) !== undefined, 'the save');
    const saved = (await storedRules())!.find((r) => r.id === 'high-value-at-risk')!;
    expect(saved.conditions.conditions).toEqual([
      { kind: 'tier', tiers: ['Iron'] },
      { kind: 'metric', metric: 'pAlive', op: '>=', value: 0.125 },
    ]);

    // Opened again, the P(alive) threshold stored as a fraction reads as a percent (7, not 7.000000000000001).
    await click(get('rule-edit', item('high-value-at-risk')));
    expect(get<HTMLInputElement>('condition-value', get('rule-editor')!)!.value).toBe('12.5');
    await type(get('condition-value', get('rule-editor')!), '7');
    await click(get('rule-save'));
    const threshold = async () => ((await storedRules())!.find((r) => r.id === 'high-value-at-risk')!.conditions.conditions[1] as { value: number }).value;
    await until(async () => (await threshold()) === 0.07, 'the second save');
    await click(get('rule-edit', item('high-value-at-risk')));
    expect(get<HTMLInputElement>('condition-value', get('rule-editor')!)!.value).toBe('7');
  });
});
