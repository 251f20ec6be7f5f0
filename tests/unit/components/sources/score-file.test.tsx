// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { SHARED, choose, click, configWith, errorOf, fakePermissions, mountSection, storeConfig, storedConfig, type, until } from './helpers';

let unmount: () => void = () => {};
beforeEach(() => fakeBrowser.reset());
afterEach(() => {
  unmount();
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

async function mount() {
  const section = await mountSection();
  unmount = section.unmount;
  return section;
}

describe('adding a score file', () => {
  it('saves the file’s address, format and schedule after asking for its site', async () => {
    const permissions = fakePermissions({ answer: true });
    const s = await mount();
    await click(s.get('add-score-file'));
    const editor = s.get('source-editor')!;
    expect(editor.querySelector('h3')?.textContent).toBe('New score file');
    expect(document.activeElement).toBe(s.get('source-name', editor));
    expect(s.get('source-format', editor)).toBeNull();
    expect(s.get('source-test', editor)).toBeNull();
    await type(s.get('source-name', editor), 'Shared scores');
    const url = s.get('source-url', editor)!;
    await type(url, 'https://files.example.com/{id}.csv');
    expect(errorOf(url)).toBe('A file address cannot contain placeholders.');
    await type(url, 'http://files.example.com/scores.csv');
    expect(errorOf(url)).toMatch(/^Use https:\/\//);
    await type(url, 'https://files.example.com/scores.csv');
    const minutes = s.get('source-sync-minutes', editor)!;
    await type(minutes, '2');
    expect(errorOf(minutes)).toBe('Use at least 5 minutes.');
    expect(s.get<HTMLButtonElement>('source-save', editor)!.disabled).toBe(true);
    await type(minutes, '30');
    await choose(s.get('source-file-format', editor), 'csv');
    await click(s.get('source-save', editor));
    await until(async () => (await storedConfig()) !== undefined, 'the save');
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://files.example.com/*'] });
    expect(await storedConfig()).toEqual({
      version: 1,
      sources: [{ id: 'shared-scores', kind: 'score-file', name: 'Shared scores', enabled: true, url: 'https://files.example.com/scores.csv', format: 'csv', syncMinutes: 30, headers: [] }],
      precedence: ['local', 'shared-scores'],
    });
    await until(() => s.get('source-editor') === null, 'the editor to close');
    expect(s.get('source-sync-status', s.item('shared-scores'))?.textContent).toBe('Never synced.');
  });

  it('gives a second source of the same name its own id', async () => {
    await storeConfig(configWith([{ ...SHARED, id: 'shared-scores' }]));
    fakePermissions({ granted: ['https://files.example.com/*'] });
    const s = await mount();
    await click(s.get('add-score-file'));
    await type(s.get('source-name'), 'Shared scores');
    await type(s.get('source-url'), 'https://files.example.com/other.json');
    await click(s.get('source-save'));
    await until(async () => (await storedConfig())?.sources.length === 2, 'the save');
    expect((await storedConfig())!.sources.map((x) => x.id)).toEqual(['shared-scores', 'shared-scores-2']);
  });
});

describe('Sync now', () => {
  beforeEach(async () => {
    await storeConfig(configWith([SHARED], ['shared', 'local']));
  });

  it('asks the background to sync the file and shows its answer', async () => {
    const received: unknown[] = [];
    fakeBrowser.runtime.onMessage.addListener(async (message: unknown) => {
      received.push(message);
      return { ok: true, message: 'Synced: 1,204 customers, 3 new.' };
    });
    const s = await mount();
    const item = s.item('shared');
    const result = s.get('source-sync-result', item)!;
    expect(result.getAttribute('role')).toBe('status');
    expect(result.textContent).toBe('');
    let answer: (value: unknown) => void = () => {};
    const answered = new Promise((resolve) => (answer = resolve));
    fakeBrowser.runtime.onMessage.removeAllListeners();
    fakeBrowser.runtime.onMessage.addListener(async (message: unknown) => {
      received.push(message);
      await answered;
      return { ok: true, message: 'Synced: 1,204 customers, 3 new.' };
    });
    await click(s.get('source-sync-now', item));
    expect(s.get('source-sync-now', item)?.getAttribute('aria-disabled')).toBe('true');
    expect(result.textContent).toBe('Syncing…');
    // A second click while it syncs sends nothing more.
    await click(s.get('source-sync-now', item));
    answer(undefined);
    await until(() => result.textContent !== '' && result.textContent !== 'Syncing…', 'the answer');
    expect(received).toEqual([{ type: 'sync-sources', sourceId: 'shared' }]);
    expect(result.textContent).toBe('Synced: 1,204 customers, 3 new.');
    expect(result.classList.contains('ok')).toBe(true);
    // Busy while it waits (without losing focus), then available again.
    expect(s.get('source-sync-now', item)?.getAttribute('aria-disabled')).toBeNull();
    expect(s.get('source-sync-now', item)?.textContent).toBe('Sync now');
  });

  it('shows the background’s refusal as an error', async () => {
    fakeBrowser.runtime.onMessage.addListener(async () => ({ ok: false, message: 'The scores file was not found (404). Check its address in Options → Sources.' }));
    const s = await mount();
    const item = s.item('shared');
    await click(s.get('source-sync-now', item));
    const result = s.get('source-sync-result', item)!;
    await until(() => result.classList.contains('error'), 'the answer');
    expect(result.textContent).toBe('The scores file was not found (404). Check its address in Options → Sources.');
  });

  it('says so when the message fails or the answer is not one', async () => {
    const send = vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockRejectedValueOnce(new Error('Could not establish connection. Receiving end does not exist.'));
    const s = await mount();
    const item = s.item('shared');
    await click(s.get('source-sync-now', item));
    const result = s.get('source-sync-result', item)!;
    await until(() => result.classList.contains('error'), 'the failure');
    expect(result.textContent).toBe("Centric's background could not sync the file: Could not establish connection. Receiving end does not exist.");

    send.mockResolvedValueOnce(undefined as never);
    await click(s.get('source-sync-now', item));
    await until(() => result.textContent?.includes('no usable answer') === true, 'the failure');
    expect(result.classList.contains('error')).toBe(true);
    expect(send).toHaveBeenCalledTimes(2);
  });
});
