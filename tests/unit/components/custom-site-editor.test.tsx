// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { CustomSiteEditor } from '~/components/popup/CustomSiteEditor';
import { readRuleInPage } from '~/lib/sites/custom';
import { CUSTOM_SITES } from '~/lib/settings/items';

const url = new URL('https://crm.acme.com/app/customers/10');
/** The "page" the preview runs on: executeScript calls the injected function with its args, like the browser. */
const page = new DOMParser().parseFromString(
  `<body><h2 class="customer-name">&lt;img src=x onerror="window.hacked=1"&gt;Kaia Zhou</h2>
   <a class="customer-email" href="mailto:kaia.zhou.10@silverline.example">write</a></body>`,
  'text/html',
);

let root: HTMLElement;
const $ = (testId: string) => root.querySelector<HTMLElement>(`[data-testid="${testId}"]`);

async function type(testId: string, value: string) {
  const input = $(testId) as HTMLInputElement;
  await act(() => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function click(testId: string) {
  await act(async () => {
    $(testId)!.click();
    await new Promise((r) => setTimeout(r, 0));
  });
}

beforeEach(() => {
  fakeBrowser.reset();
  root = document.createElement('div');
  document.body.append(root);
  render(<CustomSiteEditor tabId={7} url={url} />, root);
});
afterEach(() => {
  render(null, root);
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

describe('CustomSiteEditor (popup)', () => {
  it('prefills the pattern from the tab, shows problems in words and does not preview an invalid rule', async () => {
    expect(($('custom-matches') as HTMLInputElement).value).toBe('https://crm.acme.com/*');
    expect(($('custom-name') as HTMLInputElement).value).toBe('crm.acme.com');
    const execute = vi.spyOn(fakeBrowser.scripting, 'executeScript');
    await type('custom-matches', 'https://*/*');
    await type('custom-name-pattern', '(a)(b)');
    await click('custom-preview');
    expect(execute).not.toHaveBeenCalled();
    const errors = [...$('custom-errors')!.querySelectorAll('li')].map((li) => li.textContent);
    expect(errors).toEqual([
      expect.stringMatching(/^URL pattern 1: "https:\/\/\*\/\*" would give Centric every site/),
      expect.stringMatching(/^Name, text pattern: has 2 capture groups/),
    ]);
  });

  it('previews the rule on the active tab with the self-contained reader, and shows what it found as text', async () => {
    const execute = vi.spyOn(fakeBrowser.scripting, 'executeScript').mockImplementation((async (injection: {
      func: typeof readRuleInPage;
      args: [Parameters<typeof readRuleInPage>[0]];
    }) => [{ frameId: 0, result: injection.func(injection.args[0], page, url.href) }]) as never);
    await type('custom-email-selector', 'a.customer-email');
    await type('custom-email-attribute', 'href');
    await type('custom-name-selector', '.customer-name');
    await type('custom-recordId-selector', '.nothing-here');
    await click('custom-preview');
    expect(execute).toHaveBeenCalledWith({ target: { tabId: 7 }, func: readRuleInPage, args: [expect.objectContaining({ matches: ['https://crm.acme.com/*'] })] });
    expect($('custom-found-email')!.textContent).toBe('kaia.zhou.10@silverline.example');
    expect($('custom-found-name')!.textContent).toBe('<img src=x onerror="window.hacked=1">Kaia Zhou');
    expect($('custom-found-recordId')!.textContent).toBe('Not found: the selector matched nothing');
    expect(root.querySelector('img')).toBeNull();
  });

  it('previews a catastrophic pattern on a long page in bounded steps (the same linear matcher as the page)', async () => {
    // (a|a)*$ on 100,000 "a"s and a "!" would take a backtracking engine longer than the universe has left.
    const evil = new DOMParser().parseFromString(`<body><p>${'a'.repeat(99_999)}!</p></body>`, 'text/html');
    const meter = { steps: 0, instructions: 0 };
    vi.spyOn(fakeBrowser.scripting, 'executeScript').mockImplementation((async (injection: {
      func: typeof readRuleInPage;
      args: [Parameters<typeof readRuleInPage>[0]];
    }) => [{ frameId: 0, result: injection.func(injection.args[0], evil, url.href, meter) }]) as never);
    await type('custom-name-pattern', '(a|a)*$');
    await click('custom-preview');
    expect($('custom-found-name')!.textContent).toBe('Not found: the pattern matched nothing');
    expect(meter.instructions).toBeGreaterThan(0);
    expect(meter.steps).toBeLessThanOrEqual(2 * 100_001 * meter.instructions);
  });

  it('asks for the permission first, in the click, then stores the rule', async () => {
    const order: string[] = [];
    let grant: (ok: boolean) => void = () => {};
    vi.spyOn(fakeBrowser.permissions, 'request').mockImplementation((async (request: { origins: string[] }) => {
      order.push(`request ${request.origins.join()}`);
      return new Promise<boolean>((r) => (grant = r));
    }) as never);
    const get = fakeBrowser.storage.local.get.bind(fakeBrowser.storage.local);
    vi.spyOn(fakeBrowser.storage.local, 'get').mockImplementation(((keys: string) => {
      order.push('storage');
      return get(keys);
    }) as never);
    await type('custom-name', 'Acme CRM');
    await type('custom-name-selector', '.customer-name');
    $('custom-save')!.click();
    expect(order).toEqual(['request https://crm.acme.com/*']); // synchronously, before anything is awaited
    await act(async () => {
      grant(true);
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(await fakeBrowser.storage.local.get(CUSTOM_SITES.key)).toEqual({
      [CUSTOM_SITES.key]: [{ id: 'crm-acme-com', name: 'Acme CRM', matches: ['https://crm.acme.com/*'], fields: { name: { selector: '.customer-name' } } }],
    });
    expect($('custom-note')!.textContent).toContain('Saved. Centric is on for Acme CRM');
  });

  it('stores nothing when the permission is refused', async () => {
    vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValue(false as never);
    await type('custom-name-selector', '.customer-name');
    await click('custom-save');
    expect(await fakeBrowser.storage.local.get(CUSTOM_SITES.key)).toEqual({});
    expect($('custom-note')!.textContent).toContain('was not given; nothing was saved');
  });
});
