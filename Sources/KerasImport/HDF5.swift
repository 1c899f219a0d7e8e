// The one door to libhdf5: a process-wide lock, quiet errors, and handles that close themselves.
//
// Debian's libhdf5 is the serial build, which keeps global state (the ID table, the error
// stack, the metadata cache) without locks: two threads inside it at once corrupt it. Every
// call into the library therefore runs under `HDF5.lock`.
import CHDF5
import Foundation

/// Shared libhdf5 state: the lock every call runs under, and the error stack as text.
package enum HDF5 {
  /// Recursive, so a wrapper method may call another while holding it.
  private static let lock = NSRecursiveLock()

  /// Initialises the library once and turns off its automatic error printing to stderr:
  /// failures come back to us as negative return codes and are reported as typed errors.
  private static let initialised: Bool = {
    guard H5open() >= 0 else { return false }
    H5Eset_auto2(0 /* H5E_DEFAULT */, nil, nil)
    return true
  }()

  /// Runs `body` with exclusive access to libhdf5.
  package static func call<Result>(_ body: () throws -> Result) rethrows -> Result {
    lock.lock()
    defer { lock.unlock() }
    precondition(initialised, "libhdf5 failed to initialise")
    return try body()
  }

  /// Number of HDF5 objects (files, groups, datasets, types, attributes) open in this process.
  package static var openObjectCount: Int {
    // H5F_OBJ_ALL is an OR of macros Swift does not import; as a file ID it means every file.
    let all = H5F_OBJ_FILE | H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR
    return call { Int(H5Fget_obj_count(hid_t(all), UInt32(all))) }
  }

  /// The current error stack as one line (its two most specific messages), then clears it.
  ///
  /// HDF5 pushes one frame per API level; the innermost frames name the actual cause
  /// ("truncated file: eof = ...", "required filter 'lzf' is not registered"). Frames about
  /// the plugin search path (pushed while HDF5 looks for a missing filter) are left out.
  static func takeErrorStack() -> String {
    final class Collector { var messages: [String] = [] }
    let collector = Collector()
    let walker: H5E_walk2_t = { _, frame, context in
      guard let frame, let context, let text = frame.pointee.desc else { return 0 }
      let collector = Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue()
      collector.messages.append(String(cString: text))
      return 0
    }
    call {
      withExtendedLifetime(collector) {
        let context = Unmanaged.passUnretained(collector).toOpaque()
        _ = H5Ewalk2(0 /* H5E_DEFAULT */, H5E_WALK_UPWARD, walker, context)
        _ = H5Eclear2(0 /* H5E_DEFAULT */)
      }
    }
    let noise = ["can't open directory", "search in path"]
    let messages = collector.messages.filter { message in
      !message.isEmpty && !noise.contains { message.hasPrefix($0) }
    }
    return messages.prefix(2).joined(separator: "; ")
  }
}

/// An open HDF5 identifier, closed (under the lock) when the last reference goes away.
package final class HDF5Handle: @unchecked Sendable {
  /// How to close an identifier: each kind of object has its own close function.
  enum Kind { case file, object, attribute, dataspace, datatype }

  let id: hid_t
  let kind: Kind

  init(_ id: hid_t, _ kind: Kind) {
    precondition(id >= 0, "HDF5Handle wraps valid identifiers only")
    self.id = id
    self.kind = kind
  }

  deinit {
    HDF5.call {
      switch kind {
      case .file: _ = H5Fclose(id)
      case .object: _ = H5Oclose(id)
      case .attribute: _ = H5Aclose(id)
      case .dataspace: _ = H5Sclose(id)
      case .datatype: _ = H5Tclose(id)
      }
    }
  }
}
