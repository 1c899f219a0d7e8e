// What a terminal front end can be told: where it reads and writes, where history and images go,
// and how images and colours are shown.
import Foundation

/// How a front end shows images beside saving them.
public enum InlineImageMode: Sendable, Equatable {
  /// Detect the terminal from the environment (`TERM`, `TERM_PROGRAM`, `KITTY_WINDOW_ID`,
  /// `LC_TERMINAL`) when standard output is a terminal.
  case auto
  /// Always emit the kitty graphics protocol.
  case kitty
  /// Always emit the iTerm2 inline image protocol.
  case iTerm2
  /// Only save files.
  case disabled
}

/// Whether diagnostics on stderr are coloured.
public enum ColourMode: Sendable, Equatable {
  /// When stderr is a terminal and `NO_COLOR` is unset or empty (https://no-color.org).
  case auto
  case always
  case never
}

/// Settings shared by ``REPL`` and ``ScriptRunner``.
public struct TerminalOptions: Sendable {
  /// Where lines are read (the REPL) and interrupt keys are watched.
  public var inputFD: Int32 = STDIN_FILENO
  /// Where results, streams and images go.
  public var outputFD: Int32 = STDOUT_FILENO
  /// Where diagnostics and warnings go.
  public var errorFD: Int32 = STDERR_FILENO
  /// The history file; nil keeps history for this run only.
  public var historyPath: String? = TerminalOptions.defaultHistoryPath
  /// How many lines history keeps.
  public var historySize = 1000
  /// Folder for image outputs (created on the first image); relative paths are printed as given.
  public var outputDirectory = "glimpse-output"
  public var inlineImages = InlineImageMode.auto
  public var colour = ColourMode.auto
  /// The terminal type handed to libedit; nil uses `TERM`.
  public var terminalType: String? = nil
  /// Environment consulted for detection (inline images, colour).
  public var environment: [String: String] = ProcessInfo.processInfo.environment

  public init() {}

  /// `~/.glimpse_history`.
  public static var defaultHistoryPath: String? {
    guard let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty else { return nil }
    return home + "/.glimpse_history"
  }
}
