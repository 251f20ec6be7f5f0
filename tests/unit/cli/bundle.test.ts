/**
 * Issue 16: the `centric` command starts from a built bundle (dist/cli/centric.mjs, made by
 * scripts/build-cli.mjs), not by compiling TypeScript on every run; it falls back to the sources
 * (tsx) with a one-line notice when the bundle is missing or older than lib/; and the package made
 * by `npm pack` installs (offline: it has no runtime dependencies) and runs without the sources.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetPath } from '../../helpers/datasets';

const ROOT = process.cwd();
const CBS = datasetPath('btyd_cdnowSummary_cbs.csv');
const NOTICE = /compiled on the fly/;

/** What `node <bin> ...args` printed and returned. */
function centric(bin: string, args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: tmpdir() });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The environment of a child npm: the test's own npm_* settings (from `npm test`) left out. */
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'centric-bundle-'));
  // A copy of the command as `npm pack` ships it: bin/ and the bundle, no lib/ and no node_modules.
  mkdirSync(join(dir, 'shipped/bin'), { recursive: true });
  cpSync(resolve(ROOT, 'bin/centric.mjs'), join(dir, 'shipped/bin/centric.mjs'));
  const { buildCli } = (await import(resolve(ROOT, 'scripts/build-cli.mjs'))) as { buildCli: (outfile: string) => Promise<number> };
  await buildCli(join(dir, 'shipped/dist/cli/centric.mjs'));
}, 120_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the built CLI bundle', () => {
  it('is one file with no imports but Node’s own (`centric serve` loads its packages when it runs)', () => {
    const text = readFileSync(join(dir, 'shipped/dist/cli/centric.mjs'), 'utf8');
    const imported = [...text.matchAll(/(?:from|import)\s*["']([^"']+)["']/g)].map((m) => m[1]!);
    expect(imported.length).toBeGreaterThan(0);
    for (const name of imported) expect(name, name).toMatch(/^node:|^(fs|path|url|os|module|process)$/);
  });

  it('runs --help without TypeScript sources or node_modules, and without the notice', () => {
    const help = centric(join(dir, 'shipped/bin/centric.mjs'), ['--help']);
    expect(help.stderr).toBe('');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^centric \d+\.\d+\.\d+: customer lifetime value/);
    expect(help.stdout).toMatch(/Usage: centric <command> <file> \[options\]/);
  });

  it('fits BG/NBD on the CDNOW summary through the bundle (the published figures)', () => {
    const fit = centric(join(dir, 'shipped/bin/centric.mjs'), ['fit', CBS, '--model', 'bgnbd', '--json']);
    expect(fit.stderr).not.toMatch(NOTICE);
    expect(fit.code).toBe(0);
    expect(JSON.parse(fit.stdout).logLikelihood).toBeCloseTo(-9582.429, 3);
  });

  it('falls back to the sources, with one line on standard error, when lib/ is newer than the bundle', () => {
    // A checkout next to the bundle: bin, lib (sources newer than the bundle) and the project's node_modules (tsx).
    const checkout = join(dir, 'checkout');
    cpSync(join(dir, 'shipped'), checkout, { recursive: true });
    cpSync(resolve(ROOT, 'lib'), join(checkout, 'lib'), { recursive: true });
    symlinkSync(resolve(ROOT, 'node_modules'), join(checkout, 'node_modules'));
    writeFileSync(join(checkout, 'package.json'), readFileSync(resolve(ROOT, 'package.json')));
    const bundle = join(checkout, 'dist/cli/centric.mjs');
    utimesSync(bundle, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    const stale = centric(join(checkout, 'bin/centric.mjs'), ['--version']);
    expect(stale.code).toBe(0);
    expect(stale.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(stale.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^centric: lib\/ changed since dist\/cli\/centric\.mjs was built, so the TypeScript sources are compiled on the fly/)]);
    // Built after the sources: the bundle again.
    utimesSync(bundle, new Date(), new Date(Date.now() + 60_000));
    expect(centric(join(checkout, 'bin/centric.mjs'), ['--version']).stderr).toBe('');
    // No bundle at all.
    rmSync(bundle);
    expect(centric(join(checkout, 'bin/centric.mjs'), ['--version']).stderr).toMatch(/^centric: no built bundle/);
  });
});

describe('the package from npm pack', () => {
  it('holds the command and its bundle only, installs offline, and runs', () => {
    const packDir = join(dir, 'pack');
    mkdirSync(packDir);
    // npm pack runs `prepare`, which builds dist/cli/centric.mjs from the current sources.
    const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8', env: npmEnv() });
    expect(pack.status, pack.stderr).toBe(0);
    const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    // dist/cli/scoring-worker.mjs: the team service's scoring worker thread (lib/server/scoring-worker.ts).
    expect(packed!.files.map((f) => f.path).sort()).toEqual(['README.md', 'bin/centric.mjs', 'dist/cli/centric.mjs', 'dist/cli/scoring-worker.mjs', 'package.json']);

    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'uses-centric', version: '1.0.0', private: true }));
    const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', join(packDir, packed!.filename)], { cwd: app, encoding: 'utf8', env: npmEnv() });
    expect(install.status, install.stderr).toBe(0);
    expect(existsSync(join(app, 'node_modules/tsx'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/centric/lib'))).toBe(false);

    const help = spawnSync('npx', ['--offline', 'centric', '--help'], { cwd: app, encoding: 'utf8', env: npmEnv() });
    expect(help.stderr).toBe('');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: centric <command> <file> \[options\]/);
    const fit = spawnSync('npx', ['--offline', 'centric', 'fit', CBS, '--model', 'bgnbd', '--json'], { cwd: app, encoding: 'utf8', env: npmEnv() });
    expect(fit.status, fit.stderr).toBe(0);
    expect(JSON.parse(fit.stdout).logLikelihood).toBeCloseTo(-9582.429, 3);
  }, 180_000);
});
