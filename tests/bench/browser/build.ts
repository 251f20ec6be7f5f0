/**
 * Makes sure a build folder (.output/chrome-mv3, or chrome-mv3-e2e for `--mode e2e`) holds a build of
 * the current sources: builds it (`npx wxt build [--mode e2e]`) when it is missing or older than any
 * source file that goes into it; and launches the e2e build for the benchmarks that use it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { allowEvaluate } from './page';

/** What goes into the extension (folders are walked). */
const SOURCES = ['entrypoints', 'components', 'lib', 'assets', 'wxt.config.ts', 'package.json', 'package-lock.json', 'tsconfig.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file shows as a newer folder
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** The newest source file newer than the build, or null when the build is up to date. */
export function staleBecause(root: string, outDir: string): string | null {
  const manifest = join(outDir, 'manifest.json');
  if (!existsSync(manifest)) return `there is no build in ${outDir}`;
  const built = statSync(manifest).mtimeMs;
  for (const source of SOURCES) {
    if (newestMtime(join(root, source)) > built) return `${source} changed after the last build`;
  }
  return null;
}

/** Builds the Chrome extension when needed; its output goes to standard error. Throws when the build fails. */
export function ensureBuilt(root: string, outDir: string, log: (line: string) => void, mode?: 'e2e'): void {
  const why = staleBecause(root, outDir);
  if (!why) return;
  const args = ['wxt', 'build', ...(mode ? ['--mode', mode] : [])];
  log(`building the extension (${why}): npx ${args.join(' ')}`);
  const result = spawnSync('npx', args, { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new Error(`npx ${args.join(' ')} failed (exit ${result.status ?? result.signal}).`);
}

/**
 * The e2e build (the built-in sites granted at install; built first when missing or stale) in
 * Chromium, its first run done (the sample imported and scored), page.evaluate allowed.
 */
export async function launchE2eBuild(root: string) {
  const { launchWithExtension, EXTENSION_DIRS, waitForFirstRun } = await import('../../support/chromium');
  ensureBuilt(root, EXTENSION_DIRS.e2e, (line) => process.stderr.write(`${line}\n`), 'e2e');
  const browser = await launchWithExtension();
  try {
    await waitForFirstRun(browser);
    await allowEvaluate(browser.context);
  } catch (error) {
    await browser.close();
    throw error;
  }
  return browser;
}
