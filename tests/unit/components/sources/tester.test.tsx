// @vitest-environment happy-dom
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { ACME, choose, click, configWith, fakePermissions, mountSection, storeConfig, type, until } from './helpers';

let unmount: () => void = () => {};
beforeEach(() => fakeBrowser.reset());
afterEach(() => {
  unmount();
  document.body.innerHTML = '';
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

async function mount() {
  const section = await mountSection();
  unmount = section.unmount;
  return section;
}

/** globalThis.fetch answering every request with `respond()`, and the requests it saw. */
function stubFetch(respond: () => Response) {
  const fetch = vi.fn(async (_url: string, _init?: RequestInit) => respond());
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

const GOLD = {
  tier: 'Gold',
  clv: 1234.5,
  next12Months: 310.2,
  pAlive: 0.82,
  segment: 'Wholesale',
  treatment: { title: 'Call back today', guidance: 'Ask about the spring order.' },
  updatedAt: '2024-03-12T10:42:00Z',
};

const values = (result: HTMLElement) => Object.fromEntries([...result.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]));

describe('Test in the list', () => {
  beforeEach(async () => {
    await storeConfig(configWith([ACME], ['acme', 'local']));
  });

  it('asks the service about a customer with the stored secrets and shows the score it gave', async () => {
    fakePermissions({ granted: ['https://api.acme.example/*'] });
    const fetch = stubFetch(() => new Response(JSON.stringify(GOLD), { status: 200, headers: { 'content-type': 'application/json' } }));
    const s = await mount();
    const item = s.item('acme');
    const toggle = s.get('source-test', item)!;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(document.activeElement).toBe(s.get('source-test-email', item));
    await type(s.get('source-test-email', item), ' ann@acme.com ');
    await click(s.get('source-test-run', item));
    const result = s.get('source-test-result', item)!;
    await until(() => result.getAttribute('data-outcome') !== null, 'the answer');

    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://api.acme.example/v1/customers/ann%40acme.com?api_key=k3y-in-url');
    expect(init).toMatchObject({ method: 'GET', credentials: 'omit', redirect: 'manual', headers: { Accept: 'application/json', Authorization: 'Bearer s3cr3t-token' } });

    expect(result.getAttribute('role')).toBe('status');
    expect(result.getAttribute('data-outcome')).toBe('score');
    expect(result.textContent).toContain('Acme warehouse API answered for ann@acme.com');
    expect(s.get('source-test-tier', result)?.textContent).toBe('Gold');
    expect(values(result)).toEqual({
      'Next 12 months (discounted)': '1,234.5',
      'Next 12 months (undiscounted)': '310.2',
      'P(alive)': '82%',
      Segment: 'Wholesale',
      Treatment: 'Call back today — Ask about the spring order.',
      Scored: expect.stringMatching(/^12 Mar 2024 \d\d:42$/),
    });
    // Numbers the service did not give are not shown (as 0 or otherwise).
    expect(result.textContent).not.toContain('Expected purchases');
    // The secret never reaches the page.
    expect(s.root.innerHTML).not.toContain('s3cr3t');
  });

  it('shows the plain-language message of a refused API key (401)', async () => {
    fakePermissions({ granted: ['https://api.acme.example/*'] });
    const fetch = stubFetch(() => new Response('{"error":"unauthorized"}', { status: 401 }));
    const s = await mount();
    const item = s.item('acme');
    await click(s.get('source-test', item));
    await type(s.get('source-test-email', item), 'ann@acme.com');
    await click(s.get('source-test-run', item));
    const result = s.get('source-test-result', item)!;
    await until(() => result.getAttribute('data-outcome') !== null, 'the answer');
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(result.getAttribute('data-outcome')).toBe('error');
    expect(result.textContent).toBe('Test failed: The service refused the API key (401). Check the API key in Options → Sources.');
  });

  it('says which customer detail the address needs, without asking', async () => {
    fakePermissions({ granted: ['https://api.acme.example/*'] });
    const fetch = stubFetch(() => new Response('{}'));
    const s = await mount();
    const item = s.item('acme');
    await click(s.get('source-test', item));
    await type(s.get('source-test-id', item), 'C-1042');
    await click(s.get('source-test-run', item));
    expect(s.get('source-test-result', item)?.textContent).toBe('Test failed: Enter the customer’s email: Acme warehouse API’s address uses it.');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('does not ask when the site may not be contacted', async () => {
    const permissions = fakePermissions({ answer: false });
    const fetch = stubFetch(() => new Response('{}'));
    const s = await mount();
    const item = s.item('acme');
    await click(s.get('source-test', item));
    await type(s.get('source-test-email', item), 'ann@acme.com');
    await click(s.get('source-test-run', item));
    await until(() => s.get('source-test-result', item)?.getAttribute('data-outcome') !== null, 'the answer');
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://api.acme.example/*'] });
    expect(s.get('source-test-result', item)?.textContent).toBe(
      'Test failed: Centric may not contact api.acme.example: allow it when your browser asks, then test again.',
    );
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('Test in the editor', () => {
  it('tests the settings being edited (not saved yet), with the saved secret behind the hidden value', async () => {
    await storeConfig(configWith([ACME], ['acme', 'local']));
    fakePermissions({ granted: ['https://api.acme.example/*'] });
    const fetch = stubFetch(() => new Response(JSON.stringify({ data: { level: 'Silver', value: '99.5' } }), { status: 200 }));
    const s = await mount();
    await click(s.get('source-edit', s.item('acme')));
    const editor = s.get('source-editor')!;
    await choose(s.get('source-format', editor), 'mapping');
    await type(s.get('source-map-tier', editor), 'data.level');
    await type(s.get('source-map-clv', editor), 'data.value');
    await click(s.get('source-test', editor));
    await type(s.get('source-test-email', editor), 'bob@acme.com');
    // Enter in the test's fields runs the test and does not submit the editor.
    const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
    await act(() => void s.get('source-test-email', editor)!.dispatchEvent(enter));
    expect(enter.defaultPrevented).toBe(true);
    const result = s.get('source-test-result', editor)!;
    await until(() => result.getAttribute('data-outcome') !== null, 'the answer');
    expect(fetch.mock.calls[0]![0]).toBe('https://api.acme.example/v1/customers/bob%40acme.com?api_key=k3y-in-url');
    expect(fetch.mock.calls[0]![1]).toMatchObject({ headers: { Authorization: 'Bearer s3cr3t-token' } });
    expect(s.get('source-test-tier', result)?.textContent).toBe('Silver');
    expect(values(result)).toEqual({ 'Next 12 months (discounted)': '99.5' });
    expect(s.get('source-editor')).not.toBeNull();
    expect((await fakeBrowser.storage.local.get('sources')).sources).toEqual(configWith([ACME], ['acme', 'local']));
  });

  it('cannot run while the settings have problems', async () => {
    fakePermissions({ answer: true });
    const fetch = stubFetch(() => new Response('{}'));
    const s = await mount();
    await click(s.get('add-lookup-service'));
    await type(s.get('source-name'), 'Acme');
    await click(s.get('source-test'));
    const run = s.get<HTMLButtonElement>('source-test-run')!;
    expect(run.disabled).toBe(true);
    expect(document.getElementById(run.getAttribute('aria-describedby')!)?.textContent).toBe('Fix the problems listed above to test this service.');
    await type(s.get('source-url'), 'http://127.0.0.1:9999/score/{email}');
    expect(s.get<HTMLButtonElement>('source-test-run')!.disabled).toBe(false);
    expect(fetch).not.toHaveBeenCalled();
  });
});
