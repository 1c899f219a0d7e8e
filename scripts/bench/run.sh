#!/usr/bin/env bash
# The benchmark (not part of CI): builds glimpse in release mode, sets up the onnxruntime peer venv,
# makes a random-weight VGG16 ONNX file, and prints engine and peer timings side by side.
# Usage: scripts/bench/run.sh [THREADS]   (default 2; the same count for both engines)
# With METHODS_PEER_PYTHON set to a Python that has torch, onnx2torch, captum and grad-cam (the scratch
# venv of Tests/Fixtures/generate/make_reference_maps.py; PyPI's torch is 5.6 GB), the explanation
# methods are timed against Captum / pytorch-grad-cam too.
set -euo pipefail
cd "$(dirname "$0")/../.."
threads="${1:-2}"
venv=".venv-bench"
bash scripts/setup.sh
bash scripts/bench/setup-peer-venv.sh "$venv" >/dev/null
mkdir -p .build/bench
vgg=".build/bench/vgg16-random.onnx"
[ -f "$vgg" ] || "$venv/bin/python" scripts/bench/make_vgg16_random.py "$vgg"
jpeg=".build/bench/large12mp.jpg"
if [ ! -f "$jpeg" ]; then
  "$venv/bin/pip" install --quiet pillow
  "$venv/bin/python" Tests/Fixtures/generate/make_image_corpus.py --out .build/bench/corpus --large "$jpeg" >/dev/null
fi
swift build -c release --product glimpse >/dev/null
bin="$(swift build -c release --show-bin-path)/glimpse"
methods=()
[ -n "${METHODS_PEER_PYTHON:-}" ] && methods=(--methods --methods-peer-python "$METHODS_PEER_PYTHON")
"$bin" bench --threads "$threads" --peer-python "$venv/bin/python" --model "$vgg" --jpeg "$jpeg" "${methods[@]}"
