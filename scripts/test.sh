#!/usr/bin/env bash
# Runs every test — unit, corpus, property and end-to-end on a real BuildKit — on a fresh Debian 12
# machine (as root). It brings the lab up first (scripts/lab-up.sh), so it also works where no daemon runs.
# The last line it prints is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
fail() { echo "test.sh: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

scripts/lab-up.sh || fail "the lab did not come up"
npm ci --no-audit --no-fund --loglevel=error >/dev/null || fail "npm ci failed"
npm run --silent build >/dev/null || fail "the bundles do not build"

typecheck_failed=0
if ! npm run --silent typecheck; then
  echo "test.sh: the type check failed (above)" >&2
  typecheck_failed=1
fi

results=.vitest-results.json
rm -f "$results"
# CI runs the decode/LLB fuzz (test/fuzz/decode-llb.test.ts) larger than a developer's unit run:
# 6,000 generated and 3,000 mutated declarations.
export FUZZ_RUNS="${FUZZ_RUNS:-6000}"
npx vitest run --reporter=default --reporter=json --outputFile="$results"
status=$?
node -e '
  const fs = require("node:fs");
  const extra = Number(process.argv[2]);
  let passed = 0, failed = extra;
  try {
    const r = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    // a file that failed to load has no tests but must count
    failed += r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
  } catch { failed += 1; }
  console.log(`${passed} passed, ${failed} failed`);
' "$results" "$typecheck_failed"
[ $status -eq 0 ] && [ $typecheck_failed -eq 0 ]
