import CommandLanguage
import Engine
import XCTest

/// Properties over seeded random inputs (seeds are fixed so failures replay).
final class PropertyTests: XCTestCase {
  let catalog = Catalog.glimpse
  let completer = Completer(names: FakeNames())

  func testAnyInputYieldsCommandsOrADiagnosticInsideIt() {
    var rng = SplitMix64(seed: 2024)
    var outcomes: [String: Int] = [:]
    for round in 0..<3000 {
      let source = RandomSource.source(&rng)
      let scalars = Array(source.unicodeScalars)
      let context = "round \(round): \(source.debugDescription)"
      do {
        let commands = try parse(source)
        outcomes[commands.isEmpty ? "empty" : "commands", default: 0] += 1
        for command in commands { checkRanges(command, scalars, context) }
        do { try catalog.validate(commands) } catch {
          outcomes["validation error", default: 0] += 1
          checkInside(error, source, scalars, context)
        }
      } catch {
        outcomes[error.kind.rawValue, default: 0] += 1
        checkInside(error, source, scalars, context)
      }
      _ = catalog.isComplete(source)
      let cursors = round < 600 ? Array(0...scalars.count) : [0, scalars.count / 2, scalars.count]
      for cursor in cursors {
        checkCompletion(source, cursor: cursor, count: scalars.count, context)
      }
    }
    // The generator must reach every outcome, or the property says little.
    for outcome in ["commands", "empty", "validation error"] + lexicalKinds {
      XCTAssertGreaterThan(outcomes[outcome] ?? 0, 10, "\(outcome): \(outcomes)")
    }
  }

  private let lexicalKinds = [
    "unexpectedCharacter", "unterminatedString", "danglingContinuation", "invalidEscape",
    "expectedCommand", "expectedValue", "expectedArgumentName",
  ]

  func testPrintedCommandsParseBackEqual() throws {
    var rng = SplitMix64(seed: 7)
    for round in 0..<3000 {
      let command = RandomSource.command(&rng)
      let printed = command.sourceText
      let parsed = try parse(printed)
      XCTAssertEqual(parsed, [command], "round \(round): \(printed.debugDescription)")
      XCTAssertEqual(parsed.first?.sourceText, printed)
    }
    let cell = (0..<50).map { _ in RandomSource.command(&rng) }
    XCTAssertEqual(try parse(Command.sourceText(of: cell)), cell)
  }

  func testCompletionAtEveryCursorOfEveryExample() throws {
    var examples = catalog.commands.flatMap(\.examples)
    // All examples in one cell, with continuations and comments (every 5th cursor: each
    // completion lexes up to its cursor, so every cursor would cost quadratic time).
    examples.append(examples.joined(separator: " \\\n  # a comment\n"))
    for (number, example) in examples.enumerated() {
      let count = example.unicodeScalars.count
      let step = number == examples.count - 1 ? 5 : 1
      for cursor in stride(from: 0, through: count, by: step) {
        let completion = checkCompletion(example, cursor: cursor, count: count, example)
        let typed = String(
          String.UnicodeScalarView(
            Array(example.unicodeScalars)[completion.start..<completion.end]))
        for match in completion.matches where !typed.hasPrefix("\"") {
          let bare = match.hasPrefix("\"") ? String(match.dropFirst()) : match
          XCTAssertTrue(bare.lowercased().hasPrefix(typed.lowercased()), "\(example) @\(cursor)")
        }
        _ = completer.inspect(example, cursor: cursor)
      }
    }
  }

  func testCompletionOffersWhatEachExampleSays() throws {
    for example in catalog.commands.flatMap(\.examples) {
      let command = try parse(example)[0]
      let verb = completer.complete(example, cursor: command.verbRange.end)
      XCTAssertTrue(verb.matches.contains(command.verb), example)
      for argument in command.arguments {
        let name = completer.complete(example, cursor: argument.nameRange.end)
        XCTAssertEqual(name.start, argument.nameRange.offset, example)
        XCTAssertTrue(name.matches.contains(argument.name + "="), example)
        let spec = catalog[command.verb]!.argument(argument.name)!
        guard case .choice = spec.kind else { continue }
        let value = completer.complete(example, cursor: argument.valueRange.end)
        XCTAssertTrue(value.matches.contains(argument.value.text!), example)
      }
    }
  }

  func testCompletionCountsCodePointsAfterRandomText() {
    var rng = SplitMix64(seed: 99)
    for _ in 0..<500 {
      let text = (0..<Int.random(in: 0..<8, using: &rng)).map { _ in
        (RandomSource.fragments + RandomSource.strangers).randomElement(using: &rng)!
      }.joined()
      let source = "image \(Value.text(text).sourceText) as=x me"
      let count = source.unicodeScalars.count
      let completion = completer.complete(source, cursor: count)
      XCTAssertEqual(completion.start, count - 2, source.debugDescription)
      XCTAssertEqual(completion.matches, [], source.debugDescription)  // image has no `me...`
      let inAs = completer.complete(source, cursor: count - 6)  // after "a" of as=
      XCTAssertEqual(inAs, Completion(matches: ["as="], start: count - 7, end: count - 6))
    }
  }

  // MARK: Checks

  @discardableResult
  private func checkCompletion(_ source: String, cursor: Int, count: Int, _ context: String)
    -> Completion
  {
    let completion = completer.complete(source, cursor: cursor)
    XCTAssertEqual(completion.end, cursor, context)
    XCTAssertTrue(0 <= completion.start && completion.start <= completion.end, context)
    _ = completer.inspect(source, cursor: cursor)
    return completion
  }

  private func checkInside(
    _ d: Diagnostic, _ source: String, _ scalars: [Unicode.Scalar], _ context: String
  ) {
    let r = d.range
    XCTAssertTrue(r.offset >= 0 && r.length >= 1 && r.end <= scalars.count, "\(d) \(context)")
    guard r.offset >= 0 && r.offset <= scalars.count else { return }
    let (line, column) = location(r.offset, scalars)
    XCTAssertEqual([r.line, r.column], [line, column], "\(d) \(context)")
    let rendered = d.rendered(in: source)
    XCTAssertTrue(rendered.hasPrefix("error: \(d.message)\n --> line \(line), column \(column)\n"))
    XCTAssertTrue(rendered.contains("^"), context)
  }

  private func checkRanges(_ command: Command, _ scalars: [Unicode.Scalar], _ context: String) {
    func text(_ r: SourceRange) -> String {
      XCTAssertTrue(r.offset >= 0 && r.end <= scalars.count, context)
      XCTAssertEqual(
        [r.line, r.column],
        {
          let l = location(r.offset, scalars)
          return [l.0, l.1]
        }(), context)
      return String(String.UnicodeScalarView(scalars[r.offset..<r.end]))
    }
    XCTAssertEqual(text(command.verbRange), command.verb, context)
    for argument in command.arguments {
      XCTAssertEqual(text(argument.nameRange), argument.name, context)
      checkItems(argument.value, argument.itemRanges, text, context)
    }
    for positional in command.positionals {
      checkItems(positional.value, positional.itemRanges, text, context)
    }
  }

  /// Each item's source text reads as the item: a bare word as its literal, quotes as text.
  private func checkItems(
    _ value: Value, _ ranges: [SourceRange], _ text: (SourceRange) -> String, _ context: String
  ) {
    XCTAssertEqual(value.items.count, ranges.count, context)
    for (item, range) in zip(value.items, ranges) {
      let written = text(range)
      if written.hasPrefix("\"") || written.hasPrefix("'") {
        XCTAssertEqual(try parse("x " + written).first?.positionals.first?.value, item, context)
      } else {
        XCTAssertEqual(Value.literal(written), item, context)
      }
    }
  }

  private func location(_ offset: Int, _ scalars: [Unicode.Scalar]) -> (Int, Int) {
    var line = 1
    var column = 1
    for s in scalars[..<offset] {
      if s == "\n" { (line, column) = (line + 1, 1) } else { column += 1 }
    }
    return (line, column)
  }
}
