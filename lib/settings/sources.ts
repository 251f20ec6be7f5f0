/**
 * Where the remote sources' configuration lives: storage.local (lib/settings/items.ts SOURCES), with its secrets
 * (API keys, tokens). Extension storage is not readable by web pages; the configuration is only
 * ever sent to a page in its public view (lib/sources/config.ts publicView), and requests are made
 * by the background.
 */
import { browser } from 'wxt/browser';
import { SOURCES } from './items';
import { readSetting, watchSetting, writeSetting } from './storage';
import { DEFAULT_SOURCES_CONFIG, parseSourcesConfig, type SourcesConfig } from '~/lib/sources/config';
import { permissionPatternFor } from '~/lib/sources/url';

/** The stored configuration (the default — no sources — when none or when it no longer parses, with why). */
export async function loadSources(): Promise<{ config: SourcesConfig; problems: string[] }> {
  const stored = await readSetting(SOURCES);
  if (stored === undefined) return { config: DEFAULT_SOURCES_CONFIG, problems: [] };
  const parsed = parseSourcesConfig(stored);
  if (parsed.ok) return { config: parsed.config, problems: [] };
  return { config: DEFAULT_SOURCES_CONFIG, problems: parsed.errors.map((e) => `Saved sources: ${e.path ? `${e.path}: ` : ''}${e.message}`) };
}

/** Saves the configuration (validated first: an invalid one throws and nothing is written). */
export async function saveSources(config: SourcesConfig): Promise<void> {
  const parsed = parseSourcesConfig(config);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  await writeSetting(SOURCES, parsed.config);
}

/** Calls `listener` when the configuration changes; returns the unsubscribe. */
export function onSourcesChanged(listener: () => void): () => void {
  return watchSetting(SOURCES, () => listener());
}

/**
 * Asks for the host permission of a source's origin only (call from a click: browsers require a user
 * gesture). True when granted (or already held).
 */
export function requestSourcePermission(url: string): Promise<boolean> {
  const pattern = permissionPatternFor(url);
  if (!pattern) return Promise.resolve(false);
  // Asked at once, in the click itself: Firefox accepts permissions.request only while the click is
  // being handled (nothing may be awaited before it). A permission already held is granted without
  // a prompt.
  return browser.permissions.request({ origins: [pattern] });
}
