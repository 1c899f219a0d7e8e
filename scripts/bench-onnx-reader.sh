#!/usr/bin/env bash
# Time and peak memory of reading a large ONNX model: Glimpse's reader (ONNXReaderBenchTests)
# against the `onnx` Python package on the same file, same machine, 3 runs each.
#
# Usage: scripts/bench-onnx-reader.sh [model.onnx]
#   Without a model, writes the 553 MB random VGG16 of scripts/bench/make_vgg16_random.py to
#   $TMPDIR. The `onnx` venv lives outside the repository (VENV, default /tmp/venv-onnx).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-/tmp/venv-onnx}
MODEL=${1:-${TMPDIR:-/tmp}/vgg16-random.onnx}

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q onnx numpy
fi
if [ ! -f "$MODEL" ]; then
  "$VENV/bin/python" scripts/bench/make_vgg16_random.py "$MODEL"
fi

swift build --build-tests >/dev/null
echo "== Glimpse ONNXFile: parse + convert every initializer"
for _ in 1 2 3; do
  GLIMPSE_ONNX_BENCH="$MODEL" swift test --skip-build --filter ONNXReaderBenchTests 2>&1 \
    | grep -E '^(parse|resident)'
done

echo "== onnx (Python): onnx.load + numpy_helper.to_array"
for _ in 1 2 3; do
  "$VENV/bin/python" - "$MODEL" <<'PY'
import resource, sys, time
import onnx
from onnx import numpy_helper
start = time.perf_counter()
model = onnx.load(sys.argv[1])
loaded = time.perf_counter()
arrays = [numpy_helper.to_array(t) for t in model.graph.initializer]
done = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(f"load {loaded - start:.3f} s, to_array {done - loaded:.3f} s, total {done - start:.3f} s, "
      f"peak {peak / 1e6:.1f} MB")
PY
done
