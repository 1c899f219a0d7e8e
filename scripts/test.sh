#!/usr/bin/env bash
# Runs every Glimpse test on a fresh machine: set-up, build, then the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
mkdir -p .build
status=0
swift test --skip-build 2>&1 | tee .build/test-output.txt || status=$?

# One plain closing line for the whole run (XCTest's own summary is followed by Swift Testing's,
# which counts only Swift Testing tests).
summary=$(grep -E "^[[:space:]]*Executed [0-9]+ tests?" .build/test-output.txt | tail -1 || true)
executed=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")
failures=$(sed -E 's/.* ([0-9]+) failures?.*/\1/' <<<"$summary")
skipped=$(grep -oE "[0-9]+ tests? skipped" <<<"$summary" | grep -oE "^[0-9]+" || echo 0)
if [ -n "$summary" ]; then
  echo "xctest: $((executed - failures - skipped)) passed, $failures failed, $skipped skipped"
fi
exit $status
