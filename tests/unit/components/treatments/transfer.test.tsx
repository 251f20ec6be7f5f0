// @vitest-environment happy-dom
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { saveRules } from '~/lib/settings/rules';
import { CentricDb } from '~/lib/db/db';
import { DEFAULT_RULE_IDS, DEFAULT_RULES } from '~/lib/rules/defaults';
import { exportRuleSet, parseRuleSet } from '~/lib/rules/transfer';
import { click, mountSection, storedRules, tick, until } from './helpers';
import { RULES } from '~/lib/settings/items';

let db: CentricDb;
let n = 0;
let unmount: () => void = () => {};
beforeEach(() => {
  fakeBrowser.reset();
  db = new CentricDb(`centric-treatments-transfer-${++n}`);
});
afterEach(async () => {
  unmount();
  vi.useRealTimers();
  vi.restoreAllMocks();
  document.body.innerHTML = '';
  await db.delete();
});

async function mount() {
  const section = await mountSection(db);
  unmount = section.unmount;
  return section;
}

/** Chooses a file in the (hidden) file input, as a person picking it would. */
async function chooseFile(input: HTMLElement | null, name: string, text: string) {
  if (!input) throw new Error('No file input');
  const file = new File([text], name, { type: 'application/json' });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  await act(() => void input.dispatchEvent(new Event('change', { bubbles: true })));
  await until(() => !!document.querySelector('[data-testid="rules-import-errors"], [data-testid="rules-confirm"]'), 'the file to be read');
}

const THREE = DEFAULT_RULES.slice(0, 3);

describe('import, export and restore', () => {
  it('rejects an invalid file with every problem listed and changes nothing', async () => {
    await saveRules(THREE);
    const { get, ids } = await mount();
    const [first, second] = DEFAULT_RULES as [(typeof DEFAULT_RULES)[0], (typeof DEFAULT_RULES)[0]];
    const text = JSON.stringify({
      format: 'centric-rules',
      version: 1,
      rules: [
        { ...first, treatment: { ...first.treatment, color: 'red' } },
        { ...second, name: '', conditions: { kind: 'all', conditions: [{ kind: 'metric', metric: 'pAlive', op: '<', value: 50 }] } },
        { ...second, id: first.id },
      ],
    });
    await chooseFile(get('rules-import'), 'team-rules.json', text);
    const alert = get('rules-import-errors')!;
    expect(alert.getAttribute('role')).toBe('alert');
    const lines = [...alert.querySelectorAll('li')].map((li) => li.textContent);
    expect(lines).toEqual(expect.arrayContaining([
      'rules[0].treatment.color: Use a hex colour such as #1e293b.',
      'rules[1].name: This cannot be empty.',
      'rules[1].conditions.conditions[0].value: P(alive) is a probability between 0 and 1 (0.5 = 50%).',
      'rules[2].id: Rule id "high-value-at-risk" is used twice (also by rules[0]).',
    ]));
    expect(lines).toEqual((parseRuleSet(text) as { errors: string[] }).errors);
    expect(alert.textContent).toContain(`team-rules.json was not imported (${lines.length} problems); your rules are unchanged`);
    expect(get('rules-confirm')).toBeNull();
    expect(ids()).toEqual(THREE.map((r) => r.id));
    expect(await storedRules()).toEqual(THREE);
  });

  it('says where a file that is not JSON goes wrong', async () => {
    const { get } = await mount();
    await chooseFile(get('rules-import'), 'broken.json', '{\n  "format": "centric-rules",\n  "version": 1,\n  "rules": [,]\n}');
    expect([...get('rules-import-errors')!.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      expect.stringMatching(/^The file is not valid JSON: line 4, column 13: /),
    ]);
    expect(await storedRules()).toBeUndefined();
  });

  it('a valid file replaces the rules after a confirmation that names both counts', async () => {
    const { get, ids } = await mount();
    const imported = [
      { ...DEFAULT_RULES[1]!, id: 'vip', order: 5 },
      { ...DEFAULT_RULES[0]!, id: 'at-risk', order: 1 },
    ];
    await chooseFile(get('rules-import'), 'team.json', exportRuleSet(imported));
    const dialog = get('rules-confirm')!;
    expect(dialog.getAttribute('role')).toBe('alertdialog');
    expect(dialog.textContent).toContain(`The 2 rules in the file will replace your ${DEFAULT_RULE_IDS.length} rules.`);
    // The confirmation takes focus in an effect after it is drawn.
    await until(() => document.activeElement === get('rules-confirm-yes'), 'focus on the confirmation');
    // Nothing happens before the answer.
    expect(await storedRules()).toBeUndefined();
    await click(get('rules-confirm-yes'));
    await until(async () => (await storedRules())?.length === 2, 'the import to be saved');
    expect((await storedRules())!.map((r) => r.id)).toEqual(['at-risk', 'vip']);
    expect(ids()).toEqual(['at-risk', 'vip']);
    expect(get('rules-confirm')).toBeNull();
    expect(get('rules-defaults-note')).toBeNull();
    expect(get('rules-status')?.textContent).toBe('Imported 2 rules from team.json.');
    // Focus returns to the import button once the save has finished (the button is disabled until then).
    await until(() => document.activeElement === get('rules-import-button'), 'focus back on the import button');
  });

  it('Keep my rules leaves everything as it was', async () => {
    const { get, ids } = await mount();
    await chooseFile(get('rules-import'), 'team.json', exportRuleSet([DEFAULT_RULES[0]!]));
    await click(get('rules-confirm-no'));
    expect(get('rules-confirm')).toBeNull();
    expect(document.activeElement).toBe(get('rules-import-button'));
    expect(ids()).toEqual([...DEFAULT_RULE_IDS]);
    expect(await storedRules()).toBeUndefined();
  });

  it('exports the rules as centric-rules-YYYY-MM-DD.json', async () => {
    await saveRules(THREE);
    const { get } = await mount();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 2, 5, 9, 30));
    let saved: Blob | null = null;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      saved = blob as Blob;
      return 'blob:rules';
    });
    const anchorClick = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    await click(get('rules-export'));
    expect(anchorClick).toHaveBeenCalledOnce();
    expect((anchorClick.mock.contexts[0] as HTMLAnchorElement).download).toBe('centric-rules-2026-03-05.json');
    const text = await saved!.text();
    expect(parseRuleSet(text)).toEqual({ ok: true, rules: THREE });
    expect(get('rules-status')?.textContent).toBe('Exported 3 rules to centric-rules-2026-03-05.json.');
  });

  it('Restore defaults asks first, then brings back the defaults for the current tiers', async () => {
    await saveRules(THREE.slice(0, 1));
    const { get, ids } = await mount();
    expect(ids()).toEqual([THREE[0]!.id]);
    await click(get('rules-restore-defaults'));
    expect(get('rules-confirm')?.textContent).toContain('The default rules for your current tiers will replace your 1 rule.');
    expect(await storedRules()).toEqual(THREE.slice(0, 1));
    await click(get('rules-confirm-yes'));
    await until(() => ids().length === DEFAULT_RULE_IDS.length, 'the defaults');
    expect(ids()).toEqual([...DEFAULT_RULE_IDS]);
    expect((await fakeBrowser.storage.local.get(RULES.key))[RULES.key]).toBeUndefined();
    await tick();
    expect(get('rules-status')?.textContent).toBe(`Restored the ${DEFAULT_RULE_IDS.length} default rules for your tiers (Platinum, Gold, Iron, Lead).`);
    expect(get('rules-confirm')).toBeNull();
    expect(document.activeElement).toBe(get('rules-restore-defaults'));
  });
});
