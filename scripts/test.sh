#!/usr/bin/env bash
# Runs every Glimpse test on a fresh machine: set-up, build, then the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build 2>&1 | tee .build/test-output.txt
