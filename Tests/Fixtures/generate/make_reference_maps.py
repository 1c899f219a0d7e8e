#!/usr/bin/env python3
r"""Reference maps of public attribution libraries for Glimpse's cross-check tests.

Writes Tests/AttributionTests/Fixtures/reference/: small raw float32 maps (little-endian, C order,
no header) and manifest.json (library versions, parameters, the conventions each library uses,
sha256 and a summary of every file). ReferenceLibraryTests.swift reads them.

The embedded EfficientNet-Lite0 ONNX file is converted with onnx2torch and evaluated in float64, so
the references carry no float32 rounding of their own; its logits are checked against the golden
logits first. Maps, all for class 285 (Egyptian cat) on the stored chelsea input tensor:

* pytorch-grad-cam at `top_activation` (7x7): Grad-CAM++, HiResCAM, XGrad-CAM, LayerCAM, Eigen-CAM,
  Score-CAM. The raw 7x7 map is taken from the library's own `get_cam_image` (wrapped to record
  its return value) and passed through the `np.maximum(cam, 0)` the library applies next; the
  library's final (normalised, resized to 224) output is kept for Grad-CAM++ as well.
* Captum Occlusion, window 3x32x32, stride 16, baseline 0, logit target (per-pixel map).
* Captum NoiseTunnel(Saliency(abs=False)) as SmoothGrad, SmoothGrad-squared and VarGrad, and
  Captum GradientShap as expected gradients, with the random draws Glimpse makes for the same seed
  injected into Captum (Glimpse's generator is replayed by splitmix.py; Captum's calls to
  torch.normal, np.random.choice and np.random.uniform are patched for the duration of the call).
* tf-explain's Grad-CAM formula (guided mask, no ReLU) in numpy on the torch activations and
  gradients: tf-explain itself needs TensorFlow.

Usage (from the repository root, with torch, onnx2torch, captum, grad-cam, numpy, onnx installed):

    python Tests/Fixtures/generate/make_reference_maps.py \
        [--model ../shared/models/efficientnet-lite0.onnx] [--only STEP ...]

Steps: gradcam, scorecam (run in float32: 1280 forward passes), tfexplain, occlusion, smoothgrad,
expected; about 5 minutes in all on two cores; a rerun reproduces every file bit for bit.
--only merges the new entries into the manifest.
"""
import argparse
import contextlib
import hashlib
import importlib.metadata
import json
import platform
import sys
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper, version_converter
from onnx2torch import convert

sys.path.insert(0, str(Path(__file__).resolve().parent))
from splitmix import SplitMix  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "Tests/AttributionTests/Fixtures/golden"
OUT = ROOT / "Tests/AttributionTests/Fixtures/reference"
CLASS = 285
LAYER = "top_activation"
SMOOTH = {"samples": 8, "noise": 0.15, "seed": 11}
EXPECTED = {"samples": 16, "seed": 5}
OCCLUSION = {"patch": 32, "stride": 16, "baseline": 0.0}


def torch_model(path: Path) -> torch.nn.Module:
    """The ONNX file as a float64 torch module.

    onnx2torch 1.5 has no converter for opset-18 ReduceMean (axes as an input) nor for Reshape with
    allowzero=1: the graph is moved to opset 17 (axes become an attribute) and allowzero is cleared,
    which changes nothing here because the only Reshape's target shape [-1, 1280] holds no zero.
    """
    model = version_converter.convert_version(onnx.load(str(path)), 17)
    constants = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    for node in model.graph.node:
        if node.op_type == "Reshape":
            assert 0 not in constants[node.input[1]].tolist(), "allowzero would matter"
            for attribute in node.attribute:
                if attribute.name == "allowzero":
                    attribute.i = 0
    return convert(model).eval().double()


def synthetic_input() -> np.ndarray:
    """x[0,c,h,w] = (((w*7 + h*13 + c*17) mod 255) - 127) / 128 (GoldenFixtures.syntheticInput)."""
    c, h, w = np.meshgrid(np.arange(3), np.arange(224), np.arange(224), indexing="ij")
    return ((((w * 7 + h * 13 + c * 17) % 255) - 127) / 128).astype(np.float32)[None]


class Writer:
    """Stores float32 files and collects their manifest entries."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.entries = {}
        folder.mkdir(parents=True, exist_ok=True)

    def put(self, key: str, values, **info):
        array = np.ascontiguousarray(np.asarray(values, dtype="<f4"))
        name = f"{key}.f32"
        data = array.tobytes()
        (self.folder / name).write_bytes(data)
        stats = array.astype(np.float64)
        self.entries[key] = {
            "file": name, "shape": list(array.shape), "dtype": "float32 little-endian, C order",
            "sha256": hashlib.sha256(data).hexdigest(),
            "summary": {"sum": float(stats.sum()), "abs_sum": float(np.abs(stats).sum()),
                        "min": float(stats.min()), "max": float(stats.max())},
            **info,
        }
        print(f"{name}: {array.shape} max {stats.max():.6g} sum {stats.sum():.6g}", flush=True)


@contextlib.contextmanager
def patched(owner, name, replacement):
    """Temporarily replaces owner.name."""
    original = getattr(owner, name)
    setattr(owner, name, replacement)
    try:
        yield
    finally:
        setattr(owner, name, original)


def score_cam_map(model, x, writer):
    """pytorch-grad-cam's Score-CAM, in float32: 1280 masked forward passes took about a second
    each in float64 on two cores; float32 moves the masked logits by about 1e-5."""
    grad_cam_maps(model.float(), x, writer, variants=["scorecam"])
    model.double()


def grad_cam_maps(model, x, writer, variants=None):
    """pytorch-grad-cam's raw maps at top_activation (all but Score-CAM unless `variants`)."""
    from pytorch_grad_cam import (EigenCAM, GradCAMPlusPlus, HiResCAM, LayerCAM, ScoreCAM,
                                  XGradCAM)
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget

    layer = dict(model.named_modules())[LAYER]
    common = ("raw map = the library's get_cam_image return value, then np.maximum(cam, 0) as "
              "BaseCAM.compute_cam_per_layer does, before scale_cam_image (no resize, no "
              "normalisation)")
    conventions = {
        "gradcam++": "weights = sum_ij max(G,0) * G^2 / (2 G^2 + sum_ab(A) G^3 + 1e-6), aij = 0 "
                     "where G == 0; cam = max(0, sum_k w_k A_k). Glimpse has no 1e-6 in the "
                     "denominator.",
        "hirescam": "cam = max(0, sum_k G_k * A_k)",
        "xgradcam": "w_k = sum_ij G A / (sum_ij A + 1e-7); cam = max(0, sum_k w_k A_k)",
        "layercam": "cam = max(0, sum_k max(G_k, 0) * A_k)",
        "eigencam": "projection of the per-channel-centred [h*w, K] activations on the first right "
                    "singular vector (numpy SVD: sign arbitrary, no correction), cast to float32, "
                    "then max(0, .). Glimpse keeps the signed projection with its sign fixed by "
                    "correlation with the channel sum.",
        "scorecam": "masks: each channel upsampled with torch UpsamplingBilinear2d (align_corners="
                    "True) to 224, min-max normalised with (max - min + 1e-8); scores: the target "
                    "(ClassifierOutputTarget = the raw logit) of x * mask; weights = softmax over "
                    "the 1280 channels of those logits (no baseline subtraction; constant channels "
                    "get a mask of 0 and still take part); cam = max(0, sum_k w_k A_k).",
    }
    for key, cls in [("gradcam++", GradCAMPlusPlus), ("hirescam", HiResCAM),
                     ("xgradcam", XGradCAM), ("layercam", LayerCAM), ("eigencam", EigenCAM),
                     ("scorecam", ScoreCAM)]:
        if key not in (variants or ["gradcam++", "hirescam", "xgradcam", "layercam", "eigencam"]):
            continue
        dtype = next(model.parameters()).dtype
        cam = cls(model=model, target_layers=[layer])
        cam.batch_size = 32
        recorded = {}
        original = cam.get_cam_image

        def recording(*args, _original=original, **kwargs):
            recorded["cam"] = np.array(_original(*args, **kwargs))
            return recorded["cam"]

        cam.get_cam_image = recording
        scores = []

        class RecordingTarget(ClassifierOutputTarget):
            def __call__(self, output):
                value = super().__call__(output)
                scores.append(float(value.detach().reshape(-1)[0]))
                return value

        final = cam(input_tensor=torch.from_numpy(x).to(dtype), targets=[RecordingTarget(CLASS)])
        raw = recorded["cam"][0]
        name = key.replace("+", "p")
        writer.put(f"{name}-{CLASS}", np.maximum(raw, 0), library="pytorch-grad-cam",
                   api=cls.__name__, layer=LAYER, target=f"logit {CLASS}", precision=str(dtype),
                   raw_map=common, convention=conventions[key])
        if key == "gradcam++":
            writer.put(f"{name}-{CLASS}-final224", final[0], library="pytorch-grad-cam",
                       api=cls.__name__ + ".__call__",
                       convention="the library's output: scale_cam_image = (cam - min) / (1e-7 + "
                                  "max) then cv2.resize to 224x224 (INTER_LINEAR, half-pixel "
                                  "centres), float32")
        if key == "eigencam":
            writer.put("eigencam-signed", raw, library="pytorch-grad-cam", api="get_2d_projection",
                       layer=LAYER, convention="the signed projection before max(0, .)")
        if key == "scorecam":
            # ScoreCAM takes no gradients, so BaseCAM.forward never calls the target: every
            # recorded score is one masked input's, in channel order.
            assert len(scores) == 1280, len(scores)
            writer.put("scorecam-masked-logits", np.array(scores), library="pytorch-grad-cam",
                       api="ScoreCAM.get_cam_weights", convention="logit 285 of x * mask_k, "
                       "k = 0..1279; the library's weights are their softmax")


def tf_explain_map(model, x, writer):
    """tf-explain's Grad-CAM formula, in numpy, for the logit and the probability of 285."""
    layer = dict(model.named_modules())[LAYER]
    store = {}
    handle = layer.register_forward_hook(lambda m, i, o: store.update(a=o))
    logits = model(torch.from_numpy(x).double())
    handle.remove()
    for kind, score in [("logit", logits[0, CLASS]),
                        ("probability", torch.softmax(logits, dim=1)[0, CLASS])]:
        (g,) = torch.autograd.grad(score, store["a"], retain_graph=True)
        a = store["a"].detach().numpy()[0]
        g = g.numpy()[0]
        guided = (a > 0) * (g > 0) * g
        weights = guided.mean(axis=(1, 2))
        cam = np.tensordot(weights, a, axes=1)
        writer.put(f"tfexplain-{kind}-{CLASS}", cam, library="tf-explain formula (numpy)",
                   layer=LAYER, target=f"{kind} {CLASS}",
                   convention="tf-explain GradCAM: guided_grads = (A > 0) * (G > 0) * G; "
                              "weights = mean over h, w; cam = sum_k w_k A_k; no ReLU (tf-explain "
                              "then resizes with cv2 and min-max normalises for display). Keras "
                              "classifiers end in a softmax, so tf-explain usually differentiates "
                              "the probability; both readings are stored.")


def occlusion_map(model, x, writer):
    """Captum's Occlusion: per-pixel mean of the logit drops of the windows covering the pixel."""
    from captum.attr import Occlusion

    p, s = OCCLUSION["patch"], OCCLUSION["stride"]
    result = Occlusion(model).attribute(
        torch.from_numpy(x).double(), sliding_window_shapes=(3, p, p), strides=(3, s, s),
        baselines=OCCLUSION["baseline"], target=CLASS, perturbations_per_eval=16)
    result = result.detach().numpy()[0]
    assert np.array_equal(result[0], result[1]) and np.array_equal(result[0], result[2])
    writer.put(f"occlusion-p{p}-s{s}-{CLASS}", result[0], library="captum", api="Occlusion",
               target=f"logit {CLASS}", parameters={"sliding_window_shapes": [3, p, p],
                                                     "strides": [3, s, s], "baselines": 0.0},
               convention="attribution of a pixel = mean over the windows covering it of "
                          "logit(x) - logit(x with the window set to 0); windows at 0, 16, ..., "
                          "192 per axis (no extra edge window is needed at 224); the map is the "
                          "same for the 3 channels, channel 0 is stored [224, 224].")


def glimpse_noise(x: np.ndarray, samples: int, noise: float, seed: int) -> tuple:
    """Glimpse's noisy copies for SmoothGrad(seed): x + Float(sigma * normal), in float32."""
    flat = x.reshape(-1)
    sigma = noise * float(np.float32(flat.max()) - np.float32(flat.min()))
    generator = SplitMix(seed)
    copies = np.empty((samples, flat.size), dtype=np.float32)
    for s in range(samples):
        draws = np.array([generator.normal() for _ in range(flat.size)])
        copies[s] = flat + (sigma * draws).astype(np.float32)
    return sigma, copies.reshape((samples,) + x.shape[1:])


def smoothgrad_maps(model, x, writer):
    """Captum NoiseTunnel(Saliency) with Glimpse's noise."""
    from captum.attr import NoiseTunnel, Saliency

    samples, noise, seed = SMOOTH["samples"], SMOOTH["noise"], SMOOTH["seed"]
    sigma, copies = glimpse_noise(x, samples, noise, seed)
    x64 = torch.from_numpy(x).double()
    injected = torch.from_numpy(copies.astype(np.float64)) - x64  # x64 + this == the copies

    def normal(mean, std, *args, **kwargs):
        assert mean == 0 and tuple(std.shape) == tuple(injected.shape), std.shape
        # Captum builds the stdev tensor with torch.tensor(stdev): float32.
        assert abs(float(std.reshape(-1)[0]) - sigma) <= 1e-6 * sigma
        return injected.clone()

    tunnel = NoiseTunnel(Saliency(model))
    for nt_type, key in [("smoothgrad", "sg"), ("smoothgrad_sq", "sg2"), ("vargrad", "vargrad")]:
        with patched(torch, "normal", normal):
            result = tunnel.attribute(x64, nt_type=nt_type, nt_samples=samples, stdevs=sigma,
                                      target=CLASS, abs=False)
        writer.put(f"smoothgrad-{key}-{CLASS}", result.detach().numpy()[0], library="captum",
                   api=f"NoiseTunnel(Saliency(abs=False)), nt_type={nt_type}",
                   target=f"logit {CLASS}",
                   parameters={"samples": samples, "noise": noise, "sigma": sigma, "seed": seed},
                   convention="Glimpse's noisy copies injected for torch.normal: copy s = "
                              "float32(x + float32(sigma * z)), z the SplitMix64 Box-Muller "
                              "normals of the seed, drawn copy after copy in C, H, W order; "
                              "sigma = noise * (max x - min x). sg = mean of the gradients, "
                              "sg2 = mean of their squares, vargrad = mean of squares - square "
                              "of mean (population variance).")
    # For the Swift test to confirm it replays the same stream.
    writer.entries["smoothgrad-sg-285"]["noise_check"] = {
        "first_normals": _first_normals(seed, 6),
        "sum_of_first_copy_minus_x": float((copies[0].astype(np.float64) - x[0]).sum()),
    }


def _first_normals(seed: int, count: int) -> list:
    generator = SplitMix(seed)
    return [generator.normal() for _ in range(count)]


def expected_gradient_maps(model, x, writer):
    """Captum GradientShap with Glimpse's background and alpha draws."""
    from captum.attr import GradientShap
    import captum._utils.common as captum_common

    samples, seed = EXPECTED["samples"], EXPECTED["seed"]
    background = np.concatenate([synthetic_input(), np.zeros_like(x)])
    generator = SplitMix(seed)
    draws = [(generator.index(len(background)), float(np.float32(generator.unit())))
             for _ in range(samples)]
    indices = [d[0] for d in draws]
    alphas = np.array([d[1] for d in draws])

    def choice(n, size, *args, **kwargs):
        assert n == len(background) and size == samples, (n, size)
        return np.array(indices)

    def uniform(low, high, size, *args, **kwargs):
        assert (low, high, size) == (0.0, 1.0, samples), (low, high, size)
        return alphas.copy()

    with patched(captum_common.np.random, "choice", choice), \
            patched(np.random, "uniform", uniform):
        result = GradientShap(model).attribute(
            torch.from_numpy(x).double(), baselines=torch.from_numpy(background).double(),
            n_samples=samples, stdevs=0.0, target=CLASS)
    writer.put(f"expected-gradients-{CLASS}", result.detach().numpy()[0], library="captum",
               api="GradientShap(stdevs=0)", target=f"logit {CLASS}",
               parameters={"samples": samples, "seed": seed,
                           "background": ["synthetic input", "zeros"],
                           "draws": [{"background": i, "alpha": a} for i, a in draws]},
               convention="Glimpse's draws injected (np.random.choice for the backgrounds, "
                          "np.random.uniform for alpha): per sample s, (b_s, alpha_s) = "
                          "(nextIndex(below: 2), Float(nextUnit())) of SplitMix64(seed); map = "
                          "mean_s dF/dz(alpha x + (1 - alpha) b) * (x - b).")


def versions() -> dict:
    names = ["torch", "onnx", "onnx2torch", "captum", "grad-cam", "numpy", "opencv-python-headless"]
    found = {}
    for name in names:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            pass
    found["python"] = platform.python_version()
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--model", type=Path, default=ROOT.parent / "shared/models/efficientnet-lite0.onnx")
    parser.add_argument("--only", nargs="*", default=None, help="a subset of the steps")
    args = parser.parse_args()
    torch.set_num_threads(2)
    model = torch_model(args.model)
    x = np.fromfile(GOLDEN / "efficientnet-lite0-chelsea.input.f32", dtype="<f4")
    x = x.reshape(1, 3, 224, 224)
    golden = np.array(json.load(open(GOLDEN / "efficientnet-lite0-chelsea.json"))["logits"])
    with torch.no_grad():
        logits = model(torch.from_numpy(x).double()).numpy()[0]
    logit_error = float(np.abs(logits - golden).max())
    print(f"max |logit - golden logit| = {logit_error:.3g}")
    assert logit_error < 1e-6, "the converted model does not reproduce the golden logits"

    manifest_path = OUT / "manifest.json"
    old = json.loads(manifest_path.read_text())["maps"] if manifest_path.exists() else {}
    writer = Writer(OUT)
    steps = {"gradcam": grad_cam_maps, "scorecam": score_cam_map, "tfexplain": tf_explain_map,
             "occlusion": occlusion_map, "smoothgrad": smoothgrad_maps,
             "expected": expected_gradient_maps}
    for name, step in steps.items():
        if args.only is None or name in args.only:
            step(model, x, writer)
    maps = {**old, **writer.entries}
    manifest = {
        "about": "Reference maps of public attribution libraries for Glimpse's cross-checks "
                 "(ReferenceLibraryTests.swift). All maps: class 285 on the chelsea input "
                 "(Fixtures/golden/efficientnet-lite0-chelsea.input.f32).",
        "script": "Tests/Fixtures/generate/make_reference_maps.py",
        "model": {"file": "efficientnet-lite0.onnx (embedded model)",
                  "conversion": "onnx2torch after onnx.version_converter to opset 17 and "
                                "Reshape allowzero cleared (see torch_model); evaluated in float64",
                  "max_abs_logit_vs_golden": logit_error},
        "versions": versions(),
        "maps": maps,
    }
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n")


if __name__ == "__main__":
    main()
