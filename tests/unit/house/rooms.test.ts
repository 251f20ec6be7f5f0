/**
 * The house by process (issue 18): a path says where its code runs, and the rules below keep it true.
 * - `components/`: Preact components (and their CSS) only.
 * - `lib/background/` the service worker, `lib/content/` the content scripts, `lib/pages/` the
 *   extension pages, `lib/extension/` what the background and the pages share, `lib/settings/` the
 *   extension storage: only these (and the message clients) use the extension's APIs.
 * - Every other room of `lib/` (the pure domain and the store) imports none of them, nor components,
 *   nor the command line (`lib/cli/`); the settings' definitions (lib/settings/items.ts, setting.ts)
 *   are pure, so the domain may name a setting.
 * - Only lib/settings/storage.ts calls the browser's storage (`browser.storage`).
 * - A content script's static imports reach no Dexie, no zod, no Chart.js and no store code.
 * Static imports are read from the source (type-only imports are left out: the compiler erases them).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeHostContentScripts } from '../../../scripts/host-content-scripts';

const ROOT = process.cwd();
const EXTENSION_ROOMS = ['background', 'content', 'pages', 'extension', 'settings'];
const MESSAGE_CLIENTS = ['lib/messages/client.ts', 'lib/messages/lookup-client.ts'];
/** The settings' definitions: pure, in the settings room so that every key is found in one place. */
const SETTING_DEFINITIONS = ['lib/settings/items.ts', 'lib/settings/setting.ts'];

function walk(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? walk(path) : [path];
  });
}

const SOURCE = /\.(ts|tsx)$/;
/** The module specifiers a file imports at run time (not `import type`, not `export type`). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) if (!m[2]) found.push(m[3]!);
  // import('…') in code, not in a type (`value is import('./schema').X`, `: import('…').Y`).
  for (const m of text.matchAll(/(is |: |<|typeof )?\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) if (!m[1]) found.push(m[2]!);
  return found;
}

/** A project file an import names, or null for a package. */
function resolveImport(spec: string, from: string): string | null {
  const bare = spec.replace(/\?.*$/, '');
  let base: string;
  if (bare.startsWith('~/')) base = join(ROOT, bare.slice(2));
  else if (bare.startsWith('.')) base = resolve(ROOT, dirname(from), bare);
  else return null;
  for (const ext of ['', '.ts', '.tsx', '/index.ts']) {
    try {
      if (statSync(base + ext).isFile()) return relative(ROOT, base + ext);
    } catch {
      // not this one
    }
  }
  throw new Error(`${from}: cannot resolve "${spec}"`);
}

const libFiles = walk('lib').filter((f) => SOURCE.test(f));
const roomOf = (file: string) => file.split('/')[1]!;

describe('the house by process', () => {
  it('components/ holds Preact components and their styles only', () => {
    expect(walk('components').filter((f) => !/\.(tsx|css)$/.test(f))).toEqual([]);
  });

  it('only the background, content, pages, extension and settings rooms (and the message clients) use the extension’s APIs', () => {
    const users = libFiles.filter((f) => runtimeImports(f).some((s) => s.startsWith('wxt/') || s.startsWith('@wxt-dev/')));
    expect(users.filter((f) => !EXTENSION_ROOMS.includes(roomOf(f)) && !MESSAGE_CLIENTS.includes(f))).toEqual([]);
    expect(users.length).toBeGreaterThan(5); // the check reads imports at all
  });

  it('the pure domain and the store import no extension room, component or entrypoint', () => {
    const wrong: string[] = [];
    for (const file of libFiles.filter((f) => !EXTENSION_ROOMS.includes(roomOf(f)) && !MESSAGE_CLIENTS.includes(f))) {
      for (const spec of runtimeImports(file)) {
        const target = resolveImport(spec, file);
        if (!target) continue;
        if (SETTING_DEFINITIONS.includes(target)) continue;
        if (target.startsWith('components/') || target.startsWith('entrypoints/') || (target.startsWith('lib/') && EXTENSION_ROOMS.includes(roomOf(target)))) wrong.push(`${file} -> ${target}`);
        // The command line is a user of the domain, never a part of it.
        if (target.startsWith('lib/cli/') && roomOf(file) !== 'cli') wrong.push(`${file} -> ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the settings’ definitions use no extension API (the domain imports them)', () => {
    for (const file of SETTING_DEFINITIONS) {
      const wrong = runtimeImports(file).filter((spec) => {
        const target = resolveImport(spec, file);
        return target === null || (target.startsWith('lib/') && EXTENSION_ROOMS.includes(roomOf(target)) && !SETTING_DEFINITIONS.includes(target));
      });
      expect(wrong, file).toEqual([]);
    }
  });

  it('only lib/settings/storage.ts calls the browser’s storage', () => {
    const code = [...walk('lib'), ...walk('components'), ...walk('entrypoints')].filter((f) => SOURCE.test(f));
    // Code, not comments: a line that is not a comment line naming browser.storage / chrome.storage.
    const callers = code.filter((f) => f !== 'lib/settings/storage.ts' && readFileSync(join(ROOT, f), 'utf8').split('\n').some((line) => !/^\s*(\*|\/\/|\/\*)/.test(line) && /\b(browser|chrome)\.storage\b/.test(line)));
    expect(callers).toEqual([]);
    expect(readFileSync(join(ROOT, 'lib/settings/storage.ts'), 'utf8')).toMatch(/browser\.storage\.local/); // the check reads code at all
  });

  it('a content script reaches no Dexie, zod, Chart.js or store code', () => {
    // The hand-written ones (the demo, the custom sites) and those generated from the host folders.
    const generated = writeHostContentScripts(ROOT).map((s) => relative(ROOT, s.inputPath));
    const scripts = [...readdirSync(join(ROOT, 'entrypoints')).filter((f) => f.endsWith('.content.ts')).map((f) => `entrypoints/${f}`), ...generated];
    expect(scripts.length).toBeGreaterThan(10);
    const forbidden = (spec: string, target: string | null) =>
      (target === null && /^(dexie|zod|chart\.js)(\/|$)/.test(spec)) || (target !== null && target.startsWith('lib/db/'));
    for (const script of scripts) {
      const seen = new Set<string>();
      const bad: string[] = [];
      const visit = (file: string, path: string[]) => {
        if (seen.has(file)) return;
        seen.add(file);
        for (const spec of runtimeImports(file)) {
          const target = resolveImport(spec, file);
          if (forbidden(spec, target)) bad.push([...path, file, target ?? spec].join(' -> '));
          else if (target && SOURCE.test(target)) visit(target, [...path, file]);
        }
      };
      visit(script, []);
      expect(bad, script).toEqual([]);
      expect(seen.size, `${script}: the walk follows imports`).toBeGreaterThan(10);
    }
  });

  it('a site’s content script is a few lines of wiring (the hosts’ are generated from their folders)', () => {
    const scripts = [...readdirSync(join(ROOT, 'entrypoints')).filter((f) => f.endsWith('.content.ts')).map((f) => join(ROOT, 'entrypoints', f)), ...writeHostContentScripts(ROOT).map((s) => s.inputPath)];
    expect(scripts.length).toBeGreaterThan(10);
    expect(scripts.filter((f) => readFileSync(f, 'utf8').trim().split('\n').length > 15)).toEqual([]);
  });
});

describe('imports', () => {
  it('lib/ has no import cycle (run-time imports)', () => {
    const graph = new Map(libFiles.map((f) => [f, runtimeImports(f).map((s) => resolveImport(s, f)).filter((t): t is string => t !== null && SOURCE.test(t))]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of libFiles) visit(file, []);
    expect(cycles).toEqual([]);
    expect([...graph.values()].flat().length).toBeGreaterThan(500); // the check reads imports at all
  });
});
