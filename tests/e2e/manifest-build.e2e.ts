/**
 * Issue 16, the built manifests: what a new user installs. Reads the four builds `npm test` makes
 * (Chrome and Firefox, production and e2e) and fails on any manifest key, permission, host pattern,
 * page override or web-accessible file that is not on the allow-lists below, so a name WXT reserves
 * (an `entrypoints/history/` became `chrome_url_overrides.history` and replaced Chrome's History page),
 * a broad permission or a new override cannot slip in unseen. Adding something to the manifest means
 * adding it here and justifying it in docs/store-listing.md (checked below too).
 *
 * Not a manifest key, so not listed: the welcome page (`welcome.html`) the background opens with
 * `tabs.create` on install is an ordinary extension page; it needs no permission and no key.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PATTERNS, SITE_ADAPTERS } from '../../lib/sites/registry';
import { allSitePatterns } from '../../lib/sites/enablement';
import { ICON_SIZES } from '../../lib/toolbar/icons';

type Manifest = Record<string, unknown>;

const BUILDS = {
  chrome: { dir: '.output/chrome-mv3', browser: 'chrome', e2e: false },
  'chrome e2e': { dir: '.output/chrome-mv3-e2e', browser: 'chrome', e2e: true },
  firefox: { dir: '.output/firefox-mv3', browser: 'firefox', e2e: false },
  'firefox e2e': { dir: '.output/firefox-mv3-e2e', browser: 'firefox', e2e: true },
} as const;

const read = (dir: string): Manifest => {
  const file = resolve(process.cwd(), dir, 'manifest.json');
  if (!existsSync(file)) throw new Error(`No build in ${dir}: run npm test (or the wxt build commands in scripts/test.mjs) first.`);
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
};

/** The CRM and helpdesk sites: optional, asked per site (plus every https site, for a custom domain a person names). */
const SITE_PATTERNS = allSitePatterns(SITE_ADAPTERS).filter((p) => !DEMO_PATTERNS.includes(p));

/** Every top-level key a Centric manifest may have. Anything else (an override, a side panel, devtools…) fails. */
const ALLOWED_KEYS = new Set([
  'manifest_version',
  'name',
  'short_name',
  'description',
  'version',
  'icons',
  'action',
  'background',
  'options_ui',
  'content_scripts',
  'content_security_policy',
  'permissions',
  'host_permissions',
  'optional_host_permissions',
  'web_accessible_resources',
  'storage',
  'commands',
]);
/** Firefox only: the add-on's id and its data-collection declaration; the sidebar (issue 17: the side panel's Firefox form). */
const FIREFOX_ONLY_KEYS = new Set(['browser_specific_settings', 'sidebar_action']);
/** Chrome only: the side panel (issue 17), a home of the sidebar beside the page. */
const CHROME_ONLY_KEYS = new Set(['side_panel']);
/** API permissions: the only ones Centric may ask for (each justified in docs/store-listing.md). */
const ALLOWED_PERMISSIONS = ['storage', 'activeTab', 'scripting', 'alarms'];
/** Chrome only: the side panel's API (Firefox's sidebar needs no permission). */
const CHROME_ONLY_PERMISSIONS = ['sidePanel'];
/** The extension's files a web page may load (the purchase-history frame inside the sidebar). */
const WEB_ACCESSIBLE = ['purchases.html'];

describe.each(Object.entries(BUILDS))('the %s build’s manifest', (name, build) => {
  it('has only allowed keys, permissions and hosts', () => {
    const m = read(build.dir);
    const allowed = new Set([...ALLOWED_KEYS, ...(build.browser === 'firefox' ? FIREFOX_ONLY_KEYS : CHROME_ONLY_KEYS)]);
    expect(Object.keys(m).filter((key) => !allowed.has(key)), `${name}: keys not on the allow-list`).toEqual([]);
    expect(m.manifest_version).toBe(3);
    const permissions = [...ALLOWED_PERMISSIONS, ...(build.browser === 'chrome' ? CHROME_ONLY_PERMISSIONS : [])];
    expect((m.permissions as string[]).filter((p) => !permissions.includes(p)), `${name}: permissions`).toEqual([]);
    // Every CRM site is optional (the Firefox MV2 build once lost them all: no site could be enabled).
    expect([...(m.optional_host_permissions as string[])].sort()).toEqual([...SITE_PATTERNS, 'https://*/*'].sort());
    // At install: the demo's hosts only; the e2e builds add the built-in sites (a test cannot click a prompt).
    expect([...(m.host_permissions as string[])].sort()).toEqual([...DEMO_PATTERNS, ...(build.e2e ? SITE_PATTERNS : [])].sort());
    expect(m.content_scripts ?? []).toEqual([]);
    // Pages: the popup and the options page, nothing replacing a browser page.
    expect(m.action).toEqual({ default_title: 'Centric', default_popup: 'popup.html', default_icon: expect.any(Object) });
    expect(m.options_ui).toEqual({ open_in_tab: true, page: 'options.html' });
    expect(m.background).toEqual(build.browser === 'chrome' ? { service_worker: 'background.js' } : { scripts: ['background.js'] });
    const resources = m.web_accessible_resources as { resources: string[]; matches: string[] }[];
    expect(resources.flatMap((r) => r.resources)).toEqual(WEB_ACCESSIBLE);
    expect(m.storage).toEqual({ managed_schema: 'managed-schema.json' });
    expect(Object.keys(m.commands as object)).toEqual(['toggle-sidebar']);
    // The browser's side panel shows the sidebar page (entrypoints/sidepanel); Firefox never opens it by itself at install.
    if (build.browser === 'chrome') expect(m.side_panel).toEqual({ default_path: 'sidepanel.html' });
    else expect(m.sidebar_action).toEqual({ default_panel: 'sidepanel.html', default_title: 'Centric', default_icon: expect.any(Object), open_at_install: false });
    if (build.browser === 'firefox') {
      expect(Object.keys((m.browser_specific_settings as { gecko: object }).gecko).sort()).toEqual(['data_collection_permissions', 'id']);
    }
  });

  it('names a PNG of the right size for every icon', () => {
    const m = read(build.dir);
    const icons = m.icons as Record<string, string>;
    const action = (m.action as { default_icon: Record<string, string> }).default_icon;
    expect(Object.keys(icons).map(Number)).toEqual([...ICON_SIZES]);
    expect(action).toEqual(icons);
    for (const [size, path] of Object.entries(icons)) {
      const png = readFileSync(join(resolve(process.cwd(), build.dir), path));
      // PNG signature, then the IHDR chunk's width and height.
      expect(png.subarray(1, 4).toString('latin1'), path).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)], path).toEqual([Number(size), Number(size)]);
    }
  });
});

describe.each(Object.entries(BUILDS))('the %s build’s content scripts', (_name, build) => {
  // What tests/unit/house/rooms.test.ts checks on the sources, checked on what ships: no store, no
  // zod, no charts in a script that runs in the host's page (the background carries each of them).
  const MARKERS = { Dexie: 'Dexie', zod: '$ZodType', 'Chart.js': 'chartjs' } as const;
  it('carry no Dexie, zod or Chart.js', () => {
    read(build.dir);
    const dir = resolve(process.cwd(), build.dir, 'content-scripts');
    const scripts = readdirSync(dir).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(10);
    const background = readFileSync(resolve(process.cwd(), build.dir, 'background.js'), 'utf8');
    expect(background.includes(MARKERS.Dexie) && background.includes(MARKERS.zod), 'the markers are what the libraries leave in a bundle').toBe(true);
    const found = scripts.flatMap((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      return Object.entries(MARKERS)
        .filter(([, marker]) => text.includes(marker))
        .map(([what]) => `${f}: ${what}`);
    });
    expect(found).toEqual([]);
  });
});

describe('the builds differ only where they must', () => {
  const without = (m: Manifest, ...keys: string[]) => Object.fromEntries(Object.entries(m).filter(([k]) => !keys.includes(k)));

  it('the e2e builds differ from production by host_permissions only', () => {
    expect(without(read(BUILDS['chrome e2e'].dir), 'host_permissions')).toEqual(without(read(BUILDS.chrome.dir), 'host_permissions'));
    expect(without(read(BUILDS['firefox e2e'].dir), 'host_permissions')).toEqual(without(read(BUILDS.firefox.dir), 'host_permissions'));
  });

  it('Chrome and Firefox differ only by the background’s form, Firefox’s settings, the dynamic URL and the side panel’s form', () => {
    const chrome = read(BUILDS.chrome.dir);
    const firefox = read(BUILDS.firefox.dir);
    const strip = (m: Manifest) => ({
      ...without(m, 'background', 'browser_specific_settings', 'side_panel', 'sidebar_action'),
      permissions: (m.permissions as string[]).filter((p) => !CHROME_ONLY_PERMISSIONS.includes(p)),
      web_accessible_resources: (m.web_accessible_resources as object[]).map((r) => without(r as Manifest, 'use_dynamic_url')),
    });
    expect(strip(firefox)).toEqual(strip(chrome));
  });
});

describe('docs/store-listing.md', () => {
  /** The permission table: rows `| \`name\` | why |`. */
  const justifications = () => new Map(
    [...readFileSync(resolve(process.cwd(), 'docs/store-listing.md'), 'utf8').matchAll(/^\|\s*`([^`]+)`\s*\|\s*(.+?)\s*\|\s*$/gm)].map(([, key, why]) => [key!, why!]),
  );

  it('justifies every permission, host pattern, managed storage, command and side panel in every built manifest, and nothing else', () => {
    const justified = justifications();
    const asked = new Set<string>();
    for (const build of Object.values(BUILDS)) {
      const m = read(build.dir);
      for (const p of [...(m.permissions as string[]), ...(m.optional_host_permissions as string[])]) asked.add(p);
      if (!build.e2e) for (const p of m.host_permissions as string[]) asked.add(p);
      if (m.storage) asked.add('storage.managed_schema');
      for (const command of Object.keys((m.commands as object) ?? {})) asked.add(`commands.${command}`);
      if (m.side_panel) asked.add('side_panel.default_path');
      if (m.sidebar_action) asked.add('sidebar_action.default_panel');
    }
    const missing = [...asked].filter((p) => !justified.has(p));
    expect(missing, 'permissions without a justification in docs/store-listing.md').toEqual([]);
    // A justification is a sentence, not a placeholder.
    for (const p of asked) expect(justified.get(p)!.length, `justification of ${p}`).toBeGreaterThan(40);
    // And the document justifies nothing the manifests do not ask for (it would be out of date).
    expect([...justified.keys()].filter((p) => !asked.has(p))).toEqual([]);
  });
});
