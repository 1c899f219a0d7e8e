import CommandLanguage
import XCTest

final class CatalogTests: XCTestCase {
  let catalog = Catalog.glimpse

  /// The commands of docs/COMMANDS.md, in its order.
  func testCataloguesEveryCommandOfCOMMANDSmd() {
    XCTAssertEqual(
      catalog.verbs,
      [
        "load", "image", "images", "predict", "layers", "activations", "gradcam", "occlusion",
        "saliency", "smoothgrad", "ig", "shap", "rise", "show", "save", "set", "get", "reset",
        "echo", "help", "exit", "quit",
      ])
  }

  func testEveryExampleParsesValidatesAndPrintsBack() throws {
    for spec in catalog.commands {
      XCTAssertFalse(spec.examples.isEmpty, spec.name)
      for example in spec.examples {
        let commands = try catalog.check(example)
        XCTAssertEqual(commands.map(\.verb), [spec.name], example)
        XCTAssertEqual(try parse(commands[0].sourceText), commands, example)
        XCTAssertEqual(catalog.isComplete(example), .complete, example)
      }
    }
  }

  func testArgumentsAndDefaultsFollowCOMMANDSmd() {
    let expected: [String: [String: String?]] = [
      "load": [
        "weights": "the model's own", "seed": "0", "include_top": "yes", "labels": nil,
        "preprocess": nil, "size": "224",
      ],
      "image": ["as": nil, "transparency": "drop", "exif": "apply"],
      "predict": ["image": nil, "top": "5"],
      "layers": ["filter": nil],
      "activations": ["layer": nil, "channels": "16", "sort": "mean"],
      "gradcam": ["layer": nil, "method": "gradcam", "preset": nil],
      "occlusion": ["patch": "32", "stride": "16", "baseline": "zero"],
      "saliency": ["times_input": "no"],
      "smoothgrad": [
        "samples": "20", "noise": "0.15", "of": "saliency", "kind": "sg", "seed": "0",
      ],
      "ig": ["steps": "50", "baseline": "zero"],
      "shap": ["layer": "input", "background": nil, "samples": "200", "top": "2", "seed": "0"],
      "rise": ["masks": "2000", "seed": "0"],
      "set": [
        "colormap": nil, "alpha": nil, "seed": nil, "preset": nil, "top": nil, "resize": "squash",
        "interpolation": "bilinear", "threads": nil,
      ],
    ]
    for (verb, arguments) in expected {
      let spec = catalog[verb]!
      for (name, defaultValue) in arguments {
        guard let argument = spec.argument(name) else {
          XCTFail("\(verb) lacks \(name)")
          continue
        }
        if let defaultValue {
          XCTAssertEqual(argument.defaultValue, defaultValue, "\(verb) \(name)")
        }
      }
    }
  }

  func testExplanationCommandsTakeTheTargetArguments() {
    let target = ["class", "vs", "top", "score", "image", "colormap", "alpha"]
    for verb in ["gradcam", "occlusion", "saliency", "smoothgrad", "ig", "shap", "rise"] {
      let names = Set(catalog[verb]!.arguments.map(\.name))
      XCTAssertTrue(names.isSuperset(of: target), verb)
    }
    XCTAssertNil(catalog["activations"]!.argument("class"))
    XCTAssertEqual(catalog["shap"]!.argument("top")?.defaultValue, "2")  // its own top wins
    XCTAssertEqual(
      catalog["gradcam"]!.argument("score")?.kind, .choice(["logit", "prob", "logprob"]))
    XCTAssertEqual(
      catalog["gradcam"]!.argument("method")?.kind,
      .choice(["gradcam", "gradcam++", "hirescam", "xgradcam", "layercam", "eigencam", "scorecam"]))
    XCTAssertEqual(catalog["gradcam"]!.argument("preset")?.kind, .choice(["tfexplain", "none"]))
    XCTAssertEqual(
      catalog["get"]!.positionals[0].kind, .choice(catalog["set"]!.arguments.map(\.name)))
  }

  func testSpecsAreWellFormed() {
    for spec in catalog.commands {
      let names = spec.arguments.map(\.name)
      XCTAssertEqual(Set(names).count, names.count, "\(spec.name) repeats an argument")
      XCTAssertFalse(spec.summary.contains("\n"), spec.name)
      XCTAssertTrue(names.allSatisfy(Value.isBareWord), spec.name)
      // Optional slots follow required ones; only the last may repeat.
      let optional = spec.positionals.map(\.isOptional)
      XCTAssertEqual(optional, optional.sorted { !$0 && $1 }, spec.name)
      XCTAssertTrue(spec.positionals.dropLast().allSatisfy { !$0.isVariadic }, spec.name)
      for argument in spec.arguments { XCTAssertFalse(argument.help.isEmpty, argument.name) }
    }
  }

  func testDefaultsSpelledAsValuesValidate() throws {
    // A default written like a value (32, 0.15, drop, yes) must be one the argument accepts.
    var checked = 0
    for spec in catalog.commands {
      for argument in spec.arguments {
        let required = String(repeating: " x", count: spec.minimumPositionals)
        guard let defaultValue = argument.defaultValue,
          let command = try? parse("\(spec.name)\(required) \(argument.name)=\(defaultValue)"),
          command.count == 1, command[0].arguments.count == 1,
          command[0].positionals.count == spec.minimumPositionals
        else { continue }
        XCTAssertNoThrow(try catalog.validate(command[0]), "\(spec.name) \(argument.name)")
        checked += 1
      }
    }
    XCTAssertGreaterThan(checked, 40)
  }

  func testHelpListsCommandsArgumentsAndExamples() {
    let all = catalog.helpText
    for spec in catalog.commands {
      XCTAssertTrue(all.contains("  \(spec.name) "), spec.name)
      XCTAssertTrue(all.contains(spec.summary), spec.name)
      let one = spec.helpText
      XCTAssertTrue(one.hasPrefix("\(spec.name): \(spec.summary)\n\nusage: \(spec.usage)"))
      for argument in spec.arguments { XCTAssertTrue(one.contains("  \(argument.name)=")) }
      for example in spec.examples { XCTAssertTrue(one.contains("  " + example)) }
      XCTAssertTrue(one.split(separator: "\n").allSatisfy { $0.count <= 100 }, spec.name)
    }
    XCTAssertEqual(catalog["image"]!.usage, "image PATH [PATH ...] [key=value ...]")
    XCTAssertEqual(catalog["save"]!.usage, "save PATH [NAME|last]")
    XCTAssertEqual(
      catalog["occlusion"]!.helpText(forArgument: "patch"),
      "occlusion patch=INT\npatch side, in pixels.\nTakes an integer (1 to 4096); default: 32.")
    XCTAssertNil(catalog["occlusion"]!.helpText(forArgument: "ptach"))
  }
}
