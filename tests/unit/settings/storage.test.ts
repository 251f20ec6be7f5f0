/**
 * The settings module (issue 18): every storage key defined once, read in one call, written with its
 * version, watched, and migrated by the background — with WXT's fake browser storage.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { defineSetting, settingProblems, type Setting } from '~/lib/settings/setting';
import * as items from '~/lib/settings/items';
import { ALL_SETTINGS, CUSTOM_SITES, LAYOUT, LIST_CHIPS, SITE_DEFINITIONS_URL } from '~/lib/settings/items';
import { migrateSettings, readSetting, readSettings, removeSetting, updateSetting, watchSetting, watchSettings, writeSetting } from '~/lib/settings/storage';

const local = () => fakeBrowser.storage.local.get(null);

describe('settings', () => {
  beforeEach(() => fakeBrowser.reset());

  it('each key is defined once', () => {
    const keys = ALL_SETTINGS.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('read as their fallback when absent, and defensively when hand-edited', async () => {
    expect(await readSettings(LAYOUT, LIST_CHIPS, CUSTOM_SITES, SITE_DEFINITIONS_URL)).toEqual([{}, {}, [], undefined]);
    await fakeBrowser.storage.local.set({ 'sidebar.layout': { zendesk: { mode: 'nowhere', collapsed: true }, hubspot: 7 }, listChips: 'on', customSites: [{ id: 1 }], siteDefinitionsUrl: '  https://x.example/d.json ' });
    expect(await readSettings(LAYOUT, LIST_CHIPS, CUSTOM_SITES, SITE_DEFINITIONS_URL)).toEqual([{ zendesk: { collapsed: true } }, {}, [], 'https://x.example/d.json']);
  });

  it('write, update and remove; a version above 1 is stored beside the value as WXT does (key$)', async () => {
    await writeSetting(LIST_CHIPS, { hubspot: true });
    await updateSetting(LIST_CHIPS, (now) => ({ ...now, zendesk: true }));
    expect(await readSetting(LIST_CHIPS)).toEqual({ hubspot: true, zendesk: true });
    const v2 = defineSetting<number, 'counter'>('counter', { parse: Number, fallback: 0, version: 2, migrations: { 2: (old) => Number(old) * 10 } });
    await writeSetting(v2, 5);
    expect(await local()).toMatchObject({ counter: 5, counter$: { v: 2 } });
    await removeSetting(v2);
    await removeSetting(LIST_CHIPS);
    expect(await local()).toEqual({});
  });

  it('watching: one setting with its new and previous value; several with one call per write', async () => {
    const one = vi.fn();
    const many = vi.fn();
    const stopOne = watchSetting(LIST_CHIPS, one);
    const stopMany = watchSettings([LIST_CHIPS, CUSTOM_SITES], many);
    await writeSetting(LIST_CHIPS, { hubspot: true });
    await fakeBrowser.storage.local.set({ unrelated: 1 });
    expect(one).toHaveBeenCalledTimes(1);
    expect(one).toHaveBeenCalledWith({ hubspot: true }, {});
    expect(many).toHaveBeenCalledTimes(1);
    stopOne();
    stopMany();
    await writeSetting(LIST_CHIPS, {});
    expect(one).toHaveBeenCalledTimes(1);
  });

  it('migrations bring an older value to the current version once; a newer or failing one is left and said', async () => {
    const v3 = defineSetting<string, 'greeting'>('greeting', {
      parse: String,
      fallback: '',
      version: 3,
      migrations: { 2: (old) => `${String(old)}!`, 3: (old) => String(old).toUpperCase() },
    });
    const broken = defineSetting<string, 'broken'>('broken', { parse: String, fallback: '', version: 2, migrations: { 2: () => { throw new Error('bad shape'); } } });
    const future = defineSetting<string, 'future'>('future', { parse: String, fallback: '', version: 2, migrations: { 2: (old) => old } });
    await fakeBrowser.storage.local.set({ greeting: 'hello', broken: 'x', future: 'y', future$: { v: 5 } });
    const problems = await migrateSettings([v3, broken, future, LAYOUT]);
    expect(await local()).toEqual({ greeting: 'HELLO!', greeting$: { v: 3 }, broken: 'x', future: 'y', future$: { v: 5 } });
    expect(problems).toEqual([
      'Setting broken: moving it from version 1 to 2 failed (bad shape); left as it is.',
      'Setting future was written by a newer Centric (version 5; this one reads 2): left as it is.',
    ]);
    expect(await migrateSettings([v3])).toEqual([]);
    expect(await readSetting(v3)).toBe('HELLO!');
  });

  it('a version goes up only with its migration, for every setting defined', () => {
    expect(settingProblems(defineSetting('x', { parse: String, fallback: '', version: 2 }))).toEqual(['Setting x: no migration to version 2']);
    expect(settingProblems(defineSetting('x', { parse: String, fallback: '', version: 0 }))).toEqual(['Setting x: version 0 is not a whole number from 1']);
    expect(ALL_SETTINGS.flatMap(settingProblems)).toEqual([]);
  });

  it('ALL_SETTINGS lists every setting lib/settings/items.ts defines', () => {
    const defined = (Object.values(items) as unknown[]).filter((v): v is Setting<unknown> => typeof v === 'object' && v !== null && 'key' in v && 'parse' in v);
    expect(defined.length).toBeGreaterThan(10);
    expect([...ALL_SETTINGS].sort((a, b) => a.key.localeCompare(b.key))).toEqual(defined.sort((a, b) => a.key.localeCompare(b.key)));
  });
});
