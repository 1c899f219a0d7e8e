#!/usr/bin/env bash
# Creates .venv-keras at the repository root with the pinned packages the Keras reference scripts
# need (Tests/Fixtures/generate/keras_reference.py, tf2onnx_export.py). CPU only; needs PyPI.
# Usage: scripts/keras/setup-venv.sh [python3]   (Python 3.10-3.12, the range TensorFlow 2.18 has)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
python="${1:-python3}"
venv="$root/.venv-keras"

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
# tensorflow 2.18.1 is the runtime; tf_keras 2.18 is the Keras 2 API the references use (Keras 3
# is what `import keras` gives with TF 2.18); tf2onnx 1.17 needs protobuf < 6 and onnx 1.17.
"$venv/bin/python" -m pip install --quiet \
  "tensorflow-cpu==2.18.1" "tf_keras==2.18.0" "numpy==2.0.2" "h5py==3.16.0" \
  "tf2onnx==1.17.0" "onnx==1.17.0" "onnxruntime==1.32.0" "protobuf==5.29.6"
"$venv/bin/python" - <<'PY'
import numpy, onnx, tensorflow, tf2onnx, tf_keras
print("tensorflow", tensorflow.__version__, "tf_keras", tf_keras.__version__, "tf2onnx",
      tf2onnx.__version__, "onnx", onnx.__version__, "numpy", numpy.__version__)
PY
echo "ready: $venv/bin/python"
