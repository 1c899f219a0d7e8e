// Glimpse's session commands: settings, reset, help and leaving.

extension Catalog {
  /// Settings `set` changes and `get` reads; explanation arguments of the same names override
  /// them for one command.
  static let settings: [ArgumentSpec] = [
    colormapArgument,
    ArgumentSpec("alpha", .real(min: 0, max: 1), default: "0.5", "overlay opacity"),
    ArgumentSpec("seed", .integer(min: 0, max: nil), default: "0", "seed of sampled methods"),
    presetArgument,
    ArgumentSpec(
      "top", .integer(min: 1, max: nil), default: "1",
      "how many of the best classes explanations explain by default"),
    ArgumentSpec(
      "resize", .choice(["squash", "crop"]), default: "squash",
      "squash the whole image to the input size, or crop: shorter side to size/0.875, centre crop"),
    ArgumentSpec(
      "interpolation", .choice(["bilinear", "area", "bicubic", "nearest"]),
      default: "bilinear", "resampling when resizing to the input size"),
    ArgumentSpec(
      "threads", .integer(min: 1, max: 1024), default: "all cores", "threads the engine uses"),
  ]

  static let colormapArgument = ArgumentSpec(
    "colormap", .choice(["jet", "viridis", "inferno", "gray", "bwr"]),
    default: "jet", "the colour map of heat maps")

  static let presetArgument = ArgumentSpec(
    "preset", .choice(["tfexplain", "none"]), default: "none",
    "tfexplain reproduces tf-explain's Grad-CAM pictures (its resizing and colour map)")

  static let set = CommandSpec(
    "set", summary: "Change settings: colormap, alpha, seed, preset, top, resize, ...",
    help: "Changes session settings; they hold until changed again or reset.",
    arguments: settings,
    examples: [
      "set colormap=viridis alpha=0.4", "set resize=crop interpolation=bicubic", "set threads=2",
    ])

  static let get = CommandSpec(
    "get", summary: "Show settings: all of them, or one.",
    help: "Shows the session settings and their values, or the one named.",
    positionals: [
      PositionalSpec(
        "KEY", .choice(settings.map(\.name)), optional: true, "the setting to show (default: all)")
    ],
    examples: ["get", "get alpha"])

  static let reset = CommandSpec(
    "reset", summary: "Forget the model, images, results and settings.",
    help: "Returns the session to its start: no model, no images, no results, default settings.",
    examples: ["reset"])

  static let echo = CommandSpec(
    "echo", summary: "Print text, e.g. a note in a script's output.",
    help: "Prints its words, separated by spaces, on standard output (or standard error with to=stderr).",
    positionals: [PositionalSpec("TEXT", .text, variadic: true, "the words to print")],
    arguments: [
      ArgumentSpec("to", .choice(["stdout", "stderr"]), default: "stdout", "the stream to print on")
    ],
    examples: ["echo \"hello, world\"", "echo step 2 done to=stderr"])

  static let help = CommandSpec(
    "help", summary: "List the commands, or explain one.",
    help: "Without a name, lists every command; with one, its arguments and examples.",
    positionals: [
      PositionalSpec("COMMAND", .command, optional: true, "the command to explain")
    ],
    examples: ["help", "help gradcam"])

  static let exit = CommandSpec(
    "exit", summary: "Leave (the REPL ends; Jupyter asks the front end to close).",
    help: "Ends the REPL; in Jupyter, asks the front end to close the notebook's kernel.",
    examples: ["exit"])

  static let quit = CommandSpec(
    "quit", summary: "Leave, as exit does.", help: "The same as exit.", examples: ["quit"])
}
