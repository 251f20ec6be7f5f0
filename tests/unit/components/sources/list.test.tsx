// @vitest-environment happy-dom
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { HIDDEN_VALUE } from '~/lib/sources/config';
import { ACME, SHARED, click, configWith, fakePermissions, mountSection, storeConfig, storedConfig, tick, type, until } from './helpers';

let unmount: () => void = () => {};
beforeEach(() => fakeBrowser.reset());
afterEach(() => {
  unmount();
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

async function mount(props: { undoMs?: number } = {}) {
  const section = await mountSection(props);
  unmount = section.unmount;
  return section;
}

const OFF = { ...SHARED, id: 'old-file', name: 'Old file', enabled: false, url: 'https://files.example.com/old.json' };

describe('the list of sources', () => {
  it('explains sources, and says there are none yet', async () => {
    const s = await mount();
    expect(s.get('sources')?.getAttribute('aria-labelledby')).toBe('sources-title');
    const intro = s.get('sources')!.querySelector('p.muted')!.textContent!;
    expect(intro).toContain('lookup service');
    expect(intro).toContain('shared scores file');
    expect(intro).toContain('Precedence');
    expect(intro).toContain('API keys stay in the extension’s storage and are never sent to the pages you visit');
    expect(s.get('source-list-empty')?.textContent).toContain('No sources yet');
    expect(s.precedence()).toEqual([]);
    expect(s.get('sources-problems')).toBeNull();
  });

  it('shows each source’s name, kind, switch and address with its secrets hidden, and the score files’ last sync', async () => {
    await storeConfig(configWith([ACME, SHARED, OFF], ['acme', 'local', 'shared']));
    await fakeBrowser.storage.local.set({
      sourcesStatus: { shared: { at: Date.parse('2024-03-12T10:42:00'), outcome: 'changed', rows: 1204 }, acme: { at: 1, outcome: 'bogus' } },
    });
    const s = await mount();
    expect(s.ids()).toEqual(['acme', 'shared', 'old-file']);
    const acme = s.item('acme');
    expect(acme.querySelector('.source-name')?.textContent).toBe('Acme warehouse API');
    expect(acme.querySelector('.badge')?.textContent).toBe('Lookup service');
    expect(s.get('source-address', acme)?.textContent).toBe(`https://api.acme.example/v1/customers/{email}?api_key=${HIDDEN_VALUE}`);
    expect(s.get('source-sync-status', acme)).toBeNull();
    expect(s.get('source-test', acme)).not.toBeNull();
    expect(s.get<HTMLInputElement>('source-toggle', acme)!.checked).toBe(true);
    expect(s.get('source-toggle', acme)?.getAttribute('role')).toBe('switch');
    expect(s.get('source-toggle', acme)?.closest('label')?.textContent).toContain('Use “Acme warehouse API”');
    expect(s.root.innerHTML).not.toContain('s3cr3t');
    expect(s.root.innerHTML).not.toContain('k3y-in-url');

    const shared = s.item('shared');
    expect(shared.querySelector('.badge')?.textContent).toBe('Score file');
    expect(s.get('source-sync-status', shared)?.textContent).toBe('Last sync 12 Mar 2024 10:42: new scores (1,204 customers).');
    expect(s.get('source-sync-now', shared)).not.toBeNull();
    expect(s.get('source-test', shared)).toBeNull();
    expect(s.get('source-sync-status', s.item('old-file'))?.textContent).toBe('Never synced.');
    expect(s.item('old-file').getAttribute('data-enabled')).toBe('false');
    expect(s.get<HTMLInputElement>('source-toggle', s.item('old-file'))!.checked).toBe(false);

    // The background writes a new status: the list follows.
    await act(async () => {
      await fakeBrowser.storage.local.set({ sourcesStatus: { 'old-file': { at: Date.parse('2024-03-13T08:00:00'), outcome: 'failed', message: 'The scores file was not found (404).' } } });
    });
    await until(() => s.get('source-sync-status', s.item('old-file'))?.textContent !== 'Never synced.', 'the new status');
    expect(s.get('source-sync-status', s.item('old-file'))?.textContent).toBe('Last sync 13 Mar 2024 08:00 failed: The scores file was not found (404).');
    expect(s.get('source-sync-status', s.item('old-file'))?.classList.contains('failed')).toBe(true);
    expect(s.get('source-sync-status', s.item('shared'))?.textContent).toBe('Never synced.');
  });

  it('turns a source off and on, saved at once, and the precedence follows', async () => {
    await storeConfig(configWith([ACME, SHARED], ['acme', 'local', 'shared']));
    const s = await mount();
    expect(s.precedence()).toEqual(['acme', 'local', 'shared']);
    await click(s.get('source-toggle', s.item('acme')));
    await until(async () => (await storedConfig())?.sources[0]?.enabled === false, 'the save');
    expect((await storedConfig())!.sources).toEqual([{ ...ACME, enabled: false }, SHARED]);
    expect((await storedConfig())!.precedence).toEqual(['acme', 'local', 'shared']);
    expect(s.item('acme').getAttribute('data-enabled')).toBe('false');
    expect(s.precedence()).toEqual(['local', 'shared']);
    expect(s.get('sources-status')?.textContent).toBe('“Acme warehouse API” is off.');

    await click(s.get('source-toggle', s.item('acme')));
    await until(async () => (await storedConfig())?.sources[0]?.enabled === true, 'the save');
    expect(s.precedence()).toEqual(['acme', 'local', 'shared']);
    expect(s.get('sources-status')?.textContent).toBe('“Acme warehouse API” is on.');
  });

  it('removes a source at once with Undo, which puts it back in its place and precedence', async () => {
    await storeConfig(configWith([ACME, SHARED], ['shared', 'acme', 'local']));
    const s = await mount();
    await click(s.get('source-remove', s.item('acme')));
    expect(s.ids()).toEqual(['shared']);
    await until(async () => (await storedConfig())?.sources.length === 1, 'the save');
    expect(await storedConfig()).toEqual(configWith([SHARED], ['shared', 'local']));
    expect(s.precedence()).toEqual(['shared', 'local']);
    expect(s.get('source-undo-toast')?.textContent).toContain('Removed “Acme warehouse API”.');
    expect(document.activeElement).toBe(s.get('source-undo'));

    await click(s.get('source-undo'));
    await until(async () => (await storedConfig())?.sources.length === 2, 'the undo');
    expect(await storedConfig()).toEqual(configWith([ACME, SHARED], ['shared', 'acme', 'local']));
    expect(s.ids()).toEqual(['acme', 'shared']);
    expect(s.get('source-undo-toast')).toBeNull();
    expect(document.activeElement).toBe(s.get('source-remove', s.item('acme')));
  });

  it('stops offering Undo after a while, and focus goes back to the section', async () => {
    await storeConfig(configWith([ACME]));
    const s = await mount({ undoMs: 30 });
    await click(s.get('source-remove', s.item('acme')));
    expect(document.activeElement).toBe(s.get('source-undo'));
    await s.get('source-undo')!.dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
    await tick(60);
    expect(s.get('source-undo-toast')).toBeNull();
    expect(document.activeElement).toBe(s.get('sources-title'));
    expect((await storedConfig())!.sources).toEqual([]);
  });

  it('shows why saved sources could not be read, and the first change replaces them', async () => {
    await storeConfig({ version: 1, sources: [{ ...ACME, urlTemplate: 'http://api.acme.example/{email}' }], precedence: ['local', 'nobody'] });
    const s = await mount();
    const problems = s.get('sources-problems')!;
    const lines = [...problems.querySelectorAll('li')].map((li) => li.textContent);
    expect(lines).toContain('Saved sources: sources[0].urlTemplate: Use https:// (plain http:// is only allowed for 127.0.0.1 and localhost, on this computer).');
    expect(lines.some((l) => l?.includes('No source has the id "nobody"'))).toBe(true);
    expect(s.items()).toHaveLength(0);
    expect(s.precedence()).toEqual([]);

    await click(s.get('add-score-file'));
    await type(s.get('source-name'), 'Here');
    await type(s.get('source-url'), 'http://127.0.0.1:8000/scores.csv');
    await click(s.get('source-save'));
    await until(() => s.get('sources-problems') === null, 'the problems to go');
    expect((await storedConfig())!.sources.map((x) => x.id)).toEqual(['here']);
    expect((await storedConfig())!.precedence).toEqual(['local', 'here']);
  });

  it('follows changes made elsewhere (another options tab)', async () => {
    await storeConfig(configWith([ACME]));
    const s = await mount();
    expect(s.ids()).toEqual(['acme']);
    await act(async () => {
      await storeConfig(configWith([SHARED, ACME], ['local', 'shared', 'acme']));
    });
    await until(() => s.ids().length === 2, 'the re-read');
    expect(s.ids()).toEqual(['shared', 'acme']);
    expect(s.precedence()).toEqual(['local', 'shared', 'acme']);
  });

  it('says which sources’ sites Centric may not contact yet, and asks for one with Allow access', async () => {
    await storeConfig(configWith([ACME, SHARED, { ...SHARED, id: 'here', name: 'Here', url: 'http://127.0.0.1:8000/s.csv' }]));
    const permissions = fakePermissions({ granted: ['https://files.example.com/*'], answer: true });
    const s = await mount();
    await until(() => s.get('source-permission', s.item('acme')) !== null, 'the permission check');
    expect(s.get('source-permission', s.item('acme'))?.textContent).toContain('Centric may not contact api.acme.example yet, so this source is not used.');
    expect(s.get('source-permission', s.item('shared'))).toBeNull();
    expect(s.get('source-permission', s.item('here'))).toBeNull();
    await click(s.get('source-allow', s.item('acme')));
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://api.acme.example/*'] });
    await until(() => s.get('source-permission', s.item('acme')) === null, 'the new check');
    expect(s.get('sources-status')?.textContent).toBe('Centric may now contact api.acme.example for “Acme warehouse API”.');
  });
});
