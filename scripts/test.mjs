/**
 * `npm test`: type checking, the CLI bundle, unit tests, both builds (Chrome and Firefox), then the end-to-end tests
 * in real Chromium with the built extension (and the Firefox build in firefox-esr). Ends with one plain
 * summary line:
 *   tests: N passed, N failed
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';

const RESULTS = '.test-results';
rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });

const steps = [];
function run(name, command, args) {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  const ok = result.status === 0;
  steps.push({ name, ok, seconds: (Date.now() - started) / 1000 });
  return ok;
}

function vitestCounts(file) {
  if (!existsSync(file)) return { passed: 0, failed: 1, missing: true };
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0),
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

const json = (file) => ['--reporter=default', '--reporter=json', `--outputFile=${file}`];

run('typecheck', 'npx', ['tsc', '--noEmit']);
run('build (cli bundle: dist/cli/centric.mjs)', 'node', ['scripts/build-cli.mjs']);
run('unit', 'npx', ['vitest', 'run', ...json(`${RESULTS}/unit.json`)]);
const built =
  run('build (chrome)', 'npx', ['wxt', 'build']) &
  run('build (chrome, e2e: sites granted at install)', 'npx', ['wxt', 'build', '--mode', 'e2e']) &
  run('build (firefox)', 'npx', ['wxt', 'build', '-b', 'firefox']) &
  run('build (firefox, e2e: sites granted at install)', 'npx', ['wxt', 'build', '-b', 'firefox', '--mode', 'e2e']);
if (built) run('e2e', 'npx', ['vitest', 'run', '-c', 'vitest.e2e.config.ts', ...json(`${RESULTS}/e2e.json`)]);

const unit = vitestCounts(`${RESULTS}/unit.json`);
const e2e = built ? vitestCounts(`${RESULTS}/e2e.json`) : { passed: 0, failed: 1 };
const stepFailures = steps.filter((s) => !s.ok && !['unit', 'e2e'].includes(s.name)).length;
const passed = unit.passed + e2e.passed;
const failed = unit.failed + e2e.failed + stepFailures;
const skipped = (unit.skipped ?? 0) + (e2e.skipped ?? 0);

console.log('\n=== summary');
for (const step of steps) console.log(`${step.ok ? 'ok  ' : 'FAIL'} ${step.name} (${step.seconds.toFixed(1)} s)`);
console.log(`unit tests: ${unit.passed} passed, ${unit.failed} failed`);
console.log(`end-to-end tests (real Chromium and firefox-esr): ${e2e.passed} passed, ${e2e.failed} failed`);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 && steps.every((s) => s.ok) ? 0 : 1);
