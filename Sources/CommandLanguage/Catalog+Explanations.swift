// Glimpse's explanation commands and the target arguments they share (design/COMMANDS.md).

extension Catalog {
  /// The explanation commands, in the order help lists them.
  static let explanations = [
    activations, gradcam, occlusion, saliency, smoothgrad, integratedGradients, shap, rise,
  ]

  /// Arguments every explanation command (activations aside) takes: which class to explain,
  /// on which image, and how to draw it.
  static let targetArguments: [ArgumentSpec] = [
    ArgumentSpec(
      "class", .list(.name(.className)), default: "the best predicted class",
      "the class to explain: an index (285), a WordNet id (n02124075), a name with _ or spaces "
        + "in any case (tabby, \"egyptian cat\"), or a unique prefix; a comma list explains each"),
    ArgumentSpec(
      "vs", .name(.className), "explain class's score minus this class's (a contrastive map)"),
    ArgumentSpec(
      "top", .integer(min: 1, max: nil), default: "the top setting (1 at start)",
      "explain the K best predicted classes"),
    ArgumentSpec(
      "score", .choice(["logit", "prob", "logprob"]), default: "logit",
      "the score differentiated: the logit, the softmax probability, or its logarithm"),
    ArgumentSpec("image", .name(.image), default: "the current image", "the image to explain"),
    colormapArgument,
    ArgumentSpec(
      "alpha", .real(min: 0, max: 1), default: "the alpha setting (0.5 at start)", "overlay opacity"
    ),
  ]

  /// Baselines of perturbation and path methods.
  static let baselineKind = ValueKind.either([
    .choice(["zero", "black", "mean", "blur"]), .real(min: nil, max: nil),
  ])

  static let baselineHelp =
    "zero (0 in the model's input space), black pixels, the image mean, a blurred copy, "
    + "or a number in input space"

  /// An explanation command: its own arguments, then the target arguments it does not override.
  static func explanation(
    _ name: String, summary: String, help: String, arguments: [ArgumentSpec],
    examples: [String]
  ) -> CommandSpec {
    let own = Set(arguments.map(\.name))
    return CommandSpec(
      name, summary: summary, help: help,
      arguments: arguments + targetArguments.filter { !own.contains($0.name) },
      examples: examples)
  }

  static let layerKind = ValueKind.either([.choice(["last"]), .name(.layer)])

  static let activations = CommandSpec(
    "activations", summary: "Show a layer's feature maps as a grid.",
    help: """
      Runs the model on an image and shows the chosen layer's channels as a captioned grid of \
      feature maps.
      """,
    arguments: [
      ArgumentSpec("layer", layerKind, default: "last", "a tensor name, a name prefix, or last"),
      ArgumentSpec(
        "channels", .either([.integer(min: 1, max: nil), .choice(["all"])]), default: "16",
        "how many channels to show, or all"),
      ArgumentSpec(
        "sort", .choice(["mean", "index"]), default: "mean",
        "channel order: strongest mean activation first, or by index"),
      ArgumentSpec("image", .name(.image), default: "the current image", "the image to run"),
      colormapArgument,
    ],
    examples: ["activations", "activations layer=block1 channels=all sort=index"])

  static let gradcam = explanation(
    "gradcam", summary: "Grad-CAM and its family: class activation maps of a layer.",
    help: """
      Weights a layer's feature maps by the class score's gradients and overlays the map on the \
      image (Grad-CAM, arXiv:1610.02391), or one of its variants.
      """,
    arguments: [
      ArgumentSpec(
        "layer", .list(layerKind),
        default: "the last 4-D tensor with spatial size > 1x1",
        "a tensor name, a name prefix at a name boundary (block14), or last; a comma list fuses "
          + "several layers"),
      ArgumentSpec(
        "method",
        .choice([
          "gradcam", "gradcam++", "hirescam", "xgradcam", "layercam", "eigencam", "scorecam",
        ]), default: "gradcam", "the CAM variant"),
      presetArgument,
    ],
    examples: [
      "gradcam", "gradcam class=tabby", "gradcam layer=block14_sepconv2_act method=gradcam++",
      "gradcam class=tabby vs=Egyptian_cat", "gradcam top=3 colormap=jet alpha=0.4",
      #"gradcam class="egyptian cat" score=prob"#, "gradcam layer=block13,block14 preset=tfexplain",
      "gradcam class=285,281 method=scorecam",
    ])

  static let occlusion = explanation(
    "occlusion", summary: "Occlusion: how much the score drops as a patch hides each region.",
    help: """
      Slides a patch over the image and maps how much the class score drops where it hides the \
      image (Zeiler and Fergus, arXiv:1311.2901).
      """,
    arguments: [
      ArgumentSpec("patch", .integer(min: 1, max: 4096), default: "32", "patch side, in pixels"),
      ArgumentSpec("stride", .integer(min: 1, max: 4096), default: "16", "step, in pixels"),
      ArgumentSpec("baseline", baselineKind, default: "zero", "what hides: " + baselineHelp),
    ],
    examples: ["occlusion", "occlusion patch=48 stride=8 baseline=blur", "occlusion baseline=-1"])

  static let saliency = explanation(
    "saliency", summary: "Vanilla gradients: the class score's gradient per pixel.",
    help: """
      Maps the largest absolute gradient of the class score over each pixel's channels \
      (Simonyan et al., arXiv:1312.6034).
      """,
    arguments: [
      ArgumentSpec(
        "times_input", .yesNo, default: "no",
        "multiply the gradient by the input (gradient x input)")
    ],
    examples: ["saliency", "saliency times_input=yes class=tabby"])

  static let smoothgrad = explanation(
    "smoothgrad", summary: "SmoothGrad: gradients averaged over noisy copies of the image.",
    help: """
      Averages a gradient method over copies of the input with Gaussian noise (Smilkov et al., \
      arXiv:1706.03825); sg2 averages squares, vargrad takes the variance.
      """,
    arguments: [
      ArgumentSpec("samples", .integer(min: 1, max: 100_000), default: "20", "noisy copies"),
      ArgumentSpec(
        "noise", .real(min: 0, max: 10), default: "0.15",
        "noise deviation as a fraction of the input range"),
      ArgumentSpec(
        "of", .choice(["saliency", "gradxinput", "ig"]), default: "saliency",
        "the method smoothed"),
      ArgumentSpec("kind", .choice(["sg", "sg2", "vargrad"]), default: "sg", "how to combine"),
      ArgumentSpec("seed", .integer(min: 0, max: nil), default: "0", "noise seed"),
    ],
    examples: ["smoothgrad", "smoothgrad samples=50 noise=0.2 of=gradxinput kind=sg2 seed=7"])

  static let integratedGradients = explanation(
    "ig", summary: "Integrated gradients from a baseline to the image.",
    help: """
      Integrates gradients along the straight path from a baseline to the image (Sundararajan \
      et al., arXiv:1703.01365); the caption reports the completeness error.
      """,
    arguments: [
      ArgumentSpec("steps", .integer(min: 1, max: 100_000), default: "50", "Riemann steps"),
      ArgumentSpec("baseline", baselineKind, default: "zero", "the path's start: " + baselineHelp),
    ],
    examples: ["ig", "ig steps=100 baseline=black class=tabby"])

  static let shap = explanation(
    "shap", summary: "Expected gradients (SHAP) against background images.",
    help: """
      Estimates SHAP values with expected gradients over background images (Lundberg and Lee, \
      arXiv:1705.07874) and draws the image, then one red/blue panel per ranked class.
      """,
    arguments: [
      ArgumentSpec(
        "layer", .either([.choice(["input"]), .name(.layer)]), default: "input",
        "attribute at the input or at a layer's output"),
      ArgumentSpec(
        "background", .name(.directory), default: "the bundled photos",
        "a directory of background images"),
      ArgumentSpec("samples", .integer(min: 1, max: 100_000), default: "200", "gradient samples"),
      ArgumentSpec("top", .integer(min: 1, max: nil), default: "2", "classes ranked and drawn"),
      ArgumentSpec("seed", .integer(min: 0, max: nil), default: "0", "sampling seed"),
    ],
    examples: ["shap", "shap layer=block7 background=photos samples=100 top=3 seed=1"])

  static let rise = explanation(
    "rise", summary: "RISE: the score under random masks, averaged.",
    help: """
      Weights random smooth masks by the class score of the masked image (Petsiuk et al., \
      arXiv:1806.07421).
      """,
    arguments: [
      ArgumentSpec("masks", .integer(min: 1, max: 1_000_000), default: "2000", "random masks"),
      ArgumentSpec("seed", .integer(min: 0, max: nil), default: "0", "mask seed"),
    ],
    examples: ["rise", "rise masks=500 seed=3 top=2"])
}
