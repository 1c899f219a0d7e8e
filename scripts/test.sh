#!/usr/bin/env bash
# Runs every Glimpse test on a fresh machine: set-up, build, then
#   1. the Swift test suite (XCTest),
#   2. the kernel under real Jupyter clients (jupyter_kernel_test, KernelManager, nbclient, console),
#   3. the notebooks in Notebooks/ replayed and compared (Errors.ipynb fails exactly at its marked cells).
# Ends with one line 'N passed, N failed' over all three.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
swift build --build-tests || exit 1
mkdir -p .build/test-logs
logs=.build/test-logs
status=0

echo "== Swift tests"
swift test --skip-build 2>&1 | tee "$logs/swift.txt" || status=1
summary=$(grep -E "^[[:space:]]*Executed [0-9]+ tests?" "$logs/swift.txt" | tail -1)
x_run=$(sed -nE 's/.*Executed ([0-9]+) tests?.*/\1/p' <<<"$summary")
x_failed=$(sed -nE 's/.* ([0-9]+) failures?.*/\1/p' <<<"$summary")
x_skipped=$(grep -oE "[0-9]+ tests? skipped" <<<"$summary" | grep -oE "^[0-9]+" || echo 0)
x_run=${x_run:-0}; x_failed=${x_failed:-1}; x_skipped=${x_skipped:-0}
echo "xctest: $((x_run - x_failed - x_skipped)) passed, $x_failed failed, $x_skipped skipped"

echo "== Jupyter clients"
bash scripts/jupyter-tests.sh -rs 2>&1 | tee "$logs/jupyter.txt" || status=1
last=$(grep -E "[0-9]+ (passed|failed)" "$logs/jupyter.txt" | tail -1)
j_passed=$(grep -oE "[0-9]+ passed" <<<"$last" | grep -oE "[0-9]+" || echo 0)
j_failed=0
for n in $(grep -oE "[0-9]+ (failed|errors?)" <<<"$last" | grep -oE "^[0-9]+"); do j_failed=$((j_failed + n)); done
[ -z "$last" ] && j_failed=1

echo "== Notebook replay"
glimpse="$(swift build --show-bin-path)/glimpse"
"$glimpse" replay --artifacts .build/replay-output Notebooks/*.ipynb 2>&1 | tee "$logs/replay.txt" || status=1
r_line=$(grep -E "^[0-9]+ passed, [0-9]+ failed$" "$logs/replay.txt" | tail -1)
r_passed=$(cut -d' ' -f1 <<<"$r_line"); r_failed=$(cut -d' ' -f3 <<<"$r_line")
r_passed=${r_passed:-0}; r_failed=${r_failed:-1}

passed=$((x_run - x_failed - x_skipped + j_passed + r_passed))
failed=$((x_failed + j_failed + r_failed))
echo
echo "swift: $((x_run - x_failed - x_skipped)) passed, jupyter: $j_passed passed, notebook cells: $r_passed passed"
echo "all: $passed passed, $failed failed"
[ "$failed" -eq 0 ] || status=1
exit $status
