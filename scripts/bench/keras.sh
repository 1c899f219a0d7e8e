#!/usr/bin/env bash
# The Keras benchmark (not part of CI): Glimpse's VGG16 (224x224) and Xception (299x299) with seeded
# weights, forward pass and Grad-CAM, beside TensorFlow (tf_keras) and onnxruntime (on tf2onnx exports of
# the same models) in the same run, with the same thread count.
# Usage: scripts/bench/keras.sh [THREADS]   (default 2)
set -euo pipefail
cd "$(dirname "$0")/../.."
threads="${1:-2}"
bash scripts/setup.sh
bash scripts/keras/setup-venv.sh >/dev/null
swift build -c release --product glimpse >/dev/null
bin="$(swift build -c release --show-bin-path)/glimpse"
"$bin" bench --threads "$threads" --skip-default --skip-backward --batch 1 --keras \
  --keras-peer-python .venv-keras/bin/python
