// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { saveRules } from '~/lib/settings/rules';
import { CentricDb } from '~/lib/db/db';
import { putCustomers } from '~/lib/db/values';
import { DEFAULT_RULE_IDS, DEFAULT_RULES } from '~/lib/rules/defaults';
import { exportRuleSet, parseRuleSet } from '~/lib/rules/transfer';
import { click, mountSection, press, scoredCustomer, storedRules, type, until } from './helpers';
import { RULES } from '~/lib/settings/items';

let db: CentricDb;
let n = 0;
let unmount: () => void = () => {};
beforeEach(() => {
  fakeBrowser.reset();
  db = new CentricDb(`centric-treatments-locked-${++n}`);
});
afterEach(async () => {
  unmount();
  vi.restoreAllMocks();
  document.body.innerHTML = '';
  await db.delete();
});

async function mount() {
  const section = await mountSection(db);
  unmount = section.unmount;
  return section;
}

const THREE = DEFAULT_RULES.slice(0, 3);

describe('rules locked by the team policy', () => {
  it('can be viewed, exported and tested, but not changed', async () => {
    await saveRules(THREE);
    await fakeBrowser.storage.managed.set({ lockRules: true });
    await putCustomers(db, [scoredCustomer('c1', 'Ada Platinum', { tier: 'Platinum', tierIndex: 0, clv: 900, pAlive: 0.9 })]);
    const { get, all, ids, item, root } = await mount();

    expect(get('rules-locked')?.textContent).toContain('Your administrator manages these rules');
    expect(get('rules-locked')?.querySelector('svg[aria-hidden="true"]')).not.toBeNull();
    expect(ids()).toEqual(THREE.map((r) => r.id));
    const toggles = all<HTMLInputElement>('rule-toggle');
    expect(toggles).toHaveLength(3);
    expect(toggles.every((t) => t.disabled)).toBe(true);
    for (const testId of ['rule-move-up', 'rule-move-down', 'rule-duplicate', 'rule-delete', 'new-rule', 'rules-import', 'rules-restore-defaults']) {
      expect(all(testId), testId).toHaveLength(0);
    }
    expect(item('top-tier').getAttribute('draggable')).toBeNull();
    await press(toggles[0]!, 'ArrowDown', { altKey: true });
    expect(ids()).toEqual(THREE.map((r) => r.id));

    // View (not Edit): the editor opens read-only, without Save.
    const view = get('rule-edit', item('top-tier'))!;
    expect(view.textContent).toBe('View');
    await click(view);
    const editor = get('rule-editor')!;
    expect(get('rule-save', editor)).toBeNull();
    const fields = [...editor.querySelectorAll<HTMLInputElement>('input, select, textarea')];
    expect(fields.length).toBeGreaterThan(5);
    expect(fields.filter((f) => !f.disabled).map((f) => f.outerHTML)).toEqual([]);
    expect(editor.querySelectorAll('[data-testid="condition-add"], [data-testid="link-add"], [data-testid="condition-remove"]')).toHaveLength(0);
    expect(document.activeElement).toBe(editor.querySelector('h3'));
    await click(get('rule-cancel', editor));
    expect(get('rule-editor')).toBeNull();

    // Export still works.
    let saved: Blob | null = null;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      saved = blob as Blob;
      return 'blob:rules';
    });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    await click(get('rules-export'));
    expect(parseRuleSet(await saved!.text())).toEqual({ ok: true, rules: THREE });

    // So does the test against a customer (keyboard: type, then Enter picks the highlighted one).
    const search = get<HTMLInputElement>('rule-test-search')!;
    await type(search, 'ad');
    await until(() => all('rule-test-option').length > 0, 'the search results');
    expect(search.getAttribute('aria-expanded')).toBe('true');
    expect(search.getAttribute('aria-activedescendant')).toBe(all('rule-test-option')[0]!.id);
    await press(search, 'Enter');
    await until(() => get('rule-test-result') !== null, 'the test result');
    expect(get('rule-test-fired')?.textContent).toBe('Platinum: white-glove service');
    expect(root.querySelector('[data-testid="rule-test-search"]')).toBe(search);

    // Nothing was written.
    expect(await storedRules()).toEqual(THREE);
  });

  it('rules set by the policy (not locked) are read-only too: changes here would not take effect', async () => {
    await fakeBrowser.storage.managed.set({ rules: JSON.parse(exportRuleSet([DEFAULT_RULES[3]!])) });
    const { get, all, ids } = await mount();
    expect(ids()).toEqual(['new-customer']);
    expect(get('rules-locked')?.textContent).toContain('Your administrator sets these rules through a team policy');
    expect(all<HTMLInputElement>('rule-toggle').every((t) => t.disabled)).toBe(true);
    expect(get('new-rule')).toBeNull();
  });

  it('locks while open when the policy changes, and unlocks again', async () => {
    const { get, all } = await mount();
    expect(get('rules-locked')).toBeNull();
    expect(all('rule-item')[0]!.getAttribute('draggable')).toBe('true');
    await click(get('rule-edit', all('rule-item')[0]));
    expect(get('rule-save')).not.toBeNull();
    await fakeBrowser.storage.managed.set({ lockRules: true });
    await until(() => get('rules-locked') !== null, 'the lock');
    expect(all<HTMLInputElement>('rule-toggle').every((t) => t.disabled)).toBe(true);
    // The open editor turns read-only: no Save.
    expect(get('rule-editor')).not.toBeNull();
    expect(get('rule-save')).toBeNull();
    await fakeBrowser.storage.managed.set({ lockRules: false });
    await until(() => get('rules-locked') === null, 'the unlock');
    expect(all<HTMLInputElement>('rule-toggle').every((t) => !t.disabled)).toBe(true);
  });

  it('lists the problems with the saved rules and the policy, and uses the defaults meanwhile', async () => {
    await fakeBrowser.storage.local.set({ [RULES.key]: { format: 'centric-rules', version: 1, rules: [{ ...DEFAULT_RULES[0]!, order: 'first' }] } });
    await fakeBrowser.storage.managed.set({ lockRules: 'yes' });
    const { get, ids } = await mount();
    const problems = [...get('rules-problems')!.querySelectorAll('li')].map((li) => li.textContent);
    expect(problems).toEqual([
      'Team policy: lockRules: Use true or false.',
      'Team policy: The team rules in the managed policy are ignored until these problems are fixed.',
      'Saved rules: rules[0].order: Use a whole number.',
    ]);
    expect(ids()).toEqual([...DEFAULT_RULE_IDS]);
    expect(get('rules-locked')).toBeNull();
    expect(get('rules-defaults-note')).toBeNull();
    // Saving over the broken set clears its problems (the policy's remain).
    await click(get('rule-toggle', get('rule-item')!));
    expect([...get('rules-problems')!.querySelectorAll('li')].map((li) => li.textContent)).toEqual(problems.slice(0, 2));
  });
});
