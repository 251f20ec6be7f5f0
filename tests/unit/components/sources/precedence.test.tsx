// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { ACME, SHARED, click, configWith, mountSection, storeConfig, storedConfig, until } from './helpers';

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

const OFF = { ...SHARED, id: 'old-file', name: 'Old file', enabled: false, url: 'https://files.example.com/old.json' };

describe('precedence', () => {
  it('lists the enabled sources and the scores in this browser, and saves each move', async () => {
    await storeConfig(configWith([ACME, SHARED], ['local', 'acme', 'shared']));
    const s = await mount();
    expect(s.precedence()).toEqual(['local', 'acme', 'shared']);
    expect(s.precedenceItem('local').textContent).toContain('Scores computed in this browser');
    expect(s.get('precedence-up', s.precedenceItem('local'))?.getAttribute('aria-label')).toBe('Move “Scores computed in this browser” up');
    expect(s.get<HTMLButtonElement>('precedence-up', s.precedenceItem('local'))!.disabled).toBe(true);
    expect(s.get<HTMLButtonElement>('precedence-down', s.precedenceItem('shared'))!.disabled).toBe(true);

    await click(s.get('precedence-down', s.precedenceItem('local')));
    await until(async () => (await storedConfig()) !== undefined, 'the save');
    expect((await storedConfig())!.precedence).toEqual(['acme', 'local', 'shared']);
    expect(s.precedence()).toEqual(['acme', 'local', 'shared']);
    // Focus stays on the button that moved it.
    expect(document.activeElement).toBe(s.get('precedence-down', s.precedenceItem('local')));
    expect(s.get('sources-status')?.textContent).toBe('“Scores computed in this browser” moved to position 2 of 3.');

    await click(s.get('precedence-up', s.precedenceItem('shared')));
    await until(async () => (await storedConfig())!.precedence[1] === 'shared', 'the save');
    expect((await storedConfig())!.precedence).toEqual(['acme', 'shared', 'local']);

    // At the top its Up button is disabled: focus goes to its Down button.
    await click(s.get('precedence-up', s.precedenceItem('shared')));
    await until(async () => (await storedConfig())!.precedence[0] === 'shared', 'the save');
    expect((await storedConfig())!.precedence).toEqual(['shared', 'acme', 'local']);
    expect(document.activeElement).toBe(s.get('precedence-down', s.precedenceItem('shared')));
    // The sources themselves are untouched.
    expect((await storedConfig())!.sources).toEqual([ACME, SHARED]);
  });

  it('keeps the place of a source that is off, so turning it on puts it back where it was', async () => {
    await storeConfig(configWith([ACME, OFF], ['old-file', 'local', 'acme']));
    const s = await mount();
    expect(s.precedence()).toEqual(['local', 'acme']);
    await click(s.get('precedence-up', s.precedenceItem('acme')));
    await until(async () => (await storedConfig()) !== undefined, 'the save');
    expect((await storedConfig())!.precedence).toEqual(['old-file', 'acme', 'local']);
    await click(s.get('source-toggle', s.item('old-file')));
    await until(async () => (await storedConfig())!.sources[1]?.enabled === true, 'the save');
    expect(s.precedence()).toEqual(['old-file', 'acme', 'local']);
  });

  it('puts a source not listed yet where it is in effect (after the listed ones) before moving', async () => {
    await storeConfig(configWith([ACME, SHARED], ['local']));
    const s = await mount();
    expect(s.precedence()).toEqual(['local', 'acme', 'shared']);
    await click(s.get('precedence-up', s.precedenceItem('shared')));
    await until(async () => (await storedConfig()) !== undefined, 'the save');
    expect((await storedConfig())!.precedence).toEqual(['local', 'shared', 'acme']);
  });

  it('says how to use it when no source is on', async () => {
    await storeConfig(configWith([OFF]));
    const s = await mount();
    expect(s.precedence()).toEqual([]);
    expect(s.get('precedence-empty')?.textContent).toContain('Turn on a source');
  });
});
