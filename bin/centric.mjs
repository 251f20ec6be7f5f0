#!/usr/bin/env node
// The `centric` command. It runs the bundle dist/cli/centric.mjs (one JavaScript file built from
// lib/cli by scripts/build-cli.mjs: `npm run build`, `npm run build:cli`, and `prepare`, i.e. after
// `npm install` / `npm ci` and in `npm pack`) when it is there and no file in lib/ is newer. Otherwise
// (a source changed since, or no build yet) it compiles the TypeScript sources with tsx on the fly,
// which starts several times slower, and says so in one line on standard error.
import { existsSync, readdirSync, statSync } from 'node:fs';

const bundle = new URL('../dist/cli/centric.mjs', import.meta.url);
const sources = new URL('../lib/', import.meta.url);

/** Whether any file under `dir` was modified after `time` (ms). */
function changedAfter(dir, time) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = new URL(entry.name + (entry.isDirectory() ? '/' : ''), dir);
    if (entry.isDirectory() ? changedAfter(path, time) : statSync(path).mtimeMs > time) return true;
  }
  return false;
}

let run;
const built = existsSync(bundle) ? statSync(bundle).mtimeMs : null;
if (built !== null && !(existsSync(sources) && changedAfter(sources, built))) {
  ({ run } = await import(bundle.href));
} else {
  process.stderr.write(
    `centric: ${built === null ? 'no built bundle (dist/cli/centric.mjs)' : 'lib/ changed since dist/cli/centric.mjs was built'}, so the TypeScript sources are compiled on the fly (slower start; \`npm run build:cli\` builds it).\n`,
  );
  const { register } = await import('tsx/esm/api');
  register();
  ({ run } = await import('../lib/cli/node.ts'));
}
process.exitCode = await run(process.argv.slice(2));
