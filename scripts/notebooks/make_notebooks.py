#!/usr/bin/env python3
"""Writes the source of the walkthrough notebooks (Notebooks/*.ipynb) with empty outputs, and Walkthrough.glimpse.

The outputs are then made by Glimpse itself: `glimpse replay --write Notebooks/X.ipynb` runs every cell
and saves what it shows, so the saved notebooks are both the documentation and the tests.
Run from the repository root: python3 scripts/notebooks/make_notebooks.py [--only NAME]
"""
import argparse
import hashlib
import json

KERNELSPEC = {"name": "glimpse", "display_name": "Glimpse", "language": "glimpse"}
LANGUAGE_INFO = {
    "name": "glimpse", "version": "0.1.0", "mimetype": "text/x-glimpse", "file_extension": ".glimpse",
    "pygments_lexer": "text", "codemirror_mode": "shell",
}


def cell_id(notebook, index):
    return hashlib.sha1(f"{notebook}:{index}".encode()).hexdigest()[:8]


def notebook(name, cells):
    out = []
    for index, (kind, text, *tags) in enumerate(cells):
        lines = text.strip("\n").split("\n")
        source = [line + "\n" for line in lines[:-1]] + [lines[-1]]
        cell = {"cell_type": kind, "id": cell_id(name, index), "metadata": {}, "source": source}
        if tags:
            cell["metadata"]["tags"] = list(tags)
        if kind == "code":
            cell["execution_count"] = None
            cell["outputs"] = []
        out.append(cell)
    return {
        "cells": out,
        "metadata": {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO},
        "nbformat": 4, "nbformat_minor": 5,
    }


WALKTHROUGH = [
    ("markdown", """
# What does this image classifier really see?

This notebook follows the article *Interpreting Deep Learning Models for Computer Vision* (SHAP's
GradientExplainer on VGG16, tf-explain's activations, occlusion sensitivity, Grad-CAM and SmoothGrad on
Xception), step by step, with Glimpse's embedded model: **EfficientNet-Lite0**, trained on ImageNet.
Every cell is one or a few Glimpse commands; every answer is a table or a picture.
"""),
    ("code", "load"),
    ("markdown", """
## The photo and the prediction

`image` decodes a photo (a path, or the name of a bundled sample photo) and makes it the current image.
`predict` shows the most probable classes. The article's cat came out as `Egyptian_cat`; so does ours.
"""),
    ("code", "image chelsea\npredict top=5"),
    ("markdown", """
## What an early layer responds to

Shallow layers detect generic features (edges, colours, textures). `activations` shows a layer's feature
maps as a grid, the most active channels first, each normalised on its own.
"""),
    ("code", "activations layer=block2_add channels=16"),
    ("markdown", """
## Occlusion sensitivity

Slide a grey patch over the photo and watch the class score (its logit) drop: where it drops most is where the
model found its evidence (Zeiler and Fergus, 2014). Here a 32-pixel patch moves by 16 pixels.
"""),
    ("code", "occlusion patch=32 stride=16 class=Egyptian_cat"),
    ("markdown", """
## Grad-CAM at an early, a middle and the last block

Grad-CAM (Selvaraju et al., 2017) weights a layer's feature maps by the gradient of the class score
(the logit, before softmax) and keeps the positive part. Deep layers give coarse but class-specific maps;
earlier layers give finer, less specific ones. We explain the two most probable classes at each depth.
"""),
    ("code", "gradcam layer=block4 top=2"),
    ("code", "gradcam layer=block10 top=2"),
    ("code", "gradcam layer=top_activation top=2"),
    ("markdown", """
## SmoothGrad

A raw gradient (saliency) is noisy. SmoothGrad (Smilkov et al., 2017) averages the gradients of noisy copies
of the photo; the noise is 15 % of the input range and the seed is fixed, so the picture is reproducible.
"""),
    ("code", "smoothgrad samples=20 seed=0"),
    ("markdown", """
## Expected gradients at an intermediate layer (SHAP's GradientExplainer)

SHAP's GradientExplainer explains a prediction as expected gradients: integrated gradients averaged over
baselines drawn from a background set, here the bundled photos, computed at an intermediate layer as the
article does with VGG16's 7th layer. Red pushes towards the class, blue away from it.
"""),
    ("code", "shap layer=block6_add samples=50 top=2 seed=0"),
]

METHODS = [
    ("markdown", """
# Every method side by side

One photo, every explanation Glimpse has, and every way to name a target. All maps explain the logit
(pre-softmax score) unless `score=` says otherwise.
"""),
    ("code", "load\nimage chelsea\npredict top=3"),
    ("markdown", "## The class activation map family at the last layer"),
    ("code", "gradcam method=gradcam class=tabby"),
    ("code", "gradcam method=gradcam++ class=tabby"),
    ("code", "gradcam method=hirescam class=tabby"),
    ("code", "gradcam method=xgradcam class=tabby"),
    ("code", "gradcam method=layercam class=tabby"),
    ("code", "gradcam method=eigencam"),
    ("code", "gradcam layer=block10,top_activation class=tabby"),
    ("markdown", "## Targets: a class, the top classes, a contrast, a probability"),
    ("code", "gradcam class=285"),
    ("code", "gradcam class=n02123045"),
    ("code", "gradcam top=3"),
    ("code", "gradcam class=tabby vs=Egyptian_cat"),
    ("code", "gradcam class=tabby score=prob"),
    ("markdown", "## Input gradients"),
    ("code", "saliency class=Egyptian_cat"),
    ("code", "saliency class=Egyptian_cat times_input=yes"),
    ("code", "ig steps=32 class=Egyptian_cat"),
    ("code", "smoothgrad samples=10 kind=sg2 seed=0"),
    ("code", "smoothgrad samples=10 kind=vargrad seed=0"),
    ("markdown", "## Perturbation methods (no gradients needed)"),
    ("code", "occlusion patch=56 stride=28"),
    ("code", "gradcam method=scorecam layer=top_activation class=Egyptian_cat"),
    ("code", "rise masks=500 seed=0"),
    ("markdown", "## Expected gradients at the input"),
    ("code", "shap layer=input samples=20 top=2 seed=0"),
]

ERRORS = [
    ("markdown", """
# Mistakes and what Glimpse says about them

Each cell below fails on purpose (its `raises-exception` tag tells the replayer so); the session keeps
its state, so the cells after a failure still run.
"""),
    ("code", "predict", "raises-exception"),
    ("code", "load\nimage chelsea"),
    ("code", "gradcam layer=blok14", "raises-exception"),
    ("code", "gradcam class=tabbby", "raises-exception"),
    ("code", "image no/such/photo.jpg", "raises-exception"),
    ("code", "occlusion ptach=32", "raises-exception"),
    ("code", "frobnicate", "raises-exception"),
    ("code", "load vgg16 weights=no/such/vgg16.h5", "raises-exception"),
    ("code", "load xception seed=3", "raises-exception"),
    ("code", "load xception weights=random size=224", "raises-exception"),
    ("code", "predict top=2"),
]

VGG16_SHAP = [
    ("markdown", """
# SHAP's GradientExplainer on Keras' VGG16

The article's first notebook: expected gradients (SHAP's GradientExplainer) at the inputs of VGG16's
layers 7 and 14, i.e. the outputs of `block2_pool` and `block4_conv3`, for the two most probable classes.

> **These saved outputs come from an untrained VGG16** (`weights=random seed=1`: Keras' architecture and
> layer names with seeded random weights), so that the notebook replays anywhere without the 528 MB
> weights file. Every picture says so. **For the real pictures, change the first code cell to
> `load vgg16`**: Glimpse then reads Keras' own `vgg16_weights_tf_dim_ordering_tf_kernels.h5` from the
> Keras cache (`~/.keras/models/`), or downloads it from the address Keras uses.
"""),
    ("code", "load vgg16 weights=random seed=1"),
    ("markdown", """
## The photos and what the model predicts

VGG16 reads 224x224 pixels with caffe preprocessing (BGR, ImageNet mean subtracted). Keras' `load_img`
resizes with nearest-neighbour by default; `set interpolation=nearest` does the same here.
"""),
    ("code", "set interpolation=nearest\nimage chelsea\npredict top=5"),
    ("markdown", """
## What the 7th layer sees (a shallow layer)

Expected gradients at `block2_pool`'s output (the input of layer 7, `block3_conv1`), against a background
of the bundled photos: red pushes towards the class, blue away from it.
"""),
    ("code", "shap layer=block2_pool samples=50 top=2 seed=0"),
    ("markdown", """
## What the 14th layer sees (a deeper layer)

The same at `block4_conv3`'s output (the input of layer 14, `block4_pool`): coarser, and, with trained
weights, more class-specific.
"""),
    ("code", "shap layer=block4_conv3 samples=50 top=2 seed=0"),
    ("markdown", "## Grad-CAM at the last convolution, for comparison"),
    ("code", "gradcam layer=block5_conv3 top=2"),
]

XCEPTION_TF_EXPLAIN = [
    ("markdown", """
# tf-explain's methods on Keras' Xception

The article's second notebook: activations of a block-2 layer, occlusion sensitivity, Grad-CAM at
block 1, block 6 and block 14 for the top classes, and SmoothGrad, on Keras' Xception (299x299 input,
scaled to [-1, 1]), with Keras' layer names.

> **These saved outputs come from an untrained Xception** (`weights=random seed=1`: Keras' architecture
> and layer names with seeded random weights), so that the notebook replays anywhere without the 88 MB
> weights file. Every picture says so. **For the real pictures, change the first code cell to
> `load xception`**: Glimpse then reads Keras' own `xception_weights_tf_dim_ordering_tf_kernels.h5` from
> the Keras cache (`~/.keras/models/`), or downloads it from the address Keras uses.
"""),
    ("code", "load xception weights=random seed=1"),
    ("code", "set interpolation=nearest\nimage chelsea\npredict top=5"),
    ("markdown", """
## Activations of a block-2 layer

tf-explain's `ExtractActivations`: the feature maps of `block2_sepconv2_act`, most active first.
"""),
    ("code", "activations layer=block2_sepconv2_act channels=16"),
    ("markdown", """
## Occlusion sensitivity

A grey patch (zero in Xception's [-1, 1] input range) slides over the photo; where the top class's
score (its logit) drops most is where the evidence is.
"""),
    ("code", "occlusion patch=48 stride=24"),
    ("markdown", """
## Grad-CAM at block 1, block 6 and block 14

The layer names are Keras' (a prefix means the last 4-D tensor it starts: `block14` is
`block14_sepconv2_act`, `block6` is `block6_sepconv3_bn`). These are the paper's Grad-CAM of the logits.
`preset=tfexplain` computes the maps as tf-explain does (guided gradients, no ReLU, the softmax
probability as the target); it is not run here because the untrained Xception's logits are so far apart
(about 5e4) that its softmax is exactly one-hot and every probability gradient is zero.
"""),
    ("code", "gradcam layer=block1_conv2_act top=2"),
    ("code", "gradcam layer=block6 top=2"),
    ("code", "gradcam layer=block14 top=2"),
    ("markdown", "## SmoothGrad"),
    ("code", "smoothgrad samples=20 seed=0"),
]

NOTEBOOKS = {
    "Walkthrough": WALKTHROUGH, "Methods": METHODS, "Errors": ERRORS, "VGG16-SHAP": VGG16_SHAP,
    "Xception-tf-explain": XCEPTION_TF_EXPLAIN,
}

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only")
    args = parser.parse_args()
    for name, cells in NOTEBOOKS.items():
        if args.only and name != args.only:
            continue
        with open(f"Notebooks/{name}.ipynb", "w") as f:
            json.dump(notebook(name, cells), f, indent=1, ensure_ascii=False)
            f.write("\n")
    # The walkthrough as a plain script too, for `glimpse run` (the demo writes its pictures as files).
    with open("Notebooks/Walkthrough.glimpse", "w") as f:
        f.write("# The walkthrough notebook's commands (made by scripts/notebooks/make_notebooks.py).\n")
        for kind, text, *_ in WALKTHROUGH:
            if kind == "code":
                f.write(text.strip() + "\n")
