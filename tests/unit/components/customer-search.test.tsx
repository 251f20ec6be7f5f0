// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { fakeBrowser } from 'wxt/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CustomerSearch } from '~/components/popup/CustomerSearch';
import { CentricDb } from '~/lib/db/db';
import { handleRequest } from '~/lib/messages/handler';
import { DEFAULT_RULES } from '~/lib/rules/defaults';
import { ensureSampleData } from '~/lib/sample/install';
import { readBundledSample } from '../../helpers/sample';

let db: CentricDb;
beforeAll(async () => {
  db = new CentricDb('centric-popup-search');
  await ensureSampleData(db, async () => readBundledSample());
});
afterAll(async () => {
  await db.delete();
});
afterEach(() => {
  document.body.innerHTML = '';
  fakeBrowser.reset();
  vi.restoreAllMocks();
});

/** The popup's messages answered by the real handler over the sample store, as the background would. */
function answerLikeTheBackground() {
  return vi
    .spyOn(fakeBrowser.runtime, 'sendMessage')
    .mockImplementation((async (message: unknown) => handleRequest(db, message, { id: 'centric' }, 'centric', { rules: async () => DEFAULT_RULES })) as never);
}

async function type(input: HTMLInputElement, text: string) {
  await act(() => {
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await act(() => new Promise((resolve) => setTimeout(resolve, 60)));
}

describe('popup customer search', () => {
  it('finds customers by name with their tier and recommended treatment, most valuable first', async () => {
    const send = answerLikeTheBackground();
    const root = document.createElement('div');
    document.body.append(root);
    render(<CustomerSearch delayMs={0} />, root);
    const input = root.querySelector('[data-testid="popup-search-input"]') as HTMLInputElement;
    await type(input, 'a');
    expect(send).not.toHaveBeenCalled(); // one letter is too little to search
    const top = (await db.customers.toArray()).find((c) => c.name)!;
    await type(input, top.name.slice(0, 4));
    expect(send).toHaveBeenCalledWith({ type: 'search', query: top.name.slice(0, 4), withTreatment: true });
    // The answer comes from IndexedDB: under a loaded machine it can take longer than the 60 ms above.
    await vi.waitFor(() => expect(root.querySelectorAll('[data-testid="popup-search-result"]').length).toBeGreaterThan(0), { timeout: 5000 });
    const results = [...root.querySelectorAll('[data-testid="popup-search-result"]')];
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => r.textContent!.toLowerCase().includes(top.name.slice(0, 4).toLowerCase()))).toBe(true);
    expect(root.querySelector('[data-testid="popup-search-tier"]')?.textContent).toMatch(/^(Platinum|Gold|Iron|Lead)$/);
    expect(root.querySelector('[data-testid="popup-search-treatment"]')?.textContent).toMatch(/service|save|upsell|Onboarding|Self-service/i);
    expect(root.querySelector('[role="status"]')?.textContent).toMatch(/customers?, most valuable first/);
  });

  it('says when nothing matches', async () => {
    answerLikeTheBackground();
    const root = document.createElement('div');
    document.body.append(root);
    render(<CustomerSearch delayMs={0} />, root);
    await type(root.querySelector('[data-testid="popup-search-input"]') as HTMLInputElement, 'zzzz-nobody');
    expect(root.querySelector('[role="status"]')?.textContent).toBe('No customer matches.');
  });
});
