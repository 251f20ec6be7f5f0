import { render } from 'preact';
import { act } from 'preact/test-utils';
import { fakeBrowser } from 'wxt/testing';
import { TreatmentsSection } from '~/components/options/treatments/TreatmentsSection';
import type { CentricDb } from '~/lib/db/db';
import type { CustomerWithValue } from '~/lib/db/records';
import type { Rule } from '~/lib/rules/schema';
import { tick } from '../../../helpers/act';
import { RULES } from '~/lib/settings/items';

export { choose, click, tick, type } from '../../../helpers/act';

/** Renders the section and waits until it has read the rules. */
export async function mountSection(db: CentricDb, props: { undoMs?: number } = {}) {
  const root = document.createElement('div');
  document.body.append(root);
  await act(() => render(<TreatmentsSection db={db} {...props} />, root));
  for (let i = 0; i < 200 && root.querySelector('[data-testid="treatments"]')?.getAttribute('data-state') === 'loading'; i++) await tick(5);
  const get = <T extends HTMLElement = HTMLElement>(testId: string, scope: ParentNode = root) => scope.querySelector<T>(`[data-testid="${testId}"]`);
  const all = <T extends HTMLElement = HTMLElement>(testId: string, scope: ParentNode = root) => [...scope.querySelectorAll<T>(`[data-testid="${testId}"]`)];
  const items = () => all('rule-item');
  const ids = () => items().map((li) => li.getAttribute('data-rule-id'));
  const item = (id: string) => items().find((li) => li.getAttribute('data-rule-id') === id)!;
  return { root, get, all, items, ids, item, unmount: () => render(null, root) };
}

export async function press(element: Element, key: string, init: KeyboardEventInit = {}) {
  await act(() => {
    element.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
  });
  await tick();
}

/** The rule set saved in storage.local (undefined when none is saved). */
export async function storedRules(): Promise<Rule[] | undefined> {
  const stored = (await fakeBrowser.storage.local.get(RULES.key))[RULES.key] as { rules: Rule[] } | undefined;
  return stored?.rules;
}

/** Waits until `check` holds (the section saves and re-reads asynchronously). */
export async function until(check: () => boolean | Promise<boolean>, what = 'the condition') {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await tick(5);
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** A scored customer (default pyramid tier names), for the tester. */
export function scoredCustomer(
  id: string,
  name: string,
  value: { tier: string; tierIndex: number; clv: number; pAlive: number; flags?: string[] },
  extra: Partial<CustomerWithValue> = {},
): CustomerWithValue {
  return {
    id,
    name,
    emails: [`${name.toLowerCase().replace(/[^a-z]+/g, '.')}@shop.example`],
    hostIds: [],
    facts: { orders: 3, totalSpent: 120, firstPurchase: '1997-01-01', lastPurchase: '1997-06-01' },
    source: 'local',
    importedAt: '2026-01-01T00:00:00.000Z',
    value: {
      model: 'bgnbd',
      modelRunId: 1,
      x: 2,
      tx: 20,
      T: 30,
      monetary: 40,
      pAlive: value.pAlive,
      expectedTransactions: 1,
      expectedSpend: 40,
      clv: value.clv,
      next12Months: value.clv,
      tier: value.tier,
      tierIndex: value.tierIndex,
      tierCount: 4,
      tierColor: '#e2e8f0',
      tierForeground: '#0f172a',
      rank: 1,
      flags: value.flags ?? [],
      explanation: '',
      flagExplanations: [],
      scoredAt: '2026-03-01T00:00:00.000Z',
    },
    ...extra,
  };
}
