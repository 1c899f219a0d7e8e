#!/usr/bin/env bash
# The main job: set up, build glimpse, and run the walkthrough (the article's workflow) on the embedded
# model: the executed notebook and its pictures land in demo-output/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product glimpse
bin="$(swift build -c release --show-bin-path)/glimpse"
out="demo-output"
mkdir -p "$out"

"$bin" predict chelsea --top 5
echo
"$bin" replay --write --write-dir "$out" --artifacts "$out/replay" Notebooks/Walkthrough.ipynb
"$bin" run --output "$out/pictures" Notebooks/Walkthrough.glimpse >/dev/null
"$bin" kernelspec install --user >/dev/null

cat <<MSG

Done.
  executed notebook:  $out/Walkthrough.ipynb
  its pictures:       $out/pictures/*.png
  the glimpse binary: $bin (keep Glimpse_ModelZoo.resources beside it)
The Glimpse kernelspec is installed for this user (~/.local/share/jupyter/kernels/glimpse), so
  jupyter lab $out/Walkthrough.ipynb
opens the notebook with the Glimpse kernel (pip install jupyterlab first if needed).
Try it in a terminal: $bin repl
MSG
