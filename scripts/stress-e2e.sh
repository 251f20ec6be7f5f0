#!/usr/bin/env bash
# Runs the end-to-end tests N times in a row while Debian's `stress` keeps every core busy, the way
# a shared CI machine is, and prints each run's summary. A test that waits on time instead of on a
# state shows up here. Uses the existing builds (.output/*-e2e): build them first (npm test does).
#
#   bash scripts/stress-e2e.sh [runs] [test files…]
#   bash scripts/stress-e2e.sh 5 tests/e2e/faults.e2e.ts
#
# STRESS_CPU (default: the number of cores) sets how many busy workers run beside the tests.
# Exits 0 only if every run passed. The load is stopped at the end, also on failure or Ctrl-C.
set -uo pipefail
cd "$(dirname "$0")/.."

runs="${1:-3}"
shift || true
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: bash scripts/stress-e2e.sh [runs] [test files…]" >&2
  exit 2
fi
if ! command -v stress >/dev/null; then
  echo "stress is not installed: sudo apt-get install -y stress (Debian's package)" >&2
  exit 2
fi
cpus="${STRESS_CPU:-$(nproc)}"
out=".test-results/stress"
mkdir -p "$out"

# Its own process group, so that stopping it stops its workers too.
setsid stress --cpu "$cpus" >/dev/null 2>&1 &
stress_pid=$!
stop_load() { kill -TERM -- "-$stress_pid" 2>/dev/null; wait "$stress_pid" 2>/dev/null; }
trap stop_load EXIT
trap 'exit 130' INT TERM
echo "load: stress --cpu $cpus (pid $stress_pid) on $(nproc) cores; $runs run(s) of: ${*:-the whole e2e suite}"

failed_runs=0
summary=()
for ((i = 1; i <= runs; i++)); do
  started=$(date +%s)
  log="$out/run-$i.log"
  json="$out/run-$i.json"
  rm -f "$json"
  npx vitest run -c vitest.e2e.config.ts --reporter=default --reporter=json --outputFile="$json" "$@" >"$log" 2>&1
  status=$?
  seconds=$(($(date +%s) - started))
  counts=$(node -e '
    const fs = require("fs");
    const file = process.argv[1];
    if (!fs.existsSync(file)) { console.log("no report"); process.exit(0); }
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    const failed = r.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === "failed").map((a) => `${f.name.replace(process.cwd() + "/", "")}: ${a.fullName}`));
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests + (r.numFailedTestSuites ?? 0)} failed` + (failed.length ? `\n    ${failed.join("\n    ")}` : ""));
  ' "$json")
  line="run $i/$runs: $counts ($seconds s, load average $(cut -d' ' -f1 /proc/loadavg), log $log)"
  echo "$line"
  summary+=("$line")
  [ "$status" -eq 0 ] || failed_runs=$((failed_runs + 1))
done

echo
echo "=== stress e2e summary (stress --cpu $cpus)"
printf '%s\n' "${summary[@]}"
echo "stress runs: $((runs - failed_runs)) passed, $failed_runs failed"
[ "$failed_runs" -eq 0 ]
