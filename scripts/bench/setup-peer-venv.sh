#!/usr/bin/env bash
# Creates a Python venv with the peer runtime the benchmarks compare against:
# onnx (model building), onnxruntime (the peer engine) and numpy.
# Usage: scripts/bench/setup-peer-venv.sh [VENV_DIR]   (default: .venv-bench in the repository)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${1:-$repo/.venv-bench}"
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --upgrade pip
# onnx 1.23.x: Tests/Fixtures/generate/copy_onnx_cases.py reads that release's node-case generators.
"$venv/bin/pip" install --quiet "onnx>=1.23,<1.24" onnxruntime numpy
"$venv/bin/python" -c 'import onnx, onnxruntime, numpy
print("peer venv:", "onnx", onnx.__version__, "onnxruntime", onnxruntime.__version__)'
echo "$venv"
