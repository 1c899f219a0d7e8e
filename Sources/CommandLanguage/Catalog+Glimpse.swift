// Glimpse's commands (design/COMMANDS.md): model, images, session. Explanations are in
// Catalog+Explanations.swift.

extension Catalog {
  /// Every Glimpse command, in the order `help` lists them.
  public static let glimpse = Catalog(
    [load, image, images, predict, layers] + explanations + [show, save, set, get, reset]
      + [echo, help, exit, quit])

  static let load = CommandSpec(
    "load", summary: "Load a classifier: the embedded default, Keras' VGG16 or Xception, or an ONNX file.",
    help: """
      Loads an image classifier and makes it current. Without a name, the embedded default \
      model loads. vgg16 and xception are Keras' models with Keras' layer names; their weights \
      come from Keras' own files (the Keras cache, Glimpse's cache, or downloaded with a \
      progress bar and a checksum). Explanations and predictions use the current model; \
      loading another replaces it but keeps the loaded images.
      """,
    positionals: [
      PositionalSpec(
        "MODEL|PATH", .either([.name(.model), .name(.path)]), optional: true,
        "a bundled model's name or an ONNX file's path (default: the embedded model)")
    ],
    arguments: [
      ArgumentSpec(
        "weights", .either([.choice(["random"]), .name(.path)]), default: "the model's own",
        "a Keras weights file (.h5) for vgg16 and xception, or random for seeded random "
          + "weights (an untrained model: explanations of it should look like noise)"),
      ArgumentSpec("seed", .integer(min: 0, max: nil), default: "0", "seed of random weights"),
      ArgumentSpec(
        "include_top", .yesNo, default: "yes",
        "keep the classification head (Keras models; no: feature maps only)"),
      ArgumentSpec(
        "labels", .name(.path), default: "the model's own, else ImageNet's 1000 classes",
        "a text file of class names, one per line"),
      ArgumentSpec(
        "preprocess", .choice(["lite", "caffe", "tf", "torch"]), default: "the model's own",
        "input normalisation: lite (x-127)/128, caffe BGR minus mean, tf x/127.5-1, torch "
          + "ImageNet mean and deviation"),
      ArgumentSpec(
        "size", .integer(min: 8, max: 4096), default: "224",
        "input side in pixels, for models that do not fix it (Keras models with include_top=no)"),
    ],
    examples: [
      "load", "load efficientnet-lite0", "load models/resnet50.onnx preprocess=torch size=224",
      "load weights=random seed=1", "load vgg16", "load xception weights=random seed=1",
      "load vgg16 include_top=no size=320", "load xception weights=xception_weights.h5",
    ])

  static let image = CommandSpec(
    "image", summary: "Load images; the last one becomes current.",
    help: """
      Loads JPEG or PNG files. Each is known by its file name without extension unless as= \
      names it; the last one loaded is the current image that predictions and explanations use.
      """,
    positionals: [
      PositionalSpec("PATH", .name(.path), variadic: true, "an image file (JPEG or PNG)")
    ],
    arguments: [
      ArgumentSpec("as", .text, default: "the file name", "the image's name (one image only)"),
      ArgumentSpec(
        "transparency", .choice(["drop", "white"]), default: "drop",
        "what transparent pixels become: drop the alpha channel, or composite on white"),
      ArgumentSpec(
        "exif", .choice(["apply", "ignore"]), default: "apply",
        "whether to turn the image as its EXIF orientation says"),
    ],
    examples: [
      "image chelsea.png", "image photos/cat.jpg photos/dog.jpg",
      #"image "my photos/cat 1.jpg" as=cat transparency=white"#,
    ])

  static let images = CommandSpec(
    "images", summary: "List the loaded images: name, size, path.",
    help: "Lists the loaded images with their names, sizes and paths; the current one is marked.",
    examples: ["images"])

  static let predict = CommandSpec(
    "predict", summary: "Classify an image: the best classes with their probabilities.",
    help: """
      Runs the current model on an image and lists the best classes: rank, index, WordNet id, \
      name and probability.
      """,
    arguments: [
      ArgumentSpec("image", .name(.image), default: "the current image", "the image to classify"),
      ArgumentSpec("top", .integer(min: 1, max: nil), default: "5", "how many classes to list"),
    ],
    examples: ["predict", "predict top=10", "predict image=cat top=3"])

  static let layers = CommandSpec(
    "layers", summary: "List the model's tensors: name, operation, output shape.",
    help: """
      Lists the current model's named tensors in graph order with the operation that makes each \
      and its output shape; 4-D tensors (the ones Grad-CAM and activations can use) are marked.
      """,
    arguments: [
      ArgumentSpec("filter", .text, default: "all", "list only names that contain this text")
    ],
    examples: ["layers", "layers filter=block14", #"layers filter="conv""#])

  static let show = CommandSpec(
    "show", summary: "Show the picture of an image or a result.",
    help: "Shows an image, or a result's picture again; without a name, the last result.",
    positionals: [
      PositionalSpec(
        "NAME|last", .either([.choice(["last"]), .name(.image)]), optional: true,
        "an image or a result (default: last, the latest result)")
    ],
    examples: ["show", "show last", "show chelsea"])

  static let save = CommandSpec(
    "save", summary: "Save a result as a picture (.png) or as raw numbers (.npy).",
    help: """
      Saves a result. A .png path gets the rendered picture; a .npy path the raw float32 map at \
      its native resolution (the layer grid for CAMs, the input size for pixel methods).
      """,
    positionals: [
      PositionalSpec("PATH", .name(.path), "where to write: .png or .npy"),
      PositionalSpec(
        "NAME|last", .either([.choice(["last"]), .name(.image)]), optional: true,
        "the result or image to save (default: last)"),
    ],
    examples: ["save cam.png", "save cam.npy last", #"save "out/cat map.png" chelsea"#])
}
