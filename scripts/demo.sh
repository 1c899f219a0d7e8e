#!/usr/bin/env bash
# The main job: set up, build glimpse, and run it on the bundled cat photo with the embedded model.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product glimpse
bin="$(swift build -c release --show-bin-path)/glimpse"
"$bin" predict chelsea --top 5
echo
echo "glimpse is at $bin (its assets folder Glimpse_ModelZoo.resources must stay beside it)."
