/**
 * Builds the `centric` command into one self-contained ES module, dist/cli/centric.mjs (esbuild:
 * lib/cli/node.ts and everything it imports; beside it, the team service's scoring worker thread,
 * dist/cli/scoring-worker.mjs; only `centric serve` loads packages, its server's), so `bin/centric.mjs` starts
 * without compiling TypeScript. Run by `npm run build`, `npm run build:cli` and `prepare` (so after
 * `npm install` / `npm ci` and inside `npm pack`). The file is written next to its place and renamed,
 * so a `centric` running meanwhile never reads half a bundle.
 *
 *   node scripts/build-cli.mjs [--outfile <path>]
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUTFILE = resolve(ROOT, 'dist/cli/centric.mjs');

/** Builds the bundle to `outfile`; returns its size in bytes. */
export async function buildCli(outfile = DEFAULT_OUTFILE) {
  // The team service's scoring worker thread (lib/server/scoring.ts starts it from next to the bundle).
  await bundle(resolve(ROOT, 'lib/server/scoring-worker.ts'), resolve(dirname(outfile), 'scoring-worker.mjs'));
  return bundle(resolve(ROOT, 'lib/cli/node.ts'), outfile);
}

async function bundle(entry, outfile) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    minify: true,
    legalComments: 'inline',
    write: false,
    logLevel: 'warning',
    banner: { js: '// centric CLI bundle, built by scripts/build-cli.mjs from lib/cli (do not edit).' },
    // `centric serve` (lib/server) loads its packages from node_modules when it runs: PGlite ships
    // WebAssembly and data files a bundle cannot hold, and the other commands never need them.
    external: ['fastify', '@fastify/cors', '@electric-sql/pglite', 'pg'],
  });
  const [file] = result.outputFiles;
  mkdirSync(dirname(outfile), { recursive: true });
  const partial = `${outfile}.${process.pid}.tmp`;
  writeFileSync(partial, file.contents);
  renameSync(partial, outfile);
  return file.contents.length;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--outfile');
  const outfile = at > 0 ? resolve(process.argv[at + 1]) : DEFAULT_OUTFILE;
  const bytes = await buildCli(outfile);
  // Standard error: `npm pack --json` (which runs prepare) keeps standard output for its JSON.
  console.error(`built ${outfile} (${(bytes / 1024).toFixed(0)} KB)`);
}
