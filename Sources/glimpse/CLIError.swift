// How the command line reports a failure: one `error:` line and exit code 1.
import ArgumentParser
import Foundation

/// Runs `body`, turning any thrown error into one `error: ...` line on stderr and exit code 1.
func reportingErrors(_ body: () throws -> Void) throws {
  do {
    try body()
  } catch let exit as ExitCode {
    throw exit
  } catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    throw ExitCode(1)
  }
}
