#!/usr/bin/env python3
"""Times the peers of Glimpse's explanation methods on the embedded model: pytorch-grad-cam and Captum.

The model is the embedded EfficientNet-Lite0 converted with onnx2torch (float32, the conversion of
Tests/Fixtures/generate/make_reference_maps.py), the input is the golden preprocessed chelsea tensor,
the target class 285. Prints one JSON object: method -> median milliseconds over --repetitions runs.
Needs torch, onnx2torch, captum, grad-cam, onnx, numpy (the venv make_reference_maps.py describes).

Usage: methods_peer.py [--threads 2] [--repetitions 3]
"""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests/Fixtures/generate"))
from make_reference_maps import torch_model  # noqa: E402  (the same conversion as the fixtures)

CLASS = 285


def median_ms(function, repetitions):
    function()  # warm-up
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    from captum.attr import GradientShap, IntegratedGradients, NoiseTunnel, Occlusion, Saliency
    from pytorch_grad_cam import GradCAM
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget

    model = torch_model(ROOT / "Sources/ModelZoo/Resources/efficientnet-lite0.onnx").float()
    raw = np.fromfile(ROOT / "Tests/AttributionTests/Fixtures/golden/efficientnet-lite0-chelsea.input.f32",
                      dtype="<f4").reshape(1, 3, 224, 224)
    x = torch.from_numpy(raw.copy())
    background = torch.from_numpy(np.random.default_rng(0).uniform(-1, 1, (4, 3, 224, 224)).astype("f4"))
    layer = dict(model.named_modules())["top_activation"]
    cam = GradCAM(model=model, target_layers=[layer])

    cases = {
        "gradcam": lambda: cam(input_tensor=x, targets=[ClassifierOutputTarget(CLASS)]),
        "occlusion 32/16": lambda: Occlusion(model).attribute(
            x, sliding_window_shapes=(3, 32, 32), strides=(3, 16, 16), baselines=0.0,
            target=CLASS, perturbations_per_eval=16),
        "smoothgrad 20": lambda: NoiseTunnel(Saliency(model)).attribute(
            x, nt_type="smoothgrad", nt_samples=20, nt_samples_batch_size=10, stdevs=0.3,
            target=CLASS, abs=False),
        "ig 50": lambda: IntegratedGradients(model).attribute(
            x, baselines=torch.zeros_like(x), target=CLASS, n_steps=50, method="riemann_right",
            internal_batch_size=10),
        "expected gradients 200": lambda: GradientShap(model).attribute(
            x, baselines=background, n_samples=200, stdevs=0.0, target=CLASS),
    }
    print(json.dumps({name: median_ms(f, args.repetitions) for name, f in cases.items()}))


if __name__ == "__main__":
    main()
