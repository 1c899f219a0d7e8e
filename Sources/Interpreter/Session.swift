// The Glimpse interpreter: runs cells of the command language against one session's state.
import CommandLanguage
public import Foundation
public import ModelZoo
import Network

/// A Glimpse session: a loaded model, images, results and settings, driven by cells of the
/// command language (design/COMMANDS.md). Knows nothing of Jupyter or terminals: outputs are
/// MIME bundles sent to an ``OutputSink``.
///
/// Each command works on a copy of the state; the copy replaces the state only when the command
/// succeeds, so a failed or interrupted command leaves the session exactly as it was.
/// `execute` runs on one thread at a time; `interrupt()` may be called from any thread.
public final class Session: CellExecutor {
  /// The bundled model, class list and photos.
  public let assets: BundledAssets?
  /// Where relative paths in commands start.
  public let directory: URL
  /// The shortest time between two progress updates of a long command (0: every batch).
  public var progressInterval: TimeInterval = 0.25

  var state = SessionState()
  let cancellation = Cancellation()

  /// A session over the bundled assets (located when nil; commands that need them fail
  /// with a clear error when they cannot be found).
  /// - Parameter directory: where relative paths start (default: the current directory).
  public init(assets: BundledAssets? = nil, directory: URL? = nil) {
    self.assets = assets ?? (try? BundledAssets.locate())
    self.directory =
      directory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  }

  /// Runs a cell: checks every line first, then runs the commands in order and stops at the
  /// first error, interrupt or `exit`.
  public func execute(_ source: String, cellNumber: Int?, sink: any OutputSink)
    -> ExecutionOutcome
  {
    cancellation.reset()
    let commands: [Command]
    do {
      commands = try Catalog.glimpse.check(source)
    } catch {
      return Self.outcome(error, source: source, cell: cellNumber)
    }
    for command in commands {
      var run = CommandRun(
        command: command, source: source, sink: sink, cancellation: cancellation, state: state)
      do {
        try cancellation.check()
        guard let handler = Self.handlers[command.verb] else {
          throw run.error("command '\(command.verb)' has no handler", kind: .unknownCommand)
        }
        try handler(self, &run)
      } catch NetworkError.cancelled {
        return .interrupted
      } catch let diagnostic as Diagnostic {
        return Self.outcome(diagnostic, source: source, cell: cellNumber)
      } catch {
        let wrapped = run.error(Self.describe(error), at: command.range)
        return Self.outcome(wrapped, source: source, cell: cellNumber)
      }
      commit(run.state)
      if run.exitRequested { return .exit }
    }
    return .ok
  }

  /// Asks the running command to stop at its next check (between network nodes and batches).
  public func interrupt() { cancellation.cancel() }

  /// Makes `new` the session's state, applying settings that live outside it (threads).
  private func commit(_ new: SessionState) {
    if new.settings.threads != state.settings.threads {
      EngineThreadsSetting.apply(new.settings.threads)
    }
    state = new
  }

  /// The outcome for a diagnostic: its name, message, and rendered lines.
  static func outcome(_ diagnostic: Diagnostic, source: String, cell: Int?) -> ExecutionOutcome {
    let lines = diagnostic.rendered(in: source, cell: cell).split(
      separator: "\n", omittingEmptySubsequences: false
    ).map(String.init)
    return .error(name: diagnostic.name, message: diagnostic.message, diagnostic: lines)
  }

  /// A library error as one line (their `description`s name the cause).
  static func describe(_ error: any Error) -> String {
    String(describing: error)
  }

  /// A command's handler: runs it on `run`, changing `run.state` and emitting outputs.
  typealias Handler = @Sendable (Session, inout CommandRun) throws -> Void

  /// One handler per command of the catalog.
  static let handlers: [String: Handler] = [
    "load": { try $0.load(&$1) }, "image": { try $0.image(&$1) },
    "images": { try $0.images(&$1) }, "predict": { try $0.predict(&$1) },
    "layers": { try $0.layers(&$1) }, "activations": { try $0.activations(&$1) },
    "gradcam": { try $0.gradcam(&$1) }, "occlusion": { try $0.occlusion(&$1) },
    "saliency": { try $0.saliency(&$1) }, "smoothgrad": { try $0.smoothgrad(&$1) },
    "ig": { try $0.integratedGradients(&$1) }, "shap": { try $0.shap(&$1) },
    "rise": { try $0.rise(&$1) }, "show": { try $0.show(&$1) }, "save": { try $0.save(&$1) },
    "set": { try $0.set(&$1) }, "get": { try $0.get(&$1) }, "reset": { try $0.reset(&$1) },
    "echo": { try $0.echo(&$1) }, "help": { try $0.help(&$1) }, "exit": { try $0.exit(&$1) }, "quit": { try $0.exit(&$1) },
  ]
}
