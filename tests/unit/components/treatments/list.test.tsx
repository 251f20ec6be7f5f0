// @vitest-environment happy-dom
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { saveRules } from '~/lib/settings/rules';
import { CentricDb } from '~/lib/db/db';
import { DEFAULT_RULE_IDS, DEFAULT_RULES } from '~/lib/rules/defaults';
import { click, mountSection, press, storedRules, tick, until } from './helpers';

// The defaults for Platinum, Gold, Iron, Lead (lib/rules/defaults); the tests below move the first five.
const DEFAULT_IDS: string[] = [...DEFAULT_RULE_IDS];
const REST = DEFAULT_IDS.slice(5);

let db: CentricDb;
let n = 0;
let unmount: () => void = () => {};
beforeEach(() => {
  fakeBrowser.reset();
  db = new CentricDb(`centric-treatments-list-${++n}`);
});
afterEach(async () => {
  unmount();
  document.body.innerHTML = '';
  await db.delete();
});

async function mount(undoMs?: number) {
  const section = await mountSection(db, { undoMs });
  unmount = section.unmount;
  return section;
}

describe('the rule list', () => {
  it('shows the default rules for the current tiers, in effect order, with switch, reason and treatment', async () => {
    const { ids, item, get } = await mount();
    expect(DEFAULT_IDS.slice(0, 5)).toEqual(['high-value-at-risk', 'top-tier', 'second-tier', 'new-customer', 'lowest-tier']);
    expect(ids()).toEqual(DEFAULT_IDS);
    const top = item('top-tier');
    expect(top.querySelector('.rule-name')?.textContent).toBe('Platinum: white-glove service');
    expect(top.querySelector('.rule-reason')?.textContent).toMatch(/^Customers are not equal: the few in Platinum/);
    expect(top.querySelector('.rule-treatment')?.textContent).toBe('Treatment: White-glove service');
    expect((top.querySelector('.rule-swatch') as HTMLElement).style.background).toMatch(/#6d28d9|rgb\(109, 40, 217\)/);
    const toggle = get<HTMLInputElement>('rule-toggle', top)!;
    expect(toggle.type).toBe('checkbox');
    expect(toggle.getAttribute('role')).toBe('switch');
    expect(toggle.checked).toBe(true);
    expect(toggle.closest('label')?.textContent).toContain('Use rule 2, “Platinum: white-glove service”');
    expect(get('rule-move-up', item('high-value-at-risk'))).toHaveProperty('disabled', true);
    expect(get('rule-move-down', item('lowest-tier'))).toHaveProperty('disabled', REST.length === 0);
    expect(get('rule-move-down', item(DEFAULT_IDS.at(-1)!))).toHaveProperty('disabled', true);
    expect(get('rules-defaults-note')).not.toBeNull();
    expect(get('rules-locked')).toBeNull();
    // Nothing is saved just by looking.
    expect(await storedRules()).toBeUndefined();
  });

  it('lists saved rules by order, not by their place in the file', async () => {
    const [a, b, c] = DEFAULT_RULES as [(typeof DEFAULT_RULES)[0], (typeof DEFAULT_RULES)[0], (typeof DEFAULT_RULES)[0]];
    await saveRules([
      { ...a, order: 30 },
      { ...b, order: 10 },
      { ...c, order: 20 },
    ]);
    const { ids } = await mount();
    expect(ids()).toEqual([b.id, c.id, a.id]);
  });

  it('turning a rule off saves enabled=false at once', async () => {
    const { get, item } = await mount();
    await click(get('rule-toggle', item('new-customer')));
    await until(async () => (await storedRules()) !== undefined, 'the save');
    const saved = await storedRules();
    expect(saved?.find((r) => r.id === 'new-customer')?.enabled).toBe(false);
    expect(saved?.filter((r) => !r.enabled).map((r) => r.id)).toEqual(['new-customer']);
    expect(item('new-customer').getAttribute('data-enabled')).toBe('false');
    expect(get('rules-status')?.textContent).toBe('“New customer: onboarding” is off.');
  });

  it('Move down swaps two rules, renumbers 10, 20, 30 … and keeps focus on the moved rule', async () => {
    const { get, item, ids } = await mount();
    const button = get('rule-move-down', item('top-tier'))!;
    button.focus();
    await click(button);
    expect(ids()).toEqual(['high-value-at-risk', 'second-tier', 'top-tier', 'new-customer', 'lowest-tier', ...REST]);
    await until(async () => (await storedRules()) !== undefined, 'the save');
    const saved = (await storedRules())!;
    expect(saved.map((r) => [r.id, r.order])).toEqual(
      ['high-value-at-risk', 'second-tier', 'top-tier', 'new-customer', 'lowest-tier', ...REST].map((id, i) => [id, (i + 1) * 10]),
    );
    expect(document.activeElement).toBe(get('rule-move-down', item('top-tier')));
    expect(get('rules-status')?.textContent).toBe(`“Platinum: white-glove service” moved to position 3 of ${DEFAULT_IDS.length}.`);
  });

  it('Alt+ArrowUp / Alt+ArrowDown on a rule move it; focus moves to the other button at an end', async () => {
    const { get, item, ids } = await mount();
    const toggle = get('rule-toggle', item('second-tier'))!;
    toggle.focus();
    await press(toggle, 'ArrowUp', { altKey: true });
    expect(ids().slice(0, 3)).toEqual(['high-value-at-risk', 'second-tier', 'top-tier']);
    expect(document.activeElement).toBe(get('rule-toggle', item('second-tier')));
    // Without Alt the arrow keys are left alone.
    await press(get('rule-toggle', item('second-tier'))!, 'ArrowUp');
    expect(ids()[1]).toBe('second-tier');

    const down = get('rule-move-down', item('new-customer'))!;
    down.focus();
    await press(down, 'ArrowDown', { altKey: true });
    expect(ids().slice(0, 5)).toEqual(['high-value-at-risk', 'second-tier', 'top-tier', 'lowest-tier', 'new-customer']);
    expect(document.activeElement).toBe(get('rule-move-down', item('new-customer')));
    await until(async () => (await storedRules())?.[4]?.id === 'new-customer', 'the save');
    expect((await storedRules())!.map((r) => r.order)).toEqual(DEFAULT_IDS.map((_, i) => (i + 1) * 10));
    // Alt+ArrowDown on the last rule does nothing; at the bottom Move down is disabled and focus goes to Move up.
    const last = DEFAULT_IDS.at(-1)!;
    const lastToggle = get('rule-toggle', item(last))!;
    await press(lastToggle, 'ArrowDown', { altKey: true });
    expect(ids().at(-1)).toBe(last);
    const secondLast = ids().at(-2)!;
    get('rule-move-down', item(secondLast))!.focus();
    await press(get('rule-move-down', item(secondLast))!, 'ArrowDown', { altKey: true });
    expect(ids().at(-1)).toBe(secondLast);
    expect(document.activeElement).toBe(get('rule-move-up', item(secondLast)));
  });

  it('moves a rule by drag and drop', async () => {
    const { item, ids } = await mount();
    const drag = (el: Element, type: string) => act(() => void el.dispatchEvent(new Event(type, { bubbles: true, cancelable: true })));
    await drag(item('lowest-tier'), 'dragstart');
    await drag(item('top-tier'), 'dragover');
    expect(item('top-tier').classList.contains('drop-target')).toBe(true);
    await drag(item('top-tier'), 'drop');
    await tick();
    expect(ids()).toEqual(['high-value-at-risk', 'lowest-tier', 'top-tier', 'second-tier', 'new-customer', ...REST]);
    expect(item('top-tier').classList.contains('drop-target')).toBe(false);
    await until(async () => (await storedRules())?.[1]?.id === 'lowest-tier', 'the save');
  });

  it('Duplicate places a copy with a new id and "(copy)" right after the rule', async () => {
    const { get, item, ids } = await mount();
    await click(get('rule-duplicate', item('top-tier')));
    expect(ids()).toEqual(['high-value-at-risk', 'top-tier', 'top-tier-copy', 'second-tier', 'new-customer', 'lowest-tier', ...REST]);
    expect(item('top-tier-copy').querySelector('.rule-name')?.textContent).toBe('Platinum: white-glove service (copy)');
    expect(document.activeElement).toBe(get('rule-edit', item('top-tier-copy')));
    await until(async () => (await storedRules())?.length === DEFAULT_IDS.length + 1, 'the save');
    const saved = (await storedRules())!;
    const copy = saved.find((r) => r.id === 'top-tier-copy')!;
    const original = saved.find((r) => r.id === 'top-tier')!;
    expect({ ...copy, id: original.id, name: original.name }).toEqual(original);
    // A second copy gets the next free id.
    await click(get('rule-duplicate', item('top-tier')));
    expect(ids().slice(1, 4)).toEqual(['top-tier', 'top-tier-copy-2', 'top-tier-copy']);
  });

  it('Delete saves at once and Undo puts the rule back in its place', async () => {
    const { get, item, ids } = await mount();
    await click(get('rule-delete', item('second-tier')));
    expect(ids()).toEqual(DEFAULT_IDS.filter((id) => id !== 'second-tier'));
    await until(async () => (await storedRules())?.length === DEFAULT_IDS.length - 1, 'the delete to be saved');
    expect(get('undo-toast')?.textContent).toContain('Deleted “Gold: loyalty and upsell”.');
    expect(document.activeElement).toBe(get('undo-delete'));
    await click(get('undo-delete'));
    expect(ids()).toEqual(DEFAULT_IDS);
    expect(get('undo-toast')).toBeNull();
    await until(async () => (await storedRules())?.length === DEFAULT_IDS.length, 'the undo to be saved');
    expect((await storedRules())!.map((r) => [r.id, r.order])).toEqual(DEFAULT_RULES.map((r) => [r.id, r.order]));
    expect(document.activeElement).toBe(get('rule-delete', item('second-tier')));
  });

  it('offers Undo for a limited time only', async () => {
    const { get, item } = await mount(50);
    await click(get('rule-delete', item('top-tier')));
    // While Undo has focus the offer stays (WCAG 2.2.1: time limits can be extended) …
    expect(document.activeElement).toBe(get('undo-delete'));
    await tick(150);
    expect(get('undo-delete')).not.toBeNull();
    // … and once focus leaves it, it ends after the time limit.
    await act(() => (document.activeElement as HTMLElement).blur());
    expect(get('undo-delete')).not.toBeNull();
    await until(() => get('undo-delete') === null, 'the undo offer to end');
    expect((await storedRules())!.map((r) => r.id)).not.toContain('top-tier');
  });

  it('re-reads the rules when they change elsewhere (another tab saving)', async () => {
    const { ids } = await mount();
    await saveRules(DEFAULT_RULES.slice(0, 2));
    await until(() => ids().length === 2, 'the list to follow storage');
    expect(ids()).toEqual(['high-value-at-risk', 'top-tier']);
  });
});
