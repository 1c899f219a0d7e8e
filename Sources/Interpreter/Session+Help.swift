// `help`, `set`, `get`, `exit` and `quit`.
import CommandLanguage

extension Session {
  /// `help [COMMAND]`: every command with its summary, or one command's full help.
  func help(_ run: inout CommandRun) throws {
    if let name = run.positional(0)?.value.text, let spec = Catalog.glimpse[name] {
      run.say(spec.helpText)
    } else {
      run.say(Catalog.glimpse.helpText)
    }
  }

  /// `echo TEXT ... [to=stderr]`: the words, separated by spaces, on a stream.
  func echo(_ run: inout CommandRun) throws {
    let words = run.command.positionals.map { $0.value.text ?? $0.value.sourceText }
    let stream = run.text("to") ?? "stdout"
    run.emit(.stream(name: stream, text: words.joined(separator: " ") + "\n"))
  }

  /// `set key=value ...`: changes settings (all of them or none).
  func set(_ run: inout CommandRun) throws {
    guard !run.command.arguments.isEmpty else {
      throw run.error(
        "set needs key=value", label: "settings: \(Settings.keys.joined(separator: ", "))")
    }
    for argument in run.command.arguments { try run.state.settings.apply(argument) }
    let changed = run.command.arguments.map { argument in
      "\(argument.name)=\(run.state.settings.value(argument.name))"
    }
    run.say("set " + changed.joined(separator: " "))
  }

  /// `get [KEY]`: a table of settings.
  func get(_ run: inout CommandRun) throws {
    let keys = run.positional(0)?.value.text.map { [$0] } ?? Settings.keys
    let settings = run.state.settings
    let table = Table(
      columns: [
        Table.Column(header: "setting", key: "setting"), .init(header: "value", key: "value"),
      ],
      rows: keys.map { [$0, settings.value($0)] },
      values: keys.map { [.text($0), .text(settings.value($0))] })
    run.emit(.result(table.bundle))
  }

  /// `exit` / `quit`: ends the cell and asks the front end to leave.
  func exit(_ run: inout CommandRun) throws {
    run.exitRequested = true
  }
}
